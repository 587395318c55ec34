package dev.oodlab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.oodlab.attack.Fgsm;
import dev.oodlab.nn.Losses;

/**
 * M-TLAT, mixup targeted labeling adversarial training (Laugros, Caplier, Ospici, "Addressing
 * Neural Network Robustness with Mixup and Targeted Labeling Adversarial Training", ECCV Workshops
 * 2020): mixup, then a targeted FGSM step on the mixed input towards a random class, whose label is
 * moved towards that class by a weight w,
 *
 * <pre>
 *   λ ~ Beta(α, α), π a permutation:  x̃ = λx + (1−λ)x_π,  ỹ = λe_y + (1−λ)e_{y_π}
 *   t ~ U{0..K−1} per sample
 *   x_adv = clip₀¹(x̃ − ε·sign(∇ₓ CE(p(x̃), e_t)))         (targeted FGSM)
 *   ỹ_adv = (1 − w)·ỹ + w·e_t                            (w = ε by default)
 *   L = CE(p(x_adv), ỹ_adv)   [ + CE(p(x̃), ỹ) if the clean term is on ]
 * </pre>
 *
 * <p><b>Our reading</b>, from a published survey of the method (the paper's code was not
 * available): the target class is drawn uniformly from all K classes, the label weight defaults to
 * ε, and the optional clean term shares one forward pass with the adversarial one. Draws: {@code
 * beta(α)}, {@code permutation(N)}, then {@code nextInt(K)} per sample.
 */
public final class MixupTargetedLabelingAdversarialTraining implements TrainingMethod {

    private final double alpha;
    private final double epsilon;
    private final double labelWeight;
    private final boolean cleanTerm;
    private final Fgsm attack;

    private MixupTargetedLabelingAdversarialTraining(Builder b) {
        this.alpha = b.alpha;
        this.epsilon = b.epsilon;
        this.labelWeight = Double.isNaN(b.labelWeight) ? b.epsilon : b.labelWeight;
        this.cleanTerm = b.cleanTerm;
        this.attack =
                Fgsm.builder().optEpsilon(epsilon).optTargeted(true).optTrainingMode(true).build();
    }

    /** A builder with α = 1, ε = 0.1, w = ε, no clean term. */
    public static Builder builder() {
        return new Builder();
    }

    /** The Beta parameter α of the mixup. */
    public double alpha() {
        return alpha;
    }

    /** The targeted FGSM step ε (pixel units). */
    public double epsilon() {
        return epsilon;
    }

    @Override
    public NDArray loss(TrainingStep step) {
        int n = step.batchSize();
        int k = step.numClasses();
        double lambda = step.random().beta(alpha);
        int[] perm = step.random().permutation(n);
        long[] targets = new long[n];
        for (int i = 0; i < n; i++) {
            targets[i] = step.random().nextInt(k);
        }
        NDArray mixed = Checks.mix(step.x(), Checks.rows(step.x(), perm), lambda);
        NDArray onehot = step.oneHotLabels();
        NDArray soft = Checks.mix(onehot, Checks.rows(onehot, perm), lambda);
        NDArray targetArray = step.manager().create(targets);
        NDArray adv = attack.perturb(step.network(), mixed, targetArray);
        NDArray softAdv =
                soft.mul((float) (1 - labelWeight))
                        .add(Losses.oneHot(targetArray, k).mul((float) labelWeight));
        if (!cleanTerm) {
            return Losses.crossEntropy(step.logits(adv), softAdv).mean();
        }
        NDArray logits = step.logits(Checks.concat(adv, mixed));
        NDArray lossAdv = Losses.crossEntropy(logits.get(new NDIndex(":" + n)), softAdv).mean();
        NDArray lossClean = Losses.crossEntropy(logits.get(new NDIndex(n + ":")), soft).mean();
        return lossAdv.add(lossClean);
    }

    @Override
    public String name() {
        return "m-tlat";
    }

    @Override
    public String toString() {
        return "M-TLAT[alpha="
                + alpha
                + ", eps="
                + epsilon
                + ", w="
                + labelWeight
                + (cleanTerm ? ", +clean" : "")
                + "]";
    }

    /** Builds a {@link MixupTargetedLabelingAdversarialTraining}. */
    public static final class Builder {
        private double alpha = 1.0;
        private double epsilon = 0.1;
        private double labelWeight = Double.NaN;
        private boolean cleanTerm;

        private Builder() {}

        /** The Beta(α, α) parameter, α > 0 (default 1). */
        public Builder optAlpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** The targeted FGSM step ε ≥ 0 (default 0.1). */
        public Builder optEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** The label weight w in [0, 1] given to the target class (default ε). */
        public Builder optLabelWeight(double labelWeight) {
            this.labelWeight = labelWeight;
            return this;
        }

        /** Whether to add the clean mixup loss CE(p(x̃), ỹ) (default false). */
        public Builder optCleanTerm(boolean cleanTerm) {
            this.cleanTerm = cleanTerm;
            return this;
        }

        /**
         * Checks the options and builds the method.
         *
         * @throws IllegalArgumentException naming the first invalid option
         */
        public MixupTargetedLabelingAdversarialTraining build() {
            Checks.option(alpha > 0 && Double.isFinite(alpha), "alpha", "> 0", alpha);
            Checks.option(epsilon >= 0 && Double.isFinite(epsilon), "epsilon", ">= 0", epsilon);
            double w = Double.isNaN(labelWeight) ? epsilon : labelWeight;
            Checks.option(w >= 0 && w <= 1, "labelWeight", "in [0, 1]", w);
            return new MixupTargetedLabelingAdversarialTraining(this);
        }
    }
}

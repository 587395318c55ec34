package dev.oodlab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.oodlab.attack.Fgsm;
import dev.oodlab.nn.BatchRows;
import dev.oodlab.nn.Losses;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * M-TLAT, mixup targeted labeling adversarial training (Laugros, Caplier, Ospici, "Addressing
 * Neural Network Robustness with Mixup and Targeted Labeling Adversarial Training", ECCV Workshops
 * 2020): each step trains on two mixup pairs together, one as it is and one attacked by a targeted
 * FGSM step towards a class t whose label is moved towards t by a weight w,
 *
 * <pre>
 *   λ₁, λ₂ ~ Beta(α, α);  π, ρ, σ random permutations of the batch
 *   x̃₁ = λ₁x + (1−λ₁)x_π,        ỹ₁ = λ₁e_y + (1−λ₁)e_{y_π}             (pair 1, trained as is)
 *   x̃₂ = λ₂x_ρ + (1−λ₂)x_σ,      ỹ₂ = λ₂e_{y_ρ} + (1−λ₂)e_{y_σ}         (pair 2, attacked)
 *   t per sample (see below)
 *   x_adv = clip₀¹(x̃₂ − ε·sign(∇ₓ CE(p(x̃₂), e_t)))                     (targeted FGSM)
 *   ỹ_adv = (1 − w)·ỹ₂ + w·e_t                                        (w = ε by default)
 *   L = CE(p(x̃₁), ỹ₁) + CE(p(x_adv), ỹ_adv)                           (means over the batch)
 * </pre>
 *
 * Both pairs go through one forward pass (for batch norm: one set of batch statistics); the attack
 * runs with the model in training mode.
 *
 * <p><b>Readings.</b> The paper's full text and code were not available to us; what we rest on:
 *
 * <ul>
 *   <li><b>Two pairs, one loss.</b> Laugros et al.'s abstract: M-TLAT "combines the Mixup
 *       augmentation and a new adversarial training algorithm called Targeted Labeling Adversarial
 *       Training (TLAT)", whose idea "is to interpolate the target labels of adversarial examples
 *       with the ground-truth labels"; the Adversarial-Mixup paper (Gwon and Yoo, 2021) describes
 *       the step as four random samples making two mixup pairs, one trained as it is and one
 *       attacked and trained with the targeted label, together. In a batch the four samples are
 *       x_i, x_π(i), x_ρ(i), x_σ(i). One λ per pair is ours.
 *   <li><b>The label weight.</b> Cao et al.'s survey of mix-based data augmentation (arXiv
 *       2212.10888, eq. 23) writes the targeted label as (1 − δ)·ỹ + δ·y_target with δ the
 *       perturbation: w = ε by default.
 *   <li><b>The target class</b> ({@link TargetClass}). Nothing we could read says how t is drawn or
 *       whether it may be a class of the attacked pair. {@link TargetClass#ANY} (default): t
 *       uniform over all K classes, "a random class" as the Adversarial-Mixup paper puts it; t may
 *       then be one of the pair's own classes, where the step moves the input towards a label it
 *       already carries. {@link TargetClass#OTHER}: t uniform over the classes that are neither y_ρ
 *       nor y_σ, so that the perturbation adds a third class, as the survey reads the attacked
 *       input: the two clean images and a perturbation towards a specific class, three sources
 *       whose weights the label carries; it needs K ≥ 3.
 * </ul>
 *
 * <p>Draws: {@code beta(α)}, {@code permutation(N)} (π), {@code beta(α)}, {@code permutation(N)}
 * (ρ), {@code permutation(N)} (σ), then per sample {@code nextInt(K)} ({@link TargetClass#ANY}) or
 * {@code nextInt(k)} over the k allowed classes in increasing order ({@link TargetClass#OTHER}).
 */
public final class MixupTargetedLabelingAdversarialTraining implements TrainingMethod {

    /** The descriptor of {@code m-tlat}. */
    public static final MethodDescriptor DESCRIPTOR =
            MethodDescriptor.builder("m-tlat")
                    .summary(
                            "two mixup pairs per step, one attacked by a targeted FGSM step with"
                                    + " its label moved towards the target")
                    .paper(
                            "Laugros, Caplier, Ospici, Addressing Neural Network Robustness with"
                                    + " Mixup and Targeted Labeling Adversarial Training, ECCV"
                                    + " Workshops 2020")
                    .options(
                            SharedOptions.ALPHA,
                            SharedOptions.EPSILON,
                            MethodOption.choice(
                                    "target-class",
                                    TargetClass.class,
                                    "any",
                                    "Classes the targeted FGSM step aims at: any (all K) or other"
                                            + " (neither class of the attacked mixup pair; K >="
                                            + " 3)"))
                    .factory(
                            values -> {
                                var b = builder();
                                values.ifReal("alpha", b::optAlpha)
                                        .ifReal("epsilon", b::optEpsilon)
                                        .ifChoice(
                                                "target-class",
                                                TargetClass.class,
                                                b::optTargetClass);
                                return b.build();
                            })
                    .build();

    /** Which classes the target class t of the attack is drawn from. */
    public enum TargetClass {
        /** All K classes, uniformly (default). */
        ANY,
        /** The classes that are neither of the attacked pair's two labels, uniformly (K ≥ 3). */
        OTHER;

        /** The name on the command line and in {@code results.json}: {@code any}, … */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final double alpha;
    private final double epsilon;
    private final double labelWeight;
    private final TargetClass targetClass;
    private final Fgsm attack;

    private MixupTargetedLabelingAdversarialTraining(Builder b) {
        this.alpha = b.alpha;
        this.epsilon = b.epsilon;
        this.labelWeight = Double.isNaN(b.labelWeight) ? b.epsilon : b.labelWeight;
        this.targetClass = b.targetClass;
        this.attack =
                Fgsm.builder().optEpsilon(epsilon).optTargeted(true).optTrainingMode(true).build();
    }

    /** A builder with α = 1, ε = 0.1, w = ε, the target class from all K. */
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

    /** The weight w of the target class in the attacked pair's label. */
    public double labelWeight() {
        return labelWeight;
    }

    /** Which classes the target class is drawn from. */
    public TargetClass targetClass() {
        return targetClass;
    }

    @Override
    public NDArray loss(TrainingStep step) {
        int n = step.batchSize();
        int k = step.numClasses();
        if (targetClass == TargetClass.OTHER && k < 3) {
            throw new IllegalStateException(
                    "m-tlat's target class 'other' needs at least 3 classes, the model has " + k);
        }
        NDArray x = step.x();
        NDArray onehot = step.oneHotLabels();
        double lambda1 = step.random().beta(alpha);
        int[] pi = step.random().permutation(n);
        double lambda2 = step.random().beta(alpha);
        int[] rho = step.random().permutation(n);
        int[] sigma = step.random().permutation(n);
        NDArray mixed1 = BatchRows.mix(x, BatchRows.rows(x, pi), lambda1);
        NDArray soft1 = BatchRows.mix(onehot, BatchRows.rows(onehot, pi), lambda1);
        NDArray mixed2 = BatchRows.mix(BatchRows.rows(x, rho), BatchRows.rows(x, sigma), lambda2);
        NDArray soft2 =
                BatchRows.mix(BatchRows.rows(onehot, rho), BatchRows.rows(onehot, sigma), lambda2);
        long[] targets = targets(step, rho, sigma);
        NDArray targetArray = step.manager().create(targets);
        NDArray adv = attack.perturb(step.network(), mixed2, targetArray);
        NDArray softAdv =
                soft2.mul((float) (1 - labelWeight))
                        .add(Losses.oneHot(targetArray, k).mul((float) labelWeight));
        NDArray logits = step.logits(BatchRows.concat(mixed1, adv));
        NDArray lossMixed = Losses.crossEntropy(logits.get(new NDIndex(":" + n)), soft1).mean();
        NDArray lossAdv = Losses.crossEntropy(logits.get(new NDIndex(n + ":")), softAdv).mean();
        return lossMixed.add(lossAdv);
    }

    /** The target class of each sample of the attacked pair (x_ρ(i), x_σ(i)). */
    private long[] targets(TrainingStep step, int[] rho, int[] sigma) {
        int n = rho.length;
        int k = step.numClasses();
        long[] targets = new long[n];
        if (targetClass == TargetClass.ANY) {
            for (int i = 0; i < n; i++) {
                targets[i] = step.random().nextInt(k);
            }
            return targets;
        }
        long[] labels = step.labels().toType(DataType.INT64, false).toLongArray();
        for (int i = 0; i < n; i++) {
            long a = labels[rho[i]];
            long b = labels[sigma[i]];
            int allowed = k - (a == b ? 1 : 2);
            int pick = step.random().nextInt(allowed);
            for (int c = 0; c < k; c++) {
                if (c != a && c != b && pick-- == 0) {
                    targets[i] = c;
                    break;
                }
            }
        }
        return targets;
    }

    @Override
    public String name() {
        return "m-tlat";
    }

    @Override
    public Map<String, Object> recordedOptions() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("alpha", alpha);
        map.put("epsilon", epsilon);
        map.put("target_class", targetClass.key());
        return map;
    }

    @Override
    public String toString() {
        return "M-TLAT[alpha="
                + alpha
                + ", eps="
                + epsilon
                + ", w="
                + labelWeight
                + ", targetClass="
                + targetClass.key()
                + "]";
    }

    /** Builds a {@link MixupTargetedLabelingAdversarialTraining}. */
    public static final class Builder {
        private double alpha = 1.0;
        private double epsilon = 0.1;
        private double labelWeight = Double.NaN;
        private TargetClass targetClass = TargetClass.ANY;

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

        /** Which classes the target class is drawn from (default {@link TargetClass#ANY}). */
        public Builder optTargetClass(TargetClass targetClass) {
            this.targetClass = Objects.requireNonNull(targetClass, "targetClass");
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

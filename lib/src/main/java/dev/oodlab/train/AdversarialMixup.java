package dev.oodlab.train;

import ai.djl.ndarray.NDArray;
import dev.oodlab.attack.Fgsm;
import dev.oodlab.nn.Losses;
import java.util.Objects;

/**
 * Adversarial-Mixup (Gwon and Yoo, J. IEMEK 16(1), 2021): mix each input with its own FGSM
 * adversarial example and pull the mixed label towards an "adversarial target",
 *
 * <pre>
 *   x_adv = clip₀¹(x + ε·sign(∇ₓ CE(p(x), y)))                 (FGSM, model in training mode)
 *   λ ~ Beta(α, α) once per batch
 *   x̃ = λ·x + (1 − λ)·x_adv
 *   L = λ·CE(p(x̃), y) + (1 − λ)·CE(p(x̃), t_adv) = CE(p(x̃), λ·e_y + (1 − λ)·t_adv)
 * </pre>
 *
 * <p><b>Our reading.</b> The paper's equations were not available to us. We read the adversarial
 * target t_adv as the uniform distribution u ({@link Target#UNIFORM}, the default): it is the only
 * reading in which the λ weighting does anything (with t_adv = e_y both terms are the same
 * cross-entropy) and the one that lowers the confidence on OOD inputs, the paper's claim. {@link
 * Target#TRUE_LABEL} gives plain FGSM adversarial training on the mixed input. Defaults α = 1, ε =
 * 0.1 for 28×28 data (8/255 is usual for CIFAR). Draws: {@code beta(α)} after the attack.
 */
public final class AdversarialMixup implements TrainingMethod {

    /** The target of the adversarial part of the mixed label. */
    public enum Target {
        /** t_adv = u, the uniform distribution (default). */
        UNIFORM,
        /** t_adv = e_y, the true label. */
        TRUE_LABEL
    }

    private final double alpha;
    private final double epsilon;
    private final Target target;
    private final Fgsm attack;

    private AdversarialMixup(Builder b) {
        this.alpha = b.alpha;
        this.epsilon = b.epsilon;
        this.target = b.target;
        this.attack = Fgsm.builder().optEpsilon(epsilon).optTrainingMode(true).build();
    }

    /** A builder with α = 1, ε = 0.1, target {@link Target#UNIFORM}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The Beta parameter α. */
    public double alpha() {
        return alpha;
    }

    /** The FGSM step ε (pixel units). */
    public double epsilon() {
        return epsilon;
    }

    @Override
    public NDArray loss(TrainingStep step) {
        NDArray x = step.x();
        NDArray adv = attack.perturb(step.network(), x, step.labels());
        double lambda = step.random().beta(alpha);
        NDArray mixed = Checks.mix(x, adv, lambda);
        NDArray onehot = step.oneHotLabels();
        NDArray other =
                target == Target.UNIFORM
                        ? Losses.uniform(step.manager(), step.batchSize(), step.numClasses())
                        : onehot;
        NDArray soft = Checks.mix(onehot, other, lambda);
        return Losses.crossEntropy(step.logits(mixed), soft).mean();
    }

    @Override
    public String name() {
        return "adversarial-mixup";
    }

    @Override
    public String toString() {
        return "AdversarialMixup[alpha=" + alpha + ", eps=" + epsilon + ", target=" + target + "]";
    }

    /** Builds an {@link AdversarialMixup}. */
    public static final class Builder {
        private double alpha = 1.0;
        private double epsilon = 0.1;
        private Target target = Target.UNIFORM;

        private Builder() {}

        /** The Beta(α, α) parameter, α > 0 (default 1). */
        public Builder optAlpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** The FGSM step ε ≥ 0 in pixel units (default 0.1). */
        public Builder optEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** The adversarial target (default {@link Target#UNIFORM}). */
        public Builder optTarget(Target target) {
            this.target = Objects.requireNonNull(target, "target");
            return this;
        }

        /**
         * Checks the options and builds the method.
         *
         * @throws IllegalArgumentException naming the first invalid option
         */
        public AdversarialMixup build() {
            Checks.option(alpha > 0 && Double.isFinite(alpha), "alpha", "> 0", alpha);
            Checks.option(epsilon >= 0 && Double.isFinite(epsilon), "epsilon", ">= 0", epsilon);
            return new AdversarialMixup(this);
        }
    }
}

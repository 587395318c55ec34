package dev.oodlab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.oodlab.nn.Losses;

/**
 * Mixup combined with the calibrated confidence loss, as in Kim and Chung's 2-D study: the
 * in-distribution batch is mixed within itself (labels mixed), the outlier batch is mixed within
 * itself (target uniform), and the confidence loss is applied to the mixed batches,
 *
 * <pre>
 *   λ ~ Beta(α, α) once per batch;  π, ρ random permutations of the in and outlier batches
 *   x̃ = λx + (1−λ)x_π,  õ = λo + (1−λ)o_ρ       (one forward pass of both)
 *   L = CE(p(x̃), λe_y + (1−λ)e_{y_π}) + β · KL(u ‖ p(õ))          (means over each batch)
 * </pre>
 *
 * Reading: one λ for both batches, and the mixed samples replace the clean ones (the study does not
 * spell out either choice). Draws: {@code beta(α)}, {@code permutation(N)}, {@code permutation(M)}.
 */
public final class MixupConfidenceLoss implements TrainingMethod {

    private final double alpha;
    private final double beta;

    private MixupConfidenceLoss(Builder b) {
        this.alpha = b.alpha;
        this.beta = b.beta;
    }

    /** A builder with α = 1, β = 1. */
    public static Builder builder() {
        return new Builder();
    }

    /** The Beta parameter α. */
    public double alpha() {
        return alpha;
    }

    /** The weight β of the outlier term. */
    public double beta() {
        return beta;
    }

    @Override
    public NDArray loss(TrainingStep step) {
        NDArray outliers = step.requireOutliers(name());
        double lambda = step.random().beta(alpha);
        int n = step.batchSize();
        int[] perm = step.random().permutation(n);
        int[] outPerm = step.random().permutation((int) outliers.getShape().get(0));
        NDArray x = Checks.mix(step.x(), Checks.rows(step.x(), perm), lambda);
        NDArray o = Checks.mix(outliers, Checks.rows(outliers, outPerm), lambda);
        NDArray onehot = step.oneHotLabels();
        NDArray target = Checks.mix(onehot, Checks.rows(onehot, perm), lambda);
        NDArray logits = step.logits(Checks.concat(x, o));
        NDArray ce = Losses.crossEntropy(logits.get(new NDIndex(":" + n)), target).mean();
        NDArray kl = Losses.klFromUniform(logits.get(new NDIndex(n + ":"))).mean();
        return ce.add(kl.mul((float) beta));
    }

    @Override
    public String name() {
        return "mixup-confidence";
    }

    @Override
    public String toString() {
        return "MixupConfidenceLoss[alpha=" + alpha + ", beta=" + beta + "]";
    }

    /** Builds a {@link MixupConfidenceLoss}. */
    public static final class Builder {
        private double alpha = 1.0;
        private double beta = 1.0;

        private Builder() {}

        /** The Beta(α, α) parameter, α > 0 (default 1). */
        public Builder optAlpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** The weight β ≥ 0 of the outlier term (default 1). */
        public Builder optBeta(double beta) {
            this.beta = beta;
            return this;
        }

        /**
         * Checks the options and builds the method.
         *
         * @throws IllegalArgumentException naming the first invalid option
         */
        public MixupConfidenceLoss build() {
            Checks.option(alpha > 0 && Double.isFinite(alpha), "alpha", "> 0", alpha);
            Checks.option(beta >= 0 && Double.isFinite(beta), "beta", ">= 0", beta);
            return new MixupConfidenceLoss(this);
        }
    }
}

package dev.oodlab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.oodlab.nn.BatchRows;
import dev.oodlab.nn.Losses;
import java.util.Map;

/**
 * The confidence loss of Lee, Lee, Lee and Shin, "Training Confidence-calibrated Classifiers for
 * Detecting Out-of-Distribution Samples" (ICLR 2018): cross-entropy on the in-distribution batch
 * plus β times the mean KL divergence from the uniform distribution on an outlier batch,
 *
 * <pre>
 *   L = mean_in CE(p(x_in), y) + β · mean_out KL(u ‖ p(x_out)),
 *   KL(u ‖ p) = −log K − (1/K) Σ_k log p_k
 * </pre>
 *
 * so the classifier learns to be uncertain away from its training data. In-distribution and outlier
 * samples go through one forward pass (separate passes would give batch norm two different batch
 * statistics). Use it when a set of outliers resembling the expected OOD inputs is at hand. β = 1
 * by default (the paper used 0.1 on CIFAR-10).
 *
 * <p>Not the "confidence loss" of DeVries and Taylor (2018), which learns a separate confidence
 * branch (pytorch-ood's {@code ConfidenceLoss}); hence the name.
 */
public final class CalibratedConfidenceLoss implements TrainingMethod {

    /** The descriptor of {@code confidence-loss}. */
    public static final MethodDescriptor DESCRIPTOR =
            MethodDescriptor.builder("confidence-loss")
                    .summary("cross-entropy plus beta times KL(uniform || p) on an outlier batch")
                    .paper(
                            "Lee, Lee, Lee, Shin, Training Confidence-calibrated Classifiers for"
                                    + " Detecting Out-of-Distribution Samples, ICLR 2018")
                    .options(SharedOptions.BETA)
                    .needsOutliers()
                    .factory(
                            values -> {
                                var b = builder();
                                values.ifReal("beta", b::optBeta);
                                return b.build();
                            })
                    .build();

    private final double beta;

    private CalibratedConfidenceLoss(Builder b) {
        this.beta = b.beta;
    }

    /** A builder with β = 1. */
    public static Builder builder() {
        return new Builder();
    }

    /** The weight β of the outlier term. */
    public double beta() {
        return beta;
    }

    @Override
    public NDArray loss(TrainingStep step) {
        NDArray outliers = step.requireOutliers(name());
        int n = step.batchSize();
        NDArray logits = step.logits(BatchRows.concat(step.x(), outliers));
        NDArray in = logits.get(new NDIndex(":" + n));
        NDArray out = logits.get(new NDIndex(n + ":"));
        step.reportCleanLogits(in);
        NDArray ce = Losses.crossEntropy(in, step.oneHotLabels()).mean();
        return ce.add(Losses.klFromUniform(out).mean().mul((float) beta));
    }

    @Override
    public String name() {
        return "confidence-loss";
    }

    @Override
    public Map<String, Object> recordedOptions() {
        return Map.of("beta", beta);
    }

    @Override
    public String toString() {
        return "CalibratedConfidenceLoss[beta=" + beta + "]";
    }

    /** Builds a {@link CalibratedConfidenceLoss}. */
    public static final class Builder {
        private double beta = 1.0;

        private Builder() {}

        /** The weight β ≥ 0 of the outlier term (default 1). */
        public Builder optBeta(double beta) {
            this.beta = beta;
            return this;
        }

        /**
         * Checks the options and builds the method.
         *
         * @throws IllegalArgumentException if β is negative or not finite
         */
        public CalibratedConfidenceLoss build() {
            Checks.option(beta >= 0 && Double.isFinite(beta), "beta", ">= 0", beta);
            return new CalibratedConfidenceLoss(this);
        }
    }
}

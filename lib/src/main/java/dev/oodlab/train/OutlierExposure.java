package dev.oodlab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.oodlab.nn.BatchRows;
import dev.oodlab.nn.Losses;
import java.util.Map;

/**
 * Outlier Exposure of Hendrycks, Mazeika and Dietterich, "Deep Anomaly Detection with Outlier
 * Exposure" (ICLR 2019): cross-entropy on the in-distribution batch plus λ times the cross-entropy
 * from the uniform distribution u on a batch of auxiliary outliers,
 *
 * <pre>
 *   L = mean_in CE(p(x_in), y) + λ · mean_out CE(u, p(x_out)),
 *   CE(u, p) = −(1/K) Σ_k log p_k = logsumexp_k f_k − (1/K) Σ_k f_k
 * </pre>
 *
 * What each term rests on: the paper's objective E_in[ℓ(f(x), y)] + λ E_out[L_OE(f(x'))] with, for
 * multiclass classification, L_OE "the cross-entropy from f(x') to the uniform distribution over k
 * classes"; λ = 0.5 for the vision experiments, as in the authors' code ({@code 0.5 *
 * -(x[len(in_set[0]):].mean(1) - torch.logsumexp(x[len(in_set[0]):], dim=1)).mean()}). As in that
 * code, in-distribution and outlier samples go through one forward pass (one set of batch-norm
 * statistics). It differs from {@link CalibratedConfidenceLoss} only by the constant log K in the
 * outlier term (CE(u, p) = KL(u ‖ p) + log K) and its default weight; the gradients are those of
 * the confidence loss with β = λ.
 *
 * <p>Takes no random draws.
 */
public final class OutlierExposure implements TrainingMethod {

    /** The descriptor of {@code outlier-exposure}. */
    public static final MethodDescriptor DESCRIPTOR =
            MethodDescriptor.builder("outlier-exposure")
                    .summary(
                            "cross-entropy plus lambda times CE to the uniform distribution on an"
                                    + " outlier batch")
                    .paper(
                            "Hendrycks, Mazeika, Dietterich, Deep Anomaly Detection with Outlier"
                                    + " Exposure, ICLR 2019")
                    .options(SharedOptions.LAMBDA)
                    .needsOutliers()
                    .factory(
                            values -> {
                                var b = builder();
                                values.ifReal("lambda", b::optLambda);
                                return b.build();
                            })
                    .build();

    private final double lambda;

    private OutlierExposure(Builder b) {
        this.lambda = b.lambda;
    }

    /** A builder with λ = 0.5. */
    public static Builder builder() {
        return new Builder();
    }

    /** The weight λ of the outlier term. */
    public double lambda() {
        return lambda;
    }

    /**
     * The mean cross-entropy from the uniform distribution, −(1/K) Σ_k log p_k per row, averaged.
     *
     * @param logits (M, K)
     * @return a scalar
     */
    static NDArray uniformCrossEntropy(NDArray logits) {
        return logits.logSoftmax(1).mean(new int[] {1}).neg().mean();
    }

    @Override
    public NDArray loss(TrainingStep step) {
        NDArray outliers = step.requireOutliers(name());
        int n = step.batchSize();
        NDArray logits = step.logits(BatchRows.concat(step.x(), outliers));
        NDArray in = logits.get(new NDIndex(":" + n));
        NDArray out = logits.get(new NDIndex(n + ":"));
        step.reportCleanLogits(in);
        NDArray ce = Losses.meanCrossEntropyWithLabels(in, step.labels());
        return ce.add(uniformCrossEntropy(out).mul((float) lambda));
    }

    @Override
    public String name() {
        return "outlier-exposure";
    }

    @Override
    public Map<String, Object> recordedOptions() {
        return Map.of("lambda", lambda);
    }

    @Override
    public String toString() {
        return "OutlierExposure[lambda=" + lambda + "]";
    }

    /** Builds an {@link OutlierExposure}. */
    public static final class Builder {
        private double lambda = 0.5;

        private Builder() {}

        /** The weight λ ≥ 0 of the outlier term (default 0.5, the paper's vision setting). */
        public Builder optLambda(double lambda) {
            this.lambda = lambda;
            return this;
        }

        /**
         * Checks the options and builds the method.
         *
         * @throws IllegalArgumentException if λ is negative or not finite
         */
        public OutlierExposure build() {
            Checks.option(lambda >= 0 && Double.isFinite(lambda), "lambda", ">= 0", lambda);
            return new OutlierExposure(this);
        }
    }
}

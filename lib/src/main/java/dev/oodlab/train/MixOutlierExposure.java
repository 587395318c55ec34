package dev.oodlab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.oodlab.nn.BatchRows;
import dev.oodlab.nn.Losses;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * MixOE of Zhang, Inkawhich, Linderman, Chen, Chen and Li, "Mixture Outlier Exposure: Towards
 * Out-of-Distribution Detection in Fine-grained Environments" (WACV 2023), mixup variant:
 * cross-entropy on the in-distribution batch plus β times a soft cross-entropy on in-distribution
 * samples mixed with outliers, whose target moves from the label towards the uniform distribution u
 * as the outlier's share grows,
 *
 * <pre>
 *   λ ~ Beta(α, α) once per batch;  x̃_i = λ x_i + (1 − λ) o_i
 *   L = mean CE(p(x), y) + β · mean CE(p(x̃), λ e_y + (1 − λ) u)
 * </pre>
 *
 * What each term rests on: the authors' training script {@code train_mixoe.py} with {@code --mix-op
 * mixup} ({@code mixed_x = lam * x + (1 - lam) * oe_x}, {@code soft_labels = lam * one_hot_y + (1 -
 * lam) * oe_y} with {@code oe_y} uniform, {@code loss = id_loss + args.beta * mixed_loss}, one
 * {@code lam = np.random.beta(args.alpha, args.alpha)} per batch) and the defaults of their
 * scripts, {@code --alpha 1.0 --beta 5.0}. As there, the clean batch and the mixed batch are two
 * forward passes ({@code net(x)} and {@code net(mixed_x)}), and sample i is mixed with outlier i of
 * an outlier batch at least as large as the batch (the script asserts equal sizes; extra outliers
 * are left out).
 *
 * <p>Not implemented: the paper's CutMix variant ({@code --mix-op cutmix}, an outlier patch pasted
 * into the in-distribution image, λ the area share left).
 *
 * <p>Draws: {@code beta(α)}.
 */
public final class MixOutlierExposure implements TrainingMethod {

    /** The descriptor of {@code mixoe}. */
    public static final MethodDescriptor DESCRIPTOR =
            MethodDescriptor.builder("mixoe")
                    .summary(
                            "cross-entropy plus beta times soft CE on images mixed with outliers,"
                                    + " target mixed towards uniform")
                    .paper(
                            "Zhang, Inkawhich, Linderman, Chen, Chen, Li, Mixture Outlier Exposure:"
                                    + " Towards Out-of-Distribution Detection in Fine-grained"
                                    + " Environments, WACV 2023 (mixup variant)")
                    .options(SharedOptions.ALPHA, SharedOptions.BETA)
                    .needsOutliers()
                    .factory(
                            values -> {
                                var b = builder();
                                values.ifReal("alpha", b::optAlpha).ifReal("beta", b::optBeta);
                                return b.build();
                            })
                    .build();

    private final double alpha;
    private final double beta;

    private MixOutlierExposure(Builder b) {
        this.alpha = b.alpha;
        this.beta = b.beta;
    }

    /** A builder with α = 1, β = 5. */
    public static Builder builder() {
        return new Builder();
    }

    /** The Beta parameter α. */
    public double alpha() {
        return alpha;
    }

    /** The weight β of the mixed term. */
    public double beta() {
        return beta;
    }

    @Override
    public NDArray loss(TrainingStep step) {
        NDArray outliers = step.requireOutliers(name());
        int n = step.batchSize();
        long m = outliers.getShape().get(0);
        if (m < n) {
            throw new IllegalStateException(
                    "mixoe mixes each sample with its own outlier: "
                            + m
                            + " outliers for a batch of "
                            + n);
        }
        double lambda = step.random().beta(alpha);
        NDArray logits = step.logits(step.x());
        step.reportCleanLogits(logits);
        NDArray ce = Losses.meanCrossEntropyWithLabels(logits, step.labels());
        NDArray o = m == n ? outliers : outliers.get(new NDIndex(":" + n));
        NDArray mixed = BatchRows.mix(step.x(), o, lambda);
        NDArray uniform = Losses.uniform(step.manager(), n, step.numClasses());
        NDArray target = BatchRows.mix(step.oneHotLabels(), uniform, lambda);
        NDArray mixedLoss = Losses.crossEntropy(step.logits(mixed), target).mean();
        return ce.add(mixedLoss.mul((float) beta));
    }

    @Override
    public String name() {
        return "mixoe";
    }

    @Override
    public Map<String, Object> recordedOptions() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("alpha", alpha);
        map.put("beta", beta);
        return map;
    }

    @Override
    public String toString() {
        return "MixOutlierExposure[alpha=" + alpha + ", beta=" + beta + "]";
    }

    /** Builds a {@link MixOutlierExposure}. */
    public static final class Builder {
        private double alpha = 1.0;
        private double beta = 5.0;

        private Builder() {}

        /** The Beta(α, α) parameter, α > 0 (default 1). */
        public Builder optAlpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** The weight β ≥ 0 of the mixed term (default 5). */
        public Builder optBeta(double beta) {
            this.beta = beta;
            return this;
        }

        /**
         * Checks the options and builds the method.
         *
         * @throws IllegalArgumentException naming the first invalid option
         */
        public MixOutlierExposure build() {
            Checks.option(alpha > 0 && Double.isFinite(alpha), "alpha", "> 0", alpha);
            Checks.option(beta >= 0 && Double.isFinite(beta), "beta", ">= 0", beta);
            return new MixOutlierExposure(this);
        }
    }
}

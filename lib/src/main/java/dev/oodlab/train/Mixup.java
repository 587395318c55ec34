package dev.oodlab.train;

import ai.djl.ndarray.NDArray;
import dev.oodlab.nn.BatchRows;
import dev.oodlab.nn.Losses;
import java.util.Map;

/**
 * Mixup (Zhang, Cisse, Dauphin, Lopez-Paz, "mixup: Beyond Empirical Risk Minimization", ICLR 2018):
 * train on convex combinations of pairs of examples and of their labels,
 *
 * <pre>
 *   λ ~ Beta(α, α) once per batch,  π a random permutation of the batch,
 *   x̃ = λ·x + (1 − λ)·x_π,
 *   L = λ·CE(p(x̃), y) + (1 − λ)·CE(p(x̃), y_π) = CE(p(x̃), λ·e_y + (1 − λ)·e_{y_π})
 * </pre>
 *
 * A regulariser that smooths the classifier between training points and often improves calibration;
 * on its own it does little for far-away OOD inputs. α = 1 (λ uniform) by default. Draws: {@code
 * beta(α)}, then {@code permutation(N)}.
 */
public final class Mixup implements TrainingMethod {

    /** The descriptor of {@code mixup}. */
    public static final MethodDescriptor DESCRIPTOR =
            MethodDescriptor.builder("mixup")
                    .summary("cross-entropy on convex combinations of pairs and of their labels")
                    .paper(
                            "Zhang, Cisse, Dauphin, Lopez-Paz, mixup: Beyond Empirical Risk"
                                    + " Minimization, ICLR 2018")
                    .options(SharedOptions.ALPHA)
                    .factory(
                            values -> {
                                var b = builder();
                                values.ifReal("alpha", b::optAlpha);
                                return b.build();
                            })
                    .forwardPasses(3)
                    .build();

    private final double alpha;

    private Mixup(Builder b) {
        this.alpha = b.alpha;
    }

    /** A builder with α = 1. */
    public static Builder builder() {
        return new Builder();
    }

    /** The Beta parameter α. */
    public double alpha() {
        return alpha;
    }

    @Override
    public NDArray loss(TrainingStep step) {
        double lambda = step.random().beta(alpha);
        int[] perm = step.random().permutation(step.batchSize());
        NDArray partner = BatchRows.index(step.manager(), perm);
        NDArray weight = step.manager().create((float) lambda);
        NDArray x = BatchRows.mixRows(step.x(), partner, weight);
        NDArray y = step.labels();
        return Losses.meanMixedCrossEntropy(step.logits(x), y, BatchRows.rows(y, partner), weight);
    }

    @Override
    public String name() {
        return "mixup";
    }

    @Override
    public Map<String, Object> recordedOptions() {
        return Map.of("alpha", alpha);
    }

    @Override
    public String toString() {
        return "Mixup[alpha=" + alpha + "]";
    }

    /** Builds a {@link Mixup}. */
    public static final class Builder {
        private double alpha = 1.0;

        private Builder() {}

        /** The Beta(α, α) parameter, α > 0 (default 1). */
        public Builder optAlpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /**
         * Checks the options and builds the method.
         *
         * @throws IllegalArgumentException if α ≤ 0
         */
        public Mixup build() {
            Checks.option(alpha > 0 && Double.isFinite(alpha), "alpha", "> 0", alpha);
            return new Mixup(this);
        }
    }
}

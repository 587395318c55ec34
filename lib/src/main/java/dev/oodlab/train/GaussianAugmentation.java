package dev.oodlab.train;

import ai.djl.ndarray.NDArray;
import dev.oodlab.nn.Losses;
import java.util.Map;

/**
 * Gaussian data augmentation (Cohen, Rosenfeld, Kolter, "Certified Adversarial Robustness via
 * Randomized Smoothing", ICML 2019): cross-entropy on inputs with Gaussian noise,
 *
 * <pre>
 *   L = mean CE(p(x + δ), y),   δ ~ N(0, σ²I)
 * </pre>
 *
 * The noise is added in [0, 1] pixel space and not clipped, exactly as the smoothed classifier will
 * see it. The baseline for randomized smoothing: train with the σ you will certify with. Draws:
 * {@code normal(shape of x, σ)}.
 */
public final class GaussianAugmentation implements TrainingMethod {

    /** The descriptor of {@code gaussian}. */
    public static final MethodDescriptor DESCRIPTOR =
            MethodDescriptor.builder("gaussian")
                    .summary("cross-entropy on inputs with Gaussian noise")
                    .paper(
                            "Cohen, Rosenfeld, Kolter, Certified Adversarial Robustness via"
                                    + " Randomized Smoothing, ICML 2019")
                    .options(SharedOptions.SIGMA)
                    .factory(
                            values -> {
                                var b = builder();
                                values.ifReal("sigma", b::optSigma);
                                return b.build();
                            })
                    .build();

    private final double sigma;

    private GaussianAugmentation(Builder b) {
        this.sigma = b.sigma;
    }

    /** A builder with σ = 0.25. */
    public static Builder builder() {
        return new Builder();
    }

    /** The noise level σ. */
    public double sigma() {
        return sigma;
    }

    @Override
    public NDArray loss(TrainingStep step) {
        NDArray noise = step.random().normal(step.manager(), step.x().getShape(), sigma);
        return Losses.crossEntropy(step.logits(step.x().add(noise)), step.oneHotLabels()).mean();
    }

    @Override
    public String name() {
        return "gaussian";
    }

    @Override
    public Map<String, Object> recordedOptions() {
        return Map.of("sigma", sigma);
    }

    @Override
    public String toString() {
        return "GaussianAugmentation[sigma=" + sigma + "]";
    }

    /** Builds a {@link GaussianAugmentation}. */
    public static final class Builder {
        private double sigma = 0.25;

        private Builder() {}

        /** The noise standard deviation σ ≥ 0 (default 0.25). */
        public Builder optSigma(double sigma) {
            this.sigma = sigma;
            return this;
        }

        /**
         * Checks the options and builds the method.
         *
         * @throws IllegalArgumentException if σ is negative
         */
        public GaussianAugmentation build() {
            Checks.option(sigma >= 0 && Double.isFinite(sigma), "sigma", ">= 0", sigma);
            return new GaussianAugmentation(this);
        }
    }
}

package dev.oodlab.train;

import ai.djl.ndarray.NDArray;
import dev.oodlab.nn.Losses;
import java.util.Map;

/**
 * Logit normalisation of Wei, Xie, Cheng, Feng, An and Li, "Mitigating Neural Network
 * Overconfidence with Logit Normalization" (ICML 2022): cross-entropy on the logits scaled to a
 * constant norm 1/τ,
 *
 * <pre>
 *   L = mean CE( f / (τ · (‖f‖₂ + 1e−7)), y ),   τ = 0.04
 * </pre>
 *
 * so that training can no longer lower the loss by growing the logits' norm, which the paper names
 * as the source of overconfidence. What it rests on: the paper's loss L_logit_norm = −log
 * (exp(f_y/(τ‖f‖)) / Σ_i exp(f_i/(τ‖f‖))), and the authors' code ({@code norms = torch.norm(x, p=2,
 * dim=-1, keepdim=True) + 1e-7; logit_norm = torch.div(x, norms) / self.t}), whose 1e−7 is added to
 * the norm before the division by τ (SPEC writes τ‖f‖ + 1e−7: the two differ only for logits of
 * norm near 1e−7). τ = 0.04 is SPEC's default (the paper picks τ per data set). The model is
 * trained on the normalised logits but scored on its raw ones: the detectors see f.
 *
 * <p>No outliers, no random draws.
 */
public final class LogitNorm implements TrainingMethod {

    /** The descriptor of {@code logitnorm}. */
    public static final MethodDescriptor DESCRIPTOR =
            MethodDescriptor.builder("logitnorm")
                    .summary("cross-entropy on the logits divided by tau times their L2 norm")
                    .paper(
                            "Wei, Xie, Cheng, Feng, An, Li, Mitigating Neural Network"
                                    + " Overconfidence with Logit Normalization, ICML 2022")
                    .options(
                            MethodOption.real(
                                    "tau",
                                    MethodOption.Range.POSITIVE,
                                    "0.04",
                                    "Temperature of the normalised logits"))
                    .factory(
                            values -> {
                                var b = builder();
                                values.ifReal("tau", b::optTau);
                                return b.build();
                            })
                    .build();

    private static final float EPSILON = 1e-7f;

    private final double tau;

    private LogitNorm(Builder b) {
        this.tau = b.tau;
    }

    /** A builder with τ = 0.04. */
    public static Builder builder() {
        return new Builder();
    }

    /** The temperature τ. */
    public double tau() {
        return tau;
    }

    @Override
    public NDArray loss(TrainingStep step) {
        NDArray logits = step.logits(step.x());
        step.reportCleanLogits(logits);
        NDArray norms = logits.norm(new int[] {1}, true).add(EPSILON);
        NDArray normalised = logits.div(norms).div((float) tau);
        return Losses.meanCrossEntropyWithLabels(normalised, step.labels());
    }

    @Override
    public String name() {
        return "logitnorm";
    }

    @Override
    public Map<String, Object> recordedOptions() {
        return Map.of("tau", tau);
    }

    @Override
    public String toString() {
        return "LogitNorm[tau=" + tau + "]";
    }

    /** Builds a {@link LogitNorm}. */
    public static final class Builder {
        private double tau = 0.04;

        private Builder() {}

        /** The temperature τ > 0 (default 0.04). */
        public Builder optTau(double tau) {
            this.tau = tau;
            return this;
        }

        /**
         * Checks the options and builds the method.
         *
         * @throws IllegalArgumentException if τ is not a positive finite number
         */
        public LogitNorm build() {
            Checks.option(tau > 0 && Double.isFinite(tau), "tau", "> 0", tau);
            return new LogitNorm(this);
        }
    }
}

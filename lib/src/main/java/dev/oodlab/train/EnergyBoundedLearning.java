package dev.oodlab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.oodlab.nn.BatchRows;
import dev.oodlab.nn.Losses;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Energy-bounded learning of Liu, Wang, Owens and Li, "Energy-based Out-of-distribution Detection"
 * (NeurIPS 2020): cross-entropy plus two squared hinge losses on the free energy E(x) =
 * −logsumexp_k f_k(x), which push the energy of in-distribution samples below m_in and that of
 * auxiliary outliers above m_out,
 *
 * <pre>
 *   L = mean_in CE(p(x_in), y)
 *     + λ · ( mean_in max(0, E(x_in) − m_in)² + mean_out max(0, m_out − E(x_out))² )
 * </pre>
 *
 * What each term rests on: the paper's regularisation loss L_energy = E_in[(max(0, E(x_in) −
 * m_in))²] + E_out[(max(0, m_out − E(x_out)))²] added to the cross-entropy with weight λ = 0.1, and
 * the authors' code ({@code 0.1*(torch.pow(F.relu(Ec_in-args.m_in), 2).mean() +
 * torch.pow(F.relu(args.m_out-Ec_out), 2).mean())}, with {@code Ec = -torch.logsumexp(x, dim=1)}).
 * The margins are per data set in the paper; the defaults m_in = −25, m_out = −7 are its CIFAR-10
 * ones (CIFAR-100: −27 and −5); a Fashion-MNIST LeNet has other energies, so set them for the model
 * at hand (an in-distribution energy above m_in pays the first hinge). As in the authors' code,
 * in-distribution and outlier samples go through one forward pass.
 *
 * <p>Takes no random draws.
 */
public final class EnergyBoundedLearning implements TrainingMethod {

    /** The descriptor of {@code energy-bounded}. */
    public static final MethodDescriptor DESCRIPTOR =
            MethodDescriptor.builder("energy-bounded")
                    .summary(
                            "cross-entropy plus squared hinges keeping the energy of the batch"
                                    + " below m-in and of an outlier batch above m-out")
                    .paper(
                            "Liu, Wang, Owens, Li, Energy-based Out-of-distribution Detection,"
                                    + " NeurIPS 2020")
                    .options(
                            SharedOptions.LAMBDA,
                            MethodOption.real(
                                    "m-in",
                                    MethodOption.Range.ANY,
                                    "-25",
                                    "Energy margin of the in-distribution batch, below m-out (the"
                                            + " paper's CIFAR-10 value)"),
                            MethodOption.real(
                                    "m-out",
                                    MethodOption.Range.ANY,
                                    "-7",
                                    "Energy margin of the outlier batch (the paper's CIFAR-10"
                                            + " value)"))
                    .needsOutliers()
                    .factory(
                            values -> {
                                var b = builder();
                                values.ifReal("lambda", b::optLambda)
                                        .ifReal("m-in", b::optMarginIn)
                                        .ifReal("m-out", b::optMarginOut);
                                return b.build();
                            })
                    .build();

    private final double lambda;
    private final double marginIn;
    private final double marginOut;

    private EnergyBoundedLearning(Builder b) {
        this.lambda = b.lambda;
        this.marginIn = b.marginIn;
        this.marginOut = b.marginOut;
    }

    /** A builder with λ = 0.1, m_in = −25, m_out = −7. */
    public static Builder builder() {
        return new Builder();
    }

    /** The weight λ of the energy terms. */
    public double lambda() {
        return lambda;
    }

    /** The in-distribution margin m_in. */
    public double marginIn() {
        return marginIn;
    }

    /** The outlier margin m_out. */
    public double marginOut() {
        return marginOut;
    }

    /**
     * The free energy E = −logsumexp_k f_k per row, computed stably as −(m + log Σ exp(f − m)).
     *
     * @param logits (N, K)
     * @return (N)
     */
    static NDArray energy(NDArray logits) {
        NDArray max = logits.max(new int[] {1}, true);
        return logits.sub(max).exp().sum(new int[] {1}).log().add(max.squeeze(1)).neg();
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
        NDArray inTerm = energy(in).sub((float) marginIn).maximum(0f).square().mean();
        NDArray outTerm = energy(out).neg().add((float) marginOut).maximum(0f).square().mean();
        return ce.add(inTerm.add(outTerm).mul((float) lambda));
    }

    @Override
    public String name() {
        return "energy-bounded";
    }

    @Override
    public Map<String, Object> recordedOptions() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("lambda", lambda);
        map.put("m_in", marginIn);
        map.put("m_out", marginOut);
        return map;
    }

    @Override
    public String toString() {
        return "EnergyBoundedLearning[lambda="
                + lambda
                + ", m_in="
                + marginIn
                + ", m_out="
                + marginOut
                + "]";
    }

    /** Builds an {@link EnergyBoundedLearning}. */
    public static final class Builder {
        private double lambda = 0.1;
        private double marginIn = -25;
        private double marginOut = -7;

        private Builder() {}

        /** The weight λ ≥ 0 of the energy terms (default 0.1). */
        public Builder optLambda(double lambda) {
            this.lambda = lambda;
            return this;
        }

        /** The in-distribution margin m_in (default −25, the paper's CIFAR-10 value). */
        public Builder optMarginIn(double marginIn) {
            this.marginIn = marginIn;
            return this;
        }

        /** The outlier margin m_out (default −7, the paper's CIFAR-10 value). */
        public Builder optMarginOut(double marginOut) {
            this.marginOut = marginOut;
            return this;
        }

        /**
         * Checks the options and builds the method.
         *
         * @throws IllegalArgumentException naming the first invalid option, or if m_in ≥ m_out
         */
        public EnergyBoundedLearning build() {
            Checks.option(lambda >= 0 && Double.isFinite(lambda), "lambda", ">= 0", lambda);
            Checks.option(Double.isFinite(marginIn), "m-in", "a finite number", marginIn);
            Checks.option(Double.isFinite(marginOut), "m-out", "a finite number", marginOut);
            Checks.option(marginIn < marginOut, "m-in", "< m-out (" + marginOut + ")", marginIn);
            return new EnergyBoundedLearning(this);
        }
    }
}

package dev.oodlab.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.oodlab.nn.Network;
import java.util.Locale;

/**
 * ASH, activation shaping (Djurisic, Bozanic, Ashok, Liu, "Extremely Simple Activation Shaping for
 * Out-of-Distribution Detection", ICLR 2023): per input, keep the largest (100 − p) % of the
 * penultimate features h ∈ ℝ^D, zero the rest, reshape what is kept, and score the energy of the
 * logits of the shaped features. With k = D − round(D·p/100) kept values (round half to even, as
 * the authors' {@code np.round}), s₁ = Σ_j h_j and s₂ = the sum of the kept values:
 *
 * <pre>
 *   ASH-P (prune):     kept values unchanged
 *   ASH-B (binarize):  every kept value replaced by s₁ / k
 *   ASH-S (scale):     kept values multiplied by exp(s₁ / s₂)
 *   score(x) = logsumexp_k (W · ash(h(x)) + b)_k
 * </pre>
 *
 * <p>No statistics from training data: the shaping is per sample. p = 90 by default (the paper's
 * running example, and OpenOOD's setting; the paper tunes p per benchmark). Which of equal values
 * at the top-k boundary is kept follows libtorch's top-k, as in the authors' code. If s₂ = 0 (no
 * positive feature, so for ReLU features h = 0) ASH-S leaves h unchanged instead of dividing by
 * zero. Needs the features.
 */
public final class Ash implements OodScorer {

    /** What happens to the kept activations. */
    public enum Variant {
        /** ASH-P: kept as they are. */
        PRUNE("ash-p"),
        /** ASH-B: all set to s₁ / k. */
        BINARIZE("ash-b"),
        /** ASH-S: multiplied by exp(s₁ / s₂). */
        SCALE("ash-s");

        private final String cliName;

        Variant(String cliName) {
            this.cliName = cliName;
        }

        /** The detector name on the command line, e.g. {@code ash-p}. */
        public String cliName() {
            return cliName;
        }
    }

    private final Variant variant;
    private final double percentile;

    /** The variant with p = 90. */
    public Ash(Variant variant) {
        this(variant, 90);
    }

    /**
     * The variant with pruning percentile p.
     *
     * @param variant P, B or S
     * @param percentile p in [0, 100): the share of features zeroed, in percent
     */
    public Ash(Variant variant, double percentile) {
        if (!(percentile >= 0 && percentile < 100)) {
            throw new IllegalArgumentException(
                    variant.cliName + " percentile must be in [0, 100), got " + percentile);
        }
        this.variant = variant;
        this.percentile = percentile;
    }

    /** k = D − round(D·p/100), rounding half to even; at least 1. */
    static int keptCount(long dimension, double percentile, String detector) {
        int k = (int) (dimension - Math.rint(dimension * percentile / 100.0));
        if (k < 1) {
            throw new IllegalArgumentException(
                    detector
                            + " with percentile "
                            + percentile
                            + " keeps none of the "
                            + dimension
                            + " features: choose a smaller percentile");
        }
        return k;
    }

    @Override
    public NDArray score(Network network, NDArray x) {
        FittingData.requireFeatures(network, variant.cliName);
        NDArray h = network.features(x, false);
        int k = keptCount(h.getShape().get(1), percentile, variant.cliName);
        NDList top = h.topK(k, 1, true, false);
        NDArray values = top.get(0);
        NDArray indices = top.get(1);
        NDArray shaped;
        switch (variant) {
            case PRUNE -> shaped = h.zerosLike().scatter(indices, values, 1);
            case BINARIZE -> {
                NDArray fill = h.sum(new int[] {1}, true).div(k).broadcast(values.getShape());
                shaped = h.zerosLike().scatter(indices, fill, 1);
            }
            default -> {
                NDArray pruned = h.zerosLike().scatter(indices, values, 1);
                shaped = pruned.mul(sharpening(h, values));
            }
        }
        return Energy.logSumExp(network.head(shaped, false));
    }

    /** exp(s₁ / s₂) per row, (N, 1), with s₂ the sum of the kept values; 1 where s₂ = 0. */
    static NDArray sharpening(NDArray h, NDArray kept) {
        NDArray s1 = h.sum(new int[] {1}, true);
        NDArray s2 = kept.sum(new int[] {1}, true);
        NDArray zero = s2.eq(0);
        NDArray one = s2.onesLike();
        return NDArrays.where(zero, one, s1.div(NDArrays.where(zero, one, s2)).exp());
    }

    @Override
    public String name() {
        String base = variant.cliName.toUpperCase(Locale.ROOT);
        return percentile == 90 ? base : base + "(p=" + percentile + ")";
    }

    @Override
    public String toString() {
        return name();
    }
}

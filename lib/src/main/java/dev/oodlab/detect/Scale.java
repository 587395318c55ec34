package dev.oodlab.detect;

import ai.djl.ndarray.NDArray;
import dev.oodlab.nn.Network;

/**
 * SCALE (Xu, Lian, Wang, Liu, "Scaling for Training Time and Post-hoc Out-of-distribution Detection
 * Enhancement", ICLR 2024): ASH-S without the pruning. Every penultimate feature is multiplied by
 * the sharpening factor of {@link Ash} ASH-S, and the energy of the logits scores the input,
 *
 * <pre>
 *   k = D − round(D·p/100),  s₁ = Σ_j h_j,  s₂ = sum of the k largest h_j
 *   score(x) = logsumexp_k (W · (h(x) · exp(s₁ / s₂)) + b)_k              p = 85
 * </pre>
 *
 * <p>The paper's argument: ASH's gain comes from the scaling, while pruning costs in-distribution
 * accuracy; scaling alone keeps the prediction and separates ID from OOD at least as well. p = 85
 * is OpenOOD's setting for the paper's method. If s₂ = 0 the features are left unchanged. Needs the
 * features; no statistics from training data.
 */
public final class Scale implements OodScorer {

    private final double percentile;

    /** SCALE with p = 85. */
    public Scale() {
        this(85);
    }

    /**
     * SCALE with percentile p.
     *
     * @param percentile p in [0, 100)
     */
    public Scale(double percentile) {
        if (!(percentile >= 0 && percentile < 100)) {
            throw new IllegalArgumentException(
                    "scale percentile must be in [0, 100), got " + percentile);
        }
        this.percentile = percentile;
    }

    @Override
    public NDArray score(Network network, NDArray x) {
        FittingData.requireFeatures(network, "scale");
        NDArray h = network.features(x, false);
        int k = Ash.keptCount(h.getShape().get(1), percentile, "scale");
        NDArray kept = h.topK(k, 1, true, false).get(0);
        return Energy.logSumExp(network.head(h.mul(Ash.sharpening(h, kept)), false));
    }

    @Override
    public String name() {
        return percentile == 85 ? "SCALE" : "SCALE(p=" + percentile + ")";
    }

    @Override
    public String toString() {
        return name();
    }
}

package dev.oodlab.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.oodlab.nn.Network;

/**
 * GEN, the generalized entropy score (Liu, Lochman, Zach, "GEN: Pushing the Limits of Softmax-Based
 * Out-of-Distribution Detection", CVPR 2023): with p = softmax(f(x)) and its M largest
 * probabilities p_(1) ≥ … ≥ p_(M),
 *
 * <pre>
 *   score(x) = −Σ_{j ≤ M} p_(j)^γ (1 − p_(j))^γ          γ = 0.1, M = min(100, K)
 * </pre>
 *
 * <p>A Tsallis-like entropy that is small for a peaked softmax; γ &lt; 1 makes it sensitive to
 * small differences near p = 1. Restricting it to the top M probabilities drops the long tail of a
 * many-class problem. Needs nothing but the logits.
 */
public final class GeneralizedEntropy implements OodScorer {

    private final double gamma;
    private final int topClasses;

    /** GEN with the paper's defaults γ = 0.1 and M = min(100, K). */
    public GeneralizedEntropy() {
        this(0.1, 100);
    }

    /**
     * GEN with chosen options.
     *
     * @param gamma γ in (0, 1]
     * @param topClasses M ≥ 1; min(M, K) probabilities enter the sum
     */
    public GeneralizedEntropy(double gamma, int topClasses) {
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be in (0, 1], got " + gamma);
        }
        if (topClasses < 1) {
            throw new IllegalArgumentException("topClasses must be >= 1, got " + topClasses);
        }
        this.gamma = gamma;
        this.topClasses = topClasses;
    }

    @Override
    public NDArray score(Network network, NDArray x) {
        NDArray f = network.logits(x, false).toType(DataType.FLOAT64, false);
        NDArray p = f.softmax(1);
        int m = (int) Math.min(topClasses, f.getShape().get(1));
        if (m < f.getShape().get(1)) {
            p = p.topK(m, 1, true, false).get(0);
        }
        NDArray terms = p.pow(gamma).mul(p.neg().add(1).pow(gamma));
        return terms.sum(new int[] {1}).neg().toType(DataType.FLOAT32, false);
    }

    @Override
    public String name() {
        return gamma == 0.1 && topClasses == 100
                ? "GEN"
                : "GEN(gamma=" + gamma + ", M=" + topClasses + ")";
    }

    @Override
    public String toString() {
        return name();
    }
}

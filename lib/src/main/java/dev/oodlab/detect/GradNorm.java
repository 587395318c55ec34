package dev.oodlab.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.oodlab.nn.Network;

/**
 * GradNorm (Huang, Geng, Li, "On the Importance of Gradients for Detecting Distributional Shifts in
 * the Wild", NeurIPS 2021): the L1 norm of the gradient, with respect to the last layer's weights
 * W, of the KL divergence between the uniform distribution u and the softmax,
 *
 * <pre>
 *   score(x) = ‖∂ KL(u ‖ softmax(W h + b)) / ∂W‖₁
 *            = ‖softmax(f) − u‖₁ · ‖h‖₁                               (closed form, below)
 * </pre>
 *
 * <p>Derivation: KL(u ‖ p) = −log K − (1/K) Σ_k log p_k, whose derivative with respect to the logit
 * f_j is p_j − 1/K. Since f = W h + b, ∂/∂W_jd = (p_j − u_j) h_d, a rank-one matrix, and the L1
 * norm of an outer product is the product of the L1 norms. So no backward pass is needed. The
 * authors' code sums the cross-entropy to all-ones targets instead of the KL to u, which multiplies
 * the score by K and changes no ranking. Needs the features and a linear last layer (temperature T
 * = 1 as in the paper).
 */
public final class GradNorm implements OodScorer {

    /** The detector (it has no options). */
    public GradNorm() {}

    @Override
    public NDArray score(Network network, NDArray x) {
        LastLayer.check(network, "gradnorm"); // the closed form holds for f = W h + b only
        NDArray h = network.features(x, false);
        NDArray f = network.head(h, false).toType(DataType.FLOAT64, false);
        long k = f.getShape().get(1);
        NDArray deviation = f.softmax(1).sub(1.0 / k).abs().sum(new int[] {1});
        NDArray featureNorm = h.toType(DataType.FLOAT64, false).abs().sum(new int[] {1});
        return deviation.mul(featureNorm).toType(DataType.FLOAT32, false);
    }

    @Override
    public String name() {
        return "GradNorm";
    }

    @Override
    public String toString() {
        return name();
    }
}

package dev.oodlab.gan;

import ai.djl.ndarray.NDArray;
import dev.oodlab.nn.Losses;

/**
 * The losses of the joint confidence loss's three steps (Lee, Lee, Lee &amp; Shin, ICLR 2018), on
 * logits. The discriminator outputs one logit d per input, D = σ(d), so the binary cross-entropy is
 * computed stably as a softplus:
 *
 * <pre>
 *   BCE(σ(d), 1) = softplus(−d) = log(1 + e^{−d}),   BCE(σ(d), 0) = softplus(d)
 *   discriminator:  mean BCE(D(x_in), 1) + mean BCE(D(G(z)), 0)
 *   generator:      mean BCE(D(G(z)), 1) + β · mean KL(u ‖ p(G(z)))
 *   classifier:     mean CE(p(x_in), y) + β · mean KL(u ‖ p(G(z′)))
 * </pre>
 */
public final class GanLosses {

    private GanLosses() {}

    /**
     * softplus(x) = log(1 + eˣ), element-wise, computed as max(x, 0) + log(1 + e^{−|x|}) so that
     * large |x| neither overflows nor loses precision.
     *
     * @param x any array
     * @return softplus of each element
     */
    public static NDArray softplus(NDArray x) {
        return x.maximum(0f).add(x.abs().neg().exp().add(1f).log());
    }

    /**
     * The discriminator's loss: mean BCE(D(x_in), 1) + mean BCE(D(G(z)), 0).
     *
     * @param realLogits d on in-distribution inputs, (N, 1) or (N)
     * @param fakeLogits d on generated inputs, (M, 1) or (M)
     * @return the scalar loss
     */
    public static NDArray discriminatorLoss(NDArray realLogits, NDArray fakeLogits) {
        return softplus(realLogits.neg()).mean().add(softplus(fakeLogits).mean());
    }

    /**
     * The generator's loss: mean BCE(D(G(z)), 1) + β · mean KL(u ‖ p(G(z))). The first term makes
     * the samples look like data, the second pushes them where the classifier is uncertain.
     *
     * @param fakeLogits d on the generated inputs, (M, 1) or (M)
     * @param classifierLogits the classifier's logits on the same inputs, (M, K)
     * @param beta the weight β of the KL term
     * @return the scalar loss
     */
    public static NDArray generatorLoss(NDArray fakeLogits, NDArray classifierLogits, double beta) {
        NDArray adversarial = softplus(fakeLogits.neg()).mean();
        return adversarial.add(Losses.klFromUniform(classifierLogits).mean().mul((float) beta));
    }

    /**
     * The classifier's loss: mean CE(p(x_in), y) + β · mean KL(u ‖ p(G(z′))).
     *
     * @param inLogits logits of the in-distribution batch, (N, K)
     * @param labels its labels, (N)
     * @param fakeLogits logits of the generated batch, (M, K)
     * @param beta the weight β of the KL term
     * @return the scalar loss
     */
    public static NDArray classifierLoss(
            NDArray inLogits, NDArray labels, NDArray fakeLogits, double beta) {
        NDArray ce = Losses.meanCrossEntropyWithLabels(inLogits, labels);
        return ce.add(Losses.klFromUniform(fakeLogits).mean().mul((float) beta));
    }
}

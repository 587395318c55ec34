package dev.oodlab.detect;

import ai.djl.ndarray.NDArray;
import dev.oodlab.nn.Network;

/**
 * The (negative free) energy score (Liu, Wang, Owens, Li, "Energy-based Out-of-distribution
 * Detection", NeurIPS 2020): score = T·logsumexp_k(f_k(x)/T), T = 1 by default.
 *
 * <p>Unlike the maximum softmax it keeps the logits' scale, which separates in- from
 * out-of-distribution inputs better at no extra cost.
 */
public final class Energy implements OodScorer {

    private final double temperature;

    /** The energy score with temperature T = 1. */
    public Energy() {
        this(1.0);
    }

    /**
     * The energy score with temperature T.
     *
     * @param temperature T > 0
     */
    public Energy(double temperature) {
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        this.temperature = temperature;
    }

    @Override
    public NDArray score(Network network, NDArray x) {
        return logSumExp(network.logits(x, false).div((float) temperature))
                .mul((float) temperature);
    }

    /** logsumexp over axis 1, computed stably as m + log Σ exp(z − m). */
    static NDArray logSumExp(NDArray z) {
        NDArray max = z.max(new int[] {1}, true);
        return z.sub(max).exp().sum(new int[] {1}).log().add(max.squeeze(1));
    }

    @Override
    public String name() {
        return temperature == 1.0 ? "Energy" : "Energy(T=" + temperature + ")";
    }

    @Override
    public String toString() {
        return name();
    }
}

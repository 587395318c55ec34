package dev.oodlab.detect;

import ai.djl.ndarray.NDArray;
import dev.oodlab.nn.Network;

/**
 * The maximum logit (Hendrycks, Basart, Mazeika, Zou, Kwon, Mostajabi, Steinhardt, Song, "Scaling
 * Out-of-Distribution Detection for Real-World Settings", ICML 2022): score = max_k f_k(x).
 *
 * <p>The maximum softmax without the normalisation, which hides how large the winning logit is; the
 * paper proposes it for problems with many classes. Needs nothing but the logits.
 */
public final class MaxLogit implements OodScorer {

    /** The detector (it has no options). */
    public MaxLogit() {}

    @Override
    public NDArray score(Network network, NDArray x) {
        return network.logits(x, false).max(new int[] {1});
    }

    @Override
    public String name() {
        return "MaxLogit";
    }

    @Override
    public String toString() {
        return name();
    }
}

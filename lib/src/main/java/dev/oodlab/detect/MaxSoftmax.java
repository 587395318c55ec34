package dev.oodlab.detect;

import ai.djl.ndarray.NDArray;
import dev.oodlab.nn.Network;

/**
 * Maximum softmax probability (Hendrycks and Gimpel, "A Baseline for Detecting Misclassified and
 * Out-of-Distribution Examples in Neural Networks", ICLR 2017): score = max_k softmax(f(x))_k.
 *
 * <p>The baseline every detector is compared with; needs nothing but the trained classifier.
 */
public final class MaxSoftmax implements OodScorer {

    /** The detector (it has no options). */
    public MaxSoftmax() {}

    @Override
    public NDArray score(Network network, NDArray x) {
        return network.logits(x, false).softmax(1).max(new int[] {1});
    }

    @Override
    public String name() {
        return "MSP";
    }

    @Override
    public String toString() {
        return name();
    }
}

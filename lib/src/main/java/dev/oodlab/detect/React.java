package dev.oodlab.detect;

import ai.djl.ndarray.NDArray;
import dev.oodlab.data.ImageSet;
import dev.oodlab.nn.Network;

/**
 * ReAct, rectified activations (Sun, Guo, Li, "ReAct: Out-of-distribution Detection With Rectified
 * Activations", NeurIPS 2021): clip the penultimate features at a threshold c taken from the
 * training set, then score the energy of the resulting logits,
 *
 * <pre>
 *   c = the p-th percentile of all training activations h_ij          (p = 90)
 *   score(x) = logsumexp_k (W · min(h(x), c) + b)_k
 * </pre>
 *
 * <p>OOD inputs tend to drive a few units to abnormally large values, which inflate the logits;
 * clipping removes that and leaves in-distribution activations (mostly below c) unchanged. The
 * percentile is numpy's linear interpolation, as in the authors' code. Needs the features.
 */
public final class React implements OodScorer {

    private final double percentile;
    private final float threshold;

    private React(double percentile, float threshold) {
        this.percentile = percentile;
        this.threshold = threshold;
    }

    /** Fits the threshold at the paper's 90th percentile. */
    public static React fit(Network network, ImageSet train, int batchSize) {
        return fit(network, train, batchSize, 90);
    }

    /**
     * Fits the clipping threshold.
     *
     * @param network a network with penultimate features
     * @param train the training images
     * @param batchSize images per forward pass
     * @param percentile p in [0, 100]
     * @return the fitted detector
     */
    public static React fit(Network network, ImageSet train, int batchSize, double percentile) {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException(
                    "react percentile must be in [0, 100], got " + percentile);
        }
        FittingData data = FittingData.of(network, train, batchSize, "react");
        return new React(percentile, (float) Percentile.of(data.features, percentile));
    }

    /** The clipping threshold c. */
    public double threshold() {
        return threshold;
    }

    @Override
    public NDArray score(Network network, NDArray x) {
        NDArray h = network.features(x, false).minimum(threshold);
        return Energy.logSumExp(network.head(h, false));
    }

    @Override
    public String name() {
        return percentile == 90 ? "ReAct" : "ReAct(p=" + percentile + ")";
    }

    @Override
    public String toString() {
        return name() + "[c=" + threshold + "]";
    }
}

package dev.oodlab.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.oodlab.OodLab;
import dev.oodlab.data.ImageSet;
import dev.oodlab.nn.Network;
import java.nio.FloatBuffer;

/**
 * An out-of-distribution score: a trained model and a batch of inputs in, one number per input out.
 * <b>Higher means more in-distribution</b> — the convention of {@code dev.oodlab.metrics}, where
 * in-distribution is the positive class.
 *
 * <p>Implement {@link #score(Network, NDArray)}; {@link #scores(Network, ImageSet, int)} runs it
 * over a whole set in batches, freeing each batch's arrays.
 */
public interface OodScorer {

    /**
     * Scores one batch.
     *
     * @param network the trained model
     * @param x inputs (N, …)
     * @return (N) scores in x's manager, higher = more in-distribution
     */
    NDArray score(Network network, NDArray x);

    /**
     * A short name for tables and charts, e.g. {@code "MSP"} or {@code "ODIN(T=1000, ε=0.0014)"}.
     */
    String name();

    /**
     * Scores one batch and copies the scores out.
     *
     * @param network the trained model
     * @param x inputs (N, …)
     * @return N scores
     */
    default double[] scores(Network network, NDArray x) {
        try (NDManager sub = x.getManager().newSubManager()) {
            NDArray input = x.duplicate();
            input.attach(sub);
            float[] values = score(network, input).toFloatArray();
            double[] out = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = values[i];
            }
            return out;
        }
    }

    /**
     * Scores every image of a set, batch after batch.
     *
     * @param network the trained model
     * @param set the images
     * @param batchSize images per batch
     * @return one score per image, in the set's order
     */
    default double[] scores(Network network, ImageSet set, int batchSize) {
        OodLab.init();
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
        }
        int n = set.size();
        int size = set.imageSize();
        double[] out = new double[n];
        for (int start = 0; start < n; start += batchSize) {
            int count = Math.min(batchSize, n - start);
            try (NDManager batch = network.manager().newSubManager()) {
                NDArray x =
                        batch.create(
                                FloatBuffer.wrap(set.pixels(), start * size, count * size),
                                new Shape(count).addAll(network.inputShape()));
                float[] values = score(network, x).toFloatArray();
                for (int i = 0; i < count; i++) {
                    out[start + i] = values[i];
                }
            }
        }
        return out;
    }
}

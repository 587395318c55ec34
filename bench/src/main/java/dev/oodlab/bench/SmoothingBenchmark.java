package dev.oodlab.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.oodlab.OodLab;
import dev.oodlab.smoothing.BaseClassifier;
import dev.oodlab.smoothing.SmoothedClassifier;
import java.util.Objects;

/**
 * How fast certification runs: noisy copies classified per second by {@link SmoothedClassifier}
 * (noise drawn in libtorch into a reused buffer, forward, predictions counted there) against plain
 * batched forward passes of the same base classifier over a batch already on the device (forward
 * and argmax read back only). The ratio is the cost of smoothing's sampling on top of inference;
 * certifying one point with n = 100000 takes about n / {@code noisyPerSecond} seconds.
 */
public final class SmoothingBenchmark {

    private SmoothingBenchmark() {}

    /**
     * Throughput of the two loops, in images per second.
     *
     * @param noisyPerSecond noisy copies classified per second by the smoothing loop
     * @param plainPerSecond images classified per second by plain batched forward passes
     * @param batchSize images per forward pass in both loops
     * @param batches timed forward passes in each loop
     */
    public record Throughput(
            double noisyPerSecond, double plainPerSecond, int batchSize, int batches) {

        /** Plain throughput over noisy throughput: how much slower sampling is (≥ 1 expected). */
        public double slowdown() {
            return plainPerSecond / noisyPerSecond;
        }
    }

    /**
     * Measures both loops after one untimed warm-up pass of each.
     *
     * @param base the base classifier
     * @param imageShape one image's shape (C, H, W)
     * @param numClasses the width of the base classifier's output
     * @param batchSize images per forward pass, ≥ 1
     * @param batches timed forward passes per loop, ≥ 1
     * @param manager the manager (and device) to run on; left as it was
     * @return both throughputs
     */
    public static Throughput measure(
            BaseClassifier base,
            Shape imageShape,
            int numClasses,
            int batchSize,
            int batches,
            NDManager manager) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(manager, "manager");
        if (imageShape.dimension() != 3) {
            throw new IllegalArgumentException("imageShape must be (C, H, W), got " + imageShape);
        }
        if (batches <= 0) {
            throw new IllegalArgumentException("batches must be positive, got " + batches);
        }
        OodLab.init();
        SmoothedClassifier smoothed =
                new SmoothedClassifier(base, 0.25, numClasses, OodLab.DEFAULT_SEED, batchSize);
        try (NDManager scope = manager.newSubManager()) {
            NDArray image = scope.zeros(imageShape, DataType.FLOAT32).add(0.5f);
            NDArray batch = scope.randomUniform(0, 1, new Shape(batchSize).addAll(imageShape));

            plainPass(base, batch);
            long start = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                plainPass(base, batch);
            }
            double plainSeconds = (System.nanoTime() - start) / 1e9;

            smoothed.classCounts(image, batchSize);
            start = System.nanoTime();
            smoothed.classCounts(image, batchSize * batches);
            double noisySeconds = (System.nanoTime() - start) / 1e9;

            double images = (double) batchSize * batches;
            return new Throughput(images / noisySeconds, images / plainSeconds, batchSize, batches);
        }
    }

    /** One forward pass and argmax read-back; its outputs are freed with a scope of their own. */
    private static void plainPass(BaseClassifier base, NDArray batch) {
        try (NDManager pass = batch.getManager().newSubManager()) {
            batch.tempAttach(pass);
            base.logits(batch).argMax(1).toLongArray();
        }
    }
}

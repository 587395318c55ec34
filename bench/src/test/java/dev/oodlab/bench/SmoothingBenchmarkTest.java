package dev.oodlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.oodlab.smoothing.BaseClassifier;
import org.junit.jupiter.api.Test;

/** {@link SmoothingBenchmark}: both loops run and report finite throughputs. */
class SmoothingBenchmarkTest {

    /** Always class 2 of 3: logits (0, 0, 1) for every image of the batch. */
    private static final BaseClassifier ALWAYS_TWO =
            images -> {
                long b = images.getShape().get(0);
                return images.getManager()
                        .zeros(new Shape(b, 3))
                        .add(images.getManager().create(new float[] {0, 0, 1}));
            };

    @Test
    void benchmarkReportsBothThroughputs() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SmoothingBenchmark.Throughput t =
                    SmoothingBenchmark.measure(ALWAYS_TWO, new Shape(1, 2, 2), 3, 32, 2, manager);
            assertTrue(t.noisyPerSecond() > 0 && Double.isFinite(t.noisyPerSecond()), "" + t);
            assertTrue(t.plainPerSecond() > 0 && Double.isFinite(t.plainPerSecond()), "" + t);
            assertEquals(32, t.batchSize());
            assertEquals(2, t.batches());
            assertEquals(t.plainPerSecond() / t.noisyPerSecond(), t.slowdown(), 1e-12);
        }
    }

    @Test
    void aNonImageShapeIsRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> SmoothingBenchmark.measure(ALWAYS_TWO, new Shape(4), 3, 32, 2, manager));
        }
    }
}

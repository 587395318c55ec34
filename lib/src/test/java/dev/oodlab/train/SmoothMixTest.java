package dev.oodlab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.oodlab.nn.GradientScope;
import dev.oodlab.nn.Network;
import org.junit.jupiter.api.Test;

/**
 * SmoothMix's readings of the authors' code beyond the PyTorch loss of {@link
 * TrainingMethodLossTest}: the projection of the one-step adversary, T = 1, and the chunks.
 */
class SmoothMixTest {

    @Test
    void projectionShortensOffsetsLongerThanTheRadiusAndKeepsTheOthers() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.2f, 0.2f, 0.2f, 0.2f});
            x = x.reshape(2, 1, 2, 2);
            // sample 0: offset (0.3, 0.4, 0, 0), length 0.5 > 0.25: scaled by 0.25 / (0.5 + 1e-7);
            // sample 1: offset (0.1, 0, 0, 0), length 0.1 <= 0.25: kept.
            NDArray z = m.create(new float[] {0.8f, 0.9f, 0.5f, 0.5f, 0.3f, 0.2f, 0.2f, 0.2f});
            z = z.reshape(2, 1, 2, 2);
            float[] projected = SmoothMix.projectToBall(z, x, 0.25).toFloatArray();
            double scale = 0.25 / (0.5 + 1e-7);
            float[] expected = {
                (float) (0.5 + 0.3 * scale),
                (float) (0.5 + 0.4 * scale),
                0.5f,
                0.5f,
                0.3f,
                0.2f,
                0.2f,
                0.2f
            };
            assertArrayEquals(expected, projected, 1e-6f);
        }
    }

    @Test
    void projectionClipsToTheUnitRangeAfterwards() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {0.95f, 0.5f}).reshape(1, 1, 1, 2);
            NDArray z = m.create(new float[] {1.25f, 0.5f}).reshape(1, 1, 1, 2);
            // offset 0.3 > 0.2: 0.95 + 0.3 * 0.2 / (0.3 + 1e-7) = 1.15, clipped to 1
            assertArrayEquals(
                    new float[] {1f, 0.5f},
                    SmoothMix.projectToBall(z, x, 0.2).toFloatArray(),
                    1e-6f);
        }
    }

    @Test
    void oneStepAdversaryWithASingleStepMixesFromTheCleanInput() {
        // The code keeps the iterate reached at the start of the second step: with T = 1 there is
        // none, and x₁ = x. With T = 2 the one-step adversary changes the loss.
        SmoothMix.Builder b =
                SmoothMix.builder().optSigma(0.25).optNoiseSamples(2).optStepSize(0.5);
        assertEquals(
                loss(b.optSteps(1).optOneStepAdversary(false).build()),
                loss(b.optSteps(1).optOneStepAdversary(true).build()),
                0.0);
        assertNotEquals(
                loss(b.optSteps(2).optOneStepAdversary(false).build()),
                loss(b.optSteps(2).optOneStepAdversary(true).build()));
    }

    @Test
    void batchesAreSplitIntoOneChunkPerNoiseDrawByDefault() {
        assertEquals(4, SmoothMix.builder().build().chunksPerBatch());
        assertEquals(3, SmoothMix.builder().optNoiseSamples(3).build().chunksPerBatch());
        assertEquals(
                1,
                SmoothMix.builder()
                        .optNoiseSamples(3)
                        .optChunkedBatches(false)
                        .build()
                        .chunksPerBatch());
        assertEquals(1, new CrossEntropy().chunksPerBatch());
    }

    /** The loss of one step of a fixed batch, with the same draws every time. */
    private static double loss(SmoothMix method) {
        try (Network net = Network.create("mlp", new Shape(1, 4, 4), 3, 7);
                NDManager m = net.manager().newSubManager()) {
            // grey levels in [0.2, 0.8] from a fixed pattern
            float[] pixels = new float[4 * 16];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = 0.2f + 0.6f * (float) ((Math.sin(1.0 + 3 * i) + 1) / 2);
            }
            NDArray x = m.create(pixels).reshape(4, 1, 4, 4);
            NDArray y = m.create(new float[] {0, 1, 2, 1});
            TrainingStep step = new TrainingStep(net, x, y, null, 2, RandomSource.seeded(5));
            try (GradientScope scope = GradientScope.open()) {
                return method.loss(step).getFloat();
            }
        }
    }
}

package dev.oodlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.jni.JniUtils;
import dev.oodlab.OodLab;
import org.junit.jupiter.api.Test;

class MaxPool2x2Test {

    @Test
    void aHandComputedWindowOutsideTraining() {
        OodLab.init();
        try (NDManager m = NDManager.newBaseManager()) {
            // one 1×4×5 image: windows {1,5,2,0}, {-3,7,4,4}; the fifth column is dropped
            NDArray x =
                    m.create(
                            new float[] {
                                1, 5, -3, 7, 100, 2, 0, 4, 4, 100, -1, -2, -8, -9, 100, -4, -3, -6,
                                -5, 100
                            },
                            new Shape(1, 1, 4, 5));
            assertTrue(!JniUtils.isGradMode());
            NDArray y = MaxPool2x2.pool(x);
            assertEquals(new Shape(1, 1, 2, 2), y.getShape());
            assertArrayEquals(new float[] {5, 7, -1, -5}, y.toFloatArray());
        }
    }

    @Test
    void equalsLibtorchsMaxPoolBitForBitOnChannelsLastAndPlainBatches() {
        OodLab.init();
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(3);
            NDArray plain = m.randomNormal(new Shape(7, 20, 24, 24));
            NDArray odd = m.randomNormal(new Shape(3, 6, 9, 11));
            // channels-last memory, as the LeNets run: (N, H, W, C) transposed to (N, C, H, W)
            NDArray channelsLast = m.randomNormal(new Shape(5, 8, 8, 50)).transpose(0, 3, 1, 2);
            for (NDArray x : new NDArray[] {plain, odd, channelsLast}) {
                NDArray expected =
                        Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
                NDArray actual = MaxPool2x2.pool(x);
                assertEquals(expected.getShape(), actual.getShape());
                assertArrayEquals(expected.toFloatArray(), actual.toFloatArray());
            }
        }
    }

    @Test
    void whileRecordingItIsMaxPoolWithItsGradient() {
        OodLab.init();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 5, 2, 0}, new Shape(1, 1, 2, 2));
            x.setRequiresGradient(true);
            try (GradientScope scope = GradientScope.open()) {
                NDArray y = MaxPool2x2.pool(x);
                scope.backward(y.sum());
            }
            // the gradient goes to the one maximum
            assertArrayEquals(new float[] {0, 1, 0, 0}, x.getGradient().toFloatArray());
        }
    }
}

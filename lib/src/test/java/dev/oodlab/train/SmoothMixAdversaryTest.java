package dev.oodlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.oodlab.nn.Network;
import org.junit.jupiter.api.Test;

/** {@link SmoothMix#adversarialExample}: the attack the loss uses, on its own. */
class SmoothMixAdversaryTest {

    @Test
    void oneStepMovesEachInputByTheStepSizeAndLowersTheTrueClass() {
        SmoothMix method = SmoothMix.builder().optSigma(0.25).optSteps(1).optStepSize(0.1).build();
        try (Network net = Network.create("mlp", new Shape(1, 4, 4), 3, 7);
                NDManager m = net.manager().newSubManager()) {
            // mid-grey inputs: a step of L2 length 0.1 cannot reach 0 or 1, so nothing is clipped
            NDArray x = m.full(new Shape(2, 1, 4, 4), 0.5f);
            NDArray labels = m.create(new float[] {0, 2});
            NDArray noise = RandomSource.seeded(3).normal(m, new Shape(4, 2, 1, 4, 4), 0.25);
            NDArray adv = method.adversarialExample(net, x, labels, noise);
            assertEquals(x.getShape(), adv.getShape());
            float[] distance = adv.sub(x).reshape(2, 16).norm(new int[] {1}).toFloatArray();
            assertEquals(0.1f, distance[0], 1e-5f);
            assertEquals(0.1f, distance[1], 1e-5f);
            NDArray onehot = labels.toType(ai.djl.ndarray.types.DataType.INT64, false).oneHot(3);
            float[] before = trueClass(net, x, noise, onehot);
            float[] after = trueClass(net, adv, noise, onehot);
            for (int b = 0; b < 2; b++) {
                assertTrue(
                        after[b] < before[b], "sample " + b + ": " + before[b] + " -> " + after[b]);
            }
        }
    }

    private static float[] trueClass(Network net, NDArray z, NDArray noise, NDArray onehot) {
        return SmoothMix.smoothedProbabilities(net, z, noise, false)
                .mul(onehot.toType(ai.djl.ndarray.types.DataType.FLOAT32, false))
                .sum(new int[] {1})
                .toFloatArray();
    }
}

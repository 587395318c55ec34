package dev.oodlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.types.Shape;
import dev.oodlab.nn.Network;
import org.junit.jupiter.api.Test;

/** FLOPs per image of the peer's models, against the peer's own counts (RESULTS.md). */
class TrainingFlopsTest {

    @Test
    void mlpForwardFlopsAreTwiceItsMultiplyAdds() {
        // 784*256 + 256*256 + 256*10 = 268,800 multiply-adds.
        try (Network net = Network.create("mlp", new Shape(1, 28, 28), 10, 1)) {
            assertEquals(2L * 268_800, TrainingFlops.forwardFlops(net.block(), net.inputShape()));
        }
    }

    @Test
    void lenetForwardFlopsMatchTheLayerShapes() {
        // conv1 28*28*6*25 = 117,600; conv2 10*10*16*150 = 240,000; fc 400*120 + 120*84 + 84*10.
        long macs = 117_600 + 240_000 + 48_000 + 10_080 + 840;
        assertEquals(416_520, macs);
        try (Network net = Network.create("lenet", new Shape(1, 28, 28), 10, 1)) {
            assertEquals(2 * macs, TrainingFlops.forwardFlops(net.block(), net.inputShape()));
        }
    }

    @Test
    void factorsFollowThePeerConvention() {
        assertEquals(3, TrainingFlops.factor("ce", 4, 2));
        assertEquals(3, TrainingFlops.factor("mixup", 4, 2));
        assertEquals(5, TrainingFlops.factor("adversarial-mixup", 4, 2));
        // 2 attack steps x 4 noisy copies x (forward + input backward) + 2 x 4 x 3.
        assertEquals(16 + 24, TrainingFlops.factor("smoothmix", 4, 2));
        assertThrows(IllegalArgumentException.class, () -> TrainingFlops.factor("gan", 4, 2));
    }
}

package dev.oodlab.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.oodlab.nn.Losses;
import dev.oodlab.nn.Network;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Attacks on a small randomly initialised LeNet and a random batch of 28×28 images. */
class AttackTest {

    private static Network net;
    private static final int N = 8;

    @BeforeAll
    static void setUp() {
        net = Network.create("lenet", new Shape(1, 28, 28), 10, 5);
    }

    @AfterAll
    static void tearDown() {
        net.close();
    }

    private static NDArray batch(NDManager m) {
        Random r = new Random(3);
        float[] px = new float[N * 784];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextFloat();
        }
        return m.create(px, new Shape(N, 1, 28, 28));
    }

    private static NDArray labels(NDManager m, int offset) {
        int[] y = new int[N];
        for (int i = 0; i < N; i++) {
            y[i] = (i + offset) % 10;
        }
        return m.create(y);
    }

    private static double ce(NDArray x, NDArray labels) {
        return Losses.crossEntropyWithLabels(net.logits(x, false), labels).mean().getFloat();
    }

    @Test
    void fgsmRaisesTheCrossEntropyAndStaysInTheBall() {
        try (NDManager m = net.manager().newSubManager()) {
            NDArray x = batch(m);
            NDArray y = labels(m, 0);
            NDArray adv = Fgsm.of(0.05).perturb(net, x, y);
            assertTrue(ce(adv, y) > ce(x, y) + 0.01, ce(x, y) + " -> " + ce(adv, y));
            assertTrue(adv.sub(x).abs().max().getFloat() <= 0.05f + 1e-6f);
            assertTrue(adv.min().getFloat() >= 0f && adv.max().getFloat() <= 1f);
        }
    }

    @Test
    void fgsmFromAGivenGradientIsTheAttackForAnyPositiveMultiple() {
        try (NDManager m = net.manager().newSubManager()) {
            NDArray x = batch(m);
            NDArray y = labels(m, 0);
            NDArray onehot = Losses.oneHot(y, 10);
            NDArray g =
                    net.inputGradient(
                            x, z -> Losses.crossEntropy(net.logits(z, false), onehot).sum());
            for (Norm norm : Norm.values()) {
                for (boolean targeted : new boolean[] {false, true}) {
                    Fgsm attack =
                            Fgsm.builder()
                                    .optNorm(norm)
                                    .optEpsilon(norm == Norm.LINF ? 0.05 : 1.5)
                                    .optTargeted(targeted)
                                    .build();
                    NDArray expected = attack.perturb(net, x, y);
                    for (float scale : new float[] {1f, 0.3f, 7f}) {
                        NDArray got = attack.fromGradient(x, g.mul(scale));
                        assertEquals(
                                0.0,
                                got.sub(expected).abs().max().getFloat(),
                                1e-6,
                                norm + " targeted " + targeted + " scale " + scale);
                    }
                }
            }
            assertThrows(
                    IllegalArgumentException.class,
                    () -> Fgsm.of(0.1).fromGradient(x, g.reshape(8, 784)));
        }
    }

    @Test
    void targetedFgsmLowersTheCrossEntropyOfTheTarget() {
        try (NDManager m = net.manager().newSubManager()) {
            NDArray x = batch(m);
            NDArray target = labels(m, 3);
            NDArray adv =
                    Fgsm.builder()
                            .optEpsilon(0.05)
                            .optTargeted(true)
                            .build()
                            .perturb(net, x, target);
            assertTrue(ce(adv, target) < ce(x, target) - 0.01);
        }
    }

    @Test
    void pgdIsStrongerThanFgsmAndRespectsItsBudget() {
        try (NDManager m = net.manager().newSubManager()) {
            NDArray x = batch(m);
            NDArray y = labels(m, 0);
            Pgd pgd = Pgd.builder().optEpsilon(0.05).optSteps(5).optStepSize(0.02).build();
            NDArray adv = pgd.perturb(net, x, y);
            assertTrue(ce(adv, y) > ce(Fgsm.of(0.05).perturb(net, x, y), y) - 1e-4);
            assertTrue(adv.sub(x).abs().max().getFloat() <= 0.05f + 1e-6f);
            assertTrue(adv.min().getFloat() >= 0f && adv.max().getFloat() <= 1f);
        }
    }

    @Test
    void l2PgdStaysInsideTheL2BallAndTheRange() {
        try (NDManager m = net.manager().newSubManager()) {
            NDArray x = batch(m);
            NDArray y = labels(m, 0);
            double eps = 1.5;
            NDArray adv =
                    Pgd.builder()
                            .optNorm(Norm.L2)
                            .optEpsilon(eps)
                            .optSteps(4)
                            .optStepSize(0.75)
                            .optSeed(11)
                            .build()
                            .perturb(net, x, y);
            float[] norms = Losses.perSampleNorm(adv.sub(x)).toFloatArray();
            for (float norm : norms) {
                assertTrue(norm <= eps + 1e-4, "L2 norm " + norm);
            }
            assertTrue(adv.min().getFloat() >= 0f && adv.max().getFloat() <= 1f);
            assertTrue(ce(adv, y) > ce(x, y));
        }
    }

    @Test
    void randomStartIsSeeded() {
        try (NDManager m = net.manager().newSubManager()) {
            NDArray x = batch(m);
            NDArray y = labels(m, 0);
            NDArray a = Pgd.builder().optSteps(1).optSeed(9).build().perturb(net, x, y);
            NDArray b = Pgd.builder().optSteps(1).optSeed(9).build().perturb(net, x, y);
            NDArray c = Pgd.builder().optSteps(1).optSeed(10).build().perturb(net, x, y);
            assertEquals(0f, a.sub(b).abs().max().getFloat());
            assertTrue(a.sub(c).abs().max().getFloat() > 0f);
        }
    }

    @Test
    void anAttackLeavesNoGradientOnTheParametersAndNoArrays() {
        try (NDManager m = net.manager().newSubManager()) {
            NDArray x = batch(m);
            NDArray y = labels(m, 0);
            int before = net.manager().getManagedArrays().size();
            int inBatch = m.getManagedArrays().size();
            Pgd.builder().optSteps(3).build().perturb(net, x, y).close();
            assertEquals(inBatch, m.getManagedArrays().size());
            assertEquals(before, net.manager().getManagedArrays().size());
            for (Parameter p : net.trainableParameters()) {
                try (NDArray g = p.getArray().getGradient()) {
                    assertEquals(0f, g.abs().sum().getFloat(), p.getName());
                }
                assertTrue(p.requiresGradient(), p.getName() + " left frozen");
            }
        }
    }

    @Test
    void withoutFreezingTheParameterGradientsAreZeroedAfterwards() {
        try (NDManager m = net.manager().newSubManager()) {
            net.setFreezeForInputGradients(false);
            NDArray x = batch(m);
            NDArray y = labels(m, 0);
            NDArray frozenResult = Fgsm.of(0.05).perturb(net, x, y);
            net.setFreezeForInputGradients(true);
            NDArray result = Fgsm.of(0.05).perturb(net, x, y);
            assertEquals(0f, frozenResult.sub(result).abs().max().getFloat());
            for (Parameter p : net.trainableParameters()) {
                try (NDArray g = p.getArray().getGradient()) {
                    assertEquals(0f, g.abs().sum().getFloat(), p.getName());
                }
            }
        } finally {
            net.setFreezeForInputGradients(true);
        }
    }

    @Test
    void invalidOptionsAreRejectedByName() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Pgd.builder().optEpsilon(-0.1).build());
        assertTrue(e.getMessage().startsWith("epsilon"), e.getMessage());
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Pgd.builder().optSteps(0).build())
                        .getMessage()
                        .startsWith("steps"));
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Fgsm.builder().optEpsilon(Double.NaN).build())
                        .getMessage()
                        .startsWith("epsilon"));
    }
}

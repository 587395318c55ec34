package dev.oodlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.oodlab.OodLab;
import org.junit.jupiter.api.Test;

class LossesTest {

    private static NDArray logitsOf(NDManager m, double... probabilities) {
        float[] logits = new float[probabilities.length];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.log(probabilities[i]);
        }
        return m.create(logits, new Shape(1, logits.length));
    }

    @Test
    void klFromUniformOfTheSpecExampleIs0point324287() {
        OodLab.init();
        try (NDManager m = NDManager.newBaseManager()) {
            // −log 3 − (log 0.7 + log 0.2 + log 0.1)/3 = 0.324287
            assertEquals(
                    0.324287, Losses.klFromUniform(logitsOf(m, 0.7, 0.2, 0.1)).getFloat(), 1e-6);
            assertEquals(
                    0, Losses.klFromUniform(logitsOf(m, 0.25, 0.25, 0.25, 0.25)).getFloat(), 1e-6);
        }
    }

    @Test
    void crossEntropyWithLabelsIsMinusLogProbability() {
        OodLab.init();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = logitsOf(m, 0.7, 0.2, 0.1);
            assertEquals(
                    -Math.log(0.2),
                    Losses.crossEntropyWithLabels(logits, m.create(new int[] {1})).getFloat(),
                    1e-6);
        }
    }

    @Test
    void crossEntropyWithLabelsPicksEachRowsLabel() {
        OodLab.init();
        try (NDManager m = NDManager.newBaseManager()) {
            // rows p = (0.7, 0.2, 0.1) and (0.25, 0.5, 0.25), labels 0 and 2
            NDArray logits =
                    m.create(
                            new float[] {
                                (float) Math.log(0.7), (float) Math.log(0.2), (float) Math.log(0.1),
                                (float) Math.log(0.25), (float) Math.log(0.5),
                                        (float) Math.log(0.25)
                            },
                            new Shape(2, 3));
            assertArrayEquals(
                    new float[] {(float) -Math.log(0.7), (float) -Math.log(0.25)},
                    Losses.crossEntropyWithLabels(logits, m.create(new int[] {0, 2}))
                            .toFloatArray(),
                    1e-6f);
        }
    }

    @Test
    void mixedCrossEntropyIsTheCrossEntropyAgainstTheMixedTarget() {
        OodLab.init();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = logitsOf(m, 0.7, 0.2, 0.1);
            // −(0.3 log 0.2 + 0.7 log 0.1) = 2.094641
            assertEquals(
                    2.094641,
                    Losses.mixedCrossEntropy(
                                    logits, m.create(new int[] {1}), m.create(new int[] {2}), 0.3)
                            .getFloat(),
                    1e-6);
            // against the soft-target form on a batch: target 0.3 e_a + 0.7 e_b
            NDArray batch = m.randomNormal(new Shape(5, 4));
            NDArray a = m.create(new int[] {0, 3, 1, 1, 2});
            NDArray b = m.create(new int[] {2, 3, 0, 1, 3});
            NDArray target = Losses.oneHot(a, 4).mul(0.3f).add(Losses.oneHot(b, 4).mul(0.7f));
            assertArrayEquals(
                    Losses.crossEntropy(batch, target).toFloatArray(),
                    Losses.mixedCrossEntropy(batch, a, b, 0.3).toFloatArray(),
                    1e-6f);
        }
    }

    /** Rows p = (0.7, 0.2, 0.1) and (0.25, 0.5, 0.25) as logits that require a gradient. */
    private static NDArray twoRows(NDManager m) {
        NDArray logits =
                m.create(
                        new float[] {
                            (float) Math.log(0.7), (float) Math.log(0.2), (float) Math.log(0.1),
                            (float) Math.log(0.25), (float) Math.log(0.5), (float) Math.log(0.25)
                        },
                        new Shape(2, 3));
        logits.setRequiresGradient(true);
        return logits;
    }

    @Test
    void meanCrossEntropyIsTheMeanOfMinusLogProbabilitiesAndItsGradientIsPMinusE() {
        OodLab.init();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = twoRows(m);
            NDArray loss;
            try (GradientScope scope = GradientScope.open()) {
                loss = Losses.meanCrossEntropyWithLabels(logits, m.create(new long[] {0, 2}));
                scope.backward(loss);
            }
            assertEquals(new Shape(), loss.getShape());
            assertEquals(-(Math.log(0.7) + Math.log(0.25)) / 2, loss.getFloat(), 1e-6);
            // ∂/∂f of the mean: (p − e_y) / N
            assertArrayEquals(
                    new float[] {
                        (0.7f - 1) / 2, 0.2f / 2, 0.1f / 2, 0.25f / 2, 0.5f / 2, (0.25f - 1) / 2
                    },
                    logits.getGradient().toFloatArray(),
                    1e-6f);
        }
    }

    @Test
    void meanMixedCrossEntropyWeighsTheTwoLabelsAndItsGradientIsPMinusTheMixedTarget() {
        OodLab.init();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = twoRows(m);
            NDArray loss;
            try (GradientScope scope = GradientScope.open()) {
                loss =
                        Losses.meanMixedCrossEntropy(
                                logits,
                                m.create(new long[] {1, 0}),
                                m.create(new long[] {2, 1}),
                                m.create(0.3f));
                scope.backward(loss);
            }
            // row 1: −(0.3 log 0.2 + 0.7 log 0.1); row 2: −(0.3 log 0.25 + 0.7 log 0.5)
            double row1 = -(0.3 * Math.log(0.2) + 0.7 * Math.log(0.1));
            double row2 = -(0.3 * Math.log(0.25) + 0.7 * Math.log(0.5));
            assertEquals((row1 + row2) / 2, loss.getFloat(), 1e-6);
            // (p − (0.3 e_a + 0.7 e_b)) / N
            assertArrayEquals(
                    new float[] {
                        0.7f / 2, (0.2f - 0.3f) / 2, (0.1f - 0.7f) / 2,
                        (0.25f - 0.3f) / 2, (0.5f - 0.7f) / 2, 0.25f / 2
                    },
                    logits.getGradient().toFloatArray(),
                    1e-6f);
        }
    }

    @Test
    void klDivergenceTreatsZeroTargetsAsZero() {
        OodLab.init();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = logitsOf(m, 0.7, 0.2, 0.1);
            NDArray target = m.create(new float[] {0.5f, 0.5f, 0f}, new Shape(1, 3));
            double expected = 0.5 * Math.log(0.5 / 0.7) + 0.5 * Math.log(0.5 / 0.2);
            assertEquals(expected, Losses.klDivergence(target, logits).getFloat(), 1e-6);
        }
    }

    @Test
    void perSampleNormBroadcastsOverTheBatch() {
        OodLab.init();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {3, 4, 0, 0, 1, 0, 0, 0}, new Shape(2, 1, 2, 2));
            NDArray norm = Losses.perSampleNorm(x);
            assertEquals(new Shape(2, 1, 1, 1), norm.getShape());
            assertArrayEquals(new float[] {5, 1}, norm.toFloatArray(), 1e-6f);
        }
    }
}

package dev.oodlab.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.oodlab.OodLab;
import org.junit.jupiter.api.Test;

/** The three losses of the joint confidence loss, against hand-computed values. */
class GanLossesTest {

    private static final double LN2 = Math.log(2);

    @Test
    void softplusIsExactAtZeroAndStableForLargeInputs() {
        OodLab.init();
        try (NDManager m = NDManager.newBaseManager()) {
            float[] v =
                    GanLosses.softplus(m.create(new float[] {0f, 50f, -50f, 1f})).toFloatArray();
            // log(1 + e^0) = ln 2; log(1 + e^50) = 50 + log(1 + e^-50) = 50 in float (a naive
            // log(1 + exp(x)) overflows to infinity at x = 89); log(1 + e^-50) ~ 2e-22, within
            // float rounding of 0; log(1 + e) = 1.3132617.
            assertArrayEquals(new float[] {(float) LN2, 50f, 0f, 1.3132617f}, v, 1e-6f);
            assertEquals(100f, GanLosses.softplus(m.create(new float[] {100f})).getFloat(), 1e-6f);
        }
    }

    @Test
    void discriminatorLossIsTwoLn2WhenItCannotTell() {
        OodLab.init();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray zero = m.zeros(new Shape(3, 1));
            assertEquals(2 * LN2, GanLosses.discriminatorLoss(zero, zero).getFloat(), 1e-6);
            // real logit 2, fake logit -1: softplus(-2) + softplus(-1) = 0.126928 + 0.313262
            NDArray real = m.create(new float[] {2f}, new Shape(1, 1));
            NDArray fake = m.create(new float[] {-1f}, new Shape(1, 1));
            assertEquals(
                    0.126928 + 0.313262, GanLosses.discriminatorLoss(real, fake).getFloat(), 1e-5);
        }
    }

    @Test
    void generatorLossAddsBetaTimesKlFromUniform() {
        OodLab.init();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray d = m.zeros(new Shape(1, 1));
            // p = (0.7, 0.2, 0.1): KL(u || p) = 0.324287 (SPEC section 3)
            NDArray logits =
                    m.create(
                            new float[] {
                                (float) Math.log(0.7), (float) Math.log(0.2), (float) Math.log(0.1)
                            },
                            new Shape(1, 3));
            assertEquals(LN2 + 0.324287, GanLosses.generatorLoss(d, logits, 1).getFloat(), 1e-5);
            assertEquals(
                    LN2 + 0.5 * 0.324287, GanLosses.generatorLoss(d, logits, 0.5).getFloat(), 1e-5);
            NDArray uniform = m.zeros(new Shape(1, 3));
            assertEquals(LN2, GanLosses.generatorLoss(d, uniform, 1).getFloat(), 1e-6);
        }
    }

    @Test
    void classifierLossIsCrossEntropyPlusBetaKl() {
        OodLab.init();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray in =
                    m.create(
                            new float[] {
                                (float) Math.log(0.7), (float) Math.log(0.2), (float) Math.log(0.1)
                            },
                            new Shape(1, 3));
            NDArray labels = m.create(new int[] {1});
            // CE = -log 0.2 = 1.609438; the generated batch's KL = 0.324287
            assertEquals(
                    1.609438 + 2 * 0.324287,
                    GanLosses.classifierLoss(in, labels, in, 2).getFloat(),
                    1e-5);
        }
    }
}

package dev.oodlab.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.core.Linear;
import dev.oodlab.data.ImageSet;
import dev.oodlab.nn.Classifier;
import dev.oodlab.nn.Network;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Detectors on a network whose features are its input and whose logits equal its input (head
 * weights = identity, bias 0), so every score can be computed by hand.
 */
class DetectorTest {

    private static Network identity;

    @BeforeAll
    static void setUp() {
        Classifier c =
                new Classifier(
                        "identity",
                        Blocks.batchFlattenBlock(),
                        Linear.builder().setUnits(3).build(),
                        3,
                        new Shape(3));
        identity = Network.of(c, new Shape(3), 3, 1);
        identity.trainableParameters()
                .get(0)
                .getArray()
                .set(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        identity.trainableParameters().get(1).getArray().set(new float[] {0, 0, 0});
    }

    @AfterAll
    static void tearDown() {
        identity.close();
    }

    private static double[] score(OodScorer scorer, float... rows) {
        try (NDManager m = identity.manager().newSubManager()) {
            NDArray x = m.create(rows, new Shape(rows.length / 3, 3));
            return scorer.scores(identity, x);
        }
    }

    private static double softmaxMax(double... logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (double l : logits) {
            sum += Math.exp(l - max);
        }
        return 1 / sum;
    }

    @Test
    void maxSoftmaxIsTheLargestProbability() {
        // softmax(1, 2, 3) = e^3 / (e + e^2 + e^3) = 0.665241
        assertArrayEquals(
                new double[] {0.665241, 1 / 3.0}, score(new MaxSoftmax(), 1, 2, 3, 5, 5, 5), 1e-6);
    }

    @Test
    void energyIsTemperatureTimesLogSumExp() {
        // log(e + e^2 + e^3) = 3.407606; with T = 2: 2·log(e^0.5 + e^1 + e^1.5) = 4.203869
        assertEquals(3.407606, score(new Energy(), 1, 2, 3)[0], 1e-5);
        assertEquals(
                2 * Math.log(Math.exp(0.5) + Math.exp(1) + Math.exp(1.5)),
                score(new Energy(2), 1, 2, 3)[0],
                1e-5);
    }

    @Test
    void odinWithoutPerturbationIsTemperatureScaledSoftmax() {
        assertEquals(
                softmaxMax(1 / 1000.0, 2 / 1000.0, 3 / 1000.0),
                score(new Odin(1000, 0), 1, 2, 3)[0],
                1e-7);
    }

    @Test
    void odinMovesTheInputTowardsThePredictedClass() {
        // logits = x, so ∇ₓ CE(x/T, ŷ=2) = (softmax(x/T) − e_2)/T: sign (+, +, −);
        // x̃ = x − ε·sign = (1 − ε, 2 − ε, 3 + ε)
        double eps = 0.1;
        double t = 2;
        double expected = softmaxMax((1 - eps) / t, (2 - eps) / t, (3 + eps) / t);
        assertEquals(expected, score(new Odin(t, eps), 1, 2, 3)[0], 1e-6);
    }

    /**
     * Class 0 around (1, 1, 0), class 1 around (5, 5, 0), class 2 around (21, 21, 0), offsets ±1: Σ
     * = diag(1, 1, 0).
     */
    private static ImageSet squares() {
        float[][] offsets = {{-1, -1}, {1, -1}, {-1, 1}, {1, 1}};
        float[] centres = {1, 5, 21};
        float[] px = new float[12 * 3];
        int[] labels = new int[12];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 4; i++) {
                int row = c * 4 + i;
                px[row * 3] = centres[c] + offsets[i][0];
                px[row * 3 + 1] = centres[c] + offsets[i][1];
                px[row * 3 + 2] = 0;
                labels[row] = c;
            }
        }
        return new ImageSet("squares", px, labels, 3, 1, 1, 3);
    }

    @Test
    void mahalanobisFitsClassMeansAndTiedCovariance() {
        Mahalanobis m = Mahalanobis.fit(identity, squares(), 3);
        assertArrayEquals(new double[] {1, 1, 0}, m.means()[0], 1e-6);
        assertArrayEquals(new double[] {5, 5, 0}, m.means()[1], 1e-6);
        assertArrayEquals(new double[] {21, 21, 0}, m.means()[2], 1e-6);
        assertArrayEquals(new double[] {1, 0, 0}, m.covariance()[0], 1e-6);
        assertArrayEquals(new double[] {0, 1, 0}, m.covariance()[1], 1e-6);
    }

    @Test
    void mahalanobisScoresTheClosestClass() {
        Mahalanobis m = Mahalanobis.fit(identity, squares(), 3);
        // (1, 2): ½·1 to class 0; (3, 3): ½·8 to both; (6, 4): ½·2 to class 1.
        // The third coordinate has zero variance: the pseudo-inverse ignores it.
        assertArrayEquals(new double[] {-0.5, -4, -1}, score(m, 1, 2, 0, 3, 3, 0, 6, 4, 7), 1e-5);
    }

    @Test
    void mahalanobisPreprocessingMovesTowardsTheClosestMean() {
        // ∇ score at (1, 2) = −Σ⁺(h − μ_0) = (0, −1, 0): x̃ = (1, 2 − ε) → −½(1 − ε)²
        double eps = 0.25;
        Mahalanobis m = Mahalanobis.fit(identity, squares(), 3).withEpsilon(eps);
        assertEquals(-0.5 * (1 - eps) * (1 - eps), score(m, 1, 2, 0)[0], 1e-5);
    }

    @Test
    void scoresOverAnImageSetMatchBatchScores() {
        ImageSet set = squares();
        double[] whole = new MaxSoftmax().scores(identity, set, 3);
        assertEquals(set.size(), whole.length);
        assertEquals(softmaxMax(0, 0, 0), whole[0], 1e-6);
        assertEquals(softmaxMax(6, 6, 0), whole[7], 1e-6);
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Odin(0, 0.001));
        assertThrows(IllegalArgumentException.class, () -> new Odin(1000, -1));
        assertThrows(IllegalArgumentException.class, () -> new Energy(-1));
    }
}

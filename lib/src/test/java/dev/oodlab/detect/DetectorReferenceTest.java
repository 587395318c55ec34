package dev.oodlab.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.core.Linear;
import dev.oodlab.data.ImageSet;
import dev.oodlab.experiment.Detectors;
import dev.oodlab.nn.Classifier;
import dev.oodlab.nn.Network;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every detector against its paper's formula computed independently in PyTorch (float64) by {@code
 * reference/detectors.py}, on the same last layer, training features and test features. The
 * network's features are its input (flatten) and its head is the reference W, b, so the detectors
 * run through the same code path as on a trained model. Agreement: |ours − reference| ≤ 1e-5 ·
 * max(1, |reference|) (our scores are float32).
 */
class DetectorReferenceTest {

    private static final int BATCH = 64; // the 240 training rows span several batches
    private static final Map<String, double[]> REF = read();
    private static final int K = (int) REF.get("K")[0];
    private static final int D = (int) REF.get("D")[0];
    private static Network network;
    private static ImageSet train;

    @BeforeAll
    static void setUp() {
        Classifier c =
                new Classifier(
                        "reference",
                        Blocks.batchFlattenBlock(),
                        Linear.builder().setUnits(K).build(),
                        K,
                        new Shape(D));
        network = Network.of(c, new Shape(D), K, 1);
        network.trainableParameters().get(0).getArray().set(floats("W"));
        network.trainableParameters().get(1).getArray().set(floats("B"));
        double[] labels = REF.get("LABELS");
        int[] y = new int[labels.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (int) labels[i];
        }
        train = new ImageSet("reference/train", floats("TRAIN"), y, K, 1, 1, D);
    }

    @AfterAll
    static void tearDown() {
        network.close();
    }

    @Test
    void everyRegisteredDetectorMatchesItsReferenceWithDefaults() {
        List<String> checked = new ArrayList<>();
        for (String name : Detectors.NAMES) {
            if (name.equals("odin")) {
                continue; // input perturbation: covered by DetectorTest
            }
            assertMatches("SCORE_" + name, Detectors.create(name, network, () -> train, BATCH));
            checked.add(name);
        }
        assertEquals(Detectors.NAMES.size() - 1, checked.size());
    }

    @Test
    void genWithOtherGammaAndTopClasses() {
        assertMatches("SCORE_gen_gamma0.5_m2", new GeneralizedEntropy(0.5, 2));
    }

    @Test
    void reactWithAnotherPercentile() {
        assertMatches("SCORE_react_p80", React.fit(network, train, BATCH, 80));
    }

    @Test
    void ashWithOtherPercentiles() {
        assertMatches("SCORE_ash-p_p65", new Ash(Ash.Variant.PRUNE, 65));
        assertMatches("SCORE_ash-s_p65", new Ash(Ash.Variant.SCALE, 65));
    }

    @Test
    void ashRoundsTheKeptCountHalfToEvenAsNumpy() {
        // 20 · 72.5 / 100 = 14.5 rounds to 14: six features kept, not five
        assertEquals(6, Ash.keptCount(20, 72.5, "ash-b"));
        assertMatches("SCORE_ash-b_p72.5", new Ash(Ash.Variant.BINARIZE, 72.5));
    }

    @Test
    void scaleWithAnotherPercentile() {
        assertMatches("SCORE_scale_p65", new Scale(65));
    }

    @Test
    void diceWithAnotherSparsity() {
        // 4 × 20 weights: those above the 90th percentile (rank 71.1 of 0..79) are the top 8
        assertEquals(8, Dice.fit(network, train, BATCH).keptWeights());
        assertMatches("SCORE_dice_p0.5", Dice.fit(network, train, BATCH, 0.5));
    }

    @Test
    void knnInChunksOfThreeInputsMatchesTheReference() {
        // 240 training features, at most 720 affinities per product: three inputs per chunk
        assertMatches("SCORE_knn", Knn.fit(network, train, BATCH).withChunkElements(3 * 240));
    }

    @Test
    void knnWithTheNearestNeighbour() {
        assertMatches("SCORE_knn_k1", Knn.fit(network, train, BATCH, 1));
    }

    @Test
    void vimWithAnotherPrincipalDimension() {
        assertMatches("SCORE_vim_d4", Vim.fit(network, train, BATCH, 4));
    }

    @Test
    void vimDefaultPrincipalDimensionFollowsThePaper() {
        assertEquals(1000, Vim.defaultPrincipalDimension(2048));
        assertEquals(512, Vim.defaultPrincipalDimension(768));
        assertEquals(42, Vim.defaultPrincipalDimension(84));
    }

    private static void assertMatches(String key, OodScorer scorer) {
        double[] expected = REF.get(key);
        if (expected == null) {
            fail("no " + key + " in detectors.txt");
        }
        double[] actual;
        try (NDManager m = network.manager().newSubManager()) {
            float[] rows = floats("TEST");
            NDArray x = m.create(rows, new Shape(rows.length / D, D));
            actual = scorer.scores(network, x);
        }
        assertEquals(expected.length, actual.length, key);
        for (int i = 0; i < expected.length; i++) {
            double tolerance = 1e-5 * Math.max(1, Math.abs(expected[i]));
            double error = Math.abs(actual[i] - expected[i]);
            assertTrue(
                    error <= tolerance,
                    scorer.name()
                            + " row "
                            + i
                            + ": "
                            + actual[i]
                            + " vs PyTorch "
                            + expected[i]
                            + " (error "
                            + error
                            + ")");
        }
    }

    private static float[] floats(String key) {
        double[] d = REF.get(key);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static Map<String, double[]> read() {
        Map<String, double[]> values = new HashMap<>();
        try (InputStream in =
                        DetectorReferenceTest.class.getResourceAsStream(
                                "/reference/detectors.txt");
                BufferedReader reader =
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.trim().split("\\s+");
                double[] v = new double[parts.length - 1];
                for (int i = 1; i < parts.length; i++) {
                    v[i - 1] = Double.parseDouble(parts[i]);
                }
                values.put(parts[0], v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }
}

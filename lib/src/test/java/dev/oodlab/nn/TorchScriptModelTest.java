package dev.oodlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.oodlab.data.ImageSet;
import dev.oodlab.detect.OodScorer;
import dev.oodlab.experiment.Detectors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TorchScript models written by PyTorch ({@code reference/torchscript_models.py}) loaded through
 * {@link TorchScriptModel}: logits and features against the values PyTorch computed, the input
 * normalisation, every detector on the model that returns features, and the bad inputs (one line
 * each).
 */
class TorchScriptModelTest {

    static final Shape GREY = new Shape(1, 28, 28);
    private static final Map<String, double[]> EXPECTED = read();

    @TempDir Path dir;

    /** A committed model file. */
    static Path model(String name) {
        try {
            return Path.of(
                    TorchScriptModelTest.class
                            .getResource("/reference/torchscript/" + name)
                            .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The script's inputs: x[n, 0, i, j] = ((7 n + 3 i + 5 j) mod 17) / 16. */
    static float[] inputs(int n) {
        float[] x = new float[n * 784];
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < 28; i++) {
                for (int j = 0; j < 28; j++) {
                    x[k * 784 + i * 28 + j] = ((7 * k + 3 * i + 5 * j) % 17) / 16f;
                }
            }
        }
        return x;
    }

    private static float[] run(Network network, boolean features) {
        try (NDManager m = network.manager().newSubManager()) {
            NDArray x = m.create(inputs(4), new Shape(4, 1, 28, 28));
            return (features ? network.features(x, false) : network.logits(x, false))
                    .toFloatArray();
        }
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5, what + "[" + i + "]");
        }
    }

    @Test
    void logitsOfTheLogitsModelAreThoseOfPyTorch() {
        try (Network network = TorchScriptModel.load(model("tiny-logits.pt"), GREY)) {
            assertEquals(10, network.numClasses());
            assertClose(EXPECTED.get("LOGITS"), run(network, false), "logits");
            assertTrue(TorchScriptModel.isTorchScript(network));
            assertTrue(TorchScriptModel.featureNote(network).contains("returns only logits"));
        }
    }

    @Test
    void theFeaturesModelGivesLogitsFeaturesAndItsLastLayer() {
        try (Network network = TorchScriptModel.load(model("tiny-features.pt"), GREY)) {
            assertNull(TorchScriptModel.featureNote(network));
            assertClose(EXPECTED.get("LOGITS"), run(network, false), "logits");
            assertClose(EXPECTED.get("FEATURES"), run(network, true), "features");
            assertEquals(
                    List.of(new Shape(10, 16), new Shape(10)),
                    network.classifier().head().getParameters().values().stream()
                            .map(p -> p.getArray().getShape())
                            .toList());
        }
    }

    @Test
    void normalisationIsAppliedBeforeTheModule() {
        TorchScriptModel.Normalization norm =
                new TorchScriptModel.Normalization(EXPECTED.get("MEAN"), EXPECTED.get("STD"));
        try (Network network = TorchScriptModel.load(model("tiny-features.pt"), GREY, norm)) {
            assertClose(EXPECTED.get("NORMALISED_LOGITS"), run(network, false), "logits");
        }
    }

    @Test
    void everyDetectorRunsOnTheFeaturesModel() {
        ImageSet train = noise(120);
        ImageSet probe = new ImageSet("probe", inputs(4), new int[4], 10, 1, 28, 28);
        try (Network network = TorchScriptModel.load(model("tiny-features.pt"), GREY)) {
            Map<String, double[]> scores = new HashMap<>();
            for (String name : Detectors.NAMES) {
                OodScorer scorer = Detectors.create(name, network, () -> train, 50);
                double[] s = scorer.scores(network, probe, 3);
                for (double v : s) {
                    assertTrue(Double.isFinite(v), name + ": " + v);
                }
                scores.put(name, s);
            }
            // energy against the logits PyTorch computed: logsumexp
            double[] logits = EXPECTED.get("LOGITS");
            for (int i = 0; i < 4; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < 10; k++) {
                    max = Math.max(max, logits[i * 10 + k]);
                }
                double sum = 0;
                for (int k = 0; k < 10; k++) {
                    sum += Math.exp(logits[i * 10 + k] - max);
                }
                assertEquals(max + Math.log(sum), scores.get("energy")[i], 1e-5, "energy " + i);
                assertEquals(max, scores.get("maxlogit")[i], 1e-5, "maxlogit " + i);
            }
            // KNN with k = 1 against a training set that holds the inputs: distance 0
            OodScorer knn = dev.oodlab.detect.Knn.fit(network, probe, 4, 1);
            for (double v : knn.scores(network, probe, 4)) {
                assertEquals(0, v, 1e-3);
            }
            // ODIN's input gradient flows through the module: its scores differ from MSP's
            assertNotEquals(scores.get("msp")[0], scores.get("odin")[0]);
        }
    }

    /** n labelled images of seeded uniform noise. */
    static ImageSet noise(int n) {
        float[] pixels = new float[n * 784];
        int[] labels = new int[n];
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble();
        }
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        return new ImageSet("noise", pixels, labels, 10, 1, 28, 28);
    }

    @Test
    void aFeatureDetectorOnTheLogitsModelSaysWhy() {
        ImageSet probe = new ImageSet("probe", inputs(4), new int[4], 10, 1, 28, 28);
        ImageSet train = noise(60);
        try (Network network = TorchScriptModel.load(model("tiny-logits.pt"), GREY)) {
            for (String name : Detectors.NAMES) {
                if (!Detectors.needsFeatures(name)) {
                    Detectors.create(name, network, () -> train, 4).scores(network, probe, 4);
                    continue;
                }
                RuntimeException e =
                        assertThrows(
                                RuntimeException.class,
                                () ->
                                        Detectors.create(name, network, () -> train, 4)
                                                .scores(network, probe, 4),
                                name);
                assertTrue(e.getMessage().contains("features"), name + ": " + e.getMessage());
            }
        }
    }

    @Test
    void aFileThatIsNotTorchScriptIsOneLine() throws IOException {
        Path file = Files.writeString(dir.resolve("model.pt"), "not a model\n");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> TorchScriptModel.load(file, GREY));
        assertTrue(e.getMessage().contains("is not a TorchScript module"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        IllegalArgumentException missing =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TorchScriptModel.load(dir.resolve("none.pt"), GREY));
        assertTrue(missing.getMessage().endsWith("no such file"), missing.getMessage());
    }

    @Test
    void aForwardOfTheWrongShapeIsOneLine() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TorchScriptModel.load(model("tiny-wrong-shape.pt"), GREY));
        assertTrue(e.getMessage().contains("returns a tensor of shape (8)"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void anInputShapeTheModelDoesNotTakeIsOneLine() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TorchScriptModel.load(model("tiny-logits.pt"), new Shape(3, 32, 32)));
        assertTrue(e.getMessage().contains("does not take a batch of shape"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    private static Map<String, double[]> read() {
        Map<String, double[]> values = new HashMap<>();
        try {
            for (String line : Files.readAllLines(model("tiny-expected.txt"))) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] parts = line.trim().split(" ");
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

package dev.oodlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.oodlab.experiment.TinyData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code oodlab train} and {@code oodlab evaluate} in-process, on a tiny IDX data set written by
 * the test (200 training and 50 test images, one epoch: each run takes seconds).
 */
class TrainCommandTest {

    private static final Set<String> OOD_KEYS =
            Set.of(
                    "detector",
                    "fpr_at_95_tpr",
                    "auroc",
                    "aupr_in",
                    "aupr_out",
                    "detection_error",
                    "mean_confidence");

    @TempDir Path dir;

    private Path data;
    private Path noiseFile;

    @BeforeEach
    void writeData() throws IOException {
        data = TinyData.write(dir.resolve("tiny"), 200, 50);
        noiseFile = TinyData.writeNoiseImages(dir.resolve("my-noise-idx3-ubyte"), 40, 7);
    }

    private CliRun train(Path out, String... more) {
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "train",
                                "--dataset",
                                data.toString(),
                                "--epochs",
                                "1",
                                "--ood-count",
                                "30",
                                "--quiet",
                                "--out",
                                out.toString()));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    @Test
    void trainWritesModelResultsCsvAndCharts() throws IOException {
        Path out = dir.resolve("run");
        CliRun run = train(out, "--method", "ce", "--ood", "uniform," + noiseFile);
        assertEquals(0, run.exitCode(), run.err());
        for (String file :
                List.of(
                        "model.params",
                        "model.json",
                        "results.json",
                        "results.csv",
                        "confidence-uniform.png",
                        "confidence-my-noise-idx3-ubyte.png",
                        "roc.png")) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file + " missing");
        }
        JsonObject results = json(out.resolve("results.json"));
        assertEquals("ce", results.get("method").getAsString());
        assertEquals(data.toString(), results.get("dataset").getAsString());
        assertEquals("lenet", results.get("model").getAsString());
        assertEquals(42, results.get("seed").getAsLong());
        assertEquals(1, results.get("epochs").getAsInt());
        double accuracy = results.get("test_accuracy").getAsDouble();
        assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy " + accuracy);
        // A file's set is named after the file (without a .gz or other extension).
        JsonObject ood = results.getAsJsonObject("ood");
        assertEquals(List.of("uniform", "my-noise-idx3-ubyte"), List.copyOf(ood.keySet()));
        for (String set : ood.keySet()) {
            assertEquals(OOD_KEYS, ood.getAsJsonObject(set).keySet());
            assertEquals("msp", ood.getAsJsonObject(set).get("detector").getAsString());
        }
        // The same JSON on standard output; one CSV row per OOD set after the header.
        assertEquals(results, JsonParser.parseString(run.out()).getAsJsonObject());
        assertEquals(3, Files.readAllLines(out.resolve("results.csv")).size());
        // One progress line per epoch with the resident memory.
        assertTrue(run.err().contains("epoch 1/1: loss"), run.err());
        assertTrue(run.err().contains("rss "), run.err());
        // The model folder says how to rebuild the model.
        JsonObject model = json(out.resolve("model.json"));
        assertEquals("lenet", model.get("model").getAsString());
        assertEquals("[1,28,28]", model.get("input_shape").toString());
        assertEquals(10, model.get("classes").getAsInt());
    }

    @Test
    void evaluateReproducesTheTrainingRunsMetricsFromTheSavedModel() throws IOException {
        Path out = dir.resolve("run");
        assertEquals(0, train(out, "--method", "mixup", "--ood", "uniform").exitCode());
        JsonObject trained = json(out.resolve("results.json"));
        CliRun run =
                CliRun.of(
                        "evaluate",
                        "--model",
                        out.toString(),
                        "--ood",
                        "uniform",
                        "--ood-count",
                        "30");
        assertEquals(0, run.exitCode(), run.err());
        JsonObject again = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals("mixup", again.get("method").getAsString());
        assertEquals(
                trained.get("test_accuracy").getAsDouble(),
                again.get("test_accuracy").getAsDouble());
        assertEquals(
                trained.getAsJsonObject("ood").getAsJsonObject("uniform"),
                again.getAsJsonObject("ood").getAsJsonObject("uniform"));
    }

    @Test
    void evaluateWithEachDetectorWritesTheSameShape() throws IOException {
        Path out = dir.resolve("run");
        assertEquals(0, train(out, "--method", "ce", "--ood", "gaussian").exitCode());
        for (String detector : List.of("odin", "energy", "mahalanobis")) {
            Path scored = dir.resolve("scored-" + detector);
            CliRun run =
                    CliRun.of(
                            "evaluate",
                            "--model",
                            out.toString(),
                            "--detector",
                            detector,
                            "--ood",
                            "gaussian," + noiseFile,
                            "--ood-count",
                            "30",
                            "--out",
                            scored.toString());
            assertEquals(0, run.exitCode(), run.err());
            JsonObject results = json(scored.resolve("results.json"));
            JsonObject ood = results.getAsJsonObject("ood");
            assertEquals(Set.of("gaussian", "my-noise-idx3-ubyte"), ood.keySet());
            for (String set : ood.keySet()) {
                assertEquals(OOD_KEYS, ood.getAsJsonObject(set).keySet());
                assertEquals(detector, ood.getAsJsonObject(set).get("detector").getAsString());
            }
            assertTrue(Files.isRegularFile(scored.resolve("scores-gaussian.png")));
            assertFalse(Files.exists(scored.resolve("model.params")), "evaluate copies no model");
        }
    }

    @Test
    void confidenceLossTrainsOnSeededNoiseThatIsNoEvaluationSetAndSaysSo() throws IOException {
        Path out = dir.resolve("run");
        CliRun run = train(out, "--method", "confidence-loss", "--beta", "0.5", "--ood", "uniform");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(
                run.err().contains("outliers for confidence-loss: gaussian-0.25 (N(0.5, 0.25^2)"),
                run.err());
        JsonObject results = json(out.resolve("results.json"));
        assertTrue(results.get("outliers").getAsString().startsWith("gaussian-0.25 "));
        assertEquals(0.5, results.getAsJsonObject("options").get("beta").getAsDouble());
    }

    @Test
    void unknownMethodFailsWithOneLineAndWritesNothing() {
        Path out = dir.resolve("run");
        CliRun run = train(out, "--method", "dropout");
        assertEquals(Main.EXIT_USAGE, run.exitCode());
        assertTrue(
                run.err().startsWith("oodlab: unknown training method 'dropout'; known: ce,"),
                run.err());
        assertFalse(Files.exists(out));
        assertNoStagingLeft();
    }

    @Test
    void negativeEpsilonFails() {
        CliRun run =
                train(dir.resolve("run"), "--method", "adversarial-mixup", "--epsilon", "-0.1");
        assertEquals(Main.EXIT_USAGE, run.exitCode());
        assertEquals("oodlab: epsilon must be >= 0, got -0.1", firstLine(run.err()));
        assertFalse(Files.exists(dir.resolve("run")));
    }

    @Test
    void alphaZeroFails() {
        CliRun run = train(dir.resolve("run"), "--method", "mixup", "--alpha", "0");
        assertEquals(Main.EXIT_USAGE, run.exitCode());
        assertEquals("oodlab: alpha must be > 0, got 0.0", firstLine(run.err()));
    }

    @Test
    void batchSizeZeroFails() {
        CliRun run = train(dir.resolve("run"), "--method", "ce", "--batch-size", "0");
        assertEquals(Main.EXIT_USAGE, run.exitCode());
        assertEquals("oodlab: batch size must be >= 1, got 0", firstLine(run.err()));
    }

    @Test
    void anOptionTheMethodDoesNotHaveFails() {
        CliRun run = train(dir.resolve("run"), "--method", "ce", "--sigma", "0.5");
        assertEquals(Main.EXIT_USAGE, run.exitCode());
        assertEquals(
                "oodlab: method ce has no option sigma (it has no options)", firstLine(run.err()));
    }

    @Test
    void unknownDetectorFails() {
        CliRun run = train(dir.resolve("run"), "--method", "ce", "--detector", "knn");
        assertEquals(Main.EXIT_USAGE, run.exitCode());
        assertEquals(
                "oodlab: unknown detector 'knn'; known: msp, odin, energy, mahalanobis",
                firstLine(run.err()));
    }

    @Test
    void missingDatasetFailsBeforeTrainingAndWritesNothing() {
        Path missing = dir.resolve("no-such-data");
        Path out = dir.resolve("run");
        CliRun run =
                CliRun.of(
                        "train",
                        "--method",
                        "ce",
                        "--dataset",
                        missing.toString(),
                        "--epochs",
                        "1",
                        "--out",
                        out.toString());
        assertEquals(Main.EXIT_FAILURE, run.exitCode());
        assertEquals(
                "oodlab: unknown data set '"
                        + missing
                        + "': expected fashion-mnist, mnist, cifar10 or a folder holding Fashion-MNIST-style"
                        + " IDX files",
                run.err().strip());
        assertFalse(Files.exists(out));
        assertNoStagingLeft();
    }

    @Test
    void missingOodFileLeavesAnExistingOutputFolderAsItWas() throws IOException {
        Path out = Files.createDirectories(dir.resolve("run"));
        Files.writeString(out.resolve("results.json"), "old");
        CliRun run = train(out, "--method", "ce", "--ood", "uniform," + dir.resolve("missing.idx"));
        assertEquals(Main.EXIT_FAILURE, run.exitCode());
        assertTrue(run.err().startsWith("oodlab: unknown OOD set '"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertEquals("old", Files.readString(out.resolve("results.json")));
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(1, files.count());
        }
        assertNoStagingLeft();
    }

    @Test
    void evaluateOnAFolderWithoutAModelFails() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CliRun run = CliRun.of("evaluate", "--model", empty.toString());
        assertEquals(Main.EXIT_FAILURE, run.exitCode());
        assertEquals(
                "oodlab: " + empty + " holds no model (no model.json; train one with oodlab train)",
                run.err().strip());
        assertEquals("", run.out());
    }

    @Test
    void evaluateOnAMissingFolderFails() {
        Path missing = dir.resolve("nothing-here");
        CliRun run = CliRun.of("evaluate", "--model", missing.toString());
        assertEquals(Main.EXIT_FAILURE, run.exitCode());
        assertEquals("oodlab: model folder not found: " + missing, run.err().strip());
    }

    @Test
    void evaluateRejectsTruncatedParameters() throws IOException {
        Path out = dir.resolve("run");
        assertEquals(0, train(out, "--method", "ce", "--ood", "uniform").exitCode());
        byte[] params = Files.readAllBytes(out.resolve("model.params"));
        Files.write(out.resolve("model.params"), java.util.Arrays.copyOf(params, 100));
        CliRun run = CliRun.of("evaluate", "--model", out.toString(), "--ood", "uniform");
        assertEquals(Main.EXIT_FAILURE, run.exitCode());
        assertTrue(
                run.err().startsWith("oodlab: " + out.resolve("model.params") + " does not fit"),
                run.err());
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("");
    }

    private void assertNoStagingLeft() {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> staging =
                    files.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(".tmp"))
                            .toList();
            assertEquals(List.of(), staging);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

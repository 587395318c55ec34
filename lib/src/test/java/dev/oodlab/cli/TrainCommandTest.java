package dev.oodlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.oodlab.experiment.Detectors;
import dev.oodlab.experiment.RunCache;
import dev.oodlab.experiment.TinyData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

    @Test
    void helpListsEveryMethodOptionWithTheMethodsThatHaveIt() {
        CliRun help = CliRun.of("train", "--help");
        assertEquals(0, help.exitCode(), help.err());
        String text = help.out().replaceAll("\\s+", " ");
        for (dev.oodlab.train.MethodOption option : dev.oodlab.train.TrainingMethods.allOptions()) {
            boolean flag = option.type() == dev.oodlab.train.MethodOption.Type.FLAG;
            assertTrue(text.contains("--" + option.name() + (flag ? " " : "=")), option.name());
        }
        assertTrue(text.contains("(>= 1; default 4). Methods: smoothmix."), text);
        assertTrue(text.contains("Detector for the OOD metrics: msp, odin, energy"), text);
    }

    @Test
    void anOptionOfAnotherMethodIsRefusedByName() {
        CliRun run = train(dir.resolve("out"), "--method", "mixup", "--sigma", "0.5");
        assertEquals(2, run.exitCode());
        assertTrue(
                run.err().contains("method mixup has no option sigma (it has: alpha)"), run.err());
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
    void aSecondTrainLoadsTheRunCacheAndNoCacheTrainsAgain() throws IOException {
        // the tests run with OODLAB_CACHE=off; the property (which takes precedence) names a folder
        String before = System.getProperty(RunCache.PROPERTY);
        System.setProperty(RunCache.PROPERTY, dir.resolve("cache").toString());
        try {
            CliRun first = train(dir.resolve("a"), "--method", "ce", "--ood", "uniform");
            assertEquals(0, first.exitCode(), first.err());
            assertTrue(first.err().contains("epoch 1/1: loss"), first.err());
            assertTrue(first.err().contains("run cache: stored (entry "), first.err());

            CliRun second = train(dir.resolve("b"), "--method", "ce", "--ood", "uniform");
            assertEquals(0, second.exitCode(), second.err());
            assertTrue(second.err().contains("loaded from the run cache"), second.err());
            assertFalse(second.err().contains("epoch 1/1: loss"), second.err());
            assertEquals(
                    Files.readString(dir.resolve("a/model.params"), StandardCharsets.ISO_8859_1),
                    Files.readString(dir.resolve("b/model.params"), StandardCharsets.ISO_8859_1));
            JsonObject a = json(dir.resolve("a/results.json"));
            JsonObject b = json(dir.resolve("b/results.json"));
            assertFalse(a.has("run_cache"));
            assertEquals(64, b.get("run_cache").getAsString().length());
            b.remove("run_cache");
            assertEquals(a, b, "the same record, the cache entry apart");

            CliRun again =
                    train(dir.resolve("c"), "--method", "ce", "--ood", "uniform", "--no-cache");
            assertEquals(0, again.exitCode(), again.err());
            assertTrue(again.err().contains("epoch 1/1: loss"), again.err());
            assertFalse(again.err().contains("run cache"), again.err());
            assertFalse(json(dir.resolve("c/results.json")).has("run_cache"));
        } finally {
            if (before == null) {
                System.clearProperty(RunCache.PROPERTY);
            } else {
                System.setProperty(RunCache.PROPERTY, before);
            }
        }
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
    void mixupConfidenceTrainsInEitherFormAndRecordsIt() throws IOException {
        for (String form : new String[] {null, "replacing"}) {
            Path out = dir.resolve("mixup-confidence-" + form);
            CliRun run =
                    form == null
                            ? train(out, "--method", "mixup-confidence", "--ood", "uniform")
                            : train(
                                    out,
                                    "--method",
                                    "mixup-confidence",
                                    "--mixup-form",
                                    form,
                                    "--ood",
                                    "uniform");
            assertEquals(0, run.exitCode(), run.err());
            assertEquals(
                    JsonParser.parseString(
                            "{\"alpha\": 1.0, \"beta\": 1.0, \"mixup_form\": \""
                                    + (form == null ? "additive" : form)
                                    + "\"}"),
                    json(out.resolve("results.json")).getAsJsonObject("options"));
        }
    }

    @Test
    void mixupFormOnAnotherMethodOrWithAnUnknownValueFails() {
        CliRun run = train(dir.resolve("run"), "--method", "mixup", "--mixup-form", "additive");
        assertEquals(Main.EXIT_USAGE, run.exitCode());
        assertEquals(
                "oodlab: method mixup has no option mixup-form (it has: alpha)",
                firstLine(run.err()));
        run = train(dir.resolve("run"), "--method", "mixup-confidence", "--mixup-form", "both");
        assertEquals(Main.EXIT_USAGE, run.exitCode());
        assertEquals(
                "oodlab: mixup-form must be additive or replacing, got 'both'",
                firstLine(run.err()));
        assertFalse(Files.exists(dir.resolve("run")));
    }

    @Test
    void adversarialMixupTrainsInEveryReadingAndRecordsIt() throws IOException {
        String[][] runs = {
            {"adversarial-mixup"},
            {
                "adversarial-mixup",
                "--partner",
                "same",
                "--adversarial-target",
                "uniform",
                "--clean-weight",
                "0.5"
            },
            {"adversarial-mixup", "--partner", "same", "--adversarial-target", "label"},
            {"adversarial-mixup-uniform"}
        };
        String[] recorded = {
            "\"partner\": \"shuffled\", \"adversarial_target\": \"label\", \"clean_weight\": 0.0",
            "\"partner\": \"same\", \"adversarial_target\": \"uniform\", \"clean_weight\": 0.5",
            "\"partner\": \"same\", \"adversarial_target\": \"label\", \"clean_weight\": 0.0",
            "\"partner\": \"same\", \"adversarial_target\": \"uniform\", \"clean_weight\": 0.5"
        };
        for (int i = 0; i < runs.length; i++) {
            Path out = dir.resolve("advmix-" + i);
            List<String> args = new java.util.ArrayList<>(List.of("--method"));
            args.addAll(List.of(runs[i]));
            args.addAll(List.of("--ood", "uniform"));
            CliRun run = train(out, args.toArray(String[]::new));
            assertEquals(0, run.exitCode(), run.err());
            JsonObject results = json(out.resolve("results.json"));
            assertEquals(runs[i][0], results.get("method").getAsString());
            assertEquals(
                    JsonParser.parseString(
                            "{\"alpha\": 1.0, \"epsilon\": 0.1, " + recorded[i] + "}"),
                    results.getAsJsonObject("options"),
                    String.join(" ", runs[i]));
        }
    }

    @Test
    void adversarialMixupReadingsOnAnotherMethodOrWithUnknownValuesFail() {
        String[][] cases = {
            {"mixup", "--partner", "same", "method mixup has no option partner (it has: alpha)"},
            {
                "adversarial-mixup-uniform",
                "--clean-weight",
                "0",
                "method adversarial-mixup-uniform has no option clean-weight (it has: alpha,"
                        + " epsilon)"
            },
            {
                "adversarial-mixup",
                "--adversarial-target",
                "none",
                "adversarial-target must be label or uniform, got 'none'"
            },
            {
                "adversarial-mixup",
                "--partner",
                "next",
                "partner must be shuffled or same, got 'next'"
            }
        };
        for (String[] c : cases) {
            CliRun run = train(dir.resolve("run"), "--method", c[0], c[1], c[2]);
            assertEquals(Main.EXIT_USAGE, run.exitCode(), c[1]);
            assertEquals("oodlab: " + c[3], firstLine(run.err()));
        }
        assertFalse(Files.exists(dir.resolve("run")));
    }

    @Test
    void mtlatTrainsWithEitherTargetClassAndRecordsIt() throws IOException {
        for (String targetClass : new String[] {null, "other"}) {
            Path out = dir.resolve("m-tlat-" + targetClass);
            CliRun run =
                    targetClass == null
                            ? train(out, "--method", "m-tlat", "--ood", "uniform")
                            : train(
                                    out,
                                    "--method",
                                    "m-tlat",
                                    "--target-class",
                                    targetClass,
                                    "--ood",
                                    "uniform");
            assertEquals(0, run.exitCode(), run.err());
            assertEquals(
                    JsonParser.parseString(
                            "{\"alpha\": 1.0, \"epsilon\": 0.1, \"target_class\": \""
                                    + (targetClass == null ? "any" : targetClass)
                                    + "\"}"),
                    json(out.resolve("results.json")).getAsJsonObject("options"));
        }
        CliRun run = train(dir.resolve("run"), "--method", "mixup", "--target-class", "other");
        assertEquals(Main.EXIT_USAGE, run.exitCode());
        assertEquals(
                "oodlab: method mixup has no option target-class (it has: alpha)",
                firstLine(run.err()));
        assertFalse(Files.exists(dir.resolve("run")));
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
    void smoothMixWithItsOptionsTrainsRecordsThemAndTheModelCanBeCertified() throws IOException {
        Path out = dir.resolve("smoothmix");
        CliRun run =
                train(
                        out,
                        "--method",
                        "smoothmix",
                        "--sigma",
                        "0.5",
                        "--noise-draws",
                        "2",
                        "--steps",
                        "3",
                        "--step-size",
                        "0.5",
                        "--eta",
                        "2",
                        "--one-step",
                        "--warmup-epochs",
                        "2",
                        "--ood",
                        "uniform");
        assertEquals(0, run.exitCode(), run.err());
        // the method the run trains with, as it describes itself
        assertTrue(
                run.err().contains("SmoothMix[sigma=0.5, m=2, T=3, alpha=0.5, eta=2.0, one-step]"),
                run.err());
        JsonObject expected =
                JsonParser.parseString(
                                "{\"sigma\": 0.5, \"noise_draws\": 2, \"steps\": 3,"
                                        + " \"step_size\": 0.5, \"eta\": 2.0, \"one_step\": true,"
                                        + " \"warmup_epochs\": 2, \"chunks_per_batch\": 2}")
                        .getAsJsonObject();
        JsonObject results = json(out.resolve("results.json"));
        assertEquals("smoothmix", results.get("method").getAsString());
        assertEquals(expected, results.getAsJsonObject("options"));
        JsonObject model = json(out.resolve("model.json"));
        assertEquals(expected, model.getAsJsonObject("options"));
        assertEquals(0.5, model.get("sigma").getAsDouble(), "certify's default sigma");

        // certify reads sigma and the test split (the fixture's 50 test images) from the folder
        Path log = dir.resolve("certify.tsv");
        CliRun certified =
                CliRun.of(
                        "certify",
                        "--model",
                        out.toString(),
                        "--n0",
                        "10",
                        "--n",
                        "40",
                        "--count",
                        "6",
                        "--out",
                        log.toString());
        assertEquals(0, certified.exitCode(), certified.err());
        JsonObject summary = JsonParser.parseString(certified.out()).getAsJsonObject();
        assertEquals(0.5, summary.get("sigma").getAsDouble());
        assertEquals(40, summary.get("n").getAsInt());
        assertEquals(6, summary.get("count").getAsInt());
        List<String> rows = Files.readAllLines(log);
        assertEquals("idx\tlabel\tpredict\tradius\tcorrect\ttime", rows.get(0));
        assertEquals(7, rows.size(), "a header and one row per certified image");
        // the largest radius n = 40 copies can certify is sigma * PhiInv(0.001^(1/40))
        double cap =
                0.5
                        * new org.hipparchus.distribution.continuous.NormalDistribution(0, 1)
                                .inverseCumulativeProbability(Math.pow(0.001, 1.0 / 40));
        double acr = summary.get("acr").getAsDouble();
        assertTrue(acr >= 0 && acr <= cap + 1e-12, certified.out());
    }

    @Test
    void smoothMixWithoutOptionsRecordsTheDefaultsOfSpecSection39() throws IOException {
        Path out = dir.resolve("smoothmix");
        CliRun run = train(out, "--method", "smoothmix", "--sigma", "0.5", "--ood", "uniform");
        assertEquals(0, run.exitCode(), run.err());
        // m = 4, alpha = 1, eta = 5, a 10-epoch warm-up, and T = 4 at sigma = 0.5
        assertEquals(
                JsonParser.parseString(
                        "{\"sigma\": 0.5, \"noise_draws\": 4, \"steps\": 4, \"step_size\": 1.0,"
                                + " \"eta\": 5.0, \"one_step\": false, \"warmup_epochs\": 10,"
                                + " \"chunks_per_batch\": 4}"),
                json(out.resolve("results.json")).getAsJsonObject("options"));
    }

    @Test
    void aSmoothMixOptionOnAnotherMethodFailsNamingOptionAndMethod() {
        CliRun run =
                train(dir.resolve("run"), "--method", "gaussian", "--sigma", "0.5", "--steps", "3");
        assertEquals(Main.EXIT_USAGE, run.exitCode());
        assertEquals(
                "oodlab: method gaussian has no option steps (it has: sigma)",
                firstLine(run.err()));
        run = train(dir.resolve("run"), "--method", "mixup", "--one-step");
        assertEquals(Main.EXIT_USAGE, run.exitCode());
        assertEquals(
                "oodlab: method mixup has no option one-step (it has: alpha)",
                firstLine(run.err()));
        assertFalse(Files.exists(dir.resolve("run")));
    }

    @Test
    void smoothMixOptionsOutOfRangeFail() {
        for (String[] c :
                List.of(
                        new String[] {"--noise-draws", "0", "noise-draws must be >= 1, got 0"},
                        new String[] {"--steps", "0", "steps must be >= 1, got 0"},
                        new String[] {"--step-size", "0", "step-size must be > 0, got 0.0"},
                        new String[] {"--eta", "-1", "eta must be >= 0, got -1.0"},
                        new String[] {
                            "--warmup-epochs", "0", "warmup-epochs must be >= 1, got 0"
                        })) {
            CliRun run = train(dir.resolve("run"), "--method", "smoothmix", c[0], c[1]);
            assertEquals(Main.EXIT_USAGE, run.exitCode(), c[0]);
            assertEquals("oodlab: " + c[2], firstLine(run.err()));
        }
        assertFalse(Files.exists(dir.resolve("run")));
    }

    @Test
    void unknownDetectorFails() {
        CliRun run = train(dir.resolve("run"), "--method", "ce", "--detector", "lof");
        assertEquals(Main.EXIT_USAGE, run.exitCode());
        assertEquals(
                "oodlab: unknown detector 'lof'; known: " + String.join(", ", Detectors.NAMES),
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
    void anEarlierOutputFolderIsReplacedWholeNeverMerged() throws IOException {
        Path out = dir.resolve("run");
        assertEquals(0, train(out, "--method", "ce", "--ood", "uniform,gaussian").exitCode());
        assertTrue(Files.isRegularFile(out.resolve("confidence-gaussian.png")));
        CliRun again = train(out, "--method", "ce", "--ood", "uniform");
        assertEquals(0, again.exitCode(), again.err());
        // The chart of a set this run did not evaluate is gone with the old folder.
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(
                    List.of(
                            "confidence-uniform.png",
                            "model.json",
                            "model.params",
                            "results.csv",
                            "results.json",
                            "roc.png"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertNoStagingLeft();
    }

    @Test
    void aLearningRateIsRecordedExactly() throws IOException {
        Path out = dir.resolve("run");
        CliRun run = train(out, "--method", "ce", "--ood", "uniform", "--lr", "1e-10");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(
                "adam, learning rate 1e-10 cosine-annealed per step to 0",
                json(out.resolve("results.json")).get("optimizer").getAsString());
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

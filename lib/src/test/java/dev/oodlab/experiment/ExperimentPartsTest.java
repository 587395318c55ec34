package dev.oodlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oodlab.data.Datasets;
import dev.oodlab.data.ImageSet;
import dev.oodlab.io.StagedDirectory;
import dev.oodlab.nn.ModelFolder;
import dev.oodlab.train.AdversarialMixup;
import dev.oodlab.train.Mixup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small parts of an experiment: options, memory probe, staged output, data folders. */
class ExperimentPartsTest {

    @TempDir Path dir;

    @Test
    void residentMemoryIsParsedFromProcStatusInKilobytes() {
        String status = "Name:\tjava\nVmPeak:\t 9000 kB\nVmRSS:\t  123456 kB\nThreads:\t40\n";
        assertEquals(123456L * 1024, ProcessMemory.residentBytes(status));
        assertEquals(-1, ProcessMemory.residentBytes("Name:\tjava\n"));
    }

    @Test
    void schedulesFollowTheirFormulas() {
        // cosine over 2 epochs of 4 steps: t = 0 -> peak, t = 4 (half) -> peak/2, t = 6 ->
        // peak * (1 + cos(3pi/4)) / 2 = peak * 0.1464466.
        var cosine = Experiment.schedule("cosine", 1e-3);
        assertEquals(1e-3, cosine.rate(0, 0, 4, 2), 1e-15);
        assertEquals(5e-4, cosine.rate(1, 0, 4, 2), 1e-15);
        assertEquals(1e-3 * (1 - Math.sqrt(0.5)) / 2, cosine.rate(1, 2, 4, 2), 1e-15);
        assertEquals(2e-3, Experiment.schedule("CONSTANT", 2e-3).rate(4, 3, 4, 5), 0);
        // step over 5 epochs: x0.1 every 3 epochs -> epochs 0-2 peak, 3-4 peak/10.
        var step = Experiment.schedule("step", 1e-3);
        assertEquals(1e-3, step.rate(2, 9, 10, 5), 1e-18);
        assertEquals(1e-4, step.rate(3, 0, 10, 5), 1e-18);
        assertEquals(
                "unknown schedule 'linear'; known: cosine, constant, step",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Experiment.schedule("linear", 1e-3))
                        .getMessage());
        assertEquals(
                "learning rate must be > 0, got 0.0",
                assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        Experiment.builder()
                                                .setMethod("ce")
                                                .optLearningRate(0)
                                                .build())
                        .getMessage());
        assertEquals(
                "adam, learning rate 0.002 constant",
                Experiment.builder()
                        .setMethod("ce")
                        .optLearningRate(2e-3)
                        .optSchedule("constant")
                        .build()
                        .optimizerText());
        assertEquals(
                "adam, learning rate 0.001 cosine-annealed per step to 0",
                Experiment.builder().setMethod("ce").build().optimizerText());
    }

    @Test
    void settingsHoldTheEffectiveOptionsAndTheSchedule() {
        var settings = Experiment.builder().setMethod("adversarial-mixup").build().settings();
        assertEquals(1.0, settings.get("alpha"));
        assertEquals(0.1, settings.get("epsilon"));
        assertEquals(1e-3, settings.get("lr"));
        assertEquals("cosine", settings.get("schedule"));
        assertFalse(
                settings.equals(
                        Experiment.builder()
                                .setMethod("adversarial-mixup")
                                .optSchedule("constant")
                                .build()
                                .settings()));
        // an explicit value equal to the default is the same run
        assertEquals(
                settings,
                Experiment.builder()
                        .setMethod("adversarial-mixup")
                        .optMethodOptions(new MethodOptions(1.0, 0.1, null, null))
                        .build()
                        .settings());
    }

    @Test
    void methodOptionsReachTheMethodAndAreRecorded() {
        MethodOptions options = new MethodOptions(0.4, 0.05, null, null);
        assertEquals(
                "AdversarialMixup[alpha=0.4, eps=0.05, partner=shuffled, target=label,"
                        + " cleanWeight=0.0]",
                options.create("adversarial-mixup").toString());
        assertEquals(
                "AdversarialMixup[alpha=1.0, eps=0.1, partner=same, target=uniform,"
                        + " cleanWeight=0.25]",
                new MethodOptions(
                                null, null, null, null, null, null, null, null, null, null, 0.25,
                                null, "same", "uniform", null)
                        .create("adversarial-mixup")
                        .toString());
        assertEquals(
                "AdversarialMixup[alpha=0.4, eps=0.05, partner=same, target=uniform,"
                        + " cleanWeight=0.5]",
                options.create(AdversarialMixup.UNIFORM_PRESET).toString());
        assertEquals(List.of("alpha", "epsilon"), List.copyOf(options.asMap().keySet()));
        assertEquals(
                Mixup.builder().optAlpha(0.4).build().toString(),
                new MethodOptions(0.4, null, null, null).create("mixup").toString());
        assertEquals(
                AdversarialMixup.builder().build().toString(),
                MethodOptions.defaults().create("adversarial-mixup").toString());
    }

    @Test
    void methodOptionsRejectOptionsTheMethodLacksAndValuesOutOfRange() {
        assertEquals(
                "method mixup has no option epsilon, sigma (it has: alpha)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new MethodOptions(null, 0.1, null, 0.5).create("mixup"))
                        .getMessage());
        assertEquals(
                "sigma must be > 0, got 0.0",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new MethodOptions(null, null, null, 0.0).create("gaussian"))
                        .getMessage());
        assertEquals(
                "beta must be >= 0, got -1.0",
                assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        new MethodOptions(null, null, -1.0, null)
                                                .create("confidence-loss"))
                        .getMessage());
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () -> MethodOptions.defaults().create("nope"))
                        .getMessage()
                        .startsWith("unknown training method 'nope'"));
    }

    @Test
    void knownDataSetNamesAreRecordedInLowerCaseAndFoldersAsGiven() {
        // certify and evaluate look the name up in model.json: "MNIST" must not lose its split
        assertEquals("mnist", Experiment.canonicalDataset("MNIST"));
        assertEquals("fashion-mnist", Experiment.canonicalDataset("Fashion-MNIST"));
        assertEquals("data/My-Set", Experiment.canonicalDataset("data/My-Set"));
    }

    @Test
    void everyTrainingMethodNameIsAccepted() {
        for (String name : dev.oodlab.train.TrainingMethods.NAMES) {
            assertEquals(name, MethodOptions.defaults().create(name).name());
        }
    }

    @Test
    void stagedFilesAppearOnlyAtCommit() throws IOException {
        Path out = dir.resolve("out");
        try (StagedDirectory staged = StagedDirectory.create(out, name -> true)) {
            Files.writeString(staged.path().resolve("a.txt"), "a");
            assertFalse(Files.exists(out));
            staged.commit();
        }
        assertEquals("a", Files.readString(out.resolve("a.txt")));
        assertEquals(List.of("out"), names(dir));
    }

    @Test
    void aCommitReplacesAnExistingFolderWholeNeverMerging() throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("a.txt"), "old");
        Files.writeString(out.resolve("stale.txt"), "of an earlier run");
        try (StagedDirectory staged = StagedDirectory.create(out, name -> name.endsWith(".txt"))) {
            Files.writeString(staged.path().resolve("a.txt"), "new");
            staged.commit();
        }
        assertEquals("new", Files.readString(out.resolve("a.txt")));
        assertEquals(List.of("a.txt"), names(out));
        assertEquals(List.of("out"), names(dir));
    }

    @Test
    void aFolderHoldingAnythingTheWriterDoesNotOwnIsNeverReplaced() throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve("a.txt"), "old");
        Files.writeString(out.resolve("thesis.tex"), "mine");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> StagedDirectory.create(out, name -> name.endsWith(".txt")));
        assertEquals(
                out
                        + " holds thesis.tex, which oodlab did not write, and an output folder is"
                        + " replaced whole; choose another folder or move it away",
                e.getMessage());
        assertEquals(List.of("a.txt", "thesis.tex"), names(out));
        assertEquals(List.of("out"), names(dir));
    }

    @Test
    void withoutACommitNothingIsLeft() throws IOException {
        Path out = dir.resolve("out");
        try (StagedDirectory staged = StagedDirectory.create(out, name -> true)) {
            Files.writeString(staged.path().resolve("a.txt"), "a");
        }
        assertEquals(List.of(), names(dir));
    }

    @Test
    void aDataFolderInFashionMnistLayoutLoadsAsTrainAndTest() throws IOException {
        Path data = TinyData.write(dir.resolve("tiny"), 30, 20);
        ImageSet[] splits = Datasets.inDistribution(data.toString());
        assertEquals(30, splits[0].size());
        assertEquals(20, splits[1].size());
        assertEquals("tiny/train", splits[0].name());
        assertEquals(3, splits[0].label(3));
        Files.delete(data.resolve("t10k-labels-idx1-ubyte.gz"));
        assertEquals(
                "data set folder " + data + " holds no t10k-labels-idx1-ubyte[.gz]",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Datasets.inDistribution(data.toString()))
                        .getMessage());
    }

    @Test
    void modelInfoSurvivesItsJson() throws IOException {
        ModelInfo info =
                new ModelInfo(
                        "lenet",
                        new long[] {1, 28, 28},
                        10,
                        "fashion-mnist",
                        "confidence-loss",
                        3,
                        5,
                        64,
                        1000,
                        java.util.Map.of("beta", 0.5),
                        "gaussian-0.25 (...)");
        Files.writeString(dir.resolve(ModelFolder.METADATA), info.toJson());
        Files.writeString(dir.resolve(ModelFolder.PARAMETERS), "");
        assertEquals(info, ModelInfo.read(dir));
        // the deprecated ModelDirectory delegates to the same code
        @SuppressWarnings("deprecation")
        String viaDelegate = ModelDirectory.toJson(info);
        assertEquals(info.toJson(), viaDelegate);
    }

    @Test
    void aForeignJsonIsNotAModel() throws IOException {
        Files.writeString(dir.resolve(ModelFolder.METADATA), "{\"model\": \"lenet\"}");
        Files.writeString(dir.resolve(ModelFolder.PARAMETERS), "");
        assertEquals(
                dir.resolve(ModelFolder.METADATA)
                        + ": not an oodlab model description (format oodlab-model/1)",
                assertThrows(IllegalArgumentException.class, () -> ModelInfo.read(dir))
                        .getMessage());
    }

    @Test
    void theEpochLogGivesTimeAndMemoryOnlyWhenAskedFor() throws IOException {
        Path data = TinyData.write(dir.resolve("tiny"), 40, 20);
        for (boolean diagnostics : new boolean[] {false, true}) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (Experiment.Run run =
                    Experiment.builder()
                            .setMethod("ce")
                            .optDataset(data.toString())
                            .optEpochs(1)
                            .optBatchSize(20)
                            .optOodSets(List.of("uniform"))
                            .optOodCount(10)
                            .optProgress(dev.oodlab.train.ProgressBar.Mode.OFF)
                            .optLog(
                                    new java.io.PrintStream(
                                            bytes, true, java.nio.charset.StandardCharsets.UTF_8))
                            .optDiagnostics(diagnostics)
                            .build()
                            .run()) {
                String log = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
                String epoch =
                        log.lines().filter(l -> l.startsWith("epoch 1/1")).findFirst().orElse("");
                assertTrue(epoch.startsWith("epoch 1/1: loss "), log);
                assertEquals(diagnostics, epoch.contains("rss "), epoch);
                assertEquals(diagnostics, epoch.contains("img/s"), epoch);
                // The record keeps the memory either way.
                assertTrue(run.history().get(0).containsKey("rss_mb"));
            }
        }
    }

    @Test
    void theStudyChecksTheReadingOfItsAdversarialMixupRow() {
        MethodOptions bad =
                new MethodOptions(
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        "neighbour",
                        null,
                        null);
        assertEquals(
                "partner must be shuffled or same, got 'neighbour'",
                assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        AdversarialMixupStudy.builder()
                                                .optAdversarialMixup(bad)
                                                .build())
                        .getMessage());
        MethodOptions notItsOption = new MethodOptions(null, null, 1.0, null);
        assertEquals(
                "method adversarial-mixup has no option beta (it has: adversarial-target, alpha,"
                        + " clean-weight, epsilon, partner)",
                assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        AdversarialMixupStudy.builder()
                                                .optAdversarialMixup(notItsOption)
                                                .build())
                        .getMessage());
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}

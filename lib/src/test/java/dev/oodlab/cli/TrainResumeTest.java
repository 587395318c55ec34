package dev.oodlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.oodlab.experiment.CheckpointFolder;
import dev.oodlab.experiment.TinyData;
import dev.oodlab.train.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code oodlab train --resume}: a run killed (SIGKILL, in a separate JVM) after its first
 * checkpoint and resumed gives the same model and results as an uninterrupted run; and the ways a
 * checkpoint folder is refused.
 *
 * <p>The killed run trains Adversarial-Mixup (random mixing weights and an FGSM step, so a resume
 * that replayed any draw differently would show) for 3 epochs on 2000 tiny IDX images: about a
 * second per epoch, so the kill lands after epoch 1 or 2, never after the last one.
 *
 * <p>Every run here uses one libtorch intra-op thread (this JVM's and the killed one's): with two,
 * LeNet's FGSM step does not give the same bits twice, even in two uninterrupted runs, which is a
 * matter of the kernels, not of resuming.
 */
class TrainResumeTest {

    private static final int EPOCHS = 3;

    @TempDir static Path shared;

    private static Path data;
    private static Path uninterrupted;
    private static Path killedCheckpoint;
    private static int killedAfterEpochs;

    @TempDir Path dir;

    private static List<String> arguments(Path dataset, int epochs, Path out, String... more) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "train",
                                "--method",
                                "adversarial-mixup",
                                "--dataset",
                                dataset.toString(),
                                "--epochs",
                                Integer.toString(epochs),
                                "--ood",
                                "uniform",
                                "--ood-count",
                                "30",
                                "--quiet",
                                "--out",
                                out.toString()));
        args.addAll(List.of(more));
        return args;
    }

    private static CliRun train(Path out, String... more) {
        return CliRun.of(arguments(data, EPOCHS, out, more).toArray(String[]::new));
    }

    private static final String THREADS = "ai.djl.pytorch.num_threads";
    private static int threadsBefore;
    private static String threadsPropertyBefore;

    @BeforeAll
    static void runUninterruptedAndKilled() throws IOException, InterruptedException {
        dev.oodlab.OodLab.init();
        ai.djl.engine.Engine.getInstance();
        threadsBefore = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
        threadsPropertyBefore = System.setProperty(THREADS, "1"); // CliProcess passes it on
        data = TinyData.write(shared.resolve("data"), 2000, 50);
        uninterrupted = shared.resolve("uninterrupted");
        CliRun full = train(uninterrupted);
        assertEquals(0, full.exitCode(), full.err());

        Path killed = shared.resolve("killed");
        Path checkpoint = CheckpointFolder.forOutput(killed);
        CliProcess process =
                CliProcess.start(
                        shared.resolve("logs"),
                        Map.of(),
                        arguments(data, EPOCHS, killed).toArray(String[]::new));
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!CheckpointFolder.hasCheckpoint(checkpoint)) {
            assertTrue(
                    process.isAlive(),
                    "the run ended before its first checkpoint:\n" + process.stderr());
            assertTrue(System.nanoTime() < deadline, "no checkpoint after 2 minutes");
            Thread.sleep(5);
        }
        process.kill();
        killedAfterEpochs = Checkpoint.read(checkpoint).epochsDone();
        assertTrue(
                killedAfterEpochs >= 1 && killedAfterEpochs < EPOCHS,
                "killed after epoch " + killedAfterEpochs);
        assertFalse(Files.exists(killed), "an interrupted run wrote --out");
        killedCheckpoint = checkpoint;
    }

    @AfterAll
    static void restoreThreads() {
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threadsBefore);
        if (threadsPropertyBefore == null) {
            System.clearProperty(THREADS);
        } else {
            System.setProperty(THREADS, threadsPropertyBefore);
        }
    }

    /** A fresh copy of the killed run's checkpoint folder, for {@code --out out}. */
    private Path interrupted(String name) throws IOException {
        Path out = dir.resolve(name);
        Path copy = CheckpointFolder.forOutput(out);
        try (Stream<Path> walk = Files.walk(killedCheckpoint)) {
            for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
                Files.copy(p, copy.resolve(killedCheckpoint.relativize(p).toString()));
            }
        }
        return out;
    }

    private static JsonObject results(Path out) throws IOException {
        return JsonParser.parseString(Files.readString(out.resolve("results.json")))
                .getAsJsonObject();
    }

    @Test
    void aKilledRunResumedGivesTheSameModelAndResultsAsAnUninterruptedRun() throws IOException {
        Path out = interrupted("run");
        CliRun run = train(out, "--resume");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(
                run.err().contains("resuming after epoch " + killedAfterEpochs + " of 3"),
                run.err());
        assertArrayEquals(
                Files.readAllBytes(uninterrupted.resolve("model.params")),
                Files.readAllBytes(out.resolve("model.params")));
        JsonObject expected = results(uninterrupted);
        JsonObject actual = results(out);
        assertEquals(
                expected.get("test_accuracy").getAsDouble(),
                actual.get("test_accuracy").getAsDouble());
        assertEquals(expected.getAsJsonObject("ood"), actual.getAsJsonObject("ood"));
        // The history covers every epoch, those before the kill included, with the same losses.
        JsonArray before = expected.getAsJsonArray("history");
        JsonArray after = actual.getAsJsonArray("history");
        assertEquals(EPOCHS, after.size());
        for (int e = 0; e < EPOCHS; e++) {
            JsonObject entry = after.get(e).getAsJsonObject();
            assertEquals(e + 1, entry.get("epoch").getAsInt());
            assertEquals(
                    before.get(e).getAsJsonObject().get("loss").getAsDouble(),
                    entry.get("loss").getAsDouble());
            assertTrue(entry.get("rss_mb").getAsDouble() > 0, entry.toString());
        }
        assertFalse(Files.exists(CheckpointFolder.forOutput(out)), "checkpoint folder left");
    }

    @Test
    void withoutResumeAnExistingCheckpointIsRefusedAndKept() throws IOException {
        Path out = interrupted("run");
        CliRun run = train(out);
        assertEquals(Main.EXIT_FAILURE, run.exitCode());
        assertEquals(
                "oodlab: "
                        + CheckpointFolder.forOutput(out)
                        + " holds the checkpoint of an interrupted run (after epoch "
                        + killedAfterEpochs
                        + "): pass --resume to continue it, or delete the folder to start again",
                run.err().strip());
        assertFalse(Files.exists(out));
        assertTrue(CheckpointFolder.hasCheckpoint(CheckpointFolder.forOutput(out)));
    }

    @Test
    void resumingWithAnotherSettingNamesIt() throws IOException {
        Path out = interrupted("run");
        CliRun run = train(out, "--resume", "--seed", "7");
        assertEquals(Main.EXIT_FAILURE, run.exitCode());
        assertEquals(
                "oodlab: cannot resume: --seed is 7 here but 42 in the checkpoint "
                        + CheckpointFolder.forOutput(out)
                        + "; give the interrupted run's options, or delete the folder",
                run.err().strip());
        CliRun epochs = CliRun.of(arguments(data, 4, out, "--resume").toArray(String[]::new));
        assertTrue(
                epochs.err().startsWith("oodlab: cannot resume: --epochs is 4 here but 3 in"),
                epochs.err());
        assertFalse(Files.exists(out));
        assertTrue(CheckpointFolder.hasCheckpoint(CheckpointFolder.forOutput(out)));
    }

    @Test
    void resumingWithoutACheckpointFolderIsAnError() {
        Path out = dir.resolve("never-started");
        CliRun run = train(out, "--resume");
        assertEquals(Main.EXIT_FAILURE, run.exitCode());
        assertEquals(
                "oodlab: nothing to resume: no checkpoint folder "
                        + CheckpointFolder.forOutput(out),
                run.err().strip());
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(CheckpointFolder.forOutput(out)));
    }

    @Test
    void theLeftoverOfARunKilledInItsFirstEpochCannotBeResumedButIsReplaced() throws IOException {
        Path out = dir.resolve("run");
        Path checkpoint = CheckpointFolder.forOutput(out);
        // What such a run leaves: its settings and a checkpoint folder it never finished.
        Files.createDirectories(checkpoint.resolve(".epoch-0001.k3x9.tmp"));
        Files.copy(
                killedCheckpoint.resolve(CheckpointFolder.SETTINGS),
                checkpoint.resolve(CheckpointFolder.SETTINGS));
        CliRun resume = train(out, "--resume");
        assertEquals(Main.EXIT_FAILURE, resume.exitCode());
        assertEquals(
                "oodlab: nothing to resume: "
                        + checkpoint
                        + " holds no complete checkpoint (the run stopped in its first epoch);"
                        + " start again without --resume",
                resume.err().strip());
        Path tiny = TinyData.write(dir.resolve("tiny"), 200, 50);
        CliRun fresh = CliRun.of(arguments(tiny, 1, out).toArray(String[]::new));
        assertEquals(0, fresh.exitCode(), fresh.err());
        assertTrue(Files.isRegularFile(out.resolve("results.json")));
        assertFalse(Files.exists(checkpoint), "checkpoint folder left");
    }

    @Test
    void aFolderThatIsNoCheckpointFolderIsNeverDeleted() throws IOException {
        Path out = dir.resolve("run");
        Path checkpoint = Files.createDirectories(CheckpointFolder.forOutput(out));
        Files.writeString(checkpoint.resolve("notes.txt"), "mine");
        CliRun run = train(out);
        assertEquals(Main.EXIT_FAILURE, run.exitCode());
        assertEquals(
                "oodlab: " + checkpoint + " exists and is not a checkpoint folder; move it away",
                run.err().strip());
        assertEquals("mine", Files.readString(checkpoint.resolve("notes.txt")));
        assertFalse(Files.exists(out));
    }
}

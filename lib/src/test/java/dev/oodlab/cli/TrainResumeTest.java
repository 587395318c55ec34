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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code oodlab train --resume}: a run killed (SIGKILL, in a separate JVM) after its first
 * checkpoint and resumed gives the same model and results as an uninterrupted run; and the ways a
 * checkpoint folder is refused.
 *
 * <p>The killed run trains Adversarial-Mixup (random mixing weights and an FGSM step, so a resume
 * that replayed any draw differently would show) for 3 epochs on 2000 tiny IDX images; the kill
 * lands right after the first checkpoint, never after the last one. The model is the MLP: the FGSM
 * step's input gradient through LeNet's first convolution (one input channel) differs in its last
 * bits from run to run with two libtorch threads (measured: 39 of 39 repeats of that backward pass
 * differed, none for the other layers), so two uninterrupted LeNet runs differ as well; through the
 * MLP every kernel gives the same bits on every run.
 */
class TrainResumeTest {

    private static final int EPOCHS = 3;

    @TempDir static Path shared;

    private static Path data;
    private static Path uninterrupted;
    private static Path killedCheckpoint;
    private static int killedAfterEpochs;
    private static long killedPid;

    @TempDir Path dir;

    private static List<String> arguments(Path dataset, int epochs, Path out, String... more) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "train",
                                "--method",
                                "adversarial-mixup",
                                "--model",
                                "mlp",
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

    @BeforeAll
    static void runUninterruptedAndKilled() throws IOException, InterruptedException {
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
        killedPid = process.pid();
        killedAfterEpochs = Checkpoint.read(checkpoint).epochsDone();
        assertTrue(
                killedAfterEpochs >= 1 && killedAfterEpochs < EPOCHS,
                "killed after epoch " + killedAfterEpochs);
        assertFalse(Files.exists(killed), "an interrupted run wrote --out");
        killedCheckpoint = checkpoint;
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

    /** The last line of a run's standard error. */
    private static String lastLine(CliRun run) {
        List<String> lines = run.err().strip().lines().toList();
        return lines.get(lines.size() - 1);
    }

    @Test
    void withoutResumeAnExistingCheckpointIsRefusedAndKept() throws IOException {
        Path out = interrupted("run");
        CliRun run = train(out);
        assertEquals(Main.EXIT_FAILURE, run.exitCode());
        // The killed run's lock file came with the copy: no process holds it any more.
        assertTrue(
                run.err()
                        .contains(
                                "lock: took over the lock of "
                                        + CheckpointFolder.forOutput(out)
                                        + " left by process "
                                        + killedPid
                                        + " on host "),
                run.err());
        assertEquals(
                "oodlab: "
                        + CheckpointFolder.forOutput(out)
                        + " holds the checkpoint of an interrupted run (after epoch "
                        + killedAfterEpochs
                        + "): pass --resume to continue it, or delete the folder to start again",
                lastLine(run));
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
                lastLine(run));
        CliRun epochs = CliRun.of(arguments(data, 4, out, "--resume").toArray(String[]::new));
        assertTrue(
                lastLine(epochs).startsWith("oodlab: cannot resume: --epochs is 4 here but 3 in"),
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

    @Test
    void aSecondRunIntoTheSameOutFailsAtOnceNamingTheRunningOne()
            throws IOException, InterruptedException {
        Path out = dir.resolve("run");
        Path checkpoint = CheckpointFolder.forOutput(out);
        Path tiny = TinyData.write(dir.resolve("tiny"), 200, 50);
        // Run A: many epochs of plain cross-entropy, alive until killed.
        List<String> a = arguments(tiny, 10_000, out);
        a.set(a.indexOf("adversarial-mixup"), "ce");
        CliProcess first =
                CliProcess.start(dir.resolve("logs"), Map.of(), a.toArray(String[]::new));
        try {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!CheckpointFolder.hasCheckpoint(checkpoint)) {
                assertTrue(first.isAlive(), "run A ended:\n" + first.stderr());
                assertTrue(System.nanoTime() < deadline, "no checkpoint after 2 minutes");
                Thread.sleep(5);
            }
            String settings = Files.readString(checkpoint.resolve(CheckpointFolder.SETTINGS));
            // Run B, another learning rate, while A runs: refused at once, naming A.
            List<String> b = new ArrayList<>(a);
            b.addAll(List.of("--lr", "0.01"));
            CliRun second = CliRun.of(b.toArray(String[]::new));
            assertEquals(Main.EXIT_FAILURE, second.exitCode(), second.err());
            assertEquals(1, second.err().strip().lines().count(), second.err());
            assertTrue(
                    second.err()
                            .startsWith(
                                    "oodlab: "
                                            + checkpoint
                                            + " is in use by another run, process "
                                            + first.pid()
                                            + " on host "),
                    second.err());
            assertTrue(second.err().strip().endsWith("; wait for it to end or stop it"));
            assertTrue(first.isAlive(), "run B stopped run A");
            assertEquals(settings, Files.readString(checkpoint.resolve(CheckpointFolder.SETTINGS)));
            // --resume is refused the same way: A is not an interrupted run.
            CliRun resume = CliRun.of(with(a, "--resume"));
            assertEquals(Main.EXIT_FAILURE, resume.exitCode(), resume.err());
            assertTrue(resume.err().contains(" is in use by another run, process "), resume.err());
        } finally {
            first.kill();
        }
        // A killed: its lock is stale; B takes it over, says so, and finds A's checkpoint.
        CliRun after = CliRun.of(a.toArray(String[]::new));
        assertEquals(Main.EXIT_FAILURE, after.exitCode(), after.err());
        assertTrue(
                after.err()
                        .startsWith(
                                "lock: took over the lock of "
                                        + checkpoint
                                        + " left by process "
                                        + first.pid()
                                        + " on host "),
                after.err());
        assertTrue(
                lastLine(after).startsWith("oodlab: " + checkpoint + " holds the checkpoint of"),
                after.err());
        assertFalse(Files.exists(out));
    }

    private static String[] with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void aCheckpointDamagedOnTheDiskIsRefusedNamingTheFile() throws IOException {
        Path out = interrupted("run");
        Path checkpoint = CheckpointFolder.forOutput(out);
        Path latest = Checkpoint.latest(checkpoint).orElseThrow();
        for (int e = 1; e < Checkpoint.epochOf(latest); e++) { // no earlier one to fall back on
            deleteTree(checkpoint.resolve(Checkpoint.folderName(e)));
        }
        Path state = latest.resolve(Checkpoint.OPTIMIZER);
        Files.write(state, new byte[(int) Files.size(state)]); // zeros, as a power loss leaves
        CliRun run = train(out, "--resume");
        assertEquals(Main.EXIT_FAILURE, run.exitCode(), run.err());
        assertEquals(
                "oodlab: cannot resume: "
                        + state
                        + " does not match its checksum in checksums.sha256: it is damaged, and"
                        + " no earlier checkpoint is intact; delete "
                        + checkpoint
                        + " to start again",
                lastLine(run));
        assertFalse(Files.exists(out));
        assertTrue(Files.isRegularFile(state), "the damaged checkpoint is kept");
    }

    @Test
    void aDamagedNewestCheckpointFallsBackToThePreviousEpochAndResumesExactly()
            throws IOException, InterruptedException {
        Path tiny = TinyData.write(dir.resolve("tiny"), 2000, 50);
        List<String> args = arguments(tiny, 4, dir.resolve("x"));
        args.set(args.indexOf("adversarial-mixup"), "ce");
        Path full = dir.resolve("full");
        args.set(args.size() - 1, full.toString());
        CliRun uninterrupted = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, uninterrupted.exitCode(), uninterrupted.err());

        Path out = dir.resolve("run");
        Path checkpoint = CheckpointFolder.forOutput(out);
        args.set(args.size() - 1, out.toString());
        CliProcess process =
                CliProcess.start(dir.resolve("logs"), Map.of(), args.toArray(String[]::new));
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!Files.isDirectory(checkpoint.resolve("epoch-0002"))) {
            assertTrue(process.isAlive(), "the run ended before epoch 2:\n" + process.stderr());
            assertTrue(System.nanoTime() < deadline, "no checkpoint after 2 minutes");
            Thread.sleep(5);
        }
        process.kill();
        Path newest = Checkpoint.latest(checkpoint).orElseThrow();
        int epochs = Checkpoint.epochOf(newest);
        assertTrue(epochs == 2 || epochs == 3, "killed after epoch " + epochs);
        Path params = newest.resolve(Checkpoint.PARAMETERS);
        byte[] bytes = Files.readAllBytes(params);
        bytes[bytes.length / 2] ^= 0x01; // one flipped bit
        Files.write(params, bytes);

        args.add("--resume");
        CliRun resumed = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(
                resumed.err()
                        .contains(
                                "checkpoint: "
                                        + params
                                        + " does not match its checksum in checksums.sha256: it is"
                                        + " damaged; resuming from "
                                        + Checkpoint.folderName(epochs - 1)
                                        + " instead"),
                resumed.err());
        assertTrue(
                resumed.err().contains("resuming after epoch " + (epochs - 1) + " of 4"),
                resumed.err());
        assertArrayEquals(
                Files.readAllBytes(full.resolve("model.params")),
                Files.readAllBytes(out.resolve("model.params")));
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void aRunKilledWhileRemovingItsCheckpointLeavesNoHalfRemovedFolder()
            throws IOException, InterruptedException {
        Path out = interrupted("run");
        Path checkpoint = CheckpointFolder.forOutput(out);
        // Many small files, so that the removal at the end takes long enough to be killed in;
        // named to be removed after settings.json and before the epoch folders.
        Path junk = Files.createDirectories(checkpoint.resolve("notes"));
        for (int i = 0; i < 40_000; i++) {
            Files.createFile(junk.resolve("n" + i));
        }
        CliProcess process =
                CliProcess.start(
                        dir.resolve("logs"),
                        Map.of(),
                        arguments(data, EPOCHS, out, "--resume").toArray(String[]::new));
        long deadline = System.nanoTime() + 120_000_000_000L;
        Path settings = checkpoint.resolve(CheckpointFolder.SETTINGS);
        while (Files.exists(settings)) { // gone: the removal has begun
            assertTrue(process.isAlive(), "the run ended before it was killed");
            assertTrue(System.nanoTime() < deadline, "no removal after 2 minutes");
            Thread.sleep(1);
        }
        process.kill();
        assertTrue(Files.isRegularFile(out.resolve("results.json")), "removed before the output?");
        assertFalse(
                Files.exists(checkpoint),
                "a half-removed checkpoint folder: " + list(checkpoint) + "\n" + process.stderr());
        // The next run into the same --out removes the leftover and succeeds.
        Path tiny = TinyData.write(dir.resolve("tiny"), 200, 50);
        CliRun again = CliRun.of(arguments(tiny, 1, out).toArray(String[]::new));
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(List.of("logs", "run", "tiny"), list(dir));
    }

    @Test
    void theNextRunIntoTheSameOutRemovesWhatAKilledRunLeftBeside()
            throws IOException, InterruptedException {
        Path out = dir.resolve("run");
        // A run killed just before its output's final rename, and one killed while removing
        // its checkpoint folder; a hidden folder of another output stays.
        Files.createDirectories(dir.resolve(".run.k3x9a.tmp"));
        Files.writeString(dir.resolve(".run.k3x9a.tmp").resolve("results.json"), "{}");
        Files.createDirectories(dir.resolve(".run.checkpoint.m2q8.removed").resolve("epoch-0001"));
        Files.createDirectories(dir.resolve(".other.k3x9a.tmp"));
        Path tiny = TinyData.write(dir.resolve("tiny"), 200, 50);
        CliRun run = CliRun.of(arguments(tiny, 1, out).toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(List.of(".other.k3x9a.tmp", "run", "tiny"), list(dir));
    }

    private static List<String> list(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).sorted().limit(20).toList();
        }
    }
}

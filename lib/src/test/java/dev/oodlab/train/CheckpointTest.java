package dev.oodlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oodlab.data.ImageSet;
import dev.oodlab.nn.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk layout of {@link Checkpoint}: one folder per checkpoint, renamed into place. */
class CheckpointTest {

    @TempDir Path dir;

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> list = Files.list(folder)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void train(int epochs, TrainingMethod method) {
        ImageSet train = FitTest.blobs(64, 1);
        try (Network net = FitTest.toy(3)) {
            FitTest.quiet(method, epochs).optCheckpointDirectory(dir).build().run(net, train);
        }
    }

    @Test
    void eachEpochsCheckpointIsOneFolderAndOnlyThePreviousOneIsKept() throws IOException {
        train(3, new CrossEntropy());
        assertEquals(List.of("epoch-0002", "epoch-0003"), names(dir));
        assertEquals(
                List.of(
                        Checkpoint.METADATA,
                        Checkpoint.CHECKSUMS,
                        Checkpoint.PARAMETERS,
                        Checkpoint.OPTIMIZER),
                names(dir.resolve("epoch-0003")));
        assertEquals(3, Checkpoint.read(dir).epochsDone());
        assertEquals(3, Checkpoint.read(dir).history().size());
    }

    @Test
    void foldersOfAnUnfinishedWriteAreIgnoredAndRemovedByTheNextWrite() throws IOException {
        train(1, new CrossEntropy());
        // A write killed before its rename, and a folder without metadata: neither counts.
        Path partial = Files.createDirectories(dir.resolve(".epoch-0002.x1y2.tmp"));
        Files.copy(
                dir.resolve("epoch-0001").resolve(Checkpoint.METADATA),
                partial.resolve(Checkpoint.METADATA));
        Files.createDirectories(dir.resolve("epoch-0005"));
        assertEquals(Optional.of(dir.resolve("epoch-0001")), Checkpoint.latest(dir));
        assertEquals(1, Checkpoint.read(dir).epochsDone());
        train(2, new CrossEntropy());
        assertEquals(List.of("epoch-0001", "epoch-0002"), names(dir));
    }

    @Test
    void theChecksumFileIsOneSha256sumCanCheck() throws IOException, InterruptedException {
        train(1, new CrossEntropy());
        Path folder = dir.resolve("epoch-0001");
        // coreutils' sha256sum, an implementation independent of ours, agrees with every line
        Process check =
                new ProcessBuilder("sha256sum", "-c", Checkpoint.CHECKSUMS)
                        .directory(folder.toFile())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(check.getInputStream().readAllBytes());
        assertEquals(0, check.waitFor(), output);
        assertEquals(
                List.of(
                        Checkpoint.PARAMETERS + ": OK",
                        Checkpoint.OPTIMIZER + ": OK",
                        Checkpoint.METADATA + ": OK"),
                output.lines().toList());
    }

    @Test
    void aFileOfTheRightLengthFullOfZerosIsRefusedNamingIt() throws IOException {
        train(1, new CrossEntropy());
        Path state = dir.resolve("epoch-0001").resolve(Checkpoint.OPTIMIZER);
        Files.write(state, new byte[(int) Files.size(state)]); // what a power loss can leave
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Checkpoint.read(dir));
        assertEquals(
                state + " does not match its checksum in checksums.sha256: it is damaged",
                e.getMessage());
    }

    @Test
    void aTruncatedOptimizerStateIsReportedNamingTheFile() throws IOException {
        train(1, new CrossEntropy());
        Checkpoint checkpoint = Checkpoint.read(dir);
        Path state = dir.resolve("epoch-0001").resolve(Checkpoint.OPTIMIZER);
        byte[] bytes = Files.readAllBytes(state);
        Files.write(state, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        try (Network net = FitTest.toy(3)) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> checkpoint.restore(dir, net, ParameterOptimizer.adam()));
            assertTrue(
                    e.getMessage().startsWith(state + " is not a readable optimizer state ("),
                    e.getMessage());
        }
    }

    @Test
    void aDamagedNewestCheckpointFallsBackToThePreviousOneAndSaysSo() throws IOException {
        train(2, new CrossEntropy());
        Path params = dir.resolve("epoch-0002").resolve(Checkpoint.PARAMETERS);
        byte[] bytes = Files.readAllBytes(params);
        bytes[bytes.length - 3] ^= 0x10; // one flipped bit in the last weight
        Files.write(params, bytes);
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        Checkpoint c = Checkpoint.read(dir, new java.io.PrintStream(log, true));
        assertEquals(1, c.epochsDone());
        assertEquals(
                "checkpoint: "
                        + params
                        + " does not match its checksum in checksums.sha256: it is damaged;"
                        + " resuming from epoch-0001 instead",
                log.toString().strip());
        // Without a checksum file a checkpoint cannot be verified: refused too.
        Files.delete(dir.resolve("epoch-0001").resolve(Checkpoint.CHECKSUMS));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Checkpoint.read(dir));
        assertEquals(
                params + " does not match its checksum in checksums.sha256: it is damaged",
                e.getMessage());
    }

    @Test
    void aFolderWithoutACheckpointIsAClearError() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Checkpoint.read(dir));
        assertEquals("no complete checkpoint in " + dir, e.getMessage());
        assertEquals(Optional.empty(), Checkpoint.latest(dir.resolve("absent")));
    }

    @Test
    void resumingWithAnotherMethodIsRefused() {
        train(1, new CrossEntropy());
        TrainingMethod mixup = Mixup.builder().build();
        try (Network net = FitTest.toy(3)) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    FitTest.quiet(mixup, 2)
                                            .build()
                                            .resume(net, FitTest.blobs(64, 1), dir));
            assertEquals(
                    "the checkpoint in "
                            + dir
                            + " was made with method ce, this run trains with mixup",
                    e.getMessage());
        }
    }
}

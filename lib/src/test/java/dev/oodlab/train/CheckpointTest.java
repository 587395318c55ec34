package dev.oodlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    void eachEpochsCheckpointIsOneFolderThatReplacesThePreviousOne() throws IOException {
        train(3, new CrossEntropy());
        assertEquals(List.of("epoch-0003"), names(dir));
        assertEquals(
                List.of(Checkpoint.METADATA, Checkpoint.PARAMETERS, Checkpoint.OPTIMIZER),
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
        assertEquals(List.of("epoch-0002"), names(dir));
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

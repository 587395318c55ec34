package dev.oodlab.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing through a temporary file. */
class AtomicFileTest {

    @TempDir Path dir;

    @Test
    void replacesTheTargetAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("a/b/out.txt");
        AtomicFile.writeString(target, "old");
        AtomicFile.writeString(target, "new");
        assertEquals("new", Files.readString(target));
        try (var files = Files.list(target.getParent())) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void newFileIsReadableByOthersLikeAnyNewFile() throws IOException {
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        Path atomic = dir.resolve("atomic.txt");
        AtomicFile.writeString(atomic, "x");
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertEquals(
                    Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
        }
    }

    @Test
    void failedWriteKeepsTheOldContent() throws IOException {
        Path target = dir.resolve("out.txt");
        AtomicFile.writeString(target, "old");
        assertThrows(
                IOException.class,
                () ->
                        AtomicFile.write(
                                target,
                                out -> {
                                    out.write('x');
                                    throw new IOException("disk full");
                                }));
        assertEquals("old", Files.readString(target));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }
}

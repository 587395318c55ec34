package dev.oodlab.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Writes a file so that readers see either the old content or the whole new content, never a
 * half-written file: the bytes go to a temporary file in the same directory, which is then renamed
 * over the target (atomically where the file system allows). The temporary file is flushed to the
 * disk before the rename and the folder after it ({@link #force}), so that a power loss leaves the
 * old or the new file, not one of the right length full of zeros. Missing parent directories are
 * created. Tables, benchmark results and charts are saved this way.
 */
public final class AtomicFile {

    /** Produces a file's content on a stream. */
    @FunctionalInterface
    public interface Content {
        /**
         * Writes the content.
         *
         * @param out the stream to write to; closed by the caller
         * @throws IOException if writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFile() {}

    /**
     * Flushes a file, or a folder's entries (a rename into it), to the disk: {@code fsync}. A
     * folder that the platform cannot open is skipped.
     *
     * @param path an existing file or folder
     * @throws IOException if a file cannot be flushed
     */
    public static void force(Path path) throws IOException {
        boolean folder = Files.isDirectory(path);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (!folder) {
                throw e;
            }
        }
    }

    /**
     * Writes text as UTF-8.
     *
     * @param target the file to create or replace
     * @param text the content
     * @throws IOException if the file cannot be written or moved into place
     */
    public static void writeString(Path target, String text) throws IOException {
        Objects.requireNonNull(text, "text");
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Writes whatever {@code content} puts on the stream.
     *
     * @param target the file to create or replace
     * @param content writes the bytes
     * @throws IOException if the content cannot be written or moved into place; the target is then
     *     unchanged and the temporary file removed
     */
    public static void write(Path target, Content content) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(content, "content");
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        // Not Files.createTempFile: that makes the file owner-only (0600); a plain create keeps
        // the usual permissions (0666 minus the umask) once the file is renamed into place.
        Path temp =
                dir.resolve(
                        "."
                                + absolute.getFileName()
                                + "."
                                + Long.toUnsignedString(RANDOM.nextLong(), 36)
                                + ".tmp");
        try {
            try (OutputStream out =
                    new BufferedOutputStream(
                            Files.newOutputStream(
                                    temp,
                                    StandardOpenOption.CREATE_NEW,
                                    StandardOpenOption.WRITE))) {
                content.writeTo(out);
            }
            force(temp);
            try {
                Files.move(
                        temp,
                        absolute,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            force(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}

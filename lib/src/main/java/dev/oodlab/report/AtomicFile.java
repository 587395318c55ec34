package dev.oodlab.report;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The earlier place of {@link dev.oodlab.io.AtomicFile}, which writes a file so that readers see
 * either the old or the whole new content.
 *
 * @deprecated use {@link dev.oodlab.io.AtomicFile}
 */
@Deprecated
public final class AtomicFile {

    /** Produces a file's content on a stream ({@link dev.oodlab.io.AtomicFile.Content}). */
    @FunctionalInterface
    public interface Content extends dev.oodlab.io.AtomicFile.Content {}

    private AtomicFile() {}

    /**
     * {@link dev.oodlab.io.AtomicFile#force}.
     *
     * @param path an existing file or folder
     * @throws IOException if a file cannot be flushed
     */
    public static void force(Path path) throws IOException {
        dev.oodlab.io.AtomicFile.force(path);
    }

    /**
     * {@link dev.oodlab.io.AtomicFile#writeString}.
     *
     * @param target the file
     * @param text its content, UTF-8
     * @throws IOException if it cannot be written
     */
    public static void writeString(Path target, String text) throws IOException {
        dev.oodlab.io.AtomicFile.writeString(target, text);
    }

    /**
     * {@link dev.oodlab.io.AtomicFile#write}.
     *
     * @param target the file
     * @param content writes the content
     * @throws IOException if it cannot be written
     */
    public static void write(Path target, Content content) throws IOException {
        dev.oodlab.io.AtomicFile.write(target, content);
    }
}

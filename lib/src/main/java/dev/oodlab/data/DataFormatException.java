package dev.oodlab.data;

import java.nio.file.Path;

/**
 * A data file is missing, truncated, corrupt or of the wrong shape. The message names the file and
 * the problem, e.g. {@code "train-images-idx3-ubyte.gz: wrong magic number 0x00000801, expected
 * 0x00000803 (IDX images)"}.
 */
public class DataFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The file the problem is in, or {@code null} when it concerns no single file. */
    private final transient Path file;

    /**
     * @param file the offending file
     * @param problem what is wrong with it
     */
    public DataFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /**
     * @param file the offending file
     * @param problem what is wrong with it
     * @param cause the underlying error
     */
    public DataFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file the problem is in. */
    public Path file() {
        return file;
    }
}

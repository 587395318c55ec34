package dev.oodlab.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader for the IDX format of MNIST and Fashion-MNIST, gzipped ({@code .gz}) or plain.
 *
 * <p>An IDX file starts with a magic number {@code 0x00000803} (unsigned bytes, 3 dimensions:
 * images) or {@code 0x00000801} (1 dimension: labels), then the dimensions as big-endian 32-bit
 * integers, then the data. Pixels are stored as bytes 0–255 and returned as {@code k / 255f}. Gzip
 * is recognised by its leading bytes, not by the file name.
 *
 * <p>Every problem — a missing file, wrong magic, a truncated body, counts that disagree, an empty
 * set, an unexpected image size — raises a {@link DataFormatException} naming the file.
 */
public final class Idx {

    /** Magic number of an IDX file of unsigned-byte images (3 dimensions). */
    public static final int IMAGES_MAGIC = 0x00000803;

    /** Magic number of an IDX file of unsigned-byte labels (1 dimension). */
    public static final int LABELS_MAGIC = 0x00000801;

    private Idx() {}

    /**
     * Reads an image file and its label file into one labelled set.
     *
     * @param images the {@code *-images-idx3-ubyte[.gz]} file
     * @param labels the {@code *-labels-idx1-ubyte[.gz]} file
     * @param name the set's name
     * @param numClasses number of classes; every label must be below it
     * @return the set, pixels in [0, 1]
     */
    public static ImageSet read(Path images, Path labels, String name, int numClasses) {
        Images img = readImages(images);
        int[] lab = readLabels(labels);
        if (lab.length != img.count) {
            throw new DataFormatException(
                    labels,
                    "holds "
                            + lab.length
                            + " labels but "
                            + images.getFileName()
                            + " holds "
                            + img.count
                            + " images");
        }
        for (int i = 0; i < lab.length; i++) {
            if (lab[i] >= numClasses) {
                throw new DataFormatException(
                        labels,
                        "label " + lab[i] + " at index " + i + " is not below " + numClasses);
            }
        }
        return new ImageSet(name, img.pixels, lab, numClasses, 1, img.rows, img.cols);
    }

    /**
     * Reads an unlabelled image file, checking that its images are {@code rows × cols}.
     *
     * @param images the IDX image file
     * @param name the set's name
     * @param rows expected image height
     * @param cols expected image width
     * @return the unlabelled set, pixels in [0, 1]
     */
    public static ImageSet readUnlabelled(Path images, String name, int rows, int cols) {
        Images img = readImages(images);
        if (img.rows != rows || img.cols != cols) {
            throw new DataFormatException(
                    images,
                    "images are " + img.rows + "x" + img.cols + ", expected " + rows + "x" + cols);
        }
        return new ImageSet(name, img.pixels, null, 0, 1, img.rows, img.cols);
    }

    /** The decoded content of an IDX image file. */
    record Images(int count, int rows, int cols, float[] pixels) {}

    static Images readImages(Path file) {
        try (DataInputStream in = open(file)) {
            int magic = readInt(in, file, "the header");
            if (magic != IMAGES_MAGIC) {
                throw new DataFormatException(
                        file,
                        String.format(
                                "wrong magic number 0x%08x, expected 0x%08x (IDX images)",
                                magic, IMAGES_MAGIC));
            }
            int count = readInt(in, file, "the header");
            int rows = readInt(in, file, "the header");
            int cols = readInt(in, file, "the header");
            if (count <= 0) {
                throw new DataFormatException(file, "holds no images (count " + count + ")");
            }
            if (rows <= 0 || cols <= 0) {
                throw new DataFormatException(
                        file, "has an invalid image size " + rows + "x" + cols);
            }
            long total = (long) count * rows * cols;
            if (total > Integer.MAX_VALUE - 8) {
                throw new DataFormatException(
                        file, "is too large: " + count + " images of " + rows + "x" + cols);
            }
            byte[] raw = new byte[(int) total];
            int read = in.readNBytes(raw, 0, raw.length);
            if (read < raw.length) {
                throw new DataFormatException(
                        file,
                        "is truncated: the header announces "
                                + count
                                + " images of "
                                + rows
                                + "x"
                                + cols
                                + " ("
                                + total
                                + " bytes) but only "
                                + read
                                + " bytes follow");
            }
            float[] pixels = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                pixels[i] = (raw[i] & 0xff) / 255f;
            }
            return new Images(count, rows, cols, pixels);
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    static int[] readLabels(Path file) {
        try (DataInputStream in = open(file)) {
            int magic = readInt(in, file, "the header");
            if (magic != LABELS_MAGIC) {
                throw new DataFormatException(
                        file,
                        String.format(
                                "wrong magic number 0x%08x, expected 0x%08x (IDX labels)",
                                magic, LABELS_MAGIC));
            }
            int count = readInt(in, file, "the header");
            if (count <= 0) {
                throw new DataFormatException(file, "holds no labels (count " + count + ")");
            }
            byte[] raw = new byte[count];
            int read = in.readNBytes(raw, 0, count);
            if (read < count) {
                throw new DataFormatException(
                        file,
                        "is truncated: the header announces "
                                + count
                                + " labels but only "
                                + read
                                + " bytes follow");
            }
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = raw[i] & 0xff;
            }
            return labels;
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new DataFormatException(file, "file not found");
        }
        if (Files.isDirectory(file)) {
            throw new DataFormatException(file, "is a directory, expected an IDX file");
        }
        InputStream raw;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, "file not found", e);
        }
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            raw = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
        }
        return new DataInputStream(raw);
    }

    private static int readInt(DataInputStream in, Path file, String where) {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new DataFormatException(file, "is truncated in " + where, e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot be read", e);
        }
    }
}

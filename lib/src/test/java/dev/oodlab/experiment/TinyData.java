package dev.oodlab.experiment;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a tiny labelled data set in Fashion-MNIST's IDX layout (10 classes, 28×28; class k is a
 * bright 7×7 square at one of ten places on dark noise, so a small model learns it in an epoch),
 * and unlabelled IDX image files for OOD sets.
 */
public final class TinyData {

    private TinyData() {}

    /**
     * Writes {@code train-images-idx3-ubyte.gz} etc. into {@code dir}.
     *
     * @param dir the folder (created)
     * @param train training images
     * @param test test images
     * @return the folder
     */
    public static Path write(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        writeSplit(dir, "train", train, 1);
        writeSplit(dir, "t10k", test, 2);
        return dir;
    }

    /**
     * Writes an unlabelled IDX image file of uniform noise.
     *
     * @param file the file ({@code .gz} gzips it)
     * @param n images
     * @param seed the noise seed
     * @return the file
     */
    public static Path writeNoiseImages(Path file, int n, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[n * 784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) random.nextInt(256);
        }
        writeImages(file, n, pixels);
        return file;
    }

    private static void writeSplit(Path dir, String prefix, int n, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[n * 784];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int k = i % 10;
            labels[i] = (byte) k;
            int top = (k / 5) * 14 + 3;
            int left = (k % 5) * 5 + 1;
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    boolean in = r >= top && r < top + 7 && c >= left && c < left + 4;
                    int value = in ? 200 + random.nextInt(56) : random.nextInt(40);
                    pixels[i * 784 + r * 28 + c] = (byte) value;
                }
            }
        }
        writeImages(dir.resolve(prefix + "-images-idx3-ubyte.gz"), n, pixels);
        try (DataOutputStream out = open(dir.resolve(prefix + "-labels-idx1-ubyte.gz"))) {
            out.writeInt(0x00000801);
            out.writeInt(n);
            out.write(labels);
        }
    }

    private static void writeImages(Path file, int n, byte[] pixels) throws IOException {
        try (DataOutputStream out = open(file)) {
            out.writeInt(0x00000803);
            out.writeInt(n);
            out.writeInt(28);
            out.writeInt(28);
            out.write(pixels);
        }
    }

    private static DataOutputStream open(Path file) throws IOException {
        OutputStream raw = Files.newOutputStream(file);
        return new DataOutputStream(
                file.toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw);
    }
}

package dev.oodlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reader for the CIFAR-10 binary version ({@code cifar-10-batches-bin}).
 *
 * <p>Each file is a sequence of 3073-byte records: one label byte (0–9), then 1024 red, 1024 green
 * and 1024 blue bytes of a 32×32 image, row-major — already channel-first. Training data is {@code
 * data_batch_1.bin} … {@code data_batch_5.bin} (50,000 images), test data {@code test_batch.bin}
 * (10,000).
 */
public final class Cifar10 {

    /** Bytes per record: a label and 3×32×32 pixels. */
    public static final int RECORD_SIZE = 1 + 3 * 32 * 32;

    /** The class names, in label order. */
    public static final List<String> CLASSES =
            List.of(
                    "airplane",
                    "automobile",
                    "bird",
                    "cat",
                    "deer",
                    "dog",
                    "frog",
                    "horse",
                    "ship",
                    "truck");

    private Cifar10() {}

    /** The training split: the five {@code data_batch_*.bin} files of {@code dir}. */
    public static ImageSet train(Path dir) {
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            files.add(dir.resolve("data_batch_" + i + ".bin"));
        }
        return read(files, "cifar10/train");
    }

    /** The test split: {@code test_batch.bin} of {@code dir}. */
    public static ImageSet test(Path dir) {
        return read(List.of(dir.resolve("test_batch.bin")), "cifar10/test");
    }

    /** Reads and concatenates binary batch files. */
    public static ImageSet read(List<Path> files, String name) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no CIFAR-10 files given");
        }
        byte[][] contents = new byte[files.size()][];
        int records = 0;
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            if (!Files.isRegularFile(file)) {
                throw new DataFormatException(file, "file not found");
            }
            try (InputStream in = Files.newInputStream(file)) {
                contents[f] = in.readAllBytes();
            } catch (IOException e) {
                throw new DataFormatException(file, "cannot be read: " + e.getMessage(), e);
            }
            if (contents[f].length == 0) {
                throw new DataFormatException(file, "is empty");
            }
            if (contents[f].length % RECORD_SIZE != 0) {
                throw new DataFormatException(
                        file,
                        "is truncated or not a CIFAR-10 binary batch: "
                                + contents[f].length
                                + " bytes is not a multiple of the "
                                + RECORD_SIZE
                                + "-byte record");
            }
            records += contents[f].length / RECORD_SIZE;
        }
        int imageSize = RECORD_SIZE - 1;
        float[] pixels = new float[records * imageSize];
        int[] labels = new int[records];
        int r = 0;
        for (int f = 0; f < files.size(); f++) {
            byte[] bytes = contents[f];
            for (int off = 0; off < bytes.length; off += RECORD_SIZE, r++) {
                int label = bytes[off] & 0xff;
                if (label > 9) {
                    throw new DataFormatException(
                            files.get(f),
                            "record "
                                    + (off / RECORD_SIZE)
                                    + " has label "
                                    + label
                                    + ", expected 0-9");
                }
                labels[r] = label;
                int base = r * imageSize;
                for (int i = 0; i < imageSize; i++) {
                    pixels[base + i] = (bytes[off + 1 + i] & 0xff) / 255f;
                }
            }
        }
        return new ImageSet(name, pixels, labels, 10, 3, 32, 32);
    }
}

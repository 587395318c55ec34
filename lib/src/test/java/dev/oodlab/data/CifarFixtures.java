package dev.oodlab.data;

import dev.oodlab.OodLab;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Tiny stand-ins for the data of the paper's CIFAR-10 setting, written in exactly the on-disk
 * formats the {@code data-scripts/} leave under {@code $OODLAB_DATA}:
 *
 * <ul>
 *   <li>{@code cifar10/cifar-10-batches-bin/data_batch_1..5.bin, test_batch.bin}: 3073-byte records
 *       (label, then red, green, blue planes of 32×32), as unpacked from {@code
 *       cifar-10-binary.tar.gz} by {@code fetch-cifar10.sh};
 *   <li>{@code svhn/test/test_32x32.bin}: a MATLAB v5 {@code test_32x32.mat} (written by {@link
 *       MatWriter}) converted by {@link SvhnMat#convert}, the step {@code fetch-svhn.sh} runs;
 *   <li>{@code ood/<name>/…/*.jpg|png}: image files in a sub-folder, as {@code
 *       fetch-ood-benchmarks.sh} unpacks the ODIN archives (each archive has its own top folder).
 * </ul>
 *
 * Each folder also gets the {@code .complete} marker the scripts write last. {@link
 * #useDataDirectory} points {@link OodLab#dataDirectory()} at a temporary folder for one test.
 */
public final class CifarFixtures {

    /** The top folder inside each ODIN archive's unpacked folder (only a plausible nesting). */
    private static final Map<String, String> ODIN_INNER =
            Map.of(
                    "tinyimagenet-crop", "Imagenet/test",
                    "tinyimagenet-resize", "Imagenet_resize",
                    "lsun-crop", "LSUN/test",
                    "lsun-resize", "LSUN_resize",
                    "isun", "iSUN/iSUN_patches");

    private CifarFixtures() {}

    /**
     * Sets {@link OodLab#DATA_DIRECTORY_PROPERTY} to {@code dir} until the returned handle is
     * closed, which restores the previous value.
     */
    public static AutoCloseable useDataDirectory(Path dir) {
        String previous = System.getProperty(OodLab.DATA_DIRECTORY_PROPERTY);
        System.setProperty(OodLab.DATA_DIRECTORY_PROPERTY, dir.toString());
        return () -> {
            if (previous == null) {
                System.clearProperty(OodLab.DATA_DIRECTORY_PROPERTY);
            } else {
                System.setProperty(OodLab.DATA_DIRECTORY_PROPERTY, previous);
            }
        };
    }

    /**
     * Writes everything {@link Datasets#missingForCifar10()} looks for: CIFAR-10 with {@code
     * perBatch} images in each of the five training batches and {@code test} test images, SVHN with
     * {@code oodImages} images and each ODIN folder with {@code oodImages} 32×32 JPEG files.
     *
     * @param data the data directory
     */
    public static void writeCifar10Setting(Path data, int perBatch, int test, int oodImages) {
        writeCifar10(data, perBatch, test);
        writeSvhn(data, oodImages);
        for (String name : Datasets.ODIN_OOD) {
            writeOdinFolder(data, name, oodImages, 32, 32, "jpg");
        }
    }

    /**
     * CIFAR-10 batches in {@code data/cifar10/cifar-10-batches-bin}. Image {@code i} of a file has
     * label {@code i % 10}; class k is a bright 8×5 patch in channel {@code k % 3} at one of ten
     * places on dark noise, so that a small model can learn it.
     */
    public static Path writeCifar10(Path data, int perBatch, int test) {
        Path dir = data.resolve("cifar10/cifar-10-batches-bin");
        for (int b = 1; b <= 5; b++) {
            write(dir.resolve("data_batch_" + b + ".bin"), cifarRecords(perBatch, b));
        }
        write(dir.resolve("test_batch.bin"), cifarRecords(test, 99));
        marker(dir, "cifar-10-binary.tar.gz");
        return dir;
    }

    /** The records of one CIFAR-style file (see {@link #writeCifar10}). */
    static byte[] cifarRecords(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] bytes = new byte[n * Cifar10.RECORD_SIZE];
        for (int i = 0; i < n; i++) {
            int k = i % 10;
            int off = i * Cifar10.RECORD_SIZE;
            bytes[off] = (byte) k;
            int top = (k / 5) * 16 + 4;
            int left = (k % 5) * 6 + 1;
            for (int ch = 0; ch < 3; ch++) {
                for (int r = 0; r < 32; r++) {
                    for (int c = 0; c < 32; c++) {
                        boolean in =
                                ch == k % 3 && r >= top && r < top + 8 && c >= left && c < left + 5;
                        int value = in ? 200 + random.nextInt(56) : random.nextInt(40);
                        bytes[off + 1 + ch * 1024 + r * 32 + c] = (byte) value;
                    }
                }
            }
        }
        return bytes;
    }

    /**
     * The SVHN test split: a little-endian, uncompressed MAT v5 {@code test_32x32.mat} with {@code
     * n} images (pixel values {@link SvhnMatTest#pixel}, labels 1–10 cycling) converted into {@code
     * data/svhn/test/test_32x32.bin}.
     */
    public static Path writeSvhn(Path data, int n) {
        double[] labels = new double[n];
        for (int i = 0; i < n; i++) {
            labels[i] = 1 + i % 10;
        }
        Path dir = data.resolve("svhn/test");
        Path mat = data.resolve("downloads/test_32x32.mat");
        write(
                mat,
                SvhnMatTest.svhnMat(
                        ByteOrder.LITTLE_ENDIAN,
                        false,
                        MatWriter.MX_UINT8,
                        MatWriter.MI_UINT8,
                        labels));
        Path out = dir.resolve("test_32x32.bin");
        SvhnMat.convert(mat, out);
        marker(dir, "test_32x32.mat");
        try {
            Files.delete(mat);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * One ODIN OOD set as an image folder {@code data/ood/<name>/<archive folder>/NNNN.<format>}:
     * {@code n} RGB images of {@code width × height}; image j has pixel (x, y) = ({@link #red}, …).
     *
     * @param format {@code png} (lossless) or {@code jpg} (as the archives hold)
     */
    public static Path writeOdinFolder(
            Path data, String name, int n, int width, int height, String format) {
        Path dir = data.resolve("ood").resolve(name);
        Path inner = dir.resolve(ODIN_INNER.getOrDefault(name, name));
        try {
            Files.createDirectories(inner);
            for (int j = 0; j < n; j++) {
                BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        img.setRGB(
                                x, y, (red(j, x, y) << 16) | (green(j, x, y) << 8) | blue(j, x, y));
                    }
                }
                ImageIO.write(
                        img, format, inner.resolve(String.format("%04d.%s", j, format)).toFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        marker(dir, name + ".tar.gz");
        return dir;
    }

    /** The red value of pixel (x, y) of image j of {@link #writeOdinFolder}. */
    static int red(int j, int x, int y) {
        return (7 * j + 5 * x) & 0xff;
    }

    /** The green value of pixel (x, y) of image j of {@link #writeOdinFolder}. */
    static int green(int j, int x, int y) {
        return (13 * j + 3 * y) & 0xff;
    }

    /** The blue value of pixel (x, y) of image j of {@link #writeOdinFolder}. */
    static int blue(int j, int x, int y) {
        return (29 * j + x + 2 * y) & 0xff;
    }

    private static void marker(Path dir, String archive) {
        write(
                dir.resolve(".complete"),
                (archive + " md5:test\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

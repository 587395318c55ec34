package dev.oodlab.data;

import static dev.oodlab.data.MatWriter.MI_DOUBLE;
import static dev.oodlab.data.MatWriter.MI_UINT8;
import static dev.oodlab.data.MatWriter.MX_CHAR;
import static dev.oodlab.data.MatWriter.MX_DOUBLE;
import static dev.oodlab.data.MatWriter.MX_UINT8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oodlab.data.MatWriter.Var;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SvhnMatTest {

    @TempDir Path dir;

    /** A pixel value that differs between row, column, channel and image. */
    static int pixel(int r, int c, int ch, int n) {
        return (r + 3 * c + 50 * ch + 101 * n) & 0xff;
    }

    /** X (32×32×3×n, column-major as MATLAB stores it). */
    static Var images(int n) {
        double[] x = new double[32 * 32 * 3 * n];
        int i = 0;
        for (int img = 0; img < n; img++) {
            for (int ch = 0; ch < 3; ch++) {
                for (int c = 0; c < 32; c++) {
                    for (int r = 0; r < 32; r++) {
                        x[i++] = pixel(r, c, ch, img);
                    }
                }
            }
        }
        return new Var("X", MX_UINT8, new int[] {32, 32, 3, n}, MI_UINT8, x);
    }

    /** A small SVHN-like MAT file with the given labels (1–10) and settings. */
    static byte[] svhnMat(
            ByteOrder order, boolean compress, int labelClass, int labelType, double... labels) {
        return MatWriter.write(
                order,
                compress,
                List.of(
                        new Var(
                                "__note",
                                MX_CHAR,
                                new int[] {1, 2},
                                MI_UINT8,
                                new double[] {'h', 'i'}),
                        images(labels.length),
                        new Var("y", labelClass, new int[] {labels.length, 1}, labelType, labels)));
    }

    @ParameterizedTest
    @CsvSource({
        "LITTLE_ENDIAN, true, 9, 2",
        "LITTLE_ENDIAN, false, 6, 9",
        "BIG_ENDIAN, true, 6, 2",
        "BIG_ENDIAN, false, 9, 2"
    })
    void convertsToCifarRecords(String byteOrder, boolean compress, int labelClass, int labelType)
            throws IOException {
        ByteOrder order =
                byteOrder.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        Path mat =
                Files.write(
                        dir.resolve("t.mat"),
                        svhnMat(order, compress, labelClass, labelType, 10, 3, 1));
        Path out = dir.resolve("out/t.bin");

        assertEquals(3, SvhnMat.convert(mat, out));

        ImageSet set = Cifar10.read(List.of(out), "svhn");
        assertEquals(3, set.size());
        assertArrayEquals(new int[] {0, 3, 1}, set.labels(), "label 10 is the digit 0");
        for (int n = 0; n < 3; n++) {
            float[] img = set.image(n);
            for (int ch = 0; ch < 3; ch++) {
                for (int r = 0; r < 32; r += 5) {
                    for (int c = 0; c < 32; c += 3) {
                        assertEquals(
                                pixel(r, c, ch, n) / 255f,
                                img[ch * 1024 + r * 32 + c],
                                "image " + n + " channel " + ch + " row " + r + " column " + c);
                    }
                }
            }
        }
        assertFalse(Files.exists(dir.resolve("out/t.bin.tmp")));
    }

    @Test
    void readsArraysAndSkipsText() throws IOException {
        Path mat =
                Files.write(
                        dir.resolve("t.mat"),
                        svhnMat(ByteOrder.LITTLE_ENDIAN, true, MX_DOUBLE, MI_DOUBLE, 2, 7));
        var arrays = SvhnMat.readArrays(mat);
        assertEquals(List.of("X", "y"), List.copyOf(arrays.keySet()));
        assertArrayEquals(new int[] {32, 32, 3, 2}, arrays.get("X").dims());
        assertEquals(7.0, arrays.get("y").get(1));
    }

    @Test
    void labelOutsideOneToTenIsReported() throws IOException {
        Path mat =
                Files.write(
                        dir.resolve("t.mat"),
                        svhnMat(ByteOrder.LITTLE_ENDIAN, false, MX_UINT8, MI_UINT8, 4, 11));
        Path out = dir.resolve("t.bin");
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> SvhnMat.convert(mat, out));
        assertTrue(e.getMessage().contains("label 2 is 11.0, expected 1-10"), e.getMessage());
        assertFalse(Files.exists(out), "nothing under the final name");
        assertFalse(Files.exists(dir.resolve("t.bin.tmp")), "no temporary file left");
    }

    @Test
    void wrongImageShapeIsReported() throws IOException {
        double[] x = new double[28 * 28 * 3];
        Path mat =
                Files.write(
                        dir.resolve("t.mat"),
                        MatWriter.write(
                                ByteOrder.LITTLE_ENDIAN,
                                true,
                                List.of(
                                        new Var(
                                                "X",
                                                MX_UINT8,
                                                new int[] {28, 28, 3, 1},
                                                MI_UINT8,
                                                x),
                                        new Var(
                                                "y",
                                                MX_UINT8,
                                                new int[] {1, 1},
                                                MI_UINT8,
                                                new double[] {1}))));
        DataFormatException e =
                assertThrows(
                        DataFormatException.class,
                        () -> SvhnMat.convert(mat, dir.resolve("t.bin")));
        assertTrue(
                e.getMessage().contains("X has dimensions [28, 28, 3, 1], expected 32x32x3xN"),
                e.getMessage());
    }

    @Test
    void labelCountMismatchIsReported() throws IOException {
        Path mat =
                Files.write(
                        dir.resolve("t.mat"),
                        MatWriter.write(
                                ByteOrder.LITTLE_ENDIAN,
                                false,
                                List.of(
                                        images(2),
                                        new Var(
                                                "y",
                                                MX_UINT8,
                                                new int[] {1, 1},
                                                MI_UINT8,
                                                new double[] {1}))));
        DataFormatException e =
                assertThrows(
                        DataFormatException.class,
                        () -> SvhnMat.convert(mat, dir.resolve("t.bin")));
        assertTrue(e.getMessage().contains("y has 1 labels for 2 images"), e.getMessage());
    }

    @Test
    void truncatedFilesAreReported() throws IOException {
        byte[] plain = svhnMat(ByteOrder.LITTLE_ENDIAN, false, MX_UINT8, MI_UINT8, 1, 2);
        Path cut = Files.write(dir.resolve("cut.mat"), Arrays.copyOf(plain, plain.length - 100));
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> SvhnMat.readArrays(cut));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        byte[] zipped = svhnMat(ByteOrder.LITTLE_ENDIAN, true, MX_UINT8, MI_UINT8, 1, 2);
        Path cutZ = Files.write(dir.resolve("cutz.mat"), Arrays.copyOf(zipped, zipped.length - 20));
        e = assertThrows(DataFormatException.class, () -> SvhnMat.readArrays(cutZ));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void otherFilesAreRejectedWithTheReason() throws IOException {
        byte[] v73 = new byte[512];
        byte[] text = "MATLAB 7.3 MAT-file, Platform: GLNXA64".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, v73, 0, text.length);
        v73[126] = 'I';
        v73[127] = 'M';
        Path h5 = Files.write(dir.resolve("h5.mat"), v73);
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> SvhnMat.readArrays(h5));
        assertTrue(e.getMessage().contains("MAT 7.3 (HDF5)"), e.getMessage());

        Path html =
                Files.writeString(dir.resolve("page.mat"), "<html>" + " ".repeat(200) + "</html>");
        e = assertThrows(DataFormatException.class, () -> SvhnMat.readArrays(html));
        assertTrue(e.getMessage().contains("not a MAT v5 file"), e.getMessage());

        byte[] noX =
                MatWriter.write(
                        ByteOrder.LITTLE_ENDIAN,
                        true,
                        List.of(
                                new Var(
                                        "y",
                                        MX_UINT8,
                                        new int[] {1, 1},
                                        MI_UINT8,
                                        new double[] {1})));
        Path m = Files.write(dir.resolve("nox.mat"), noX);
        e = assertThrows(DataFormatException.class, () -> SvhnMat.convert(m, dir.resolve("o.bin")));
        assertTrue(e.getMessage().contains("has no numeric X and y (found [y])"), e.getMessage());
    }
}

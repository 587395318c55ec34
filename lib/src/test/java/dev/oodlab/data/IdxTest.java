package dev.oodlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {

    @TempDir Path dir;

    /** IDX bytes: magic, dims, then the body (possibly cut short). */
    static byte[] idx(int magic, int[] dims, byte[] body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(body);
        return bytes.toByteArray();
    }

    static Path write(Path file, byte[] content, boolean gzip) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
                OutputStream out = gzip ? new GZIPOutputStream(raw) : raw) {
            out.write(content);
        }
        return file;
    }

    /** Three 2×2 images with pixel values 0, 51, …, and labels 2, 0, 1. */
    private Path[] threeImages(boolean gzip) throws IOException {
        byte[] pixels = new byte[12];
        for (int i = 0; i < 12; i++) {
            pixels[i] = (byte) (i * 20);
        }
        Path images =
                write(
                        dir.resolve(gzip ? "img.gz" : "img"),
                        idx(Idx.IMAGES_MAGIC, new int[] {3, 2, 2}, pixels),
                        gzip);
        Path labels =
                write(
                        dir.resolve(gzip ? "lab.gz" : "lab"),
                        idx(Idx.LABELS_MAGIC, new int[] {3}, new byte[] {2, 0, 1}),
                        gzip);
        return new Path[] {images, labels};
    }

    @Test
    void readsPixelsAsBytesOver255AndLabels() throws IOException {
        Path[] f = threeImages(false);
        ImageSet set = Idx.read(f[0], f[1], "tiny", 10);
        assertEquals(3, set.size());
        assertEquals(2, set.height());
        assertEquals(2, set.width());
        assertEquals(1, set.channels());
        assertArrayEquals(new int[] {2, 0, 1}, set.labels());
        // image 1 holds bytes 80, 100, 120, 140
        assertArrayEquals(
                new float[] {80 / 255f, 100 / 255f, 120 / 255f, 140 / 255f}, set.image(1));
        // byte 240 must come out as 240/255, not as a negative signed byte
        assertEquals(220 / 255f, set.pixels()[11]);
    }

    @Test
    void gzippedAndPlainFilesGiveTheSameSet() throws IOException {
        Path[] plain = threeImages(false);
        Path[] gz = threeImages(true);
        assertEquals(Idx.read(plain[0], plain[1], "s", 10), Idx.read(gz[0], gz[1], "s", 10));
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nothing-here.gz");
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> Idx.readImages(missing));
        assertTrue(e.getMessage().contains("nothing-here.gz"), e.getMessage());
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void wrongMagicIsReportedWithBothNumbers() throws IOException {
        Path labelsAsImages =
                write(
                        dir.resolve("labels-as-images"),
                        idx(Idx.LABELS_MAGIC, new int[] {1}, new byte[] {0}),
                        false);
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> Idx.readImages(labelsAsImages));
        assertTrue(e.getMessage().contains("labels-as-images"), e.getMessage());
        assertTrue(e.getMessage().contains("0x00000801"), e.getMessage());
        assertTrue(e.getMessage().contains("0x00000803"), e.getMessage());
    }

    @Test
    void truncatedPixelDataIsReported() throws IOException {
        Path cut =
                write(
                        dir.resolve("cut.gz"),
                        idx(Idx.IMAGES_MAGIC, new int[] {2, 28, 28}, new byte[784 + 100]),
                        true);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.readImages(cut));
        assertTrue(e.getMessage().contains("cut.gz: is truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("884 bytes"), e.getMessage());
    }

    @Test
    void truncatedHeaderIsReported() throws IOException {
        Path cut = write(dir.resolve("head"), new byte[] {0, 0, 8, 3, 0, 0}, false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.readImages(cut));
        assertTrue(e.getMessage().contains("truncated in the header"), e.getMessage());
    }

    @Test
    void truncatedLabelsAreReported() throws IOException {
        Path cut =
                write(
                        dir.resolve("lab-cut"),
                        idx(Idx.LABELS_MAGIC, new int[] {5}, new byte[] {1, 2}),
                        false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.readLabels(cut));
        assertTrue(e.getMessage().contains("announces 5 labels but only 2"), e.getMessage());
    }

    @Test
    void labelAndImageCountsMustAgree() throws IOException {
        Path[] f = threeImages(false);
        Path twoLabels =
                write(
                        dir.resolve("two-labels"),
                        idx(Idx.LABELS_MAGIC, new int[] {2}, new byte[] {0, 1}),
                        false);
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> Idx.read(f[0], twoLabels, "s", 10));
        assertTrue(
                e.getMessage().contains("holds 2 labels but img holds 3 images"), e.getMessage());
    }

    @Test
    void emptySetIsRejected() throws IOException {
        Path empty =
                write(
                        dir.resolve("empty"),
                        idx(Idx.IMAGES_MAGIC, new int[] {0, 28, 28}, new byte[0]),
                        false);
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> Idx.readImages(empty));
        assertTrue(e.getMessage().contains("holds no images"), e.getMessage());
    }

    @Test
    void wrongImageSizeIsRejected() throws IOException {
        Path small =
                write(
                        dir.resolve("small"),
                        idx(Idx.IMAGES_MAGIC, new int[] {1, 32, 32}, new byte[1024]),
                        false);
        DataFormatException e =
                assertThrows(
                        DataFormatException.class, () -> Idx.readUnlabelled(small, "s", 28, 28));
        assertTrue(e.getMessage().contains("images are 32x32, expected 28x28"), e.getMessage());
    }

    @Test
    void labelOutsideTheClassesIsRejected() throws IOException {
        Path[] f = threeImages(false);
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> Idx.read(f[0], f[1], "s", 2));
        assertTrue(e.getMessage().contains("label 2 at index 0 is not below 2"), e.getMessage());
    }

    @Test
    void corruptGzipIsReported() throws IOException {
        Path[] f = threeImages(true);
        byte[] bytes = Files.readAllBytes(f[0]);
        Path cut = dir.resolve("corrupt.gz");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 12));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Idx.readImages(cut));
        assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
    }
}

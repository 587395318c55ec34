package dev.oodlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10Test {

    @TempDir Path dir;

    /** Two records: labels 3 and 9; record r has red = 10 + r, green = 20 + r, blue = 30 + r. */
    private Path twoRecords() throws IOException {
        byte[] bytes = new byte[2 * Cifar10.RECORD_SIZE];
        for (int r = 0; r < 2; r++) {
            int off = r * Cifar10.RECORD_SIZE;
            bytes[off] = (byte) (r == 0 ? 3 : 9);
            for (int i = 0; i < 1024; i++) {
                bytes[off + 1 + i] = (byte) (10 + r);
                bytes[off + 1 + 1024 + i] = (byte) (20 + r);
                bytes[off + 1 + 2048 + i] = (byte) (30 + r);
            }
        }
        return Files.write(dir.resolve("test_batch.bin"), bytes);
    }

    @Test
    void readsLabelsAndChannelFirstPixels() throws IOException {
        twoRecords();
        ImageSet set = Cifar10.test(dir);
        assertEquals(2, set.size());
        assertEquals(3, set.channels());
        assertArrayEquals(new int[] {3, 9}, set.labels());
        float[] second = set.image(1);
        assertEquals(11 / 255f, second[0]);
        assertEquals(21 / 255f, second[1024]);
        assertEquals(31 / 255f, second[3071]);
    }

    @Test
    void truncatedBatchIsReported() throws IOException {
        Path f = twoRecords();
        byte[] bytes = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> Cifar10.read(List.of(f), "c"));
        assertTrue(
                e.getMessage().contains("not a multiple of the 3073-byte record"), e.getMessage());
    }

    @Test
    void labelAboveNineIsReported() throws IOException {
        Path f = twoRecords();
        byte[] bytes = Files.readAllBytes(f);
        bytes[Cifar10.RECORD_SIZE] = 12;
        Files.write(f, bytes);
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> Cifar10.read(List.of(f), "c"));
        assertTrue(e.getMessage().contains("record 1 has label 12"), e.getMessage());
    }

    @Test
    void missingTrainingBatchIsNamed() throws IOException {
        twoRecords();
        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10.train(dir));
        assertTrue(e.getMessage().contains("data_batch_1.bin: file not found"), e.getMessage());
    }
}

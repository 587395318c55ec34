package dev.oodlab.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading one score per line. */
class ScoreFileTest {

    @TempDir Path dir;

    @Test
    void readsOneScorePerLineSkippingBlankLines() throws IOException {
        Path file = write("s.txt", "0.5\n\n  -1e-3 \r\n2\n\n");
        assertArrayEquals(new double[] {0.5, -0.001, 2}, ScoreFile.read(file));
    }

    @Test
    void nanNamesTheFileAndLine() throws IOException {
        Path file = write("s.txt", "0.5\n\nNaN\n");
        assertEquals(
                file + " line 3: NaN is not a finite score",
                assertThrows(IllegalArgumentException.class, () -> ScoreFile.read(file))
                        .getMessage());
    }

    @Test
    void overflowToInfinityIsRejected() throws IOException {
        Path file = write("s.txt", "1e400\n");
        assertEquals(
                file + " line 1: 1e400 is not a finite score",
                assertThrows(IllegalArgumentException.class, () -> ScoreFile.read(file))
                        .getMessage());
    }

    @Test
    void pythonSpellingsOfNonFiniteValuesAreRejected() throws IOException {
        Path file = write("s.txt", "0.5\n-inf\n");
        assertEquals(
                file + " line 2: -inf is not a finite score",
                assertThrows(IllegalArgumentException.class, () -> ScoreFile.read(file))
                        .getMessage());
    }

    @Test
    void unparsableLineNamesTheFileAndLine() throws IOException {
        Path file = write("s.txt", "0.5\n0,7\n");
        assertEquals(
                file + " line 2: '0,7' is not a number",
                assertThrows(IllegalArgumentException.class, () -> ScoreFile.read(file))
                        .getMessage());
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        Path file = write("s.txt", "\n  \n");
        assertEquals(
                file + ": no scores (the file is empty or holds only blank lines)",
                assertThrows(IllegalArgumentException.class, () -> ScoreFile.read(file))
                        .getMessage());
    }

    @Test
    void missingFileIsRejectedByName() {
        Path file = dir.resolve("missing.txt");
        assertEquals(
                file + ": no such file",
                assertThrows(IllegalArgumentException.class, () -> ScoreFile.read(file))
                        .getMessage());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}

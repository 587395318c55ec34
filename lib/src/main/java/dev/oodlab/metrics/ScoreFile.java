package dev.oodlab.metrics;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads detector scores from a text file with one number per line, the format of the {@code oodlab
 * metrics} command and of most published score dumps.
 *
 * <p>Blank lines are skipped; surrounding spaces are ignored. Every other line must be a finite
 * decimal number ({@code 0.93}, {@code -1.5e-3}); NaN and infinities, however spelled ({@code NaN},
 * {@code nan}, {@code -inf}, {@code 1e400}), are rejected. A problem is reported as an {@link
 * IllegalArgumentException} whose message names the file and the 1-based line, e.g. {@code in.txt
 * line 7: NaN is not a finite score}.
 */
public final class ScoreFile {

    private ScoreFile() {}

    /**
     * Reads all scores of a file.
     *
     * @param file the file, one score per line
     * @return the scores in file order, at least one
     * @throws IllegalArgumentException if the file is missing or unreadable, holds no score, or a
     *     line is not a finite number; the message names the file and the line
     */
    public static double[] read(Path file) {
        Objects.requireNonNull(file, "file");
        double[] scores = new double[1024];
        int n = 0;
        int lineNumber = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                String text = line.strip();
                if (text.isEmpty()) {
                    continue;
                }
                double value;
                try {
                    value = isNonFiniteWord(text) ? Double.NaN : Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            file
                                    + " line "
                                    + lineNumber
                                    + ": '"
                                    + shorten(text)
                                    + "' is not a number");
                }
                if (!Double.isFinite(value)) {
                    throw new IllegalArgumentException(
                            file
                                    + " line "
                                    + lineNumber
                                    + ": "
                                    + shorten(text)
                                    + " is not a finite score");
                }
                if (n == scores.length) {
                    scores = Arrays.copyOf(scores, n * 2);
                }
                scores[n++] = value;
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException(
                    file + " line " + (lineNumber + 1) + ": not UTF-8 text");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")", e);
        } catch (UncheckedIOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (n == 0) {
            throw new IllegalArgumentException(
                    file + ": no scores (the file is empty or holds only blank lines)");
        }
        return Arrays.copyOf(scores, n);
    }

    /** NaN and infinities as Python and numpy write them ({@code nan}, {@code -inf}, ...). */
    private static boolean isNonFiniteWord(String text) {
        String word = text.toLowerCase(java.util.Locale.ROOT);
        if (word.startsWith("+") || word.startsWith("-")) {
            word = word.substring(1);
        }
        return word.equals("nan") || word.equals("inf") || word.equals("infinity");
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}

package dev.oodlab.smoothing;

import dev.oodlab.data.DataFormatException;
import dev.oodlab.io.AtomicFile;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The per-point certification log, as written by the code of Cohen et al. (ICML 2019) and reused by
 * later work (e.g. SmoothMix, Jeong et al., NeurIPS 2021): a tab-separated file with the header
 * {@code idx label predict radius correct time} and one row per test point.
 *
 * <ul>
 *   <li>{@code idx}: index of the point in the test set; {@code label}: its class;
 *   <li>{@code predict}: the certified class, {@code -1} for an abstention;
 *   <li>{@code radius}: the certified L2 radius (0 for an abstention);
 *   <li>{@code correct}: {@code 1} or {@code 0};
 *   <li>{@code time}: wall-clock time for the point, as Python's {@code str(timedelta)} writes it,
 *       e.g. {@code 0:00:02.365521}.
 * </ul>
 *
 * <p>{@link #write} writes radii with all the digits of a {@code double} (the published logs keep
 * three significant digits), through {@link AtomicFile} like every other output, so a reader never
 * sees half a log. {@link #read} accepts the published logs ({@code correct} as {@code 0/1} or
 * {@code True/False}, {@code time} as a timedelta or as plain seconds); the counts n_A are not in
 * the format and read back as {@code -1}.
 */
public final class CertificationLog {

    /** The header line of the format. */
    public static final String HEADER = "idx\tlabel\tpredict\tradius\tcorrect\ttime";

    private static final String[] COLUMNS = HEADER.split("\t");

    private CertificationLog() {}

    /**
     * Writes the results as a TSV log through {@link AtomicFile}: the rows go to a temporary file
     * in the same folder, which is renamed over {@code path} only once it is complete, so {@code
     * path} holds either its old content (or nothing) or the whole new log, never part of one.
     * Creates missing parent folders.
     *
     * @param results the certifications
     * @param path where to write
     * @throws UncheckedIOException naming the path when the log cannot be written
     * @throws IllegalArgumentException when a row cannot be formatted (a negative time); nothing is
     *     then written
     */
    public static void write(CertificationResults results, Path path) {
        Objects.requireNonNull(results, "results");
        Objects.requireNonNull(path, "path");
        try {
            AtomicFile.write(
                    path,
                    stream -> {
                        Writer out =
                                new BufferedWriter(
                                        new OutputStreamWriter(stream, StandardCharsets.UTF_8));
                        out.write(HEADER);
                        out.write('\n');
                        for (Certification c : results.points()) {
                            out.write(row(c));
                            out.write('\n');
                        }
                        out.flush();
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot write the certification log", e);
        }
    }

    /**
     * One row of the log (no line end), e.g. {@code 7\t3\t3\t0.8123\t1\t0:00:01.500000}.
     *
     * @param c a certification
     * @return the tab-separated row
     */
    public static String row(Certification c) {
        return c.index()
                + "\t"
                + c.label()
                + "\t"
                + c.prediction()
                + "\t"
                + c.radius()
                + "\t"
                + (c.correct() ? 1 : 0)
                + "\t"
                + timedelta(c.seconds());
    }

    /**
     * Reads a TSV log written by {@link #write} or by the published certification code.
     *
     * @param path the log
     * @return its rows as certifications, in file order ({@code countTop = -1})
     * @throws DataFormatException naming the file and line when the header or a row is malformed
     */
    public static CertificationResults read(Path path) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataFormatException(path, "cannot read the certification log", e);
        }
        if (lines.isEmpty() || !headerMatches(lines.get(0))) {
            throw new DataFormatException(
                    path,
                    "line 1: expected the header '"
                            + HEADER.replace('\t', ' ')
                            + "' (tab-separated), got '"
                            + (lines.isEmpty() ? "" : lines.get(0))
                            + "'");
        }
        List<Certification> points = new ArrayList<>(lines.size() - 1);
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            points.add(parseRow(path, i + 1, line));
        }
        if (points.isEmpty()) {
            throw new DataFormatException(path, "the log has a header but no rows");
        }
        return new CertificationResults(points);
    }

    /**
     * Formats seconds as Python's {@code str(datetime.timedelta(seconds=s))}: {@code H:MM:SS}, then
     * {@code .ffffff} when there are microseconds, after {@code "D day(s), "} when over a day.
     *
     * @param seconds a non-negative duration
     * @return the formatted duration, e.g. {@code 0:00:02.365521}
     */
    public static String timedelta(double seconds) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException(
                    "seconds must be finite and non-negative, got " + seconds);
        }
        long micros = Math.round(seconds * 1e6);
        long days = micros / 86_400_000_000L;
        long rest = micros % 86_400_000_000L;
        long hours = rest / 3_600_000_000L;
        long minutes = rest / 60_000_000L % 60;
        long wholeSeconds = rest / 1_000_000L % 60;
        long fraction = rest % 1_000_000L;
        StringBuilder text = new StringBuilder();
        if (days > 0) {
            text.append(days).append(days == 1 ? " day, " : " days, ");
        }
        text.append(String.format(Locale.ROOT, "%d:%02d:%02d", hours, minutes, wholeSeconds));
        if (fraction > 0) {
            text.append(String.format(Locale.ROOT, ".%06d", fraction));
        }
        return text.toString();
    }

    /**
     * Parses a duration written by {@link #timedelta(double)} (or by Python), or plain seconds.
     *
     * @param text e.g. {@code 0:00:02.365521}, {@code 1 day, 2:03:04}, {@code 2.5}
     * @return the duration in seconds
     * @throws IllegalArgumentException when the text is neither form
     */
    public static double parseTimedelta(String text) {
        String t = text.strip();
        try {
            if (!t.contains(":")) {
                return Double.parseDouble(t);
            }
            double days = 0;
            int comma = t.indexOf(',');
            if (comma >= 0) {
                String dayPart = t.substring(0, comma).strip();
                String[] words = dayPart.split(" +");
                if (words.length != 2 || !words[1].startsWith("day")) {
                    throw new IllegalArgumentException("not a duration: '" + text + "'");
                }
                days = Long.parseLong(words[0]);
                t = t.substring(comma + 1).strip();
            }
            String[] hms = t.split(":");
            if (hms.length != 3) {
                throw new IllegalArgumentException("not a duration: '" + text + "'");
            }
            return days * 86_400
                    + Long.parseLong(hms[0]) * 3_600
                    + Long.parseLong(hms[1]) * 60
                    + Double.parseDouble(hms[2]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration: '" + text + "'", e);
        }
    }

    private static boolean headerMatches(String line) {
        String[] names = line.strip().split("\t");
        if (names.length != COLUMNS.length) {
            return false;
        }
        for (int i = 0; i < names.length; i++) {
            if (!names[i].strip().equals(COLUMNS[i])) {
                return false;
            }
        }
        return true;
    }

    private static Certification parseRow(Path path, int lineNumber, String line) {
        String[] cells = line.split("\t", -1);
        if (cells.length != COLUMNS.length) {
            throw new DataFormatException(
                    path,
                    "line "
                            + lineNumber
                            + ": expected "
                            + COLUMNS.length
                            + " tab-separated columns, got "
                            + cells.length);
        }
        try {
            int index = Integer.parseInt(cells[0].strip());
            int label = Integer.parseInt(cells[1].strip());
            int prediction = Integer.parseInt(cells[2].strip());
            double radius = Double.parseDouble(cells[3].strip());
            boolean correct = parseCorrect(cells[4].strip());
            double seconds = parseTimedelta(cells[5]);
            return new Certification(index, label, prediction, radius, correct, -1, seconds);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(path, "line " + lineNumber + ": " + e.getMessage(), e);
        }
    }

    private static boolean parseCorrect(String cell) {
        return switch (cell) {
            case "1", "True", "true" -> true;
            case "0", "False", "false" -> false;
            default ->
                    throw new IllegalArgumentException(
                            "correct must be 0 or 1, got '" + cell + "'");
        };
    }
}

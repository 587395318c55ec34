package dev.oodlab.notebook;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a committed Jupyter notebook against the series' rules for a lesson a reader can follow:
 *
 * <ul>
 *   <li>{@link Rule#ANSI_ESCAPE}: no output holds an ANSI escape sequence (colour codes show as
 *       garbage in a rendered notebook);
 *   <li>{@link Rule#PROGRESS_LINES}: no output holds more than {@value #MAX_PROGRESS_LINES}
 *       consecutive progress lines (progress is one line that updates, see {@link StatusLine});
 *   <li>{@link Rule#LONG_CODE_CELL}: no code cell is longer than {@value #MAX_CODE_LINES} lines
 *       (cells call the library; what a cell would re-derive belongs there);
 *   <li>{@link Rule#NO_SUMMARY} and {@link Rule#NO_EXERCISES}: the notebook has a Markdown heading
 *       with "Summary" and one with "Exercises".
 * </ul>
 *
 * <p>A progress line is one that shows how far a loop is: a bar such as {@code [#####.....]}, a
 * {@code 45%|} bar, or a line that starts with a loop word (epoch, generation, step, batch,
 * iteration, seed, run, round) and holds a count {@code k/n}. A line rewritten with carriage
 * returns counts once, as a notebook shows it once (the text after its last {@code \r}). Adjacent
 * outputs of the same stream in one cell count as one output, as a notebook shows them as one
 * block.
 *
 * <p>The notebook is read with Gson as nbformat 4 JSON ({@code source} and output texts either a
 * string or a list of strings).
 */
public final class NotebookLint {

    /** The most lines a code cell may have. */
    public static final int MAX_CODE_LINES = 20;

    /** The most consecutive progress lines an output may hold. */
    public static final int MAX_PROGRESS_LINES = 5;

    /** What a finding breaks. */
    public enum Rule {
        /** An output holds an ANSI escape sequence. */
        ANSI_ESCAPE,
        /** An output holds more than {@link #MAX_PROGRESS_LINES} consecutive progress lines. */
        PROGRESS_LINES,
        /** A code cell is longer than {@link #MAX_CODE_LINES} lines. */
        LONG_CODE_CELL,
        /** No Markdown heading says "Summary". */
        NO_SUMMARY,
        /** No Markdown heading says "Exercises". */
        NO_EXERCISES
    }

    /**
     * One broken rule.
     *
     * @param notebook the notebook's file name
     * @param cell the cell's index in the notebook (from 0), or -1 for the notebook as a whole
     * @param rule the rule
     * @param message what was found, e.g. "33 consecutive progress lines in a stdout output"
     */
    public record Finding(String notebook, int cell, Rule rule, String message) {
        @Override
        public String toString() {
            return notebook + (cell >= 0 ? " cell " + cell : "") + ": " + message;
        }
    }

    private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-?]*[ -/]*[@-~]|\u001b");

    private static final Pattern BAR = Pattern.compile("\\[[#=>.\\- ]{4,}\\]|\\d+%\\|");

    private static final Pattern COUNTER =
            Pattern.compile(
                    "^\\W*(epoch|generation|gen|step|batch|iteration|iter|seed|run|round)s?\\b"
                            + ".*?\\b\\d+\\s*/\\s*\\d+",
                    Pattern.CASE_INSENSITIVE);

    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*)$");

    private static final Pattern SUMMARY =
            Pattern.compile("\\bsummary\\b", Pattern.CASE_INSENSITIVE);

    private static final Pattern EXERCISES =
            Pattern.compile("\\bexercises?\\b", Pattern.CASE_INSENSITIVE);

    private NotebookLint() {}

    /**
     * Checks notebook files from the command line and prints every finding, one per line:
     *
     * <pre>{@code
     * java -cp lib/target/oodlab.jar dev.oodlab.notebook.NotebookLint notebooks/01-metrics.ipynb
     * }</pre>
     *
     * The exit status is 0 when every notebook passes, 1 when any finding was printed, 2 for a file
     * that cannot be read or is not a notebook.
     *
     * @param args the {@code .ipynb} files
     */
    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: NotebookLint NOTEBOOK.ipynb ...");
            System.exit(2);
        }
        System.exit(run(args, System.out, System.err));
    }

    /** {@link #main} without the exit: the status it would exit with. */
    static int run(String[] files, PrintStream out, PrintStream err) {
        int findings = 0;
        for (String file : files) {
            try {
                List<Finding> found = check(Path.of(file));
                for (Finding f : found) {
                    out.println(f);
                }
                findings += found.size();
                if (found.isEmpty()) {
                    out.println(Path.of(file).getFileName() + ": passes every rule");
                }
            } catch (IOException | IllegalArgumentException e) {
                err.println(file + ": " + e.getMessage());
                return 2;
            }
        }
        return findings == 0 ? 0 : 1;
    }

    /**
     * Checks a notebook file.
     *
     * @param notebook the {@code .ipynb} file
     * @return the findings, in cell order, the notebook-wide ones last; empty if it passes
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException if it is not notebook JSON, naming the file
     */
    public static List<Finding> check(Path notebook) throws IOException {
        return check(
                notebook.getFileName().toString(),
                Files.readString(notebook, StandardCharsets.UTF_8));
    }

    /**
     * Checks a notebook given as JSON text.
     *
     * @param name the name to report findings under
     * @param json the notebook's JSON
     * @return the findings, in cell order, the notebook-wide ones last; empty if it passes
     * @throws IllegalArgumentException if the text is not notebook JSON, naming {@code name}
     */
    public static List<Finding> check(String name, String json) {
        JsonArray cells;
        try {
            JsonElement root = JsonParser.parseString(json);
            if (!root.isJsonObject() || !root.getAsJsonObject().has("cells")) {
                throw new IllegalArgumentException(name + ": not a notebook (no \"cells\" array)");
            }
            cells = root.getAsJsonObject().getAsJsonArray("cells");
        } catch (JsonParseException | IllegalStateException | ClassCastException e) {
            throw new IllegalArgumentException(name + ": not notebook JSON: " + e.getMessage(), e);
        }
        List<Finding> findings = new ArrayList<>();
        boolean summary = false;
        boolean exercises = false;
        for (int i = 0; i < cells.size(); i++) {
            JsonObject cell = cells.get(i).getAsJsonObject();
            String type = cell.has("cell_type") ? cell.get("cell_type").getAsString() : "";
            String source = text(cell.get("source"));
            if (type.equals("markdown")) {
                for (String line : source.split("\n", -1)) {
                    var m = HEADING.matcher(line);
                    if (m.matches()) {
                        summary |= SUMMARY.matcher(m.group(1)).find();
                        exercises |= EXERCISES.matcher(m.group(1)).find();
                    }
                }
            } else if (type.equals("code")) {
                int lines = lineCount(source);
                if (lines > MAX_CODE_LINES) {
                    findings.add(
                            new Finding(
                                    name,
                                    i,
                                    Rule.LONG_CODE_CELL,
                                    "code cell of "
                                            + lines
                                            + " lines (at most "
                                            + MAX_CODE_LINES
                                            + ")"));
                }
                checkOutputs(name, i, cell.getAsJsonArray("outputs"), findings);
            }
        }
        if (!summary) {
            findings.add(new Finding(name, -1, Rule.NO_SUMMARY, "no \"Summary\" heading"));
        }
        if (!exercises) {
            findings.add(new Finding(name, -1, Rule.NO_EXERCISES, "no \"Exercises\" heading"));
        }
        return findings;
    }

    private static void checkOutputs(
            String name, int cell, JsonArray outputs, List<Finding> findings) {
        if (outputs == null) {
            return;
        }
        List<String[]> blocks = new ArrayList<>(); // {what, text}
        for (JsonElement e : outputs) {
            JsonObject out = e.getAsJsonObject();
            String kind = out.has("output_type") ? out.get("output_type").getAsString() : "";
            if (kind.equals("stream")) {
                String stream = out.has("name") ? out.get("name").getAsString() : "stream";
                String what = "a " + stream + " output";
                String text = text(out.get("text"));
                String[] last = blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
                if (last != null && last[0].equals(what)) {
                    last[1] = last[1] + text; // adjacent chunks of one stream read as one block
                } else {
                    blocks.add(new String[] {what, text});
                }
            } else {
                if (out.has("data")) {
                    for (Map.Entry<String, JsonElement> d :
                            out.getAsJsonObject("data").entrySet()) {
                        if (d.getKey().startsWith("text/")) {
                            blocks.add(
                                    new String[] {
                                        "a " + d.getKey() + " output", text(d.getValue())
                                    });
                        }
                    }
                }
                if (out.has("traceback")) {
                    blocks.add(new String[] {"a traceback", lines(out.get("traceback"))});
                }
                if (out.has("evalue")) {
                    blocks.add(new String[] {"an error", text(out.get("evalue"))});
                }
            }
        }
        for (String[] block : blocks) {
            if (ANSI.matcher(block[1]).find()) {
                findings.add(
                        new Finding(
                                name, cell, Rule.ANSI_ESCAPE, "ANSI escape code in " + block[0]));
            }
            int run = longestProgressRun(block[1]);
            if (run > MAX_PROGRESS_LINES) {
                findings.add(
                        new Finding(
                                name,
                                cell,
                                Rule.PROGRESS_LINES,
                                run
                                        + " consecutive progress lines in "
                                        + block[0]
                                        + " (at most "
                                        + MAX_PROGRESS_LINES
                                        + ")"));
            }
        }
    }

    /** The longest run of consecutive progress lines, each line as a notebook shows it. */
    static int longestProgressRun(String text) {
        int longest = 0;
        int run = 0;
        for (String raw : text.split("\n", -1)) {
            String shown = raw.substring(raw.lastIndexOf('\r') + 1);
            if (isProgressLine(shown)) {
                run++;
                longest = Math.max(longest, run);
            } else {
                run = 0;
            }
        }
        return longest;
    }

    /**
     * Whether a line reports how far a loop is (see the class description).
     *
     * @param line one line of output
     * @return true for a progress line
     */
    public static boolean isProgressLine(String line) {
        String l = ANSI.matcher(line).replaceAll("");
        return BAR.matcher(l).find() || COUNTER.matcher(l).find();
    }

    /** nbformat text: a string, or a list of strings (lines that keep their newlines) joined. */
    private static String text(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return "";
        }
        if (e.isJsonArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonElement part : e.getAsJsonArray()) {
                sb.append(part.getAsString());
            }
            return sb.toString();
        }
        return e.getAsString();
    }

    /** A traceback: a list of lines without newlines. */
    private static String lines(JsonElement e) {
        List<String> out = new ArrayList<>();
        if (e != null && e.isJsonArray()) {
            e.getAsJsonArray().forEach(line -> out.add(line.getAsString()));
        }
        return String.join("\n", out);
    }

    /** Lines of a cell's source, a final newline not starting another line. */
    static int lineCount(String source) {
        if (source.isEmpty()) {
            return 0;
        }
        String s = source.endsWith("\n") ? source.substring(0, source.length() - 1) : source;
        return s.split("\n", -1).length;
    }
}

package dev.oodlab.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.oodlab.cli.OutputPath;
import dev.oodlab.io.AtomicFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The result of one benchmark: named figures with units, printed as a table and saved as JSON.
 *
 * <p>The JSON file {@code <output dir>/<name>.json} holds {@code benchmark}, {@code environment}
 * (Java version, processors, maximum heap), {@code details} (the benchmark's parameters) and {@code
 * figures}, a list of {@code {figure, value, unit}}, and for some benchmarks {@code runs}, a list
 * of structured results (see {@link #addRun}); the environment includes the load average at the
 * time of writing and the CPU's theoretical peak ({@link BenchMachine}). It is written to a
 * temporary file and renamed into place. {@link #time} measures an action after a warm-up.
 */
public final class BenchReport {

    /**
     * One measured or derived number.
     *
     * @param figure what it is, e.g. {@code metrics n=10000000 median}
     * @param value the number
     * @param unit its unit, e.g. {@code s}, {@code x}
     */
    public record Figure(String figure, double value, String unit) {}

    /**
     * Wall-clock times of repeated runs.
     *
     * @param seconds the time of each timed run, in run order
     */
    public record Timing(double[] seconds) {
        /**
         * The fastest run.
         *
         * @return the minimum, in seconds
         */
        public double min() {
            return Arrays.stream(seconds).min().orElse(Double.NaN);
        }

        /**
         * The median run (the mean of the middle two for an even count).
         *
         * @return the median, in seconds
         */
        public double median() {
            return BenchReport.median(seconds);
        }
    }

    /**
     * The median of the values (the mean of the middle two for an even count), for the bench
     * subcommands.
     *
     * @param values at least one value; not modified
     * @return the median
     */
    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    /** The {@code --output-dir} option shared by the bench subcommands. */
    public static final class Output {
        @Option(
                names = "--output-dir",
                paramLabel = "DIR",
                defaultValue = "build/bench",
                description = "where <name>.json is written (default: ${DEFAULT-VALUE})")
        Path directory = Paths.get("build/bench");

        /**
         * The output directory.
         *
         * @return the directory the JSON file goes to
         */
        public Path directory() {
            return directory;
        }

        /**
         * Checks the option before a benchmark runs, so that a bad folder fails at once rather than
         * after minutes of timing.
         *
         * @param spec the command, for the usage error
         * @throws CommandLine.ParameterException if the folder exists and is a file
         */
        public void check(CommandLine.Model.CommandSpec spec) {
            OutputPath.folder(spec, "--output-dir", directory);
        }
    }

    private final String name;
    private final List<Figure> figures = new ArrayList<>();
    private final JsonObject details = new JsonObject();
    private final JsonArray runs = new JsonArray();

    /**
     * Starts an empty report.
     *
     * @param name the benchmark's name, also the JSON file's base name
     */
    public BenchReport(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * Runs {@code action} {@code warmup} times untimed, then {@code repeats} times timed.
     *
     * @param warmup untimed runs first (lets the JIT compile the code)
     * @param repeats timed runs, at least 1
     * @param action the work; its result is kept so the JIT cannot drop the work
     * @return the timed runs' wall-clock seconds
     */
    public static Timing time(int warmup, int repeats, Supplier<?> action) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
        }
        int sink = 0;
        for (int i = 0; i < warmup; i++) {
            sink += System.identityHashCode(action.get());
        }
        double[] seconds = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            Object result = action.get();
            seconds[i] = (System.nanoTime() - start) / 1e9;
            sink += System.identityHashCode(result);
        }
        if (sink == 42) { // practically never; keeps the results observable
            System.err.print("");
        }
        return new Timing(seconds);
    }

    /**
     * Adds a figure.
     *
     * @param figure what it is
     * @param value the number
     * @param unit its unit
     * @return this report
     */
    public BenchReport add(String figure, double value, String unit) {
        figures.add(new Figure(figure, value, unit));
        return this;
    }

    /**
     * Records a parameter of the run (size, seed, repeats, ...) in the JSON {@code details}.
     *
     * @param key the parameter's name
     * @param value its value (a number, string, boolean or JSON element)
     * @return this report
     */
    public BenchReport detail(String key, Object value) {
        if (value instanceof Number number) {
            details.addProperty(key, number);
        } else if (value instanceof Boolean bool) {
            details.addProperty(key, bool);
        } else if (value instanceof JsonElement element) {
            details.add(key, element);
        } else {
            details.addProperty(key, String.valueOf(value));
        }
        return this;
    }

    /**
     * Adds one structured result (e.g. one model and method of the training benchmark) to the JSON
     * list {@code runs}.
     *
     * @param run the result
     * @return this report
     */
    public BenchReport addRun(JsonObject run) {
        runs.add(run);
        return this;
    }

    /**
     * The structured results added so far.
     *
     * @return a copy of the {@code runs} list
     */
    public JsonArray runs() {
        return runs.deepCopy();
    }

    /**
     * The figures added so far.
     *
     * @return an unmodifiable view
     */
    public List<Figure> figures() {
        return List.copyOf(figures);
    }

    /**
     * Prints the figures as an aligned three-column table.
     *
     * @param out where to print
     */
    public void print(PrintWriter out) {
        int width = "figure".length();
        for (Figure f : figures) {
            width = Math.max(width, f.figure().length());
        }
        String format = "%-" + width + "s  %12s  %s%n";
        out.printf(Locale.ROOT, format, "figure", "value", "unit");
        for (Figure f : figures) {
            out.printf(Locale.ROOT, format, f.figure(), formatValue(f.value()), f.unit());
        }
        out.flush();
    }

    /**
     * Writes {@code <directory>/<name>.json} (temporary file, then rename).
     *
     * @param directory the output directory, created if missing
     * @return the file written
     * @throws IOException if it cannot be written
     */
    public Path write(Path directory) throws IOException {
        JsonObject json = new JsonObject();
        json.addProperty("benchmark", name);
        json.add("environment", environment());
        json.add("details", details);
        JsonArray list = new JsonArray();
        for (Figure f : figures) {
            JsonObject item = new JsonObject();
            item.addProperty("figure", f.figure());
            item.addProperty("value", f.value());
            item.addProperty("unit", f.unit());
            list.add(item);
        }
        json.add("figures", list);
        if (!runs.isEmpty()) {
            json.add("runs", runs);
        }
        Path file = directory.resolve(name + ".json");
        AtomicFile.writeString(
                file,
                new GsonBuilder()
                                .setPrettyPrinting()
                                .disableHtmlEscaping()
                                .serializeSpecialFloatingPointValues()
                                .create()
                                .toJson(json)
                        + "\n");
        return file;
    }

    private static JsonObject environment() {
        JsonObject env = new JsonObject();
        env.addProperty("java", System.getProperty("java.version"));
        env.addProperty("vm", System.getProperty("java.vm.name"));
        env.addProperty("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        env.addProperty("processors", Runtime.getRuntime().availableProcessors());
        env.addProperty("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
        env.addProperty("load_average", BenchMachine.loadAverageText());
        BenchMachine.Peak peak = BenchMachine.peak();
        if (peak != null) {
            env.addProperty("cpu", peak.modelName());
            env.addProperty("peak_gflops", peak.gflops());
            env.addProperty("peak_derivation", peak.derivation());
        }
        env.addProperty(
                "djl_pytorch_num_threads", System.getProperty("ai.djl.pytorch.num_threads"));
        env.addProperty(
                "djl_pytorch_num_interop_threads",
                System.getProperty("ai.djl.pytorch.num_interop_threads"));
        env.addProperty("omp_wait_policy", dev.oodlab.OodLab.ompWaitPolicy());
        return env;
    }

    private static String formatValue(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        double a = Math.abs(v);
        if (a >= 1e6) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 0.01) {
            return String.format(Locale.ROOT, "%.4f", v);
        }
        return String.format(Locale.ROOT, "%.3e", v);
    }
}

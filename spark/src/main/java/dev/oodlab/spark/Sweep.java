package dev.oodlab.spark;

import dev.oodlab.experiment.AdversarialMixupStudy;
import dev.oodlab.io.AtomicFile;
import dev.oodlab.io.StagedDirectory;
import dev.oodlab.metrics.OodMetric;
import dev.oodlab.report.ResultsTable;
import dev.oodlab.report.RunResult;
import dev.oodlab.viz.ChartOptions;
import dev.oodlab.viz.GroupedBarChart;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A sweep as a Spark job: one task per cell of a {@link SweepGrid} that is not complete yet, each
 * running {@code oodlab train} for its cell ({@link CellRunner}) into {@code <out>/cells/<id>/};
 * the driver collects one row per cell into a DataFrame and writes, into {@code out}:
 *
 * <ul>
 *   <li>{@code results.parquet} (a Parquet folder, as Spark writes it) and {@code results.csv} (one
 *       file): per cell its id, the varied options, its status ({@code done}, {@code skipped} when
 *       complete from an earlier submission, {@code failed}), the attempts, the error of a failed
 *       cell, the test accuracy, and per OOD set {@code auroc_<set>} and {@code fpr95_<set>};
 *   <li>{@code table.csv}, {@code table.md} — the {@link ResultsTable} of {@code oodlab study}: one
 *       row per setting (the varied options but the seed) and OOD set, mean ± sd over the seeds
 *       when the seed is varied;
 *   <li>{@code bars-<metric>.png}, {@code accuracy.png} — the study's charts;
 *   <li>{@code logs/<id>.log} — each cell's standard error.
 * </ul>
 *
 * <p>A resubmitted sweep runs only the cells without {@code results.json}. A failed cell does not
 * stop the others: Spark runs it again up to its task attempts (in local mode the {@code F} of
 * {@code local[N,F]}, else {@code spark.task.maxFailures}), and after the last one it is a {@code
 * failed} row with its error.
 */
public final class Sweep {

    /** Spark configuration key: further JVM options of each cell's JVM, separated by spaces. */
    public static final String CELL_JAVA_OPTIONS = "spark.oodlab.cell.javaOptions";

    /**
     * Spark configuration key: the class path of each cell's JVM (default: the jars of the library
     * and of this module, with the task JVM's class path when the library's jar is a thin one).
     */
    public static final String CELL_CLASS_PATH = "spark.oodlab.cell.classPath";

    private static final Pattern LOCAL = Pattern.compile("local\\[([0-9]+|\\*)(?:,([0-9]+))?]");

    private static final Pattern PARQUET_PART = Pattern.compile("(part-.*|_SUCCESS|\\..*\\.crc)");

    private Sweep() {}

    /**
     * What a sweep produced.
     *
     * @param outcomes one per cell, in the grid's order
     * @param results the result rows (one per cell, the schema of {@code results.parquet})
     */
    public record Result(List<CellOutcome> outcomes, List<Row> results) {

        /** The cells that failed. */
        public List<CellOutcome> failed() {
            return outcomes.stream().filter(o -> o.status().equals(CellOutcome.FAILED)).toList();
        }

        /** How many cells have a given status. */
        public long count(String status) {
            return outcomes.stream().filter(o -> o.status().equals(status)).count();
        }
    }

    /**
     * The task attempts of a Spark configuration: {@code F} of a {@code local[N,F]} master, 1 for
     * another local master, else {@code spark.task.maxFailures} (default 4).
     *
     * @param conf the configuration
     * @return the attempts, at least 1
     */
    public static int attempts(SparkConf conf) {
        String master = conf.get("spark.master", "local");
        Matcher local = LOCAL.matcher(master);
        if (local.matches()) {
            return local.group(2) == null ? 1 : Math.max(1, Integer.parseInt(local.group(2)));
        }
        if (master.equals("local")) {
            return 1;
        }
        return Math.max(1, conf.getInt("spark.task.maxFailures", 4));
    }

    /**
     * A local master with task attempts: {@code local[N]} becomes {@code local[N,attempts]}
     * (Spark's local mode retries a task only with that form); other masters are returned as they
     * are.
     *
     * @param master the master URL
     * @param attempts the attempts of a task, at least 1
     * @return the master
     */
    public static String withAttempts(String master, int attempts) {
        Matcher local = LOCAL.matcher(master);
        if (local.matches() && local.group(2) == null) {
            return "local[" + local.group(1) + "," + attempts + "]";
        }
        if (master.equals("local")) {
            return "local[1," + attempts + "]";
        }
        return master;
    }

    /**
     * Runs a sweep.
     *
     * @param spark the session
     * @param grid the grid
     * @param out the output folder (on a cluster, a path the driver and every executor see)
     * @param log where progress lines go
     * @return the outcomes and rows
     * @throws IOException if the outputs cannot be written
     */
    public static Result run(SparkSession spark, SweepGrid grid, Path out, PrintStream log)
            throws IOException {
        Path root = out.toAbsolutePath().normalize();
        Files.createDirectories(root.resolve("cells"));
        List<SweepGrid.Cell> cells = grid.cells();
        List<SweepGrid.Cell> todo = new ArrayList<>();
        Map<String, CellOutcome> outcomes = new LinkedHashMap<>();
        for (SweepGrid.Cell cell : cells) {
            Path done = CellRunner.completeResults(root, cell.id());
            outcomes.put(cell.id(), null);
            if (done != null) {
                outcomes.put(
                        cell.id(),
                        new CellOutcome(
                                cell.id(), CellOutcome.SKIPPED, 0, null, Files.readString(done)));
            } else {
                todo.add(cell);
            }
        }
        log.printf(
                Locale.ROOT,
                "sweep: %d cells, %d complete already, %d to run%n",
                cells.size(),
                cells.size() - todo.size(),
                todo.size());
        if (!todo.isEmpty()) {
            SparkConf conf = spark.sparkContext().getConf();
            int attempts = attempts(conf);
            List<String> extra =
                    Arrays.stream(conf.get(CELL_JAVA_OPTIONS, "").trim().split("\\s+"))
                            .filter(s -> !s.isEmpty())
                            .toList();
            CellRunner runner =
                    new CellRunner(
                            root,
                            CellRunner.javaOptions(conf.getInt("spark.task.cpus", 1), extra),
                            attempts,
                            conf.get(CELL_CLASS_PATH, null));
            JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
            context.setJobDescription("oodlab sweep: " + todo.size() + " cells into " + root);
            JavaRDD<SweepGrid.Cell> tasks = context.parallelize(todo, todo.size());
            List<CellOutcome> ran =
                    tasks.map(cell -> runner.run(cell, TaskContext.get().attemptNumber()))
                            .collect();
            for (CellOutcome o : ran) {
                outcomes.put(o.id(), o);
                log.println(
                        "sweep: "
                                + o.id()
                                + " "
                                + o.status()
                                + (o.message() == null ? "" : ": " + o.message()));
            }
        }
        List<CellOutcome> ordered = new ArrayList<>(outcomes.values());
        StructType schema = schema(grid, ordered);
        List<Row> rows = rows(schema, cells, ordered);
        Dataset<Row> frame = spark.createDataFrame(rows, schema);
        writeParquet(frame, root.resolve("results.parquet"));
        AtomicFile.writeString(root.resolve("results.csv"), csv(schema, frame.collectAsList()));
        writeTables(cells, ordered, root);
        return new Result(ordered, rows);
    }

    /** The OOD sets of the cells with results, in order of first appearance. */
    private static List<String> oodSets(List<CellOutcome> outcomes) {
        Set<String> sets = new LinkedHashSet<>();
        for (CellOutcome o : outcomes) {
            if (o.hasResults()) {
                sets.addAll(RunResult.fromJson(o.resultsJson()).ood().keySet());
            }
        }
        return new ArrayList<>(sets);
    }

    /** The schema of the result rows. */
    static StructType schema(SweepGrid grid, List<CellOutcome> outcomes) {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("cell", DataTypes.StringType, false));
        for (Map.Entry<String, List<Object>> e : grid.vary().entrySet()) {
            fields.add(DataTypes.createStructField(e.getKey(), type(e.getValue()), false));
        }
        fields.add(DataTypes.createStructField("status", DataTypes.StringType, false));
        fields.add(DataTypes.createStructField("attempts", DataTypes.IntegerType, false));
        fields.add(DataTypes.createStructField("message", DataTypes.StringType, true));
        fields.add(DataTypes.createStructField("test_accuracy", DataTypes.DoubleType, true));
        for (String set : oodSets(outcomes)) {
            fields.add(
                    DataTypes.createStructField(
                            "auroc_" + column(set), DataTypes.DoubleType, true));
            fields.add(
                    DataTypes.createStructField(
                            "fpr95_" + column(set), DataTypes.DoubleType, true));
        }
        return DataTypes.createStructType(fields);
    }

    /** A set name as part of a column name. */
    private static String column(String set) {
        return set.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /** The column type of a varied option: long, double, boolean, else string. */
    private static DataType type(List<Object> values) {
        if (values.stream().allMatch(v -> v instanceof Long)) {
            return DataTypes.LongType;
        } else if (values.stream().allMatch(v -> v instanceof Number)) {
            return DataTypes.DoubleType;
        } else if (values.stream().allMatch(v -> v instanceof Boolean)) {
            return DataTypes.BooleanType;
        }
        return DataTypes.StringType;
    }

    private static List<Row> rows(
            StructType schema, List<SweepGrid.Cell> cells, List<CellOutcome> outcomes) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            SweepGrid.Cell cell = cells.get(i);
            CellOutcome o = outcomes.get(i);
            Object[] values = new Object[schema.fields().length];
            int k = 0;
            values[k++] = cell.id();
            for (Map.Entry<String, Object> v : cell.varied().entrySet()) {
                DataType type = schema.fields()[k].dataType();
                Object value = v.getValue();
                if (type.equals(DataTypes.DoubleType)) {
                    value = ((Number) value).doubleValue();
                } else if (type.equals(DataTypes.StringType)) {
                    value = SweepGrid.text(value);
                }
                values[k++] = value;
            }
            values[k++] = o.status();
            values[k++] = o.attempts();
            values[k++] = o.message();
            if (o.hasResults()) {
                RunResult result = RunResult.fromJson(o.resultsJson());
                values[k] = result.testAccuracy();
                for (int f = k + 1; f < values.length; f += 2) {
                    String name = schema.fields()[f].name().substring("auroc_".length());
                    for (Map.Entry<String, RunResult.OodSet> set : result.ood().entrySet()) {
                        if (column(set.getKey()).equals(name)) {
                            values[f] = set.getValue().metrics().get(OodMetric.AUROC);
                            values[f + 1] = set.getValue().metrics().get(OodMetric.FPR_AT_95_TPR);
                        }
                    }
                }
            }
            rows.add(RowFactory.create(values));
        }
        return rows;
    }

    /** Writes the rows as a Parquet folder, replacing an earlier one whole. */
    private static void writeParquet(Dataset<Row> frame, Path target) throws IOException {
        try (StagedDirectory staged =
                StagedDirectory.create(target, name -> PARQUET_PART.matcher(name).matches())) {
            frame.coalesce(1)
                    .write()
                    .mode(SaveMode.Overwrite)
                    .parquet(staged.path().toUri().toString());
            staged.commit();
        }
    }

    /** The rows as CSV: a header, then one line per cell; numbers in full precision. */
    static String csv(StructType schema, List<Row> rows) {
        StringBuilder text = new StringBuilder();
        text.append(String.join(",", schema.fieldNames())).append('\n');
        for (Row row : rows) {
            List<String> fields = new ArrayList<>();
            for (int i = 0; i < row.length(); i++) {
                Object v = row.get(i);
                String s = v == null ? "" : String.valueOf(v);
                if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
                    s = '"' + s.replace("\"", "\"\"") + '"';
                }
                fields.add(s);
            }
            text.append(String.join(",", fields)).append('\n');
        }
        return text.toString();
    }

    /**
     * The study's table and charts over the cells with results: one row per setting (the varied
     * options but the seed) and OOD set; with a varied seed, one table per seed aggregated into
     * mean ± sd.
     */
    private static void writeTables(
            List<SweepGrid.Cell> cells, List<CellOutcome> outcomes, Path root) throws IOException {
        Map<String, ResultsTable.Builder> bySeed = new LinkedHashMap<>();
        Map<String, List<Double>> accuracies = new LinkedHashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            CellOutcome o = outcomes.get(i);
            if (!o.hasResults()) {
                continue;
            }
            SweepGrid.Cell cell = cells.get(i);
            RunResult result = RunResult.fromJson(o.resultsJson());
            List<String> parts = new ArrayList<>();
            cell.varied()
                    .forEach(
                            (k, v) -> {
                                if (!k.equals("seed")) {
                                    parts.add(k + "=" + SweepGrid.text(v));
                                }
                            });
            String label = parts.isEmpty() ? result.method() : String.join(", ", parts);
            ResultsTable.Builder table =
                    bySeed.computeIfAbsent(
                            String.valueOf(cell.varied().getOrDefault("seed", "")),
                            s ->
                                    ResultsTable.builder()
                                            .optExtraColumn(
                                                    AdversarialMixupStudy.ACCURACY,
                                                    ResultsTable.Better.HIGHER,
                                                    ResultsTable.ValueFormat.PERCENT));
            for (Map.Entry<String, RunResult.OodSet> e : result.ood().entrySet()) {
                table.add(
                        label,
                        e.getKey(),
                        e.getValue().metrics(),
                        Map.of(AdversarialMixupStudy.ACCURACY, result.testAccuracy()));
            }
            accuracies.computeIfAbsent(label, k -> new ArrayList<>()).add(result.testAccuracy());
        }
        if (bySeed.isEmpty()) {
            return;
        }
        List<ResultsTable> tables = new ArrayList<>();
        for (ResultsTable.Builder b : bySeed.values()) {
            tables.add(b.build());
        }
        ResultsTable table = ResultsTable.meanAndSd(tables);
        table.writeCsv(root.resolve("table.csv"));
        table.writeMarkdown(root.resolve("table.md"));
        for (OodMetric metric : OodMetric.values()) {
            GroupedBarChart.of(table, metric)
                    .savePng(root.resolve("bars-" + metric.key().replace('_', '-') + ".png"));
        }
        Map<String, Map<String, Double>> values = new LinkedHashMap<>();
        Map<String, Map<String, Double>> errors = new LinkedHashMap<>();
        accuracies.forEach(
                (label, list) -> {
                    double mean = list.stream().mapToDouble(d -> d).average().orElse(Double.NaN);
                    double ss = list.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum();
                    double sd = list.size() > 1 ? Math.sqrt(ss / (list.size() - 1)) : Double.NaN;
                    values.put(label, Map.of("test accuracy", 100 * mean));
                    errors.put(label, Map.of("test accuracy", 100 * sd));
                });
        GroupedBarChart.percent(
                        values,
                        errors,
                        ChartOptions.defaults()
                                .withTitle("Test accuracy (mean ± sd over seeds)")
                                .withLabels("", "Test accuracy (%)"))
                .savePng(root.resolve("accuracy.png"));
    }
}

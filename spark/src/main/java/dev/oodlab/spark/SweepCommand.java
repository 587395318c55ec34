package dev.oodlab.spark;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code oodlab sweep}: a grid of {@code oodlab train} runs as a Spark job ({@link Sweep}), in
 * Spark's local mode with {@code --master local[N]} or on the cluster {@code spark-submit} names.
 */
@Command(
        name = "sweep",
        mixinStandardHelpOptions = true,
        description = {
            "Run a grid of 'oodlab train' runs as a Spark job, one task per cell: the grid file is"
                    + " JSON, {\"options\": {train options by name}, \"vary\": {\"seed\": [1, 2],"
                    + " \"epsilon\": [0, 0.1]}}.",
            "Writes cells/<id>/ (each what 'oodlab train --out' writes), logs/<id>.log,"
                    + " results.csv and results.parquet (one row per cell), table.csv, table.md"
                    + " and charts into --out. A cell whose folder is complete is not run again,"
                    + " so the same command continues a sweep that stopped; a failed cell is"
                    + " retried, then reported, and the others finish."
        })
public final class SweepCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--grid",
            required = true,
            paramLabel = "FILE",
            description = "Grid file (JSON).")
    Path grid;

    @Option(
            names = "--master",
            paramLabel = "URL",
            description =
                    "Spark master, e.g. local[2] (two cells at a time on this machine); default:"
                            + " the one spark-submit sets, else local[*].")
    String master;

    @Option(
            names = "--attempts",
            defaultValue = "2",
            paramLabel = "N",
            description =
                    "Attempts of a failing cell in local mode (local[N] becomes local[N,attempts];"
                            + " on a cluster spark.task.maxFailures decides) (default:"
                            + " ${DEFAULT-VALUE}).")
    int attempts;

    @Option(
            names = "--conf",
            paramLabel = "KEY=VALUE",
            description =
                    "A Spark setting, e.g. spark.task.cpus=2 (libtorch threads per cell) or "
                            + Sweep.CELL_JAVA_OPTIONS
                            + "=-Xmx4g (options of each cell's JVM); may be repeated.")
    List<String> conf = new ArrayList<>();

    @Option(names = "--out", required = true, description = "Output folder (shared by every node).")
    Path out;

    @Override
    public Integer call() throws Exception {
        SweepGrid sweepGrid;
        try {
            if (attempts < 1) {
                throw new IllegalArgumentException("--attempts must be >= 1, got " + attempts);
            }
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new IllegalArgumentException("--out " + out + " exists and is not a folder");
            }
            if (!Files.isRegularFile(grid)) {
                throw new IllegalArgumentException("--grid " + grid + ": no such file");
            }
            sweepGrid = SweepGrid.read(grid);
            sweepGrid.cells();
            for (String setting : conf) {
                if (setting.indexOf('=') <= 0) {
                    throw new IllegalArgumentException(
                            "--conf " + setting + ": expected KEY=VALUE");
                }
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintStream log = new PrintStream(System.err, true);
        SparkSession.Builder builder = SparkSession.builder().appName("oodlab sweep");
        String chosen = master;
        if (chosen == null && System.getProperty("spark.master") == null) {
            chosen = "local[*]";
        }
        if (chosen != null) {
            builder.master(Sweep.withAttempts(chosen, attempts));
            if (chosen.startsWith("local")) {
                builder.config("spark.ui.enabled", "false");
                builder.config("spark.driver.host", "127.0.0.1");
                builder.config("spark.driver.bindAddress", "127.0.0.1");
            }
        }
        for (String setting : conf) {
            int eq = setting.indexOf('=');
            builder.config(setting.substring(0, eq), setting.substring(eq + 1));
        }
        Sweep.Result result;
        try (SparkSession spark = builder.getOrCreate()) {
            result = Sweep.run(spark, sweepGrid, out, log);
        }
        log.printf(
                "sweep: wrote %s (%d run, %d complete already, %d failed)%n",
                out,
                result.count(CellOutcome.DONE),
                result.count(CellOutcome.SKIPPED),
                result.count(CellOutcome.FAILED));
        List<CellOutcome> failed = result.failed();
        if (!failed.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (CellOutcome o : failed) {
                names.add(o.id() + " (" + o.message() + ")");
            }
            throw new IllegalStateException(
                    failed.size()
                            + " of "
                            + result.outcomes().size()
                            + " cells failed: "
                            + String.join("; ", names));
        }
        return 0;
    }
}

package dev.oodlab.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.oodlab.cli.Main;
import dev.oodlab.data.DataFormatException;
import dev.oodlab.data.Datasets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Sweeps in Spark's local mode on tiny runs (500 training images, one epoch, an MLP): a killed
 * sweep resubmitted finishes without running its complete cells again, every cell's {@code
 * results.json} is the one {@code oodlab train} writes for the same options, and a cell with a bad
 * option fails alone, with its message.
 */
class SweepTest {

    /** The 2×2 grid of the tests. */
    static final String GRID =
            "{\"options\": {\"method\": \"adversarial-mixup\", \"model\": \"mlp\", \"epochs\": 1,"
                    + " \"subset\": 500, \"test-subset\": 200, \"ood\": [\"uniform\"],"
                    + " \"ood-count\": 200},"
                    + " \"vary\": {\"seed\": [1, 2], \"epsilon\": [0, 0.1]}}";

    /** The keys of results.json that hold wall-clock measurements. */
    static final List<String> CLOCK = List.of("training_seconds");

    /** The keys of a history entry that hold wall-clock measurements. */
    static final List<String> EPOCH_CLOCK = List.of("seconds", "images_per_second", "rss_mb");

    static SparkSession spark;

    @TempDir Path dir;

    @BeforeAll
    static void start() {
        try {
            Datasets.fashionMnistDirectory();
        } catch (DataFormatException e) {
            assumeTrue(false, "Fashion-MNIST not installed");
        }
        spark =
                SparkSession.builder()
                        .master("local[2,2]")
                        .appName("SweepTest")
                        .config("spark.ui.enabled", "false")
                        .config("spark.driver.host", "127.0.0.1")
                        .config("spark.driver.bindAddress", "127.0.0.1")
                        .getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void killedSweepResumesWithoutRerunningCellsAndEachCellIsWhatTrainWrites() throws Exception {
        Path grid = dir.resolve("grid.json");
        Files.writeString(grid, GRID);
        Path out = dir.resolve("sweep");

        // 1. a sweep in a process of its own, one cell at a time, killed once a cell is complete
        Process sweep = startSweep(grid, out);
        Path cells = out.resolve("cells");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (complete(cells).isEmpty() && sweep.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(sweep.isAlive(), "the sweep ended before it could be killed");
        List<ProcessHandle> children = sweep.toHandle().descendants().toList();
        sweep.destroyForcibly().waitFor();
        for (ProcessHandle child : children) {
            // the cell that was training ends with its parent (CellMain watches the pipe)
            child.onExit().get(30, TimeUnit.SECONDS);
        }
        List<String> before = complete(cells);
        assertTrue(before.size() >= 1 && before.size() < 4, "complete before: " + before);
        Map<String, FileTime> stamps = new HashMap<>();
        Map<String, String> texts = new HashMap<>();
        for (String id : before) {
            Path results = cells.resolve(id).resolve("results.json");
            stamps.put(id, Files.getLastModifiedTime(results));
            texts.put(id, Files.readString(results));
        }

        // 2. resubmitted: the complete cells are skipped, the others run
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Sweep.Result result =
                Sweep.run(
                        spark,
                        SweepGrid.read(grid),
                        out,
                        new PrintStream(log, true, StandardCharsets.UTF_8));
        assertEquals(before.size(), result.count(CellOutcome.SKIPPED), log.toString());
        assertEquals(4 - before.size(), result.count(CellOutcome.DONE), log.toString());
        assertTrue(
                log.toString()
                        .contains(
                                "sweep: 4 cells, "
                                        + before.size()
                                        + " complete already, "
                                        + (4 - before.size())
                                        + " to run"),
                log.toString());
        for (String id : before) {
            Path results = cells.resolve(id).resolve("results.json");
            assertEquals(stamps.get(id), Files.getLastModifiedTime(results), id);
            assertEquals(texts.get(id), Files.readString(results), id);
            // the killed sweep ran it once; the resubmitted one did not
            assertEquals(1, attemptLines(out.resolve("logs").resolve(id + ".log")), id);
        }
        assertEquals(4, complete(cells).size());

        // 3. each cell is what `oodlab train` writes for its options
        List<SweepGrid.Cell> gridCells = SweepGrid.read(grid).cells();
        for (SweepGrid.Cell cell : gridCells) {
            Path reference = dir.resolve("reference").resolve(cell.id());
            List<String> args = new ArrayList<>(List.of("train"));
            args.addAll(cell.args());
            args.addAll(List.of("--quiet", "--out", reference.toString()));
            StringWriter err = new StringWriter();
            CommandLine cli = Main.commandLine();
            cli.setErr(new PrintWriter(err));
            cli.setOut(new PrintWriter(new StringWriter()));
            assertEquals(0, cli.execute(args.toArray(String[]::new)), err.toString());
            assertEquals(
                    withoutClock(Files.readString(reference.resolve("results.json"))),
                    withoutClock(
                            Files.readString(cells.resolve(cell.id()).resolve("results.json"))),
                    cell.id());
            assertEquals(
                    Files.readString(reference.resolve("model.json")),
                    Files.readString(cells.resolve(cell.id()).resolve("model.json")),
                    cell.id());
            assertEquals(
                    -1L,
                    Files.mismatch(
                            reference.resolve("model.params"),
                            cells.resolve(cell.id()).resolve("model.params")),
                    cell.id());
        }

        // 4. the tables: one row per cell in results.csv and results.parquet
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(
                "cell,seed,epsilon,status,attempts,message,test_accuracy,auroc_uniform,fpr95_uniform",
                csv.get(0));
        assertEquals(5, csv.size());
        List<Row> parquet =
                spark.read()
                        .parquet(out.resolve("results.parquet").toString())
                        .orderBy("cell")
                        .collectAsList();
        assertEquals(4, parquet.size());
        for (Row row : parquet) {
            String id = row.getAs("cell");
            JsonObject json =
                    JsonParser.parseString(
                                    Files.readString(cells.resolve(id).resolve("results.json")))
                            .getAsJsonObject();
            assertEquals(
                    json.get("test_accuracy").getAsDouble(),
                    (double) row.getAs("test_accuracy"),
                    0);
            assertEquals(
                    json.getAsJsonObject("ood")
                            .getAsJsonObject("uniform")
                            .get("auroc")
                            .getAsDouble(),
                    (double) row.getAs("auroc_uniform"),
                    0);
            assertEquals(json.get("seed").getAsLong(), (long) row.getAs("seed"));
        }
        assertTrue(
                Files.readString(out.resolve("table.md"))
                        .contains("| epsilon=0.1 | uniform | 2 |"));
        assertTrue(Files.size(out.resolve("bars-auroc.png")) > 0);
    }

    @Test
    void aCellWithABadOptionFailsWithItsMessageAndTheOthersAreDone() throws Exception {
        SweepGrid grid =
                SweepGrid.parse(
                        "{\"options\": {\"method\": \"adversarial-mixup\", \"model\": \"mlp\","
                                + " \"epochs\": 1, \"subset\": 500, \"test-subset\": 200,"
                                + " \"ood\": [\"uniform\"], \"ood-count\": 200, \"seed\": 3},"
                                + " \"vary\": {\"epsilon\": [0.1, -1]}}");
        Path out = dir.resolve("bad");
        Sweep.Result result =
                Sweep.run(spark, grid, out, new PrintStream(new ByteArrayOutputStream()));
        assertEquals(1, result.count(CellOutcome.DONE));
        CellOutcome failed = result.failed().get(0);
        assertEquals("epsilon--1", failed.id());
        assertTrue(failed.message().contains("epsilon"), failed.message());
        assertEquals(1, failed.attempts(), "a usage error is not retried");
        assertNotNull(CellRunner.completeResults(out, "epsilon-0.1"));
        assertNull(CellRunner.completeResults(out, "epsilon--1"));
        assertFalse(Files.exists(out.resolve("cells").resolve("epsilon--1")));
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(3, csv.size());
        assertTrue(csv.get(2).startsWith("epsilon--1,-1.0,failed,1,"), csv.get(2));
    }

    /** Starts {@code oodlab sweep} in a JVM of its own with {@code local[1]}. */
    private static Process startSweep(Path grid, Path out) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens")
                    || arg.startsWith("-D") && !arg.startsWith("-Dbasedir")) {
                command.add(arg);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(SparkMain.class.getName());
        command.addAll(
                List.of(
                        "sweep",
                        "--grid",
                        grid.toString(),
                        "--master",
                        "local[1]",
                        "--out",
                        out.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectErrorStream(true);
        builder.redirectOutput(out.resolveSibling("sweep-killed.log").toFile());
        return builder.start();
    }

    /**
     * The complete cells below {@code cells} (not the hidden folders a run writes into before it
     * renames them into place).
     */
    static List<String> complete(Path cells) throws Exception {
        if (!Files.isDirectory(cells)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(cells)) {
            return list.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> Files.isRegularFile(p.resolve("results.json")))
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }

    private static long attemptLines(Path log) throws Exception {
        return Files.readAllLines(log).stream().filter(l -> l.startsWith("== attempt ")).count();
    }

    /** A results.json without its wall-clock fields. */
    static JsonObject withoutClock(String json) {
        JsonObject object = JsonParser.parseString(json).getAsJsonObject();
        CLOCK.forEach(object::remove);
        if (object.has("history")) {
            for (JsonElement epoch : object.getAsJsonArray("history")) {
                EPOCH_CLOCK.forEach(epoch.getAsJsonObject()::remove);
            }
        }
        return object;
    }
}

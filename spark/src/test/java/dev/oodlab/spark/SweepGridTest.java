package dev.oodlab.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oodlab.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The grid file: cells, ids, arguments, and the one-line errors of bad grids. */
class SweepGridTest {

    @TempDir Path dir;

    @Test
    void cellsAreTheProductLastOptionFastest() {
        SweepGrid grid =
                SweepGrid.parse(
                        "{\"options\": {\"method\": \"adversarial-mixup\", \"epochs\": 1,"
                                + " \"ood\": [\"mnist\", \"uniform\"], \"no-cache\": true,"
                                + " \"one-step\": false},"
                                + " \"vary\": {\"seed\": [1, 2], \"epsilon\": [0, 0.1, 1e-5]}}");
        List<SweepGrid.Cell> cells = grid.cells();
        assertEquals(6, cells.size());
        assertEquals(
                List.of(
                        "seed-1_epsilon-0",
                        "seed-1_epsilon-0.1",
                        "seed-1_epsilon-1.0E-5",
                        "seed-2_epsilon-0",
                        "seed-2_epsilon-0.1",
                        "seed-2_epsilon-1.0E-5"),
                cells.stream().map(SweepGrid.Cell::id).toList());
        assertEquals(
                List.of(
                        "--method",
                        "adversarial-mixup",
                        "--epochs",
                        "1",
                        "--ood",
                        "mnist",
                        "--ood",
                        "uniform",
                        "--no-cache",
                        "--seed",
                        "2",
                        "--epsilon",
                        "0.1"),
                cells.get(4).args());
        assertEquals(Map.of("seed", 2L, "epsilon", 0.1), cells.get(4).varied());
    }

    @Test
    void reservedUnknownDoubledAndEmptyOptionsAreOneLineErrors() {
        assertError(
                "sets 'out'",
                "{\"options\": {\"method\": \"ce\", \"out\": \"x\"}, \"vary\": {\"seed\": [1]}}");
        assertError(
                "'epsilom', which is no option of 'oodlab train'",
                "{\"options\": {\"method\": \"ce\"}, \"vary\": {\"epsilom\": [1]}}");
        assertError(
                "both sets and varies 'seed'",
                "{\"options\": {\"method\": \"ce\", \"seed\": 1}, \"vary\": {\"seed\": [1]}}");
        assertError(
                "over no value", "{\"options\": {\"method\": \"ce\"}, \"vary\": {\"seed\": []}}");
        assertError("names no method", "{\"vary\": {\"seed\": [1]}}");
        assertError("unknown key 'vari'", "{\"options\": {}, \"vari\": {}}");
        assertError("not JSON", "{\"options\": ");
        assertError(
                "two cells get the id 'model-a-b'",
                "{\"options\": {\"method\": \"ce\"}, \"vary\": {\"model\": [\"a/b\", \"a b\"]}}");
    }

    private static void assertError(String part, String json) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SweepGrid.parse(json).cells());
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void theCommandReportsABadGridInOneLineWithoutStartingSpark() throws Exception {
        Path grid = dir.resolve("grid.json");
        Files.writeString(grid, "{\"options\": {\"method\": \"ce\"}, \"vary\": {\"sed\": [1]}}");
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(new SweepCommand());
        cli.setErr(new PrintWriter(err));
        int code =
                cli.execute(
                        "sweep", "--grid", grid.toString(), "--out", dir.resolve("o").toString());
        assertEquals(Main.EXIT_USAGE, code);
        assertEquals(
                "oodlab: " + grid + ": the grid names 'sed', which is no option of 'oodlab train'",
                err.toString().strip());
    }

    @Test
    void localMastersGetTaskAttempts() {
        assertEquals("local[2,3]", Sweep.withAttempts("local[2]", 3));
        assertEquals("local[*,2]", Sweep.withAttempts("local[*]", 2));
        assertEquals("local[2,5]", Sweep.withAttempts("local[2,5]", 3));
        assertEquals("spark://h:7077", Sweep.withAttempts("spark://h:7077", 3));
        assertEquals(3, Sweep.attempts(new SparkConf().set("spark.master", "local[2,3]")));
        assertEquals(1, Sweep.attempts(new SparkConf().set("spark.master", "local[2]")));
        assertEquals(4, Sweep.attempts(new SparkConf().set("spark.master", "spark://h:7077")));
        assertEquals(
                6,
                Sweep.attempts(
                        new SparkConf()
                                .set("spark.master", "k8s://h:443")
                                .set("spark.task.maxFailures", "6")));
    }
}

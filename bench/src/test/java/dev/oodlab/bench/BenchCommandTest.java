package dev.oodlab.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.oodlab.cli.CliRun;
import dev.oodlab.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code oodlab bench} and {@code oodlab bench metrics} on a tiny size. */
class BenchCommandTest {

    @TempDir Path dir;

    @Test
    void benchMetricsPrintsATableAndWritesJson() throws IOException {
        CliRun run =
                CliRun.of(
                        BenchMain.commandLine(),
                        "bench",
                        "metrics",
                        "--n",
                        "2000",
                        "--repeats",
                        "2",
                        "--warmup",
                        "0",
                        "--output-dir",
                        dir.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("figure"), run.out());
        assertTrue(run.out().contains("oodlab five metrics, n=2000, median"), run.out());
        assertTrue(run.out().contains("oodlab five metrics, n=200, median"), run.out());
        Path file = dir.resolve("metrics.json");
        String text = Files.readString(file);
        assertTrue(
                text.contains("\"oodlab five metrics, n=2000, median\""), "readable JSON: " + text);
        JsonObject json = JsonParser.parseString(text).getAsJsonObject();
        assertEquals("metrics", json.get("benchmark").getAsString());
        assertEquals(2000, json.getAsJsonObject("details").get("n").getAsInt());
        assertEquals(6, json.getAsJsonArray("figures").size()); // median, min, throughput x 2
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void compareWithAPeersFolderLackingTheScriptSaysSoAndStillSucceeds() throws IOException {
        Path peers = Files.createDirectories(dir.resolve("peers"));
        CliRun run =
                CliRun.of(
                        BenchMain.commandLine(),
                        "bench",
                        "metrics",
                        "--n",
                        "100",
                        "--repeats",
                        "1",
                        "--warmup",
                        "0",
                        "--compare",
                        "--peers",
                        peers.toString(),
                        "--output-dir",
                        dir.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("no peer script"), run.err());
    }

    @Test
    void anExplicitPeerScriptThatDoesNotExistFailsBeforeAnyTiming() {
        Path absent = dir.resolve("absent.py");
        CliRun run =
                CliRun.of(
                        BenchMain.commandLine(),
                        "bench",
                        "metrics",
                        "--compare",
                        "--peer-script",
                        absent.toString(),
                        "--output-dir",
                        dir.toString());
        assertEquals(Main.EXIT_USAGE, run.exitCode());
        assertEquals("oodlab: --peer-script " + absent + ": no such file", run.err().strip());
        assertEquals("", run.out());
        assertFalse(Files.exists(dir.resolve("metrics.json")));
    }

    @Test
    void tooSmallNIsAUsageError() {
        CliRun run =
                CliRun.of(
                        BenchMain.commandLine(),
                        "bench",
                        "metrics",
                        "--n",
                        "5",
                        "--output-dir",
                        dir.toString());
        assertEquals(Main.EXIT_USAGE, run.exitCode());
        assertTrue(run.err().contains("--n must be at least 20"), run.err());
    }

    @Test
    void benchCertifyReportsBothThroughputsAndTheirRatio() throws IOException {
        CliRun run =
                CliRun.of(
                        BenchMain.commandLine(),
                        "bench",
                        "certify",
                        "--model",
                        "mlp",
                        "--batch",
                        "50",
                        "--batches",
                        "2",
                        "--rounds",
                        "1",
                        "--n",
                        "100",
                        "--output-dir",
                        dir.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("of the plain batched forward throughput"), run.out());
        JsonObject json =
                JsonParser.parseString(Files.readString(dir.resolve("certify.json")))
                        .getAsJsonObject();
        assertEquals("certify", json.get("benchmark").getAsString());
        assertEquals("mlp", json.getAsJsonObject("details").get("model").getAsString());
        double plain = Double.NaN;
        double noisy = Double.NaN;
        double ratio = Double.NaN;
        for (var f : json.getAsJsonArray("figures")) {
            String name = f.getAsJsonObject().get("figure").getAsString();
            double value = f.getAsJsonObject().get("value").getAsDouble();
            if (name.equals("plain batched forward, median")) {
                plain = value;
            } else if (name.equals("noisy certification forward, median")) {
                noisy = value;
            } else if (name.equals("ratio noisy/plain (of medians)")) {
                ratio = value;
            }
        }
        assertTrue(plain > 0 && noisy > 0, json.toString());
        assertEquals(noisy / plain, ratio, 1e-9 * ratio);
    }

    @Test
    void benchCertifyComparesWithThePeersLoopAndPassesItTheSameSettings() throws IOException {
        // a stand-in interpreter: imports succeed, and the "script" records its arguments and
        // prints the JSON line certify_peer.py prints, with 100 noisy copies per second
        Path args = dir.resolve("peer-args.txt");
        Path python = dir.resolve("fake-python");
        Files.writeString(
                python,
                "#!/bin/sh\n"
                        + "[ \"$1\" = -c ] && exit 0\n"
                        + "echo \"$@\" >> '"
                        + args
                        + "'\n"
                        + "echo '{\"peer\": \"fake\", \"noisy_per_second\": 100.0}'\n");
        assertTrue(python.toFile().setExecutable(true));
        Path script = Files.writeString(dir.resolve("certify_peer.py"), "# stand-in\n");
        CliRun run =
                CliRun.of(
                        BenchMain.commandLine(),
                        "bench",
                        "certify",
                        "--compare",
                        "--python",
                        python.toString(),
                        "--peer-script",
                        script.toString(),
                        "--batch",
                        "40",
                        "--batches",
                        "1",
                        "--rounds",
                        "1",
                        "--count",
                        "2",
                        "--n",
                        "60",
                        "--repeats",
                        "2",
                        "--seed",
                        "5",
                        "--output-dir",
                        dir.toString());
        assertEquals(0, run.exitCode(), run.err());
        List<String> calls = Files.readAllLines(args);
        assertEquals(2, calls.size(), calls.toString());
        String threads = System.getProperty("ai.djl.pytorch.num_threads");
        assertEquals(
                script
                        + " --count 2 --n0 100 --n 60 --batch 40 --sigma 0.25 --alpha 0.001"
                        + " --threads "
                        + (threads == null ? "2" : threads)
                        + " --seed 5",
                calls.get(0));
        JsonObject json =
                JsonParser.parseString(Files.readString(dir.resolve("certify.json")))
                        .getAsJsonObject();
        double ours = Double.NaN;
        double peer = Double.NaN;
        double ratio = Double.NaN;
        for (var f : json.getAsJsonArray("figures")) {
            String name = f.getAsJsonObject().get("figure").getAsString();
            double value = f.getAsJsonObject().get("value").getAsDouble();
            if (name.startsWith("certification loop (")) {
                ours = value;
            } else if (name.equals("peer certification loop, median")) {
                peer = value;
            } else if (name.startsWith("speed ratio oodlab/peer")) {
                ratio = value;
            }
        }
        assertEquals(100.0, peer);
        assertTrue(ours > 0, json.toString());
        // one repeat's paired ratio is ours/100; the median of two is their mean
        String[] pairs =
                json.getAsJsonObject("details")
                        .get("paired_ratios")
                        .getAsString()
                        .replaceAll("[\\[\\]]", "")
                        .split(", ");
        assertEquals(
                (Double.parseDouble(pairs[0]) + Double.parseDouble(pairs[1])) / 2, ratio, 1e-9);
        assertTrue(run.out().contains("the reference loop"), run.out());
    }

    @Test
    void benchCertifyRejectsZeroRounds() {
        CliRun run =
                CliRun.of(
                        BenchMain.commandLine(),
                        "bench",
                        "certify",
                        "--rounds",
                        "0",
                        "--output-dir",
                        dir.toString());
        assertEquals(Main.EXIT_USAGE, run.exitCode());
        assertTrue(run.err().contains("--rounds must be positive"), run.err());
    }

    @Test
    void benchWithoutSubcommandListsTheBenchmarks() {
        CliRun run = CliRun.of(BenchMain.commandLine(), "bench");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("metrics"), run.out());
    }

    @Test
    void syntheticScoresAreSeededAndHalfInHalfOut() {
        double[][] a = BenchMetricsCommand.syntheticScores(11, 3);
        double[][] b = BenchMetricsCommand.syntheticScores(11, 3);
        assertEquals(5, a[0].length);
        assertEquals(6, a[1].length);
        assertArrayEquals(a[0], b[0]);
        assertArrayEquals(a[1], b[1]);
    }
}

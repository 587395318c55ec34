package dev.oodlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.oodlab.cli.CliRun;
import dev.oodlab.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code oodlab bench train} and {@code bench soak} on a few steps (no timing is asserted). */
class BenchTrainCommandTest {

    @TempDir Path dir;

    @Test
    void trainWritesOneRunPerModelAndMethod() throws IOException {
        CliRun run =
                CliRun.of(
                        BenchMain.commandLine(),
                        "bench",
                        "train",
                        "--model",
                        "mlp",
                        "--method",
                        "ce,adversarial-mixup",
                        "--steps",
                        "2",
                        "--warmup",
                        "1",
                        "--output-dir",
                        dir.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("mlp ce, oodlab"), run.out());
        JsonObject json =
                JsonParser.parseString(Files.readString(dir.resolve("train.json")))
                        .getAsJsonObject();
        JsonArray runs = json.getAsJsonArray("runs");
        assertEquals(2, runs.size());
        JsonObject first = runs.get(0).getAsJsonObject();
        assertEquals("mlp", first.get("model").getAsString());
        assertEquals("ce", first.get("method").getAsString());
        assertEquals(256, first.get("images").getAsLong()); // 2 steps of 128
        assertEquals(2L * 268_800, first.get("forward_flops_per_image").getAsLong());
        assertEquals(3, first.get("flops_factor").getAsInt());
        double ips = first.get("images_per_second").getAsDouble();
        assertTrue(ips > 0, "img/s " + ips);
        assertEquals(ips * 3 * 2 * 268_800 / 1e9, first.get("gflops").getAsDouble(), 1e-9 * ips);
        assertEquals(5, runs.get(1).getAsJsonObject().get("flops_factor").getAsInt());
    }

    @Test
    void repeatsAreRunAndRecorded() throws IOException {
        CliRun run =
                CliRun.of(
                        BenchMain.commandLine(),
                        "bench",
                        "train",
                        "--model",
                        "mlp",
                        "--method",
                        "ce",
                        "--steps",
                        "2",
                        "--warmup",
                        "1",
                        "--repeats",
                        "3",
                        "--output-dir",
                        dir.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("mlp, repeat 3 of 3"), run.out());
        JsonObject first =
                JsonParser.parseString(Files.readString(dir.resolve("train.json")))
                        .getAsJsonObject()
                        .getAsJsonArray("runs")
                        .get(0)
                        .getAsJsonObject();
        assertEquals(3, first.get("repeats").getAsInt());
        JsonArray each = first.getAsJsonArray("images_per_second_repeats");
        assertEquals(3, each.size());
        double[] sorted = {
            each.get(0).getAsDouble(), each.get(1).getAsDouble(), each.get(2).getAsDouble()
        };
        java.util.Arrays.sort(sorted);
        assertEquals(sorted[1], first.get("images_per_second").getAsDouble(), 0.0);
        assertEquals(
                2,
                CliRun.of(
                                BenchMain.commandLine(),
                                "bench",
                                "train",
                                "--repeats",
                                "0",
                                "--output-dir",
                                dir.toString())
                        .exitCode());
    }

    @Test
    void repeatsCombineIntoMediansAndTheMedianOfPairedRatios() {
        List<JsonObject> ours = new ArrayList<>();
        List<JsonObject> peers = new ArrayList<>();
        // ours 100, 300, 200 img/s; the peer 100, 100, 400: paired ratios 1, 3, 0.5
        double[][] figures = {{100, 100}, {300, 100}, {200, 400}};
        for (double[] f : figures) {
            JsonObject run = new JsonObject();
            run.addProperty("images_per_second", f[0]);
            run.addProperty("gflops", f[0] * 0.01);
            ours.add(run);
            JsonObject peer = new JsonObject();
            peer.addProperty("images_per_second", f[1]);
            peers.add(peer);
        }
        JsonObject run = BenchTrainCommand.combine(ours, peers);
        assertEquals(200, run.get("images_per_second").getAsDouble(), 1e-9);
        assertEquals(2.0, run.get("gflops").getAsDouble(), 1e-9);
        assertEquals(100, run.getAsJsonObject("peer").get("images_per_second").getAsDouble(), 1e-9);
        // the median of 1, 3, 0.5 is 1, not 200 / 100 = 2
        assertEquals(1.0, run.get("ratio_vs_peer").getAsDouble(), 1e-12);
        assertEquals(3, run.getAsJsonArray("ratio_repeats").size());
        // a repeat without a peer figure is left out of the ratios
        peers.set(2, null);
        JsonObject partial = BenchTrainCommand.combine(ours, peers);
        assertEquals(2.0, partial.get("ratio_vs_peer").getAsDouble(), 1e-12); // median of 1, 3
        // without --compare there is no peer and no ratio
        JsonObject alone = BenchTrainCommand.combine(ours, List.of());
        assertTrue(!alone.has("peer") && !alone.has("ratio_vs_peer"));
    }

    @Test
    void anExplicitPeersFolderThatDoesNotExistFailsBeforeAnyTiming() {
        Path absent = dir.resolve("absent");
        CliRun run =
                CliRun.of(
                        BenchMain.commandLine(),
                        "bench",
                        "train",
                        "--model",
                        "mlp",
                        "--method",
                        "ce",
                        "--compare",
                        "--peers",
                        absent.toString(),
                        "--output-dir",
                        dir.toString());
        assertEquals(Main.EXIT_USAGE, run.exitCode());
        assertEquals("oodlab: --peers " + absent + ": no such folder", run.err().strip());
        assertEquals("", run.out());
        assertFalse(Files.exists(dir.resolve("train.json")));
    }

    @Test
    void unknownModelOrMethodIsAUsageError() {
        CliRun model =
                CliRun.of(
                        BenchMain.commandLine(),
                        "bench",
                        "train",
                        "--model",
                        "vgg",
                        "--output-dir",
                        dir.toString());
        assertEquals(Main.EXIT_USAGE, model.exitCode());
        assertTrue(model.err().contains("unknown model 'vgg'"), model.err());
        CliRun method =
                CliRun.of(
                        BenchMain.commandLine(),
                        "bench",
                        "train",
                        "--method",
                        "gan",
                        "--output-dir",
                        dir.toString());
        assertEquals(Main.EXIT_USAGE, method.exitCode());
        assertTrue(method.err().contains("unknown method 'gan'"), method.err());
    }

    @Test
    void peerSummaryUsesTheThroughputAfterWarmUp() {
        JsonObject rec =
                JsonParser.parseString(
                                "{\"model\": \"cnn\", \"mode\": \"advmix\","
                                        + " \"train_flops_per_img_est\": 4000000,"
                                        + " \"env\": {\"torch\": \"1.13.0a0\"},"
                                        + " \"epochs\": [{\"imgs_per_s\": 900,"
                                        + " \"imgs_per_s_after_warmup\": 1000},"
                                        + " {\"imgs_per_s\": 1100}]}")
                        .getAsJsonObject();
        JsonObject peer = BenchTrainCommand.peerSummary(rec);
        assertEquals(1050, peer.get("images_per_second").getAsDouble(), 1e-9);
        assertEquals(1000, peer.get("images_per_second_whole_epoch").getAsDouble(), 1e-9);
        assertEquals(4.2, peer.get("gflops").getAsDouble(), 1e-9);
        assertEquals("1.13.0a0", peer.get("torch").getAsString());
    }

    @Test
    void soakPrintsTheResidentMemoryOfEveryEpoch() throws IOException {
        CliRun run =
                CliRun.of(
                        BenchMain.commandLine(),
                        "bench",
                        "soak",
                        "--model",
                        "mlp",
                        "--method",
                        "ce",
                        "--epochs",
                        "3",
                        "--steps",
                        "2",
                        "--max-growth",
                        "1000",
                        "--output-dir",
                        dir.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("epoch  3: RSS"), run.out());
        JsonObject json =
                JsonParser.parseString(Files.readString(dir.resolve("soak.json")))
                        .getAsJsonObject();
        long epochFigures =
                json.getAsJsonArray("figures").asList().stream()
                        .filter(
                                f ->
                                        f.getAsJsonObject()
                                                .get("figure")
                                                .getAsString()
                                                .endsWith(" RSS"))
                        .count();
        assertEquals(3, epochFigures);
    }

    @Test
    void soakNeedsThreeEpochs() {
        CliRun run =
                CliRun.of(
                        BenchMain.commandLine(),
                        "bench",
                        "soak",
                        "--epochs",
                        "2",
                        "--output-dir",
                        dir.toString());
        assertEquals(Main.EXIT_USAGE, run.exitCode());
    }

    @Test
    void growthIsMeasuredFromTheSecondEpoch() {
        assertEquals(
                5.0, BenchSoakCommand.growthAfterEpoch2(java.util.List.of(50L, 200L, 205L, 210L)));
        assertEquals(-10.0, BenchSoakCommand.growthAfterEpoch2(java.util.List.of(1L, 100L, 90L)));
    }
}

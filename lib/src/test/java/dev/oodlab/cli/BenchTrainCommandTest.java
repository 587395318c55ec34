package dev.oodlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code oodlab bench train} and {@code bench soak} on a few steps (no timing is asserted). */
class BenchTrainCommandTest {

    @TempDir Path dir;

    @Test
    void trainWritesOneRunPerModelAndMethod() throws IOException {
        CliRun run =
                CliRun.of(
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
    void anExplicitPeersFolderThatDoesNotExistFailsBeforeAnyTiming() {
        Path absent = dir.resolve("absent");
        CliRun run =
                CliRun.of(
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
                CliRun.of("bench", "train", "--model", "vgg", "--output-dir", dir.toString());
        assertEquals(Main.EXIT_USAGE, model.exitCode());
        assertTrue(model.err().contains("unknown model 'vgg'"), model.err());
        CliRun method =
                CliRun.of("bench", "train", "--method", "gan", "--output-dir", dir.toString());
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
        CliRun run = CliRun.of("bench", "soak", "--epochs", "2", "--output-dir", dir.toString());
        assertEquals(Main.EXIT_USAGE, run.exitCode());
    }

    @Test
    void growthIsMeasuredFromTheSecondEpoch() {
        assertEquals(
                5.0, BenchSoakCommand.growthAfterEpoch2(java.util.List.of(50L, 200L, 205L, 210L)));
        assertEquals(-10.0, BenchSoakCommand.growthAfterEpoch2(java.util.List.of(1L, 100L, 90L)));
    }
}

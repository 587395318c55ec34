package dev.oodlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code oodlab toy2d --method M --seed S [--out DIR]}, in-process, with few epochs. */
class Toy2dCommandTest {

    @TempDir Path dir;

    @Test
    void printsOneJsonObjectWithTheAgreedKeysAndWritesTheMap() throws IOException {
        CliRun run =
                CliRun.of(
                        "toy2d",
                        "--method",
                        "confidence-loss",
                        "--seed",
                        "3",
                        "--epochs",
                        "2",
                        "--out",
                        dir.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(1, run.out().strip().lines().count(), "one line: " + run.out());
        JsonObject json = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals(
                Set.of("method", "seed", "threshold", "f1_in_positive", "f1_out_positive"),
                json.keySet());
        assertEquals("confidence-loss", json.get("method").getAsString());
        assertEquals(3, json.get("seed").getAsLong());
        assertEquals(0.8, json.get("threshold").getAsDouble());
        for (String key : List.of("f1_in_positive", "f1_out_positive")) {
            double f1 = json.get(key).getAsDouble();
            assertTrue(f1 >= 0 && f1 <= 1, key + " = " + f1);
        }
        try (Stream<Path> files = Files.list(dir)) {
            // the map and nothing else: no temporary file left behind
            assertEquals(List.of(dir.resolve("toy2d-confidence-loss-seed3.png")), files.toList());
        }
        BufferedImage png = ImageIO.read(dir.resolve("toy2d-confidence-loss-seed3.png").toFile());
        assertEquals(600, png.getWidth());
        assertEquals(400, png.getHeight());
    }

    @Test
    void theSameSeedPrintsTheSameNumbers() {
        CliRun a = CliRun.of("toy2d", "--method", "ce", "--seed", "5", "--epochs", "1");
        CliRun b = CliRun.of("toy2d", "--method", "CE", "--seed", "5", "--epochs", "1");
        assertEquals(0, a.exitCode(), a.err());
        assertEquals(a.out(), b.out());
    }

    @Test
    void mixupConfidenceRunsInEitherFormAndSaysWhich() {
        // Without --mixup-form: the additive form, the study's. (Runs in one JVM are compared
        // through the printed form only: the scripted losses' JIT makes the first run's last
        // bits differ from later ones; separate processes print the same numbers.)
        for (String form : new String[] {null, "replacing"}) {
            List<String> args =
                    new java.util.ArrayList<>(
                            List.of(
                                    "toy2d",
                                    "--method",
                                    "mixup-confidence",
                                    "--seed",
                                    "4",
                                    "--epochs",
                                    "1"));
            if (form != null) {
                args.addAll(List.of("--mixup-form", form));
            }
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, run.exitCode(), run.err());
            JsonObject json = JsonParser.parseString(run.out()).getAsJsonObject();
            assertEquals(
                    Set.of(
                            "method",
                            "seed",
                            "threshold",
                            "f1_in_positive",
                            "f1_out_positive",
                            "mixup_form"),
                    json.keySet());
            assertEquals(form == null ? "additive" : form, json.get("mixup_form").getAsString());
        }
    }

    @Test
    void mixupFormForAnotherMethodOrOfAnUnknownKindIsAUsageError() {
        CliRun other =
                CliRun.of("toy2d", "--method", "confidence-loss", "--mixup-form", "additive");
        assertEquals(Main.EXIT_USAGE, other.exitCode());
        assertEquals(
                "oodlab: --mixup-form applies to mixup-confidence only, not to confidence-loss",
                other.err().strip());
        CliRun unknown = CliRun.of("toy2d", "--method", "mixup-confidence", "--mixup-form", "both");
        assertEquals(Main.EXIT_USAGE, unknown.exitCode());
        assertEquals(
                "oodlab: --mixup-form must be additive or replacing, got 'both'",
                unknown.err().strip());
    }

    @Test
    void unknownMethodIsAUsageErrorOnOneLine() {
        CliRun run = CliRun.of("toy2d", "--method", "dropout", "--seed", "1");
        assertEquals(Main.EXIT_USAGE, run.exitCode());
        assertEquals("", run.out());
        assertEquals(
                "oodlab: unknown method 'dropout' for --method; known: ce, confidence-loss,"
                        + " mixup-confidence, joint",
                run.err().strip());
    }

    @Test
    void missingMethodIsAUsageError() {
        CliRun run = CliRun.of("toy2d", "--seed", "1");
        assertEquals(Main.EXIT_USAGE, run.exitCode());
        assertTrue(run.err().startsWith("oodlab: Missing required option: '--method"), run.err());
    }

    @Test
    void nonNumericSeedAndZeroEpochsAreUsageErrors() {
        CliRun seed = CliRun.of("toy2d", "--method", "ce", "--seed", "x");
        assertEquals(Main.EXIT_USAGE, seed.exitCode());
        assertTrue(seed.err().contains("--seed"), seed.err());
        CliRun epochs = CliRun.of("toy2d", "--method", "ce", "--epochs", "0");
        assertEquals(Main.EXIT_USAGE, epochs.exitCode());
        assertEquals("oodlab: --epochs must be >= 1, got 0", epochs.err().strip());
    }

    @Test
    void outThatIsAFileIsAUsageErrorBeforeTraining() throws IOException {
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        CliRun run = CliRun.of("toy2d", "--method", "ce", "--out", file.toString());
        assertEquals(Main.EXIT_USAGE, run.exitCode());
        assertEquals("oodlab: --out " + file + " exists and is not a folder", run.err().strip());
    }
}

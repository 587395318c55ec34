package dev.oodlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.oodlab.metrics.FprConvention;
import dev.oodlab.metrics.Metrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code oodlab metrics --in IN.txt --out OUT.txt}. */
class MetricsCommandTest {

    @TempDir Path dir;

    @Test
    void printsOneJsonObjectWithExactlyTheAgreedKeys() throws IOException {
        Path in = write("in.txt", "0.9\n0.8\n\n0.7\n0.7\n0.6\n");
        Path out = write("out.txt", "0.75\n0.7\n0.5\n0.4\n\n");
        CliRun run = CliRun.of("metrics", "--in", in.toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(1, run.out().strip().lines().count(), "one line: " + run.out());
        JsonObject json = JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals(
                Set.of(
                        "n_in",
                        "n_out",
                        "fpr_at_95_tpr",
                        "auroc",
                        "aupr_in",
                        "aupr_out",
                        "detection_error"),
                json.keySet());
        // SPEC section 4's worked example.
        assertEquals(5, json.get("n_in").getAsInt());
        assertEquals(4, json.get("n_out").getAsInt());
        assertEquals(0.5, json.get("fpr_at_95_tpr").getAsDouble(), 1e-12);
        assertEquals(0.75, json.get("auroc").getAsDouble(), 1e-12);
        assertEquals(0.809524, json.get("aupr_in").getAsDouble(), 1e-6);
        assertEquals(0.767857, json.get("aupr_out").getAsDouble(), 1e-6);
        assertEquals(0.25, json.get("detection_error").getAsDouble(), 1e-12);
    }

    @Test
    void fprConventionChangesOnlyTheFprUnderTheSameKey() throws IOException {
        // in = 1..20, out = {0.5, 1.5, 10.5}: exact 1/3, Mahalanobis 2/3 (FprConventionTest).
        StringBuilder inText = new StringBuilder();
        double[] inScores = new double[20];
        for (int i = 1; i <= 20; i++) {
            inText.append(i).append('\n');
            inScores[i - 1] = i;
        }
        double[] outScores = {0.5, 1.5, 10.5};
        Path in = write("in.txt", inText.toString());
        Path out = write("out.txt", "0.5\n1.5\n10.5\n");
        Metrics metrics = Metrics.of(inScores, outScores);
        JsonObject exact = run("metrics", "--in", in.toString(), "--out", out.toString());
        for (FprConvention convention : FprConvention.values()) {
            JsonObject json =
                    run(
                            "metrics",
                            "--in",
                            in.toString(),
                            "--out",
                            out.toString(),
                            "--fpr-convention",
                            convention.key());
            assertEquals(exact.keySet(), json.keySet(), convention.key());
            assertEquals(
                    metrics.fprAt95Tpr(convention),
                    json.get("fpr_at_95_tpr").getAsDouble(),
                    0.0,
                    convention.key());
            assertEquals(exact.get("auroc"), json.get("auroc"), convention.key());
        }
        assertEquals(1.0 / 3, exact.get("fpr_at_95_tpr").getAsDouble(), 1e-12);
    }

    @Test
    void undefinedOdinFprPrintsNull() throws IOException {
        // The worked example: no TPR in [0.9495, 0.9505], where the ODIN code divides 0 by 0.
        Path in = write("in.txt", "0.9\n0.8\n0.7\n0.7\n0.6\n");
        Path out = write("out.txt", "0.75\n0.7\n0.5\n0.4\n");
        JsonObject json =
                run(
                        "metrics",
                        "--in",
                        in.toString(),
                        "--out",
                        out.toString(),
                        "--fpr-convention",
                        "odin");
        assertTrue(json.get("fpr_at_95_tpr").isJsonNull(), json.toString());
        assertEquals(0.75, json.get("auroc").getAsDouble(), 1e-12);
    }

    @Test
    void unknownFprConventionIsAUsageError() throws IOException {
        Path in = write("in.txt", "0.9\n");
        Path out = write("out.txt", "0.1\n");
        CliRun run =
                CliRun.of(
                        "metrics",
                        "--in",
                        in.toString(),
                        "--out",
                        out.toString(),
                        "--fpr-convention",
                        "tpr95");
        assertEquals(Main.EXIT_USAGE, run.exitCode());
        assertTrue(run.err().contains("unknown FPR convention 'tpr95'"), run.err());
    }

    private static JsonObject run(String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(0, run.exitCode(), run.err());
        return JsonParser.parseString(run.out()).getAsJsonObject();
    }

    @Test
    void nanScoreFailsNamingFileAndLine() throws IOException {
        Path in = write("in.txt", "0.9\n0.8\nnan\n");
        Path out = write("out.txt", "0.1\n");
        CliRun run = CliRun.of("metrics", "--in", in.toString(), "--out", out.toString());
        assertEquals(Main.EXIT_FAILURE, run.exitCode());
        assertEquals("", run.out());
        assertEquals("oodlab: " + in + " line 3: nan is not a finite score", run.err().strip());
    }

    @Test
    void infiniteScoreFailsNamingFileAndLine() throws IOException {
        Path in = write("in.txt", "0.9\n");
        Path out = write("out.txt", "0.1\n\n-Infinity\n");
        CliRun run = CliRun.of("metrics", "--in", in.toString(), "--out", out.toString());
        assertEquals(Main.EXIT_FAILURE, run.exitCode());
        assertEquals(
                "oodlab: " + out + " line 3: -Infinity is not a finite score", run.err().strip());
    }

    @Test
    void unparsableLineFailsNamingFileAndLine() throws IOException {
        Path in = write("in.txt", "0.9\nhello\n");
        Path out = write("out.txt", "0.1\n");
        CliRun run = CliRun.of("metrics", "--in", in.toString(), "--out", out.toString());
        assertEquals(Main.EXIT_FAILURE, run.exitCode());
        assertEquals("oodlab: " + in + " line 2: 'hello' is not a number", run.err().strip());
    }

    @Test
    void emptyFileFails() throws IOException {
        Path in = write("in.txt", "0.9\n");
        Path out = write("out.txt", "");
        CliRun run = CliRun.of("metrics", "--in", in.toString(), "--out", out.toString());
        assertEquals(Main.EXIT_FAILURE, run.exitCode());
        assertTrue(run.err().startsWith("oodlab: " + out + ": no scores"), run.err());
        assertEquals(1, run.err().strip().lines().count());
    }

    @Test
    void missingFileFails() throws IOException {
        Path in = write("in.txt", "0.9\n");
        Path out = dir.resolve("nope.txt");
        CliRun run = CliRun.of("metrics", "--in", in.toString(), "--out", out.toString());
        assertEquals(Main.EXIT_FAILURE, run.exitCode());
        assertEquals("oodlab: " + out + ": no such file", run.err().strip());
    }

    @Test
    void missingOptionIsAUsageError() throws IOException {
        Path in = write("in.txt", "0.9\n");
        CliRun run = CliRun.of("metrics", "--in", in.toString());
        assertEquals(Main.EXIT_USAGE, run.exitCode());
        assertTrue(run.err().contains("--out"), run.err());
    }

    @Test
    void isListedInTheRootHelp() {
        CliRun run = CliRun.of("--help");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("metrics"), run.out());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}

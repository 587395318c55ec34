package dev.oodlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
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

package dev.oodlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.oodlab.experiment.TinyData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code oodlab train --method} with Outlier Exposure, energy-bounded learning, LogitNorm and
 * MixOE: each trains (one epoch on a tiny IDX set) with exactly its own options, records them, and
 * refuses the options of the others.
 */
class ModernTrainersCommandTest {

    @TempDir Path dir;

    private Path data;

    @BeforeEach
    void writeData() throws IOException {
        data = TinyData.write(dir.resolve("tiny"), 200, 50);
    }

    private CliRun train(Path out, String... more) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "train",
                                "--dataset",
                                data.toString(),
                                "--epochs",
                                "1",
                                "--ood-count",
                                "30",
                                "--ood",
                                "uniform",
                                "--quiet",
                                "--out",
                                out.toString()));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void eachTrainsWithItsOwnOptionsAndRecordsThem() throws IOException {
        String[][] runs = {
            {"outlier-exposure", "--lambda", "0.25"},
            {"energy-bounded", "--m-in", "-12", "--m-out", "-4"},
            {"logitnorm", "--tau", "0.1"},
            {"mixoe", "--beta", "2"}
        };
        String[] recorded = {
            "{\"lambda\": 0.25}",
            "{\"lambda\": 0.1, \"m_in\": -12.0, \"m_out\": -4.0}",
            "{\"tau\": 0.1}",
            "{\"alpha\": 1.0, \"beta\": 2.0}"
        };
        for (int i = 0; i < runs.length; i++) {
            Path out = dir.resolve(runs[i][0]);
            List<String> args = new ArrayList<>(List.of("--method"));
            args.addAll(List.of(runs[i]));
            CliRun run = train(out, args.toArray(String[]::new));
            assertEquals(0, run.exitCode(), run.err());
            JsonObject results =
                    JsonParser.parseString(Files.readString(out.resolve("results.json")))
                            .getAsJsonObject();
            assertEquals(runs[i][0], results.get("method").getAsString());
            assertEquals(
                    JsonParser.parseString(recorded[i]),
                    results.getAsJsonObject("options"),
                    runs[i][0]);
            boolean outliers = !runs[i][0].equals("logitnorm");
            assertEquals(
                    outliers,
                    run.err().contains("outliers for " + runs[i][0] + ": gaussian-0.25"),
                    run.err());
        }
    }

    @Test
    void anOptionOfAnotherMethodOrABadValueIsOneLine() {
        String[][] cases = {
            {"logitnorm", "--lambda", "1", "method logitnorm has no option lambda (it has: tau)"},
            {
                "outlier-exposure",
                "--tau",
                "1",
                "method outlier-exposure has no option tau (it has: lambda)"
            },
            {"mixoe", "--m-in", "-3", "method mixoe has no option m-in (it has: alpha, beta)"},
            {
                "energy-bounded",
                "--alpha",
                "1",
                "method energy-bounded has no option alpha (it has: lambda, m-in, m-out)"
            },
            {"energy-bounded", "--m-in", "0", "m-in must be < m-out (-7.0), got 0.0"},
            {"logitnorm", "--tau", "-1", "tau must be > 0, got -1.0"}
        };
        for (String[] c : cases) {
            CliRun run = train(dir.resolve("run"), "--method", c[0], c[1], c[2]);
            assertEquals(Main.EXIT_USAGE, run.exitCode(), c[1]);
            assertEquals("oodlab: " + c[3], run.err().lines().findFirst().orElse(""));
        }
        assertFalse(Files.exists(dir.resolve("run")));
    }

    @Test
    void helpNamesTheNewOptionsWithTheirMethods() {
        CliRun help = CliRun.of("train", "--help");
        assertEquals(0, help.exitCode(), help.err());
        String text = help.out().replaceAll("\\s+", " ");
        assertTrue(text.contains("Methods: outlier-exposure, energy-bounded."), text);
        assertTrue(text.contains("(> 0; default 0.04). Methods: logitnorm."), text);
        assertTrue(text.contains("Methods: confidence-loss, mixup-confidence, mixoe."), text);
        assertTrue(text.contains("logitnorm"), text);
    }
}

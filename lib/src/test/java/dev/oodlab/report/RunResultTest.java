package dev.oodlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.oodlab.io.AtomicFile;
import dev.oodlab.metrics.OodMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RunResult}: the results.json shape, its CSV, and reading it back. */
class RunResultTest {

    @TempDir Path dir;

    private static RunResult example() {
        Map<String, RunResult.OodSet> ood = new LinkedHashMap<>();
        // SPEC section 4's worked example as the MNIST row.
        ood.put(
                "mnist",
                new RunResult.OodSet(
                        "msp", new OodMetrics(0.5, 0.75, 0.809524, 0.767857, 0.25), 0.7));
        ood.put(
                "uniform",
                new RunResult.OodSet("msp", new OodMetrics(0.1, 0.9, 0.8, 0.7, 0.05), 0.4));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("batch_size", 128);
        extra.put("history", List.of(Map.of("epoch", 1, "rss_mb", 812.5)));
        return new RunResult(
                "adversarial-mixup", "fashion-mnist", "lenet", 7, 5, 0.89, 0.93, ood, extra);
    }

    @Test
    void jsonHasTheAgreedKeysFirstThenTheExtras() {
        JsonObject json = JsonParser.parseString(example().toJson()).getAsJsonObject();
        assertEquals(
                List.of(
                        "method",
                        "dataset",
                        "model",
                        "seed",
                        "epochs",
                        "test_accuracy",
                        "mean_confidence_in",
                        "ood",
                        "batch_size",
                        "history"),
                List.copyOf(json.keySet()));
        JsonObject mnist = json.getAsJsonObject("ood").getAsJsonObject("mnist");
        assertEquals(
                List.of(
                        "detector",
                        "fpr_at_95_tpr",
                        "auroc",
                        "aupr_in",
                        "aupr_out",
                        "detection_error",
                        "mean_confidence"),
                List.copyOf(mnist.keySet()));
        assertEquals(0.809524, mnist.get("aupr_in").getAsDouble());
        assertEquals(7, json.get("seed").getAsLong());
    }

    @Test
    void jsonReadsBackToAnEqualResult() throws IOException {
        RunResult result = example();
        result.writeJson(dir.resolve("results.json"));
        RunResult read = RunResult.read(dir.resolve("results.json"));
        assertEquals(result.ood(), read.ood());
        assertEquals(result.testAccuracy(), read.testAccuracy());
        // Extra numbers come back as doubles (128.0): equal as JSON values.
        assertEquals(
                JsonParser.parseString(result.toJson()), JsonParser.parseString(read.toJson()));
    }

    @Test
    void csvHasOneRowPerOodSet() {
        List<String> lines = example().toCsv().lines().toList();
        assertEquals(RunResult.CSV_HEADER, lines.get(0));
        assertEquals(
                "adversarial-mixup,fashion-mnist,lenet,7,5,0.89,0.93,mnist,msp,0.5,0.75,0.809524,"
                        + "0.767857,0.25,0.7",
                lines.get(1));
        assertEquals(3, lines.size());
    }

    @Test
    void anExtraKeyMayNotShadowAFixedKey() {
        RunResult result = example();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> result.withExtra("seed", 3));
        assertEquals("extra key 'seed' is a fixed key", e.getMessage());
    }

    @Test
    void readingAFileWithoutTheKeysNamesFileAndKey() throws IOException {
        Path file = dir.resolve("results.json");
        AtomicFile.writeString(file, "{\"method\": \"ce\"}");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> RunResult.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("lacks the key 'dataset'"), e.getMessage());
    }

    @Test
    void rowsGoIntoAResultsTable() {
        ResultsTable table = example().addTo(ResultsTable.builder(), "Adv-Mixup").build();
        assertEquals(2, table.rowCount());
        assertEquals(0.75, table.value("Adv-Mixup", "mnist", "AUROC"));
    }
}

package dev.oodlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.oodlab.experiment.AdversarialMixupStudy;
import dev.oodlab.experiment.TinyData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code oodlab study adversarial-mixup} on a tiny IDX data set, one epoch, two seeds. */
class StudyCommandTest {

    @TempDir Path dir;

    @Test
    void studyWritesTablesChartsAndOneResultsFilePerRowAndSeed() throws IOException {
        Path data = TinyData.write(dir.resolve("tiny"), 100, 30);
        Path out = dir.resolve("study");
        CliRun run =
                CliRun.of(
                        "study",
                        "adversarial-mixup",
                        "--dataset",
                        data.toString(),
                        "--epochs",
                        "1",
                        "--seeds",
                        "1,2",
                        "--ood",
                        "uniform,gaussian",
                        "--ood-count",
                        "30",
                        "--quiet",
                        "--out",
                        out.toString());
        assertEquals(0, run.exitCode(), run.err());
        for (String file :
                List.of(
                        "table.csv",
                        "table.md",
                        "table-seed1.csv",
                        "table-seed2.csv",
                        "histograms-uniform.png",
                        "roc-gaussian.png",
                        "bars-fpr-at-95-tpr.png",
                        "accuracy.png",
                        "learning-curves.png")) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file + " missing");
        }
        // 7 rows (5 methods + energy + Mahalanobis) x 2 OOD sets, mean over 2 runs each.
        List<String> csv = Files.readAllLines(out.resolve("table.csv"));
        assertEquals(1 + 7 * 2, csv.size());
        assertTrue(csv.get(1).startsWith("MSP (baseline),uniform,2,"), csv.get(1));
        List<Path> results;
        try (Stream<Path> files = Files.walk(out.resolve("runs"))) {
            results = files.filter(p -> p.endsWith("results.json")).sorted().toList();
        }
        assertEquals(7 * 2, results.size());
        JsonObject odin =
                JsonParser.parseString(
                                Files.readString(out.resolve("runs/ce-odin-seed2/results.json")))
                        .getAsJsonObject();
        assertEquals("ce", odin.get("method").getAsString());
        assertEquals(2, odin.get("seed").getAsLong());
        assertEquals(
                "odin",
                odin.getAsJsonObject("ood")
                        .getAsJsonObject("gaussian")
                        .get("detector")
                        .getAsString());
        // The ODIN row of seed 2 in the per-seed table is that run's AUROC.
        String row =
                Files.readAllLines(out.resolve("table-seed2.csv")).stream()
                        .filter(l -> l.startsWith("ODIN,gaussian,"))
                        .findFirst()
                        .orElseThrow();
        double auroc = Double.parseDouble(row.split(",")[3]);
        assertEquals(
                odin.getAsJsonObject("ood").getAsJsonObject("gaussian").get("auroc").getAsDouble(),
                auroc,
                1e-12);
        assertTrue(run.out().contains("| Adversarial-Mixup | uniform |"), run.out());
        assertEquals(7, AdversarialMixupStudy.ROWS.size());
    }

    @Test
    void repeatedSeedsAreAUsageError() {
        Path out = dir.resolve("study");
        CliRun run =
                CliRun.of("study", "adversarial-mixup", "--seeds", "1,1", "--out", out.toString());
        assertEquals(Main.EXIT_USAGE, run.exitCode());
        assertEquals("oodlab: seeds must differ, got [1, 1]", run.err().lines().findFirst().get());
        assertFalse(Files.exists(out));
    }

    @Test
    void unknownStudyIsAUsageError() {
        CliRun run = CliRun.of("study", "smoothmix", "--out", dir.resolve("s").toString());
        assertEquals(Main.EXIT_USAGE, run.exitCode());
        assertEquals(
                "oodlab: unknown study 'smoothmix'; known: adversarial-mixup",
                run.err().lines().findFirst().get());
    }
}

package dev.oodlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oodlab.metrics.OodMetric;
import dev.oodlab.report.ResultsTable;
import dev.oodlab.train.ProgressBar;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class AdversarialMixupReadingsTest {

    @TempDir Path dir;

    private AdversarialMixupStudy study() throws IOException {
        Path data = TinyData.write(dir.resolve("tiny"), 100, 30);
        return AdversarialMixupStudy.builder()
                .optDataset(data.toString())
                .optEpochs(1)
                .optSeeds(List.of(1L, 2L))
                .optOodSets(List.of("uniform", "gaussian"))
                .optOodCount(30)
                .optProgress(ProgressBar.Mode.OFF)
                .build();
    }

    @Test
    void everyReadingIsTrainedBesideTheReferencesSeedBySeed() throws IOException {
        AdversarialMixupStudy study = study();
        List<AdversarialMixupStudy.Reading> readings =
                List.of(
                        AdversarialMixupStudy.READINGS.get(0),
                        AdversarialMixupStudy.READINGS.get(5));
        AdversarialMixupStudy.Result r = study.readings(readings);
        assertEquals(
                List.of(
                        "MSP (baseline)",
                        "Mixup",
                        "Adversarial-Mixup",
                        "Adversarial-Mixup-uniform (same·uniform, w = ½)"),
                r.rowLabels());
        assertEquals(4 * 2, r.runs().size());
        assertEquals(List.of("uniform", "gaussian"), r.oodSets());
        // the preset reading trains the earlier method: its options are recorded with the run
        Object options =
                r.runs().stream()
                        .filter(x -> x.row().label().startsWith("Adversarial-Mixup-uniform"))
                        .findFirst()
                        .orElseThrow()
                        .result()
                        .extra()
                        .get("options");
        assertEquals(
                java.util.Map.of(
                        "alpha", 1.0,
                        "epsilon", 0.1,
                        "partner", "same",
                        "adversarial_target", "uniform",
                        "clean_weight", 0.5),
                options);
        // the paper's reading is the study's Adversarial-Mixup row: same seed, same numbers
        AdversarialMixupStudy.Result full = study.run();
        String auroc = OodMetric.AUROC.label();
        for (long seed : List.of(1L, 2L)) {
            ResultsTable a = r.table(seed);
            ResultsTable b = full.table(seed);
            for (String row : List.of("Adversarial-Mixup", "MSP (baseline)", "Mixup")) {
                assertEquals(
                        b.value(row, "gaussian", auroc), a.value(row, "gaussian", auroc), 0.0, row);
            }
        }
        // "OOD confidence" is the mean MSP of the rows scored by it, empty for the other detectors
        String conf = AdversarialMixupStudy.OOD_CONFIDENCE;
        for (long seed : List.of(1L, 2L)) {
            ResultsTable b = full.table(seed);
            for (AdversarialMixupStudy.Row row : AdversarialMixupStudy.ROWS) {
                double v = b.value(row.label(), "uniform", conf);
                if (row.scoresWithMaxSoftmax()) {
                    assertTrue(v >= 0.1 && v <= 1, row.label() + ": " + v);
                } else {
                    assertTrue(Double.isNaN(v), row.label() + " shows an OOD confidence " + v);
                }
            }
        }
        assertTrue(Double.isNaN(full.table().value("ODIN", "uniform", conf)));
        assertEquals(2, r.claims().seeds());
        Table overview = r.overview(auroc);
        assertEquals(4, overview.rowCount());
        assertEquals(4, overview.columnCount()); // method, accuracy, two OOD sets
        assertTrue(overview.stringColumn(2).get(0).contains(" ± "), overview.print());
    }

    @Test
    void aReadingWithTheLabelOfAReferenceIsRefused() throws IOException {
        AdversarialMixupStudy study = study();
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                study.readings(
                                        List.of(
                                                new AdversarialMixupStudy.Reading(
                                                        "Mixup", MethodOptions.defaults()))));
        assertEquals("duplicate row label 'Mixup'", e.getMessage());
    }
}

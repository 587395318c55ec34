package dev.oodlab.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.oodlab.metrics.OodMetric;
import dev.oodlab.metrics.OodMetrics;
import dev.oodlab.report.PairedComparison;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** The tables of a detector study, on hand-made metrics whose verdicts can be worked out. */
class DetectorStudyTest {

    private static final List<String> SETS = List.of("mnist", "uniform");
    private static final List<Long> SEEDS = List.of(1L, 2L, 3L);

    /**
     * AUROC per (method, detector) → per seed → per set. ce: knn is best on every seed; react beats
     * msp on seeds 1 and 2 only. oe: msp is higher than ce's msp on every seed.
     */
    private static final Map<String, double[][]> AUROC = new LinkedHashMap<>();

    static {
        AUROC.put("ce · msp", new double[][] {{0.60, 0.80}, {0.70, 0.70}, {0.65, 0.75}});
        AUROC.put("ce · knn", new double[][] {{0.95, 0.90}, {0.90, 0.92}, {0.97, 0.93}});
        AUROC.put("ce · react", new double[][] {{0.70, 0.80}, {0.75, 0.70}, {0.60, 0.70}});
        AUROC.put("oe · msp", new double[][] {{0.62, 0.95}, {0.69, 0.96}, {0.70, 0.90}});
        AUROC.put("oe · knn", new double[][] {{0.90, 0.99}, {0.91, 0.97}, {0.92, 0.98}});
        AUROC.put("oe · react", new double[][] {{0.71, 0.85}, {0.72, 0.88}, {0.65, 0.80}});
    }

    private static DetectorStudy.Result result() {
        List<DetectorStudy.Measurement> ms = new ArrayList<>();
        for (String method : List.of("ce", "oe")) {
            for (String detector : List.of("msp", "knn", "react")) {
                double[][] v = AUROC.get(DetectorStudy.row(method, detector));
                for (int s = 0; s < SEEDS.size(); s++) {
                    Map<String, OodMetrics> m = new LinkedHashMap<>();
                    for (int j = 0; j < SETS.size(); j++) {
                        m.put(SETS.get(j), new OodMetrics(0.5, v[s][j], 0.5, 0.5, 0.2));
                    }
                    ms.add(new DetectorStudy.Measurement(method, detector, SEEDS.get(s), 0.9, m));
                }
            }
        }
        return new DetectorStudy.Result(
                List.of("ce", "oe"),
                List.of("msp", "knn", "react"),
                SEEDS,
                SETS,
                ms,
                Map.of(),
                Map.of(),
                Map.of());
    }

    @Test
    void everyDetectorHasOneFamily() {
        assertEquals(new HashSet<>(Detectors.NAMES), new HashSet<>(DetectorStudy.BY_FAMILY));
        assertEquals(Detectors.NAMES.size(), DetectorStudy.BY_FAMILY.size());
        assertEquals("feature", DetectorStudy.family("KNN"));
        assertEquals("activation shaping", DetectorStudy.family("ash-s"));
        assertEquals("gradient", DetectorStudy.family("gradnorm"));
        assertThrows(IllegalArgumentException.class, () -> DetectorStudy.family("lof"));
    }

    @Test
    void meanOverSetsAndPairedDifferencesArePerSeed() {
        DetectorStudy.Result r = result();
        assertArrayEquals(
                new double[] {0.70, 0.70, 0.70},
                r.meanOverSets("ce", "msp", OodMetric.AUROC),
                1e-12);
        // react − msp on ce, mean over the two sets, in points: +5, +2.5, −5
        PairedComparison p = r.paired("ce", "react", "ce", "msp", null, OodMetric.AUROC);
        assertArrayEquals(new double[] {5, 2.5, -5}, p.differences(), 1e-9);
        assertEquals(2, p.aAbove());
        assertEquals(1, p.aBelow());
    }

    @Test
    void theRankTableOrdersByTheMeanAndCountsTheSeeds() {
        Table t = result().ranking("ce", OodMetric.AUROC, "msp");
        assertEquals(List.of("knn", "react", "msp"), t.stringColumn("detector").asList());
        assertEquals(List.of(1, 2, 3), t.intColumn("rank").asList());
        // knn − msp: (92.5 − 70), (91 − 70), (95 − 70) = 22.5, 21, 25: mean 22.83, sd 2.02
        assertEquals("+22.8 ± 2.0", t.stringColumn("Δ vs msp (points)").get(0));
        assertEquals("3 of 3", t.stringColumn("better than msp").get(0));
        // react − msp: +5, +2.5, −5: mean 0.83, sd 5.20; better on 2 of 3 seeds
        assertEquals("+0.8 ± 5.2", t.stringColumn("Δ vs msp (points)").get(1));
        assertEquals("2 of 3", t.stringColumn("better than msp").get(1));
        assertEquals("2 of 3", t.stringColumn("better than next").get(1));
        assertEquals("—", t.stringColumn("better than msp").get(2));
        assertEquals("65.0 ± 5.0", t.stringColumn("mnist").get(2));
    }

    @Test
    void aLowerIsBetterMetricRanksTheOtherWay() {
        // every detection error is 0.2: a tie, so no row is better than the next on any seed
        Table t = result().ranking("ce", OodMetric.DETECTION_ERROR, "msp");
        assertEquals("0 of 3", t.stringColumn("better than next").get(0));
    }

    @Test
    void familiesAndBestAndMethodComparisons() {
        DetectorStudy.Result r = result();
        assertEquals("knn", r.best("ce", "mnist", "feature", OodMetric.AUROC));
        assertEquals("msp", r.best("oe", "uniform", "output", OodMetric.AUROC));
        assertEquals("knn", r.best("oe", null, null, OodMetric.AUROC));
        Table f = r.families(OodMetric.AUROC);
        assertEquals(
                List.of("method", "OOD set", "output", "feature", "activation shaping"),
                f.columnNames());
        assertEquals("react 68.3", f.stringColumn("activation shaping").get(0));
        Table v = r.versusMethod("ce", List.of("msp"), OodMetric.AUROC);
        // oe · msp − ce · msp on uniform: +15, +26, +15 points
        assertEquals("+18.7 ± 6.4 (3 of 3)", v.stringColumn("uniform").get(0));
        assertThrows(IllegalArgumentException.class, () -> r.foolingImages(1L));
        assertThrows(
                IllegalArgumentException.class,
                () -> r.values("ce", "vim", "mnist", OodMetric.AUROC));
    }
}

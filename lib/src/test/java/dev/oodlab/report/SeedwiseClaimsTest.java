package dev.oodlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oodlab.metrics.OodMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class SeedwiseClaimsTest {

    private static final String CONF = "OOD confidence";
    private static final String FPR = "FPR@95TPR";
    private static final String AUROC = "AUROC";

    /** One seed: FPR@95TPR and OOD confidence of methods A, B, C on sets s1, s2, s3. */
    private static ResultsTable seed(double[][] fpr, double[][] conf) {
        ResultsTable.Builder b =
                ResultsTable.builder()
                        .optExtraColumn(
                                CONF, ResultsTable.Better.LOWER, ResultsTable.ValueFormat.PERCENT);
        String[] methods = {"A", "B", "C"};
        String[] sets = {"s1", "s2", "s3"};
        for (int m = 0; m < 3; m++) {
            for (int s = 0; s < 3; s++) {
                // AUROC = 1 − FPR, so that higher-is-better columns can be checked too
                b.add(
                        methods[m],
                        sets[s],
                        new OodMetrics(fpr[m][s], 1 - fpr[m][s], 0.5, 0.5, 0.25),
                        Map.of(CONF, conf[m][s]));
            }
        }
        return b.build();
    }

    private static final double[][] CONF_ALL = {{0.1, 0.1, 0.1}, {0.5, 0.5, 0.5}, {0.6, 0.6, 0.6}};

    // Seed 1: A beats B and C on s1 and s2, loses to C on s3 -> most sets.
    // Seed 2: A beats both only on s1 -> not most sets. Seed 3: A beats both everywhere.
    private final List<ResultsTable> perSeed =
            List.of(
                    seed(new double[][] {{.1, .2, .9}, {.5, .5, .5}, {.6, .6, .3}}, CONF_ALL),
                    seed(
                            new double[][] {{.1, .8, .9}, {.5, .5, .5}, {.6, .6, .3}},
                            new double[][] {{.1, .9, .1}, {.5, .5, .5}, {.6, .6, .6}}),
                    seed(new double[][] {{.1, .2, .2}, {.5, .5, .5}, {.6, .6, .3}}, CONF_ALL));

    @Test
    void claimsAreCountedSeedBySeedAgainstEveryReference() {
        SeedwiseClaims c = SeedwiseClaims.of(perSeed);
        List<String> refs = List.of("B", "C");
        assertEquals(3, c.seeds());
        assertEquals(3, c.seedsBetterThanAll("A", refs, "s1", FPR));
        assertEquals(2, c.seedsBetterThanAll("A", refs, "s2", FPR));
        assertEquals(1, c.seedsBetterThanAll("A", refs, "s3", FPR));
        // against B alone A is lower on s3 only on seed 3
        assertEquals(1, c.seedsBetterThanAll("A", List.of("B"), "s3", FPR));
        assertEquals(2, c.seedsBetterOnMostSets("A", refs, List.of("s1", "s2", "s3"), FPR));
        // the direction comes from the column: higher AUROC (= 1 − FPR) gives the same counts
        assertEquals(2, c.seedsBetterOnMostSets("A", refs, List.of("s1", "s2", "s3"), AUROC));
        assertTrue(c.higherIsBetter(AUROC));
        assertFalse(c.higherIsBetter(CONF));
        // confidence: seed 2 has A at 0.9 on s2, above both references
        assertEquals(2, c.seedsBetterThanAll("A", refs, "s2", CONF));
        // the reference is not better than itself: a strict comparison
        assertEquals(0, c.seedsBetterThanAll("B", List.of("B"), "s1", FPR));
    }

    @Test
    void relativeImprovementIsPerSeedInPercentOfTheReference() {
        SeedwiseClaims c = SeedwiseClaims.of(perSeed);
        // FPR on s1: A 0.1 against B 0.5 on every seed: (0.5 − 0.1)/0.5 = 80 %
        MeanSd r = c.relativeImprovement("A", "B", "s1", FPR);
        assertEquals(80, r.mean(), 1e-9);
        assertEquals(0, r.sd(), 1e-9);
        // AUROC on s2: A 0.8, 0.2, 0.8 against B 0.5: +60 %, −60 %, +60 %
        MeanSd a = c.relativeImprovement("A", "B", "s2", AUROC);
        assertEquals(20, a.mean(), 1e-9);
        assertEquals(Math.sqrt((3 * 40 * 40 + 80 * 80 - 40 * 40) / 2.0), a.sd(), 1e-9);
    }

    @Test
    void tablesShowPairedDifferencesInPointsAndSeedCounts() {
        SeedwiseClaims c = SeedwiseClaims.of(perSeed);
        Table v = c.versus("A", List.of("B"), List.of("s1", "s2"), FPR);
        assertEquals(2, v.rowCount());
        assertEquals("-40.0 ± 0.0", v.stringColumn(2).get(0));
        assertEquals("3 of 3 seeds", v.stringColumn(3).get(0));
        // s2: differences −30, +30, −30 points: mean −10, sd √(3·20² + ... ) = 34.6
        assertEquals("-10.0 ± 34.6", v.stringColumn(2).get(1));
        assertEquals("2 of 3 seeds", v.stringColumn(3).get(1));
        Table claims = c.claims(List.of("A"), "B", "C", List.of("s1", "s2", "s3"), CONF, FPR);
        assertEquals(3, claims.rowCount());
        assertEquals(3, claims.intColumn("(i) seeds better than both").get(0));
        assertEquals(2, claims.intColumn("(i) seeds better than both").get(1));
        assertEquals(1, claims.intColumn(FPR + ": seeds better than both").get(2));
        assertEquals(2, claims.intColumn("(ii) seeds better on most sets").get(0));
    }

    @Test
    void aggregatedTablesAndUnknownColumnsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SeedwiseClaims.of(List.of()));
        ResultsTable mean = ResultsTable.meanAndSd(perSeed);
        assertThrows(IllegalArgumentException.class, () -> SeedwiseClaims.of(List.of(mean)));
        assertThrows(
                IllegalArgumentException.class,
                () -> SeedwiseClaims.of(perSeed).higherIsBetter("no such column"));
    }
}

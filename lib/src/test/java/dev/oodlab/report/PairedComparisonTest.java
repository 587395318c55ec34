package dev.oodlab.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oodlab.metrics.OodMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PairedComparisonTest {

    @Test
    void differencesArePairedBySeedAndCountedByDirection() {
        // Seed 4 has no value for A: left out. Differences 0.02, -0.01, 0.00.
        PairedComparison p =
                PairedComparison.of(
                        "A",
                        new double[] {0.90, 0.85, 0.80, Double.NaN},
                        "B",
                        new double[] {0.88, 0.86, 0.80, 0.70});
        assertArrayEquals(new double[] {0.02, -0.01, 0.0}, p.differences(), 1e-12);
        assertEquals(3, p.seeds());
        // mean 0.01/3; squared deviations (0.05/3)² + (0.04/3)² + (0.01/3)² = 0.0042/9, / (n − 1).
        assertEquals(0.01 / 3, p.difference().mean(), 1e-12);
        assertEquals(Math.sqrt(0.0042 / 9 / 2), p.difference().sd(), 1e-12);
        assertEquals(1, p.aAbove());
        assertEquals(1, p.ties());
        assertEquals(1, p.aBelow());
        assertFalse(p.aAboveOnEverySeed());
        assertEquals("A − B: +0.003 ± 0.015 over 3 seeds; A > B on 1 of 3 (1 level)", p.toString());
    }

    @Test
    void aClaimThatHoldsOnEverySeedSaysSo() {
        PairedComparison p =
                PairedComparison.of(
                        "SmoothMix",
                        new double[] {0.95, 0.97},
                        "Gaussian",
                        new double[] {0.91, 0.92});
        assertTrue(p.aAboveOnEverySeed());
        assertEquals(2, p.aBetter(ResultsTable.Better.HIGHER));
        assertEquals(0, p.aBetter(ResultsTable.Better.LOWER));
        assertEquals(
                "SmoothMix − Gaussian: +0.045 ± 0.007 over 2 seeds; SmoothMix > Gaussian on 2 of 2",
                p.toString());
    }

    @Test
    void perSeedTablesArePairedRowByRow() {
        String acc = "accuracy";
        List<ResultsTable> perSeed =
                List.of(table(acc, 0.10, 0.30, 0.80, 0.70), table(acc, 0.20, 0.25, 0.85, 0.90));
        // FPR@95TPR: A 0.10 and 0.20, B 0.30 and 0.25; lower is better, A lower on both seeds.
        PairedComparison fpr = PairedComparison.of(perSeed, "A", "B", "mnist", "FPR@95TPR");
        assertArrayEquals(new double[] {-0.20, -0.05}, fpr.differences(), 1e-12);
        assertEquals(2, fpr.aBetter(ResultsTable.Better.LOWER));
        assertTrue(fpr.aBelowOnEverySeed());
        PairedComparison accuracy = PairedComparison.of(perSeed, "A", "B", "mnist", acc);
        assertArrayEquals(new double[] {0.10, -0.05}, accuracy.differences(), 1e-12);
    }

    private static ResultsTable table(
            String extra, double fprA, double fprB, double accA, double accB) {
        return ResultsTable.builder()
                .optExtraColumn(extra, ResultsTable.Better.HIGHER, ResultsTable.ValueFormat.PERCENT)
                .add("A", "mnist", new OodMetrics(fprA, 0.9, 0.9, 0.9, 0.1), Map.of(extra, accA))
                .add("B", "mnist", new OodMetrics(fprB, 0.8, 0.8, 0.8, 0.2), Map.of(extra, accB))
                .build();
    }

    @Test
    void unpairedInputIsRejectedWithAClearMessage() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> PairedComparison.of("A", new double[] {1, 2}, "B", new double[] {1}));
        assertEquals(
                "A has 2 per-seed values but B has 1: pairs need one value of each per seed",
                e.getMessage());
        assertEquals(
                "no seed has a value for both A and B",
                assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        PairedComparison.of(
                                                "A",
                                                new double[] {Double.NaN},
                                                "B",
                                                new double[] {1}))
                        .getMessage());
    }
}

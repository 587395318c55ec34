package dev.oodlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.oodlab.metrics.Metrics;
import dev.oodlab.metrics.OodMetric;
import dev.oodlab.report.PairedComparison;
import dev.oodlab.report.ResultsTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OodEvaluationTablesTest {

    /** An MSP evaluation with the given scores, its metrics computed as OodEvaluation.of does. */
    private static OodEvaluation evaluation(double accuracy, double[] in, double[] out) {
        return new OodEvaluation(
                "msp",
                "test",
                accuracy,
                in,
                in,
                Map.of("MNIST", out),
                Map.of("MNIST", out),
                Map.of("MNIST", Metrics.evaluate(in, out)));
    }

    @Test
    void perSeedTablesPutEachSeedsEvaluationsInOneTableAndPairThem() {
        // seed 0: ce separates 3 of 4 pairs (AUROC 0.75), cl all (1.0);
        // seed 1: ce 2 of 4 (0.5), cl 3 of 4 (0.75)
        Map<String, List<OodEvaluation>> byMethod = new LinkedHashMap<>();
        byMethod.put(
                "ce",
                List.of(
                        evaluation(0.9, new double[] {0.9, 0.6}, new double[] {0.7, 0.5}),
                        evaluation(0.8, new double[] {0.9, 0.4}, new double[] {0.7, 0.5})));
        byMethod.put(
                "cl",
                List.of(
                        evaluation(0.85, new double[] {0.9, 0.8}, new double[] {0.7, 0.5}),
                        evaluation(0.8, new double[] {0.9, 0.6}, new double[] {0.7, 0.5})));
        List<ResultsTable> tables = OodEvaluation.perSeedTables(byMethod);
        assertEquals(2, tables.size());
        String auroc = OodMetric.AUROC.label();
        assertEquals(0.75, tables.get(0).value("ce", "MNIST", auroc), 1e-12);
        assertEquals(1.0, tables.get(0).value("cl", "MNIST", auroc), 1e-12);
        assertEquals(0.5, tables.get(1).value("ce", "MNIST", auroc), 1e-12);
        assertEquals(0.85, tables.get(0).value("cl", "MNIST", OodEvaluation.TEST_ACCURACY), 1e-12);
        PairedComparison p = PairedComparison.of(tables, "cl", "ce", "MNIST", auroc);
        assertEquals(0.25, p.difference().mean(), 1e-12);
        assertEquals(2, p.aBetter(ResultsTable.Better.HIGHER));
    }

    @Test
    void perSeedTablesRejectMethodsWithDifferentSeedCounts() {
        OodEvaluation e = evaluation(0.9, new double[] {0.9}, new double[] {0.1});
        Map<String, List<OodEvaluation>> byMethod = new LinkedHashMap<>();
        byMethod.put("ce", List.of(e, e));
        byMethod.put("joint", List.of(e));
        IllegalArgumentException x =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> OodEvaluation.perSeedTables(byMethod));
        assertEquals(
                "joint has 1 evaluations, the methods before it 2: pairs need one per seed for every"
                        + " method",
                x.getMessage());
    }
}

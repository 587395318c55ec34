package dev.oodlab.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The exact OOD metrics, checked against values worked out by hand or by brute force. */
class MetricsTest {

    private static final double EXACT = 1e-12;

    // SPEC section 4's worked example.
    private static final double[] IN = {0.9, 0.8, 0.7, 0.7, 0.6};
    private static final double[] OUT = {0.75, 0.7, 0.5, 0.4};

    @Test
    void workedExampleGivesTheSpecValues() {
        OodMetrics m = Metrics.evaluate(IN, OUT);
        assertEquals(0.5, m.fprAt95Tpr(), EXACT);
        assertEquals(0.75, m.auroc(), EXACT);
        assertEquals(17.0 / 21.0, m.auprIn(), EXACT); // 0.2 + 0.2 + 0.4 * 4/6 + 0.2 * 5/7
        assertEquals(0.767857, m.auprOut(), 1e-6);
        assertEquals(43.0 / 56.0, m.auprOut(), EXACT); // 0.25 * (1 + 1 + 4/7) + 0.25 * 3/6 ...
        assertEquals(0.25, m.detectionError(), EXACT);
    }

    @Test
    void oodPositiveFprAt95IsItsOwnNumber() {
        Metrics metrics = Metrics.of(IN, OUT);
        // OOD positive: all four OOD scores are <= 0.75, where 3 of 5 in-scores are flagged.
        assertEquals(0.6, metrics.fprAt95TprOodPositive(), EXACT);
        assertEquals(0.5, metrics.fprAt95Tpr(), EXACT);
        assertEquals(metrics.summary().fprAt95Tpr(), metrics.fprAt95Tpr(), 0.0);
    }

    @Test
    void fprAt95TprCountsTiesAsOneThreshold() {
        // 20 in-scores: 18 at 1.0 and 2 tied at 0.5 with 3 of the 4 OOD scores. TPR 0.9 at 1.0,
        // TPR 1.0 at 0.5 (one threshold: the tie cannot be split to reach exactly 0.95).
        double[] in = new double[20];
        Arrays.fill(in, 1.0);
        in[18] = 0.5;
        in[19] = 0.5;
        double[] out = {0.5, 0.5, 0.5, 0.1};
        assertEquals(0.75, Metrics.of(in, out).fprAt95Tpr(), EXACT);
    }

    @Test
    void aurocCountsTiedPairsAsOneHalf() {
        double[] in = {1, 1, 2};
        double[] out = {1, 0};
        // pairs: (1,1) tie x2 = 1, (1,0) x2 = 2, (2,1) = 1, (2,0) = 1 -> 5 of 6
        assertEquals(5.0 / 6.0, Metrics.of(in, out).auroc(), EXACT);
    }

    @Test
    void aurocEqualsThePairCountingDefinition() {
        SplittableRandom random = new SplittableRandom(7);
        double[] in = new double[300];
        double[] out = new double[200];
        for (int i = 0; i < in.length; i++) {
            in[i] = Math.round(random.nextGaussian() * 10 + 5) / 10.0;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.round(random.nextGaussian() * 10) / 10.0;
        }
        double wins = 0;
        for (double s : in) {
            for (double t : out) {
                wins += s > t ? 1 : s == t ? 0.5 : 0;
            }
        }
        assertEquals(wins / (in.length * out.length), Metrics.of(in, out).auroc(), EXACT);
    }

    @Test
    void detectionErrorIsTheBestThresholdsBalancedError() {
        SplittableRandom random = new SplittableRandom(11);
        double[] in = new double[150];
        double[] out = new double[90];
        for (int i = 0; i < in.length; i++) {
            in[i] = Math.round(random.nextGaussian() * 4 + 3) / 4.0;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.round(random.nextGaussian() * 4) / 4.0;
        }
        double best = 0.5; // threshold above every score
        for (double[] set : new double[][] {in, out}) {
            for (double t : set) {
                double tpr = Arrays.stream(in).filter(s -> s >= t).count() / (double) in.length;
                double fpr = Arrays.stream(out).filter(s -> s >= t).count() / (double) out.length;
                best = Math.min(best, 0.5 * (1 - tpr) + 0.5 * fpr);
            }
        }
        assertEquals(best, Metrics.of(in, out).detectionError(), EXACT);
    }

    @Test
    void fprAt95TprUsesEveryThresholdNotOnlyTheRocCorners() {
        // Every score is shared by one in- and one OOD input: the ROC curve is the diagonal.
        // scikit-learn's default roc_curve drops the inner points and would report 1.0.
        double[] scores = new double[20];
        for (int i = 0; i < 20; i++) {
            scores[i] = i / 20.0;
        }
        assertEquals(0.95, Metrics.of(scores, scores).fprAt95Tpr(), EXACT);
    }

    @Test
    void fprAtTprFindsTheLargestThresholdReachingTheTarget() {
        Metrics metrics = Metrics.of(IN, OUT);
        assertEquals(0.0, metrics.fprAtTpr(0.0), EXACT); // threshold +infinity
        assertEquals(0.0, metrics.fprAtTpr(0.2), EXACT); // 0.9: TPR 0.2
        assertEquals(0.0, metrics.fprAtTpr(0.4), EXACT); // 0.8: TPR 0.4
        assertEquals(0.5, metrics.fprAtTpr(0.41), EXACT); // 0.7: TPR 0.8, FPR 2/4
        assertEquals(0.5, metrics.fprAtTpr(1.0), EXACT); // 0.6: TPR 1.0, FPR 2/4
        assertThrows(IllegalArgumentException.class, () -> metrics.fprAtTpr(1.5));
        assertThrows(IllegalArgumentException.class, () -> metrics.fprAtTpr(Double.NaN));
    }

    @Test
    void rocCurveHasOnePointPerDistinctScorePlusTheOrigin() {
        RocCurve roc = Metrics.of(IN, OUT).rocCurve();
        assertArrayEquals(
                new double[] {Double.POSITIVE_INFINITY, 0.9, 0.8, 0.75, 0.7, 0.6, 0.5, 0.4},
                roc.thresholds());
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.4, 0.8, 1, 1, 1}, roc.tpr(), EXACT);
        assertArrayEquals(new double[] {0, 0, 0, 0.25, 0.5, 0.5, 0.75, 1}, roc.fpr(), EXACT);
    }

    @Test
    void curvesIntegrateToTheSummaryMetrics() {
        Metrics metrics = Metrics.of(IN, OUT);
        assertEquals(0.75, metrics.rocCurve().area(), EXACT);
        assertEquals(
                17.0 / 21.0,
                metrics.precisionRecallCurve(PositiveClass.IN).averagePrecision(),
                EXACT);
        assertEquals(
                43.0 / 56.0,
                metrics.precisionRecallCurve(PositiveClass.OUT).averagePrecision(),
                EXACT);
    }

    @Test
    void precisionRecallCurveOodPositiveRunsOverIncreasingScores() {
        PrecisionRecallCurve pr = Metrics.of(IN, OUT).precisionRecallCurve(PositiveClass.OUT);
        assertArrayEquals(
                new double[] {Double.NEGATIVE_INFINITY, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9},
                pr.thresholds());
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.5, 0.75, 1, 1, 1}, pr.recall(), EXACT);
        assertArrayEquals(
                new double[] {1, 1, 1, 2.0 / 3, 3.0 / 6, 4.0 / 7, 4.0 / 8, 4.0 / 9},
                pr.precision(),
                EXACT);
    }

    @Test
    void f1AtThresholdPredictsInOnlyAboveDelta() {
        Metrics metrics = Metrics.of(IN, OUT);
        // delta 0.7: in > 0.7 = {0.9, 0.8}; out > 0.7 = {0.75}. IN positive: TP 2, FP 1, FN 3.
        assertEquals(4.0 / 8.0, metrics.f1AtThreshold(0.7, PositiveClass.IN), EXACT);
        // OUT positive: TP = out <= 0.7 = 3, FP = in <= 0.7 = 3, FN = 1.
        assertEquals(6.0 / 10.0, metrics.f1AtThreshold(0.7, PositiveClass.OUT), EXACT);
        // Accept everything: in-positive F1 = 2*5/(10+4), out-positive F1 = 0.
        assertEquals(10.0 / 14.0, metrics.f1AtThreshold(0.0, PositiveClass.IN), EXACT);
        assertEquals(0.0, metrics.f1AtThreshold(0.0, PositiveClass.OUT), EXACT);
    }

    @Test
    void thresholdSweepWithTwoDivisionsMatchesTheHandComputation() {
        // delta = 0.9, 0.65, 0.4 ("in" iff s > delta), then everything accepted:
        // (TPR, FPR) = (0, 0), (0.8, 0.5), (1, 0.75), (1, 1).
        OodMetrics sweep = Metrics.of(IN, OUT).thresholdSweep(2);
        assertEquals(0.75, sweep.fprAt95Tpr(), EXACT);
        assertEquals(0.5 * 0.4 + 0.25 * 0.9 + 0.25 * 1.0, sweep.auroc(), EXACT);
        assertEquals(0.8 * 4 / 6 + 0.2 * 5 / 8, sweep.auprIn(), EXACT);
        assertEquals(0.25 * 1 + 0.25 * 2 / 3 + 0.5 * 4 / 9, sweep.auprOut(), EXACT);
        assertEquals(0.35, sweep.detectionError(), EXACT);
    }

    @Test
    void thresholdSweepConvergesToTheExactMetricsAsGapGrows() {
        SplittableRandom random = new SplittableRandom(3);
        double[] in = new double[2000];
        double[] out = new double[1500];
        for (int i = 0; i < in.length; i++) {
            in[i] = Math.round(1000 * (random.nextGaussian() + 1.5)) / 1000.0; // ties at 0.001
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.round(1000 * random.nextGaussian()) / 1000.0;
        }
        Metrics metrics = Metrics.of(in, out);
        OodMetrics exact = metrics.summary();
        double coarse = distance(metrics.thresholdSweep(10), exact);
        double medium = distance(metrics.thresholdSweep(100), exact);
        double fine = distance(metrics.thresholdSweep(100_000), exact);
        assertTrue(coarse > 1e-2, "a 10-step sweep is visibly off: " + coarse);
        assertTrue(medium < coarse, "100 steps are closer than 10: " + medium + " vs " + coarse);
        // The range is about 8, the scores 0.001 apart: 1e5 steps sample every distinct score.
        assertEquals(0.0, fine, 1e-12);
    }

    @Test
    void allEqualScoresGiveChanceLevel() {
        OodMetrics m = Metrics.evaluate(new double[] {0.3, 0.3}, new double[] {0.3, 0.3, 0.3});
        assertEquals(1.0, m.fprAt95Tpr(), EXACT);
        assertEquals(0.5, m.auroc(), EXACT);
        assertEquals(0.4, m.auprIn(), EXACT);
        assertEquals(0.6, m.auprOut(), EXACT);
        assertEquals(0.5, m.detectionError(), EXACT);
    }

    @Test
    void negativeZeroAndZeroAreOneScore() {
        Metrics metrics = Metrics.of(new double[] {-0.0}, new double[] {0.0});
        assertEquals(1, metrics.distinctScores());
        assertEquals(0.5, metrics.auroc(), EXACT);
    }

    @Test
    void floatScoresGiveTheSameResultAsTheirDoubleValues() {
        float[] in = {0.9f, 0.8f, 0.7f, 0.7f, 0.6f};
        float[] out = {0.75f, 0.7f, 0.5f, 0.4f};
        double[] inWide = new double[in.length];
        double[] outWide = new double[out.length];
        for (int i = 0; i < in.length; i++) {
            inWide[i] = in[i];
        }
        for (int i = 0; i < out.length; i++) {
            outWide[i] = out[i];
        }
        assertEquals(Metrics.evaluate(inWide, outWide), Metrics.evaluate(in, out));
    }

    @Test
    void inputArraysAreNotModified() {
        double[] in = IN.clone();
        double[] out = OUT.clone();
        Metrics.of(in, out);
        assertArrayEquals(IN, in);
        assertArrayEquals(OUT, out);
    }

    @Test
    void largeSetsAgreeWithRankSumAurocAndSortedQuantileFpr() {
        // Large enough for the two-thread sort; the references are independent formulas:
        // Mann-Whitney U from average ranks, and FPR at the ceil(0.95 n)-th largest in-score.
        SplittableRandom random = new SplittableRandom(5);
        int n = 150_000;
        double[] in = new double[n];
        double[] out = new double[n / 3];
        for (int i = 0; i < in.length; i++) {
            in[i] = Math.round(100 * (random.nextGaussian() + 1)) / 100.0;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.round(100 * random.nextGaussian()) / 100.0;
        }
        OodMetrics m = Metrics.evaluate(in, out);
        assertEquals(rankSumAuroc(in, out), m.auroc(), 1e-12);

        double[] sortedIn = in.clone();
        Arrays.sort(sortedIn);
        int need = (int) Math.ceil(0.95 * n - 1e-9);
        double t = sortedIn[n - need];
        double fpr = Arrays.stream(out).filter(s -> s >= t).count() / (double) out.length;
        assertEquals(fpr, m.fprAt95Tpr(), EXACT);
    }

    @Test
    void nanInTheOodSetIsRejectedWithItsIndex() {
        double[] out = {0.1, 0.2, 0.3, 0.4, Double.NaN};
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Metrics.of(IN, out));
        assertEquals("scores for the OOD set contain NaN at index 4", e.getMessage());
    }

    @Test
    void infinityInTheInDistributionSetIsRejectedWithItsIndex() {
        float[] in = {0.1f, Float.NEGATIVE_INFINITY};
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> Metrics.of(in, new float[] {0.5f}));
        assertEquals(
                "scores for the in-distribution set contain -Infinity at index 1", e.getMessage());
    }

    @Test
    void emptySetIsRejectedByName() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Metrics.of(new double[0], new double[] {1}));
        assertEquals("scores for the in-distribution set are empty", e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Metrics.of(new double[] {1}, new double[0]));
        assertEquals("scores for the OOD set are empty", e.getMessage());
    }

    @Test
    void thresholdSweepRejectsAGapBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> Metrics.of(IN, OUT).thresholdSweep(0));
    }

    @Test
    void toStringPrintsPercentagesWithNames() {
        assertEquals(
                "FPR@95TPR 50.00%, AUROC 75.00%, AUPR-In 80.95%, AUPR-Out 76.79%, "
                        + "detection error 25.00%",
                Metrics.evaluate(IN, OUT).toString());
        assertNotEquals("", Metrics.of(IN, OUT).toString());
    }

    private static double distance(OodMetrics a, OodMetrics b) {
        double d = 0;
        for (OodMetric metric : OodMetric.values()) {
            d = Math.max(d, Math.abs(a.get(metric) - b.get(metric)));
        }
        return d;
    }

    private static double rankSumAuroc(double[] in, double[] out) {
        int n = in.length + out.length;
        double[] all = new double[n];
        System.arraycopy(in, 0, all, 0, in.length);
        System.arraycopy(out, 0, all, in.length, out.length);
        double[] sorted = all.clone();
        Arrays.sort(sorted);
        double rankSumIn = 0;
        for (double s : in) {
            int first = lowerBound(sorted, s);
            int last = lowerBound(sorted, Math.nextUp(s));
            rankSumIn += (first + 1 + last) / 2.0; // average 1-based rank of the tie group
        }
        double u = rankSumIn - (double) in.length * (in.length + 1) / 2.0;
        return u / ((double) in.length * out.length);
    }

    private static int lowerBound(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}

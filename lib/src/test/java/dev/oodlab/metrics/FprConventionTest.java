package dev.oodlab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The FPR@95TPR conventions: hand-computed cases, and agreement with the reference repositories'
 * loops as {@code make_fpr_conventions.py} transcribes them (ODIN's and Lee et al.'s grid averages,
 * the Mahalanobis code's nearest point) on the committed score sets.
 */
class FprConventionTest {

    private static final double EXACT = 1e-12;

    // in = 1..20, out = {0.5, 1.5, 10.5}: TPR is 19/20 = 0.95 exactly for thresholds in (1, 2].
    private static final double[] IN_1_TO_20 =
            IntStream.rangeClosed(1, 20).asDoubleStream().toArray();
    private static final double[] OUT_3 = {0.5, 1.5, 10.5};

    record Case(String name, double[] in, double[] out, JsonObject expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (JsonElement element : ReferenceData.fprConventions().getAsJsonArray("ood")) {
            JsonObject c = element.getAsJsonObject();
            cases.add(
                    new Case(
                            c.get("name").getAsString(),
                            ReferenceData.doubles(c.get("in")),
                            ReferenceData.doubles(c.get("out")),
                            c.getAsJsonObject("expected")));
        }
        return cases.stream();
    }

    @Test
    void exactTakesTheLargestThresholdReachingTheTarget() {
        // Threshold 2 keeps 19 of 20 in-scores and the OOD score 10.5.
        assertEquals(1.0 / 3, Metrics.of(IN_1_TO_20, OUT_3).fprAt95Tpr(FprConvention.EXACT), EXACT);
    }

    @Test
    void mahalanobisTakesTheFirstWalkPointAtTheNearestTpr() {
        // The walk reaches 19 in-scores left when the score 1 leaves; 1.5 and 10.5 are still there.
        assertEquals(
                2.0 / 3,
                Metrics.of(IN_1_TO_20, OUT_3).fprAt95Tpr(FprConvention.MAHALANOBIS),
                EXACT);
    }

    @Test
    void gridConventionsAverageOverTheThresholdsInTheBand() {
        // Only thresholds in (1, 2] have TPR 0.95 (18/20 and 20/20 lie outside both bands); OOD
        // scores above them: 1.5 and 10.5 below 1.5, 10.5 alone from 1.5 on. The grid over
        // [0.5, 20] is even, so about half the band's thresholds see each: FPR 1/2 up to the step.
        Metrics metrics = Metrics.of(IN_1_TO_20, OUT_3);
        assertEquals(0.5, metrics.fprAt95Tpr(FprConvention.LEE), 19.5 / 200_000 * 2);
        assertEquals(0.5, metrics.fprAt95Tpr(FprConvention.ODIN), 19.5 / 100_000 * 2);
    }

    @Test
    void emptyBandGivesOneForLeeAndNanForOdin() {
        // The worked example: TPR takes only 0, 0.2, 0.4, 0.8 and 1.
        Metrics metrics =
                Metrics.of(
                        new double[] {0.9, 0.8, 0.7, 0.7, 0.6}, new double[] {0.75, 0.7, 0.5, 0.4});
        assertEquals(1.0, metrics.fprAt95Tpr(FprConvention.LEE), 0.0);
        assertTrue(Double.isNaN(metrics.fprAt95Tpr(FprConvention.ODIN)));
        // Nearest TPR: 1.0 (distance 0.05) at the walk's first point, where all OOD scores are
        // left.
        assertEquals(1.0, metrics.fprAt95Tpr(FprConvention.MAHALANOBIS), 0.0);
    }

    @Test
    void allEqualScoresHaveNoGrid() {
        Metrics metrics = Metrics.of(new double[] {0.5, 0.5}, new double[] {0.5});
        assertTrue(Double.isNaN(metrics.fprAt95Tpr(FprConvention.LEE)));
        assertTrue(Double.isNaN(metrics.fprAt95Tpr(FprConvention.ODIN)));
    }

    @Test
    void exactAndOodPositiveAreTheExistingMetrics() {
        Metrics metrics = Metrics.of(IN_1_TO_20, OUT_3);
        assertEquals(metrics.fprAt95Tpr(), metrics.fprAt95Tpr(FprConvention.EXACT), 0.0);
        assertEquals(
                metrics.fprAt95TprOodPositive(),
                metrics.fprAt95Tpr(FprConvention.OOD_POSITIVE),
                0.0);
    }

    @Test
    void summaryWithAConventionChangesOnlyTheFpr() {
        Metrics metrics = Metrics.of(IN_1_TO_20, OUT_3);
        OodMetrics exact = metrics.summary();
        OodMetrics mahalanobis = metrics.summary(FprConvention.MAHALANOBIS);
        assertEquals(2.0 / 3, mahalanobis.fprAt95Tpr(), EXACT);
        assertEquals(exact.auroc(), mahalanobis.auroc(), 0.0);
        assertEquals(exact.auprIn(), mahalanobis.auprIn(), 0.0);
        assertEquals(exact.auprOut(), mahalanobis.auprOut(), 0.0);
        assertEquals(exact.detectionError(), mahalanobis.detectionError(), 0.0);
        assertEquals(exact, metrics.summary(FprConvention.EXACT));
    }

    @Test
    void keysRoundTripAndUnknownKeysNameTheValidOnes() {
        for (FprConvention convention : FprConvention.values()) {
            assertEquals(convention, FprConvention.fromKey(convention.key()));
        }
        assertEquals(FprConvention.OOD_POSITIVE, FprConvention.fromKey("OOD-Positive"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> FprConvention.fromKey("tpr95"));
        assertEquals(
                "unknown FPR convention 'tpr95' (expected one of exact, odin, lee, mahalanobis,"
                        + " ood-positive)",
                e.getMessage());
    }

    @Test
    void referenceFileExercisesEveryBranch() {
        List<Case> all = cases().toList();
        assertTrue(
                all.stream().anyMatch(c -> c.expected().get("odin").isJsonNull()),
                "ODIN: empty band");
        assertTrue(
                all.stream().filter(c -> !c.expected().get("odin").isJsonNull()).count() >= 5,
                "ODIN: non-empty band");
        assertTrue(
                all.stream()
                        .anyMatch(
                                c ->
                                        c.expected().get("lee_thresholds_in_range").getAsInt() == 0
                                                && !c.expected().get("lee").isJsonNull()),
                "Lee: the corner case");
        assertTrue(all.stream().anyMatch(c -> c.name().equals("continuous_2000_in")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void odinMatchesTheOdinCodesTpr95(Case c) {
        assertMatches(
                c.expected().get("odin"),
                Metrics.of(c.in(), c.out()).fprAt95Tpr(FprConvention.ODIN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void leeMatchesTheConfidentClassifierCodesTpr95(Case c) {
        assertMatches(
                c.expected().get("lee"), Metrics.of(c.in(), c.out()).fprAt95Tpr(FprConvention.LEE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void mahalanobisMatchesTheMahalanobisCodesGetCurve(Case c) {
        double fpr = Metrics.of(c.in(), c.out()).fprAt95Tpr(FprConvention.MAHALANOBIS);
        assertMatches(c.expected().get("mahalanobis"), fpr);
        assertEquals(c.expected().get("mahalanobis_tnr").getAsDouble(), 1 - fpr, EXACT, "TNR");
    }

    private static void assertMatches(JsonElement expected, double actual) {
        if (expected.isJsonNull()) {
            assertTrue(Double.isNaN(actual), "the reference has no value here, got " + actual);
        } else {
            assertEquals(expected.getAsDouble(), actual, 0.0);
        }
    }
}

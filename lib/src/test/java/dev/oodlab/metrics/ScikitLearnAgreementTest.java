package dev.oodlab.metrics;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Agreement with scikit-learn 1.2 ({@code roc_auc_score}, {@code average_precision_score}, {@code
 * roc_curve}, {@code precision_recall_curve}, {@code f1_score}) to 1e-9, on the cases of {@code
 * make_reference.py}: ties, heavy imbalance both ways, perfect and inverted separation, all-equal
 * scores, a single score per set, signed zeros and continuous scores.
 */
class ScikitLearnAgreementTest {

    private static final double TOLERANCE = 1e-9;

    record Case(String name, double[] in, double[] out, JsonObject expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (JsonElement element : ReferenceData.root().getAsJsonArray("ood")) {
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
    void referenceFileCoversTheAgreedCases() {
        List<String> names = cases().map(Case::name).toList();
        for (String required :
                List.of(
                        "worked_example",
                        "ties_one_decimal",
                        "imbalance_few_out",
                        "imbalance_few_in",
                        "perfect_separation",
                        "inverted_separation",
                        "all_equal",
                        "collinear_ties")) {
            assertTrue(names.contains(required), "reference.json lacks " + required);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fiveMetricsMatchScikitLearn(Case c) {
        OodMetrics m = Metrics.evaluate(c.in(), c.out());
        JsonObject e = c.expected();
        assertAll(
                () -> assertEquals(e.get("auroc").getAsDouble(), m.auroc(), TOLERANCE, "AUROC"),
                () ->
                        assertEquals(
                                e.get("aupr_in").getAsDouble(), m.auprIn(), TOLERANCE, "AUPR-In"),
                () ->
                        assertEquals(
                                e.get("aupr_out").getAsDouble(),
                                m.auprOut(),
                                TOLERANCE,
                                "AUPR-Out"),
                () ->
                        assertEquals(
                                e.get("fpr_at_95_tpr").getAsDouble(),
                                m.fprAt95Tpr(),
                                TOLERANCE,
                                "FPR@95TPR"),
                () ->
                        assertEquals(
                                e.get("detection_error").getAsDouble(),
                                m.detectionError(),
                                TOLERANCE,
                                "detection error"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fprAtOtherTprTargetsMatchesRocCurve(Case c) {
        Metrics metrics = Metrics.of(c.in(), c.out());
        for (JsonElement element : c.expected().getAsJsonArray("fpr_at_tpr")) {
            JsonObject point = element.getAsJsonObject();
            double tpr = point.get("tpr").getAsDouble();
            assertEquals(
                    point.get("fpr").getAsDouble(),
                    metrics.fprAtTpr(tpr),
                    TOLERANCE,
                    "FPR at TPR " + tpr);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oodPositiveFprAt95MatchesRocCurveOfNegatedScores(Case c) {
        assertEquals(
                c.expected().get("fpr_at_95_tpr_ood_positive").getAsDouble(),
                Metrics.of(c.in(), c.out()).fprAt95TprOodPositive(),
                TOLERANCE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rocCurveMatchesRocCurveWithoutDroppedPoints(Case c) {
        RocCurve roc = Metrics.of(c.in(), c.out()).rocCurve();
        JsonObject e = c.expected().getAsJsonObject("roc");
        assertArrayEquals(ReferenceData.doubles(e.get("fpr")), roc.fpr(), TOLERANCE);
        assertArrayEquals(ReferenceData.doubles(e.get("tpr")), roc.tpr(), TOLERANCE);
        double[] thresholds = ReferenceData.doubles(e.get("thresholds"));
        assertEquals(Double.POSITIVE_INFINITY, roc.thresholds()[0]);
        for (int k = 0; k < thresholds.length; k++) {
            assertEquals(thresholds[k], roc.thresholds()[k + 1], 0.0, "threshold " + k);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void precisionRecallCurvesMatchBothPositiveClasses(Case c) {
        Metrics metrics = Metrics.of(c.in(), c.out());
        for (PositiveClass positive : PositiveClass.values()) {
            PrecisionRecallCurve pr = metrics.precisionRecallCurve(positive);
            JsonObject e =
                    c.expected().getAsJsonObject(positive == PositiveClass.IN ? "pr_in" : "pr_out");
            assertArrayEquals(
                    ReferenceData.doubles(e.get("precision")), pr.precision(), TOLERANCE, "P");
            assertArrayEquals(ReferenceData.doubles(e.get("recall")), pr.recall(), TOLERANCE, "R");
            double[] thresholds = ReferenceData.doubles(e.get("thresholds"));
            double sign = positive == PositiveClass.IN ? 1 : -1; // pr_out thresholds are on -s
            for (int k = 0; k < thresholds.length; k++) {
                assertEquals(sign * thresholds[k], pr.thresholds()[k + 1], 0.0, "threshold " + k);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void f1AtThresholdMatchesF1Score(Case c) {
        Metrics metrics = Metrics.of(c.in(), c.out());
        for (JsonElement element : c.expected().getAsJsonArray("f1")) {
            JsonObject e = element.getAsJsonObject();
            double delta = e.get("delta").getAsDouble();
            assertEquals(
                    e.get("in").getAsDouble(),
                    metrics.f1AtThreshold(delta, PositiveClass.IN),
                    TOLERANCE,
                    "F1 (in positive) at " + delta);
            assertEquals(
                    e.get("out").getAsDouble(),
                    metrics.f1AtThreshold(delta, PositiveClass.OUT),
                    TOLERANCE,
                    "F1 (out positive) at " + delta);
        }
    }

    @Test
    void scikitLearnsDefaultRocCurveDiffersOnCollinearTies() {
        // Documents why the definition is checked against drop_intermediate=False.
        Case c = cases().filter(x -> x.name().equals("collinear_ties")).findFirst().orElseThrow();
        assertEquals(1.0, c.expected().get("fpr_at_95_tpr_sklearn_default").getAsDouble());
        assertEquals(0.95, Metrics.of(c.in(), c.out()).fprAt95Tpr(), TOLERANCE);
    }
}

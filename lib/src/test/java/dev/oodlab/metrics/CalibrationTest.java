package dev.oodlab.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

/** Expected calibration error, reliability-diagram data and confidence histograms. */
class CalibrationTest {

    @Test
    void eceWeighsEachBinsGapByItsShare() {
        // Bin (0.8667, 0.9333]: 0.9, 0.9 (one right) -> acc 0.5, conf 0.9, gap 0.4, share 2/4.
        // Bin (0.4667, 0.5333]: 0.5, 0.5 (both right) -> acc 1, conf 0.5, gap 0.5, share 2/4.
        double[] confidences = {0.9, 0.9, 0.5, 0.5};
        boolean[] correct = {true, false, true, true};
        assertEquals(
                0.5 * 0.4 + 0.5 * 0.5,
                Calibration.expectedCalibrationError(confidences, correct),
                1e-12);
    }

    @Test
    void perfectlyCalibratedBinsHaveZeroEce() {
        // 10 predictions at 0.8 of which 8 right: acc = conf in the only bin.
        double[] confidences = new double[10];
        boolean[] correct = new boolean[10];
        for (int i = 0; i < 10; i++) {
            confidences[i] = 0.8;
            correct[i] = i < 8;
        }
        assertEquals(0.0, Calibration.expectedCalibrationError(confidences, correct), 1e-12);
    }

    @Test
    void binsIncludeTheirUpperEdgeAndNotTheirLowerOne() {
        // 1/15 * 2 lies on an edge: it belongs to the bin below, (1/15, 2/15].
        ReliabilityDiagram d =
                Calibration.reliability(
                        new double[] {2 * (1.0 / 15), 1.0, 0.0}, new boolean[] {true, true, false});
        assertEquals(1, d.counts()[1]);
        assertEquals(1, d.counts()[14]);
        assertEquals(1, d.counts()[0]); // confidence 0 joins the first bin
        assertEquals(3, d.total());
        assertTrue(Double.isNaN(d.accuracy()[5]), "empty bins have no accuracy");
    }

    @Test
    void reliabilityMatchesTheNumpyReference() {
        for (JsonElement element : ReferenceData.root().getAsJsonArray("calibration")) {
            JsonObject c = element.getAsJsonObject();
            String name = c.get("name").getAsString();
            double[] probabilities = ReferenceData.doubles(c.get("probabilities"));
            int[] labels = ReferenceData.ints(c.get("labels"));
            int k = c.get("num_classes").getAsInt();
            JsonObject e = c.getAsJsonObject("expected");
            ReliabilityDiagram d = Calibration.reliability(probabilities, k, labels);
            assertEquals(e.get("ece").getAsDouble(), d.expectedCalibrationError(), 1e-12, name);
            long[] counts = new long[15];
            int[] expectedCounts = ReferenceData.ints(e.get("count"));
            for (int b = 0; b < 15; b++) {
                counts[b] = expectedCounts[b];
            }
            assertArrayEquals(counts, d.counts(), name);
            assertArrayEquals(ReferenceData.doubles(e.get("accuracy")), d.accuracy(), 1e-12, name);
            assertArrayEquals(
                    ReferenceData.doubles(e.get("confidence")), d.confidence(), 1e-12, name);
        }
    }

    @Test
    void probabilitiesPredictTheFirstLargestClass() {
        // Row 0: max 0.7 at class 1 (label 1, right); row 1: tie 0.5/0.5 -> class 0 (label 1,
        // wrong).
        ReliabilityDiagram d =
                Calibration.reliability(new float[] {0.3f, 0.7f, 0.5f, 0.5f}, 2, new int[] {1, 1});
        assertEquals(1.0, d.accuracy()[10], 1e-12); // 0.7 in (10/15, 11/15]
        assertEquals(0.0, d.accuracy()[7], 1e-12); // 0.5 in (7/15, 8/15]
    }

    @Test
    void confidenceOutsideTheUnitIntervalIsRejectedWithItsIndex() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                Calibration.reliability(
                                        new double[] {0.5, 1.2}, new boolean[] {true, true}));
        assertEquals("confidence 1.2 at index 1 is outside [0, 1]", e.getMessage());
    }

    @Test
    void labelOutsideTheClassesIsRejected() {
        assertThrows(
                IllegalArgumentException.class,
                () -> Calibration.reliability(new double[] {0.5, 0.5}, 2, new int[] {2}));
    }

    @Test
    void confidenceHistogramCountsPerBinWithTheTopEdgeClosed() {
        Histogram h = Calibration.confidenceHistogram(new double[] {0.0, 0.1, 0.5, 0.99, 1.0}, 4);
        assertArrayEquals(new long[] {2, 0, 1, 2}, h.counts());
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, h.edges(), 1e-15);
        assertArrayEquals(new double[] {0.4, 0, 0.2, 0.4}, h.shares(), 1e-15);
    }

    @Test
    void histogramRejectsValuesOutsideItsRange() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Histogram.of(new double[] {0.5, 3}, 2, 0, 1));
        assertTrue(e.getMessage().contains("index 1"), e.getMessage());
    }

    @Test
    void histogramOfEqualValuesGetsAUnitRange() {
        Histogram h = Histogram.of(new double[] {2, 2, 2}, 2);
        assertArrayEquals(new double[] {1.5, 2, 2.5}, h.edges(), 1e-15);
        assertArrayEquals(new long[] {0, 3}, h.counts());
    }
}

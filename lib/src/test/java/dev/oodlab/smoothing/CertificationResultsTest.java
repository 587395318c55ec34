package dev.oodlab.smoothing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CertificationResultsTest {

    /**
     * Five points: correct at R = 0.3, 1.1 and 0.5; wrong with R = 0.8; one abstention. Certified
     * at r: 3 up to 0.3, then 2 up to 0.5, then 1 up to 1.1, then 0. ACR = (0.3 + 1.1 + 0.5) / 5.
     */
    static final CertificationResults FIVE =
            new CertificationResults(
                    List.of(
                            new Certification(0, 1, 1, 0.3, true, 90, 1.0),
                            new Certification(1, 2, 2, 1.1, true, 99, 1.0),
                            new Certification(2, 0, 3, 0.8, false, 95, 1.0),
                            new Certification(3, 4, -1, 0.0, false, 50, 1.0),
                            new Certification(4, 5, 5, 0.5, true, 93, 1.5)));

    @Test
    void certifiedAccuracyCountsCorrectPointsWithRadiusAtLeastR() {
        assertEquals(0.6, FIVE.certifiedAccuracy(0), 1e-12);
        assertEquals(0.6, FIVE.certifiedAccuracy(0.3), 1e-12);
        assertEquals(0.4, FIVE.certifiedAccuracy(0.31), 1e-12);
        assertEquals(0.4, FIVE.certifiedAccuracy(0.5), 1e-12);
        assertEquals(0.2, FIVE.certifiedAccuracy(0.8), 1e-12);
        assertEquals(0.0, FIVE.certifiedAccuracy(1.25), 1e-12);
    }

    @Test
    void curveEvaluatesEachRadius() {
        double[] radii = CertificationResults.DEFAULT_RADII.stream().mapToDouble(d -> d).toArray();
        assertArrayEquals(
                new double[] {0.6, 0.6, 0.4, 0.2, 0.2, 0, 0, 0, 0}, FIVE.curve(radii), 1e-12);
    }

    @Test
    void acrAveragesRadiiOfCorrectPointsOverAllPoints() {
        assertEquals((0.3 + 1.1 + 0.5) / 5, FIVE.acr(), 1e-12);
    }

    @Test
    void abstentionsAreCountedAndNeverCorrect() {
        assertEquals(0.2, FIVE.abstainRate(), 1e-12);
        assertEquals(0.6, FIVE.accuracy(), 1e-12);
        assertThrows(
                IllegalArgumentException.class,
                () -> new Certification(0, 1, -1, 0.0, true, 0, 0.0));
    }

    @Test
    void topSharesDivideEachCountByN() {
        assertArrayEquals(new double[] {0.9, 0.99, 0.95, 0.5, 0.93}, FIVE.topShares(100), 1e-12);
        double[] unknown =
                new CertificationResults(List.of(new Certification(0, 1, 1, 0.3, true, -1, 0)))
                        .topShares(100);
        assertTrue(Double.isNaN(unknown[0]));
        assertThrows(IllegalArgumentException.class, () -> FIVE.topShares(0));
    }

    @Test
    void certifiedWrongKeepsWrongPredictionsButNotAbstentions() {
        // point 2 predicts 3 for label 0 with R = 0.8; point 3 abstained
        assertEquals(List.of(FIVE.points().get(2)), FIVE.certifiedWrong());
    }

    @Test
    void totalSecondsSumsThePoints() {
        assertEquals(5.5, FIVE.totalSeconds(), 1e-12);
    }

    @Test
    void radiusGridIncludesItsEnd() {
        assertArrayEquals(
                new double[] {0, 0.25, 0.5, 0.75, 1.0},
                CertificationResults.radiusGrid(1.0, 0.25),
                1e-12);
        assertEquals(31, CertificationResults.radiusGrid(3.0, 0.1).length);
    }

    @Test
    void emptyResultsAndBadRadiiAreRejected() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> new CertificationResults(List.of()));
        assertTrue(e.getMessage().startsWith("points "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FIVE.certifiedAccuracy(-0.1));
        assertTrue(e.getMessage().startsWith("radius "), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new Certification(0, 1, 1, Double.NaN, true, 0, 0.0));
        assertTrue(e.getMessage().startsWith("radius "), e.getMessage());
    }
}

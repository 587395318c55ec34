package dev.oodlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Toy2dTest {

    @Test
    void discPointsLieInTheirClassDiscUniformlyByArea() {
        ImageSet set = Toy2d.discs(1000, 11);
        assertEquals(2000, set.size());
        float[] xy = set.pixels();
        int innerHalfRadius = 0;
        for (int i = 0; i < set.size(); i++) {
            double c = set.label(i) == 0 ? -2 : 2;
            double r = Math.hypot(xy[2 * i] - c, xy[2 * i + 1] - c);
            assertTrue(r <= 2.0 + 1e-6, "point " + i + " at distance " + r);
            if (r < 1.0) {
                innerHalfRadius++;
            }
        }
        // uniform by area: P(r < R/2) = 1/4; sd of the share over 2000 points is about 0.01
        assertEquals(0.25, innerHalfRadius / 2000.0, 0.04);
        assertEquals(1000, java.util.Arrays.stream(set.labels()).sum());
    }

    @Test
    void oodTrainingPointsAreOutsideBothDiscsInsideTheSquare() {
        ImageSet set = Toy2d.outsideDiscs(2000, 5);
        float[] xy = set.pixels();
        for (int i = 0; i < set.size(); i++) {
            assertFalse(Toy2d.isInDistribution(xy[2 * i], xy[2 * i + 1]));
            assertTrue(Math.abs(xy[2 * i]) <= 10 && Math.abs(xy[2 * i + 1]) <= 10);
        }
    }

    @Test
    void evaluationLabelsMarkPointsInsideADisc() {
        ImageSet set = Toy2d.evaluationSet(20000, 9);
        int inside = 0;
        for (int i = 0; i < set.size(); i++) {
            boolean in = Toy2d.isInDistribution(set.pixels()[2 * i], set.pixels()[2 * i + 1]);
            assertEquals(in ? 1 : 0, set.label(i));
            inside += set.label(i);
        }
        // area of two discs / area of square = 8 pi / 400 = 0.0628
        assertEquals(8 * Math.PI / 400, inside / 20000.0, 0.006);
    }

    @Test
    void gridRunsFromTopLeftToBottomRight() {
        ImageSet grid = Toy2d.grid(3);
        assertEquals(9, grid.size());
        float[] xy = grid.pixels();
        assertEquals(-10f, xy[0]);
        assertEquals(10f, xy[1]);
        assertEquals(0f, xy[2]); // second point of the first row: x = 0
        assertEquals(10f, xy[16]);
        assertEquals(-10f, xy[17]);
    }

    @Test
    void sameSeedSamePoints() {
        assertEquals(Toy2d.discs(10, 3), Toy2d.discs(10, 3));
        assertEquals(Toy2d.outsideDiscs(10, 3), Toy2d.outsideDiscs(10, 3));
    }

    @Test
    void outlierBandsKeepTheirDistanceAndTheFullBandIsTheDefaultSet() {
        ImageSet near = Toy2d.outsideDiscs(500, 0, 1, 5);
        ImageSet far = Toy2d.outsideDiscs(500, 4, Double.POSITIVE_INFINITY, 5);
        for (int i = 0; i < 500; i++) {
            float[] p = near.image(i);
            double d = Toy2d.distanceToDiscs(p[0], p[1]);
            assertTrue(d > 0 && d <= 1, "near point at distance " + d);
            float[] q = far.image(i);
            assertTrue(Toy2d.distanceToDiscs(q[0], q[1]) > 4);
        }
        assertEquals(
                Toy2d.outsideDiscs(100, 7),
                Toy2d.outsideDiscs(100, 0, Double.POSITIVE_INFINITY, 7));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Toy2d.outsideDiscs(10, 2, 1, 1));
        assertEquals(
                "outlier band (2.0, 1.0] must satisfy 0 <= min < max and min < 12.42",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Toy2d.outsideDiscs(10, 20, 30, 1));
    }
}

package dev.oodlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NoiseImagesTest {

    @Test
    void sameSeedGivesSameImagesAndOtherSeedOthers() {
        assertEquals(NoiseImages.uniform(10, 7), NoiseImages.uniform(10, 7));
        assertFalse(
                Arrays.equals(
                        NoiseImages.uniform(10, 7).pixels(), NoiseImages.uniform(10, 8).pixels()));
        assertEquals(NoiseImages.gaussian(10, 7), NoiseImages.gaussian(10, 7));
    }

    @Test
    void uniformNoiseHasMeanOneHalfAndVarianceOneTwelfth() {
        float[] p = NoiseImages.uniform(1000, 1).pixels();
        double mean = 0;
        for (float v : p) {
            assertTrue(v >= 0 && v < 1);
            mean += v;
        }
        mean /= p.length;
        double var = 0;
        for (float v : p) {
            var += (v - mean) * (v - mean);
        }
        var /= p.length;
        // 784k draws: standard error of the mean is 0.29/sqrt(784000) = 3e-4
        assertEquals(0.5, mean, 2e-3);
        assertEquals(1.0 / 12, var, 1e-3);
    }

    @Test
    void gaussianNoiseClipsTheShareOutsideTheUnitInterval() {
        ImageSet set = NoiseImages.gaussian(1000, 3);
        assertNull(set.labels());
        int zeros = 0;
        int ones = 0;
        for (float v : set.pixels()) {
            assertTrue(v >= 0 && v <= 1);
            if (v == 0f) {
                zeros++;
            } else if (v == 1f) {
                ones++;
            }
        }
        // P(N(0.5, 1) < 0) = Phi(-0.5) = 0.308538
        double n = set.pixels().length;
        assertEquals(0.308538, zeros / n, 3e-3);
        assertEquals(0.308538, ones / n, 3e-3);
    }

    @Test
    void gaussianMeanAndSdCanBeSet() {
        float[] p = NoiseImages.gaussian(200, 1, 28, 28, 0.5, 0.1, 5).pixels();
        double mean = 0;
        for (float v : p) {
            mean += v;
        }
        mean /= p.length;
        double var = 0;
        for (float v : p) {
            var += (v - mean) * (v - mean);
        }
        // with sd 0.1 clipping at 0 and 1 (5 sd away) is negligible
        assertEquals(0.5, mean, 2e-3);
        assertEquals(0.01, var / p.length, 5e-4);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> NoiseImages.uniform(0, 1));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> NoiseImages.gaussian(5, 1, 28, 28, 0.5, -1, 1));
        assertTrue(e.getMessage().contains("sd"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> NoiseImages.gaussian(5, 1, 28, 28, Double.NaN, 1, 1));
    }
}

package dev.oodlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeanSdTest {

    @Test
    void sampleStandardDeviationDividesByNMinusOne() {
        // 1, 2, 3, 4: mean 2.5, squares 2.25 + 0.25 + 0.25 + 2.25 = 5, sd = sqrt(5 / 3).
        MeanSd m = MeanSd.of(1, 2, 3, 4);
        assertEquals(2.5, m.mean(), 1e-15);
        assertEquals(Math.sqrt(5.0 / 3), m.sd(), 1e-15);
        assertEquals(4, m.n());
    }

    @Test
    void missingValuesAreLeftOutAndOneValueHasNoSd() {
        MeanSd m = MeanSd.of(Arrays.asList(0.9, null, Double.NaN, 0.7));
        assertEquals(0.8, m.mean(), 1e-15);
        assertEquals(Math.sqrt(0.02), m.sd(), 1e-15);
        assertEquals(2, m.n());
        MeanSd one = MeanSd.of(List.of(0.5));
        assertTrue(Double.isNaN(one.sd()));
        assertEquals("0.500", one.format("%.3f"));
        assertTrue(Double.isNaN(MeanSd.of().mean()));
    }

    @Test
    void formatsAsMeanPlusMinusSd() {
        assertEquals("2.500 ± 1.291", MeanSd.of(1, 2, 3, 4).format("%.3f"));
        assertEquals("2.500 ± 1.291 (n = 4)", MeanSd.of(1, 2, 3, 4).toString());
    }
}

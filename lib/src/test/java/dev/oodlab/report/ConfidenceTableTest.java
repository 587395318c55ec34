package dev.oodlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class ConfidenceTableTest {

    @Test
    void eachSetGetsItsSizeMeanAndTheShareAtOrAboveEachThreshold() {
        Map<String, double[]> c = new LinkedHashMap<>();
        // mean 0.7225; ≥ 0.9: 0.9 and 0.995 (a value equal to the threshold counts) = 2 of 4;
        // ≥ 0.99: 0.995 = 1 of 4
        c.put("in", new double[] {0.5, 0.9, 0.995, 0.495});
        // mean 0.6; none ≥ 0.9
        c.put("out", new double[] {0.6, 0.6});
        Table t = ConfidenceTable.of(c, 0.9, 0.99);
        assertEquals(
                List.of("set", "n", "mean confidence", "share ≥ 0.9", "share ≥ 0.99"),
                t.columnNames());
        assertEquals(List.of("in", "out"), t.stringColumn("set").asList());
        assertEquals(4, t.intColumn("n").get(0));
        assertEquals(0.7225, t.doubleColumn("mean confidence").get(0), 1e-12);
        assertEquals(0.6, t.doubleColumn("mean confidence").get(1), 1e-12);
        assertEquals(0.5, t.doubleColumn("share ≥ 0.9").get(0), 0);
        assertEquals(0.25, t.doubleColumn("share ≥ 0.99").get(0), 0);
        assertEquals(0.0, t.doubleColumn("share ≥ 0.9").get(1), 0);
    }

    @Test
    void anEmptySetIsNamed() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ConfidenceTable.of(Map.of("MNIST", new double[0]), 0.9));
        assertEquals("no confidences for MNIST", e.getMessage());
    }
}

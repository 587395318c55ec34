package dev.oodlab.report;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * How confident a classifier is on each of several sets: per set, the number of inputs, the mean
 * confidence (maximum softmax probability) and the share of inputs whose confidence is at least
 * each of a few thresholds — the numbers behind a sentence such as "half of the MNIST digits get a
 * confidence of 0.9 or more".
 *
 * <p>For a set with confidences c₁ … cₙ and a threshold t the share is #{i : cᵢ ≥ t} / n (≥, so a
 * confidence of exactly t counts).
 *
 * <pre>{@code
 * Notebook.table(ConfidenceTable.of(Map.of("MNIST", mnistMsp, "Uniform", uniformMsp), 0.9, 0.99), 3);
 * }</pre>
 */
public final class ConfidenceTable {

    private ConfidenceTable() {}

    /**
     * The table.
     *
     * @param confidences per set name, in row order, the confidence of every input
     * @param thresholds the thresholds, one column {@code share ≥ t} each
     * @return columns set, n, mean confidence, then one share column per threshold
     * @throws IllegalArgumentException if a set is empty or a threshold is not a number
     */
    public static Table of(Map<String, double[]> confidences, double... thresholds) {
        Objects.requireNonNull(confidences, "confidences");
        StringColumn set = StringColumn.create("set");
        IntColumn n = IntColumn.create("n");
        DoubleColumn mean = DoubleColumn.create("mean confidence");
        DoubleColumn[] shares = new DoubleColumn[thresholds.length];
        for (int k = 0; k < thresholds.length; k++) {
            if (Double.isNaN(thresholds[k])) {
                throw new IllegalArgumentException("threshold " + k + " is NaN");
            }
            shares[k] = DoubleColumn.create("share ≥ " + label(thresholds[k]));
        }
        for (Map.Entry<String, double[]> e : confidences.entrySet()) {
            double[] c = e.getValue();
            if (c.length == 0) {
                throw new IllegalArgumentException("no confidences for " + e.getKey());
            }
            set.append(e.getKey());
            n.append(c.length);
            mean.append(MeanSd.of(c).mean());
            for (int k = 0; k < thresholds.length; k++) {
                shares[k].append(shareAtLeast(c, thresholds[k]));
            }
        }
        Table table = Table.create("confidence", set, n, mean);
        table.addColumns(shares);
        return table;
    }

    /**
     * The share of values at least {@code threshold}: #{i : vᵢ ≥ threshold} / n.
     *
     * @param values the values (not empty)
     * @param threshold the threshold
     * @return the share in [0, 1]
     */
    public static double shareAtLeast(double[] values, double threshold) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        long count = 0;
        for (double v : values) {
            if (v >= threshold) {
                count++;
            }
        }
        return (double) count / values.length;
    }

    /** A threshold as a column name shows it: 0.9, 0.99, 0.999 (no trailing zeros). */
    private static String label(double t) {
        return BigDecimal.valueOf(t).stripTrailingZeros().toPlainString();
    }
}

package dev.oodlab.detect;

import java.util.Arrays;

/**
 * The q-th percentile as numpy computes it by default: linear interpolation between the closest
 * ranks, position q/100 · (n − 1) in the sorted values. ReAct's clipping threshold and DICE's
 * sparsification threshold are defined this way in their authors' code.
 */
final class Percentile {

    private Percentile() {}

    /**
     * The q-th percentile of the values.
     *
     * @param values at least one value (not modified)
     * @param q in [0, 100]
     */
    static double of(double[] values, double q) {
        if (!(q >= 0 && q <= 100)) {
            throw new IllegalArgumentException("percentile must be in [0, 100], got " + q);
        }
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to take a percentile of");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double position = q / 100 * (sorted.length - 1);
        int below = (int) Math.floor(position);
        double fraction = position - below;
        if (below + 1 >= sorted.length || fraction == 0) {
            return sorted[below];
        }
        return sorted[below] + fraction * (sorted[below + 1] - sorted[below]);
    }

    /** The same for float values. */
    static double of(float[] values, double q) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return of(d, q);
    }
}

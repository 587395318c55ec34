package dev.oodlab.metrics;

import java.util.Objects;

/**
 * Counts of values in equal-width bins, for confidence and score histograms.
 *
 * <p>Bin {@code i} is [{@code edges[i]}, {@code edges[i + 1]}), the last bin also includes its
 * upper edge (numpy's {@code histogram} convention). Use the same range for the in-distribution and
 * the OOD scores so that their histograms can be overlaid. The arrays are shared, not copied: do
 * not modify them.
 *
 * @param edges the bin edges, increasing, one more than there are bins
 * @param counts the number of values in each bin
 */
public record Histogram(double[] edges, long[] counts) {

    /**
     * Checks that there is one more edge than there are bins.
     *
     * @param edges see the record description
     * @param counts see the record description
     */
    public Histogram {
        if (edges.length != counts.length + 1 || counts.length == 0) {
            throw new IllegalArgumentException(
                    "a histogram needs one more edge than bins, got "
                            + edges.length
                            + " edges and "
                            + counts.length
                            + " bins");
        }
    }

    /**
     * Bins values into {@code bins} equal-width bins over [lo, hi].
     *
     * @param values the values, each finite and within [lo, hi]
     * @param bins the number of bins, at least 1
     * @param lo the lower edge of the first bin
     * @param hi the upper edge of the last bin, greater than {@code lo}
     * @return the histogram
     * @throws IllegalArgumentException if a value is NaN, infinite or outside [lo, hi] (naming its
     *     index), or the range or bin count is invalid
     */
    public static Histogram of(double[] values, int bins, double lo, double hi) {
        Objects.requireNonNull(values, "values");
        double[] edges = edges(bins, lo, hi);
        long[] counts = new long[bins];
        for (int i = 0; i < values.length; i++) {
            counts[bin(values[i], i, edges)]++;
        }
        return new Histogram(edges, counts);
    }

    /**
     * Bins float values into {@code bins} equal-width bins over [lo, hi].
     *
     * @param values the values, each finite and within [lo, hi]
     * @param bins the number of bins, at least 1
     * @param lo the lower edge of the first bin
     * @param hi the upper edge of the last bin, greater than {@code lo}
     * @return the histogram
     * @throws IllegalArgumentException if a value is NaN, infinite or outside [lo, hi]
     */
    public static Histogram of(float[] values, int bins, double lo, double hi) {
        Objects.requireNonNull(values, "values");
        double[] edges = edges(bins, lo, hi);
        long[] counts = new long[bins];
        for (int i = 0; i < values.length; i++) {
            counts[bin(values[i], i, edges)]++;
        }
        return new Histogram(edges, counts);
    }

    /**
     * Bins values into {@code bins} equal-width bins over [min, max] of the values themselves (a
     * range of width 1 around the value when all are equal).
     *
     * @param values the values, at least one, all finite
     * @param bins the number of bins, at least 1
     * @return the histogram
     * @throws IllegalArgumentException if there are no values or one is NaN or infinite
     */
    public static Histogram of(double[] values, int bins) {
        double[] range = range(values);
        return of(values, bins, range[0], range[1]);
    }

    /**
     * The smallest and largest of the values, widened to [v − ½, v + ½] when all equal v: a shared
     * range for histograms of several sets ({@code range(concat(in, out))}).
     *
     * @param values the values, at least one, all finite
     * @return {lo, hi} with lo &lt; hi
     * @throws IllegalArgumentException if there are no values or one is NaN or infinite
     */
    public static double[] range(double[] values) {
        Objects.requireNonNull(values, "values");
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to take a range of");
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("values contain " + v + " at index " + i);
            }
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return lo < hi ? new double[] {lo, hi} : new double[] {lo - 0.5, hi + 0.5};
    }

    /**
     * The number of bins.
     *
     * @return {@code counts.length}
     */
    public int bins() {
        return counts.length;
    }

    /**
     * The number of values counted.
     *
     * @return the sum of the counts
     */
    public long total() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    /**
     * Each bin's share of all values, so that sets of different sizes compare.
     *
     * @return count / total per bin (all 0 for an empty histogram)
     */
    public double[] shares() {
        long total = total();
        double[] shares = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            shares[i] = total == 0 ? 0 : (double) counts[i] / total;
        }
        return shares;
    }

    /**
     * The midpoint of each bin, for plotting.
     *
     * @return (edges[i] + edges[i + 1]) / 2 per bin
     */
    public double[] binCenters() {
        double[] centers = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            centers[i] = 0.5 * (edges[i] + edges[i + 1]);
        }
        return centers;
    }

    /** A short description: the range, the number of bins and of values. */
    @Override
    public String toString() {
        return "Histogram["
                + bins()
                + " bins over ["
                + edges[0]
                + ", "
                + edges[edges.length - 1]
                + "], "
                + total()
                + " values]";
    }

    private static double[] edges(int bins, double lo, double hi) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be at least 1, got " + bins);
        }
        if (!(Double.isFinite(lo) && Double.isFinite(hi) && lo < hi)) {
            throw new IllegalArgumentException(
                    "histogram range must be finite with lo < hi, got [" + lo + ", " + hi + "]");
        }
        double[] edges = new double[bins + 1];
        double width = (hi - lo) / bins;
        for (int i = 0; i < bins; i++) {
            edges[i] = lo + i * width;
        }
        edges[bins] = hi;
        return edges;
    }

    private static int bin(double v, int index, double[] edges) {
        int bins = edges.length - 1;
        double lo = edges[0];
        double hi = edges[bins];
        if (!(v >= lo && v <= hi)) {
            throw new IllegalArgumentException(
                    "value "
                            + v
                            + " at index "
                            + index
                            + " is outside the histogram range ["
                            + lo
                            + ", "
                            + hi
                            + "]");
        }
        int b = (int) ((v - lo) / (hi - lo) * bins);
        b = Math.min(Math.max(b, 0), bins - 1);
        // The division can round across an edge: settle against the edges themselves.
        while (b > 0 && v < edges[b]) {
            b--;
        }
        while (b < bins - 1 && v >= edges[b + 1]) {
            b++;
        }
        return b;
    }
}

package dev.oodlab.report;

import java.util.Collection;
import java.util.Locale;
import java.util.Objects;

/**
 * The mean and the sample standard deviation of a few values — one per training seed, typically.
 *
 * <p>sd = √(Σ(xᵢ − x̄)² / (n − 1)), the sample standard deviation (n − 1 in the denominator, as
 * {@link ResultsTable#meanAndSd()} and NumPy's {@code std(ddof=1)}); NaN for fewer than two values.
 * NaN values are left out and not counted, as a missing run is.
 *
 * <pre>{@code
 * MeanSd acr = MeanSd.of(0.912, 0.925, 0.903);
 * acr.format("%.3f");   // "0.913 ± 0.011"
 * }</pre>
 *
 * @param mean the mean of the values (NaN if there are none)
 * @param sd the sample standard deviation (NaN for fewer than two values)
 * @param n the number of values that were not NaN
 */
public record MeanSd(double mean, double sd, int n) {

    /**
     * Mean and sample sd of the values.
     *
     * @param values the values; NaN entries are left out
     * @return the statistics
     */
    public static MeanSd of(double... values) {
        Objects.requireNonNull(values, "values");
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        double mean = n == 0 ? Double.NaN : sum / n;
        double squares = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                squares += (v - mean) * (v - mean);
            }
        }
        return new MeanSd(mean, n < 2 ? Double.NaN : Math.sqrt(squares / (n - 1)), n);
    }

    /**
     * Mean and sample sd of the values.
     *
     * @param values the values; null or NaN entries are left out
     * @return the statistics
     */
    public static MeanSd of(Collection<? extends Number> values) {
        Objects.requireNonNull(values, "values");
        return of(
                values.stream()
                        .mapToDouble(v -> v == null ? Double.NaN : v.doubleValue())
                        .toArray());
    }

    /**
     * "mean ± sd" with one pattern for both numbers; the mean alone when sd is NaN.
     *
     * @param pattern a {@link String#format} pattern for one number, e.g. {@code "%.3f"}
     * @return the text
     */
    public String format(String pattern) {
        String m = String.format(Locale.ROOT, pattern, mean);
        return Double.isNaN(sd) ? m : m + " ± " + String.format(Locale.ROOT, pattern, sd);
    }

    /** "mean ± sd (n = k)" with four significant digits. */
    @Override
    public String toString() {
        return format("%.4g") + " (n = " + n + ")";
    }
}

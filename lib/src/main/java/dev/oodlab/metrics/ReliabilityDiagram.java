package dev.oodlab.metrics;

/**
 * Per-bin accuracy and confidence of a classifier: the data behind a reliability diagram and the
 * expected calibration error (Guo, Pleiss, Sun &amp; Weinberger, "On Calibration of Modern Neural
 * Networks", ICML 2017).
 *
 * <p>Predictions are grouped by confidence into equal-width bins (lo, hi] over [0, 1] (a confidence
 * of exactly 0 goes into the first bin). For bin b with n_b predictions, acc_b is the share that
 * are correct and conf_b their mean confidence; a perfectly calibrated classifier has acc_b =
 * conf_b. Empty bins have NaN accuracy and confidence. Made by {@link Calibration}; the arrays are
 * shared, not copied: do not modify them.
 *
 * @param edges the bin edges, {@code bins + 1} of them from 0 to 1
 * @param counts n_b, the number of predictions in each bin
 * @param accuracy acc_b, the share of correct predictions in each bin (NaN if empty)
 * @param confidence conf_b, the mean confidence in each bin (NaN if empty)
 */
public record ReliabilityDiagram(
        double[] edges, long[] counts, double[] accuracy, double[] confidence) {

    /**
     * Checks that the arrays agree on the number of bins.
     *
     * @param edges see the record description
     * @param counts see the record description
     * @param accuracy see the record description
     * @param confidence see the record description
     */
    public ReliabilityDiagram {
        int bins = counts.length;
        if (bins == 0
                || edges.length != bins + 1
                || accuracy.length != bins
                || confidence.length != bins) {
            throw new IllegalArgumentException(
                    "reliability diagram arrays disagree on the number of bins: "
                            + edges.length
                            + " edges, "
                            + counts.length
                            + " counts, "
                            + accuracy.length
                            + " accuracies, "
                            + confidence.length
                            + " confidences");
        }
    }

    /**
     * The number of bins.
     *
     * @return the number of bins
     */
    public int bins() {
        return counts.length;
    }

    /**
     * The number of predictions.
     *
     * @return the sum of the bin counts
     */
    public long total() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    /**
     * The expected calibration error ECE = Σ_b (n_b / n) |acc_b − conf_b|.
     *
     * @return ECE in [0, 1]
     */
    public double expectedCalibrationError() {
        long total = total();
        double ece = 0;
        for (int b = 0; b < counts.length; b++) {
            if (counts[b] > 0) {
                ece += (double) counts[b] / total * Math.abs(accuracy[b] - confidence[b]);
            }
        }
        return ece;
    }

    /**
     * The maximum calibration error MCE = max over non-empty bins of |acc_b − conf_b| (Naeini et
     * al., AAAI 2015), the worst bin rather than the average.
     *
     * @return MCE in [0, 1]
     */
    public double maximumCalibrationError() {
        double mce = 0;
        for (int b = 0; b < counts.length; b++) {
            if (counts[b] > 0) {
                mce = Math.max(mce, Math.abs(accuracy[b] - confidence[b]));
            }
        }
        return mce;
    }

    /** A short description: bins, predictions and ECE. */
    @Override
    public String toString() {
        return String.format(
                java.util.Locale.ROOT,
                "ReliabilityDiagram[%d bins, %d predictions, ECE %.4f]",
                bins(),
                total(),
                expectedCalibrationError());
    }
}

package dev.oodlab.smoothing;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The certifications of a test set and their summaries (Cohen et al., ICML 2019, §4; Zhai et al.,
 * "MACER", ICLR 2020, for the average certified radius).
 *
 * <ul>
 *   <li>certified accuracy at radius r = #{points correct with R ≥ r} / #points; an abstention
 *       counts as wrong;
 *   <li>the certified-accuracy curve: the same over a grid of radii;
 *   <li>ACR, the average certified radius = (1/N)·Σ R_i·1[correct_i];
 *   <li>the abstain rate = #{abstentions} / #points.
 * </ul>
 *
 * <p>{@link CertificationLog} writes and reads the per-point TSV of the published logs, so a
 * published log can be summarised the same way: {@code CertificationLog.read(path).acr()}.
 *
 * @param points the certifications, at least one
 */
public record CertificationResults(List<Certification> points) {

    /** The radii of the usual certified-accuracy table: 0, 0.25, …, 2.0. */
    public static final List<Double> DEFAULT_RADII =
            List.of(0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0);

    /** Copies the list; rejects an empty one. */
    public CertificationResults {
        points = List.copyOf(Objects.requireNonNull(points, "points"));
        if (points.isEmpty()) {
            throw new IllegalArgumentException("points is empty: nothing was certified");
        }
    }

    /** Number of certified points. */
    public int size() {
        return points.size();
    }

    /**
     * Certified accuracy at radius r: the share of points that are correct with R ≥ r.
     *
     * @param radius r ≥ 0
     * @return a share in [0, 1]
     */
    public double certifiedAccuracy(double radius) {
        if (!(radius >= 0)) {
            throw new IllegalArgumentException("radius must be non-negative, got " + radius);
        }
        int certified = 0;
        for (Certification c : points) {
            if (c.certifiedAt(radius)) {
                certified++;
            }
        }
        return (double) certified / points.size();
    }

    /**
     * The certified-accuracy curve: {@link #certifiedAccuracy(double)} at each radius.
     *
     * @param radii radii ≥ 0, in any order
     * @return the accuracies, one per radius, in the same order
     */
    public double[] curve(double... radii) {
        double[] accuracy = new double[radii.length];
        for (int i = 0; i < radii.length; i++) {
            accuracy[i] = certifiedAccuracy(radii[i]);
        }
        return accuracy;
    }

    /**
     * An evenly spaced radius grid 0, step, 2·step, … up to and including {@code max} (within
     * rounding), for plotting the curve.
     *
     * @param max the largest radius, ≥ 0
     * @param step the spacing, &gt; 0
     * @return the grid
     */
    public static double[] radiusGrid(double max, double step) {
        if (!(max >= 0) || Double.isInfinite(max)) {
            throw new IllegalArgumentException("max must be finite and non-negative, got " + max);
        }
        if (!(step > 0) || Double.isInfinite(step)) {
            throw new IllegalArgumentException("step must be positive and finite, got " + step);
        }
        int steps = (int) Math.floor(max / step + 1e-9);
        double[] grid = new double[steps + 1];
        for (int i = 0; i <= steps; i++) {
            grid[i] = i * step;
        }
        return grid;
    }

    /** ACR, the average certified radius: mean of R·1[correct] over all points. */
    public double acr() {
        double sum = 0;
        for (Certification c : points) {
            if (c.correct()) {
                sum += c.radius();
            }
        }
        return sum / points.size();
    }

    /** The share of points on which the smoothed classifier abstained. */
    public double abstainRate() {
        int abstained = 0;
        for (Certification c : points) {
            if (c.abstained()) {
                abstained++;
            }
        }
        return (double) abstained / points.size();
    }

    /** The clean accuracy of the smoothed classifier: the share of points predicted correctly. */
    public double accuracy() {
        return certifiedAccuracy(0);
    }

    /**
     * The smoothed confidence n_A/n of every point: the share of the n estimation copies that voted
     * for the certified class ĉ (NaN where n_A is unknown, as for a published log). The certified
     * radius is a monotone function of it, R = σ·Φ⁻¹(p̲A(n_A, n)), so its distribution (e.g. an
     * empirical CDF per method) shows how confident a smoothed classifier is.
     *
     * @param n the number n of estimation copies the points were certified with, &gt; 0
     * @return one share per point, in point order
     */
    public double[] topShares(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be positive, got " + n);
        }
        double[] shares = new double[points.size()];
        for (int i = 0; i < shares.length; i++) {
            int count = points.get(i).countTop();
            shares[i] = count < 0 ? Double.NaN : (double) count / n;
        }
        return shares;
    }

    /**
     * The points certified for a wrong class: not abstained and not correct, so the smoothed
     * classifier is confidently wrong there (its certificate, R &gt; 0 around a wrong answer, holds
     * all the same). Points without a known label count as wrong only if the label is known.
     *
     * @return those points, in point order
     */
    public List<Certification> certifiedWrong() {
        return points.stream()
                .filter(c -> !c.abstained() && !c.correct() && c.label() >= 0)
                .toList();
    }

    /** Total wall-clock seconds spent certifying. */
    public double totalSeconds() {
        double sum = 0;
        for (Certification c : points) {
            sum += c.seconds();
        }
        return sum;
    }

    /** One line: size, ACR, accuracy, abstain rate. */
    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "CertificationResults[n=%d, acr=%.4f, accuracy=%.4f, abstainRate=%.4f]",
                size(),
                acr(),
                accuracy(),
                abstainRate());
    }
}

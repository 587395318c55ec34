package dev.oodlab.data;

import java.util.SplittableRandom;

/**
 * The 2-D toy protocol of Kim &amp; Chung's study of the confidence loss (SPEC §5.1).
 *
 * <ul>
 *   <li>In-distribution: class 0 is uniform (by area) in the disc of radius 2 around (−2, −2),
 *       class 1 in the disc of radius 2 around (2, 2).
 *   <li>OOD training set: uniform in the square [−10, 10]² outside both discs.
 *   <li>Evaluation set: uniform in [−10, 10]²; a point is truly in-distribution when it lies in a
 *       disc ({@link #isInDistribution}).
 * </ul>
 *
 * Points are returned as {@link ImageSet}s of shape 1×1×2 (x, y), so the same training loop and
 * scorers take them; unlike images their values are not in [0, 1].
 */
public final class Toy2d {

    /** Radius of both discs. */
    public static final double RADIUS = 2.0;

    /** Centre coordinate of class 1's disc; class 0's is its negation. */
    public static final double CENTRE = 2.0;

    /** Half-width of the square the OOD and evaluation points are drawn from. */
    public static final double HALF_WIDTH = 10.0;

    private Toy2d() {}

    /** {@code perClass} points in each disc, labelled 0 and 1, class 0 first. */
    public static ImageSet discs(int perClass, long seed) {
        requirePositive(perClass, "points per class");
        SplittableRandom random = new SplittableRandom(seed);
        float[] xy = new float[4 * perClass];
        int[] labels = new int[2 * perClass];
        for (int i = 0; i < 2 * perClass; i++) {
            int label = i < perClass ? 0 : 1;
            double centre = label == 0 ? -CENTRE : CENTRE;
            // Uniform by area: r = R sqrt(u).
            double r = RADIUS * Math.sqrt(random.nextDouble());
            double theta = 2 * Math.PI * random.nextDouble();
            xy[2 * i] = (float) (centre + r * Math.cos(theta));
            xy[2 * i + 1] = (float) (centre + r * Math.sin(theta));
            labels[i] = label;
        }
        return new ImageSet("toy2d/discs", xy, labels, 2, 1, 1, 2);
    }

    /**
     * {@code n} unlabelled points uniform in [−10, 10]² outside both discs (rejection sampling).
     */
    public static ImageSet outsideDiscs(int n, long seed) {
        requirePositive(n, "number of OOD points");
        SplittableRandom random = new SplittableRandom(seed);
        float[] xy = new float[2 * n];
        int k = 0;
        while (k < n) {
            float x = (float) uniformCoordinate(random);
            float y = (float) uniformCoordinate(random);
            if (!isInDistribution(x, y)) {
                xy[2 * k] = x;
                xy[2 * k + 1] = y;
                k++;
            }
        }
        return new ImageSet("toy2d/outside", xy, null, 0, 1, 1, 2);
    }

    /**
     * {@code n} unlabelled points uniform over the part of [−10, 10]² whose distance to the discs
     * ({@link #distanceToDiscs}) lies in (minDistance, maxDistance]: a band of outliers near the
     * data, or only points far from it (rejection sampling). {@code outsideDiscs(n, 0, ∞, seed)}
     * draws the same points as {@link #outsideDiscs(int, long)}.
     *
     * @param n the number of points
     * @param minDistance the band's inner edge, ≥ 0
     * @param maxDistance its outer edge, &gt; minDistance (may be infinite)
     * @param seed the seed
     * @return the points
     * @throws IllegalArgumentException for an empty or impossible band
     */
    public static ImageSet outsideDiscs(int n, double minDistance, double maxDistance, long seed) {
        requirePositive(n, "number of OOD points");
        // The farthest points of the square, the corners (10, −10) and (−10, 10), lie √208 − 2 ≈
        // 12.42
        // from the nearer disc.
        double farthest = distanceToDiscs(HALF_WIDTH, -HALF_WIDTH);
        if (!(minDistance >= 0 && maxDistance > minDistance && minDistance < farthest)) {
            throw new IllegalArgumentException(
                    "outlier band ("
                            + minDistance
                            + ", "
                            + maxDistance
                            + "] must satisfy 0 <= min < max and min < "
                            + String.format(java.util.Locale.ROOT, "%.2f", farthest));
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] xy = new float[2 * n];
        int k = 0;
        while (k < n) {
            float x = (float) uniformCoordinate(random);
            float y = (float) uniformCoordinate(random);
            double d = distanceToDiscs(x, y);
            if (!isInDistribution(x, y) && d > minDistance && d <= maxDistance) {
                xy[2 * k] = x;
                xy[2 * k + 1] = y;
                k++;
            }
        }
        return new ImageSet("toy2d/outside", xy, null, 0, 1, 1, 2);
    }

    /**
     * {@code n} points uniform in [−10, 10]², labelled 1 when truly in-distribution (inside a disc)
     * and 0 otherwise: the evaluation set.
     */
    public static ImageSet evaluationSet(int n, long seed) {
        requirePositive(n, "number of evaluation points");
        SplittableRandom random = new SplittableRandom(seed);
        float[] xy = new float[2 * n];
        int[] inside = new int[n];
        for (int i = 0; i < n; i++) {
            xy[2 * i] = (float) uniformCoordinate(random);
            xy[2 * i + 1] = (float) uniformCoordinate(random);
            inside[i] = isInDistribution(xy[2 * i], xy[2 * i + 1]) ? 1 : 0;
        }
        return new ImageSet("toy2d/evaluation", xy, inside, 2, 1, 1, 2);
    }

    /**
     * A regular {@code resolution × resolution} grid over [−10, 10]², row by row from the top (y =
     * 10) to the bottom, each row from left to right: the points of a heat map.
     */
    public static ImageSet grid(int resolution) {
        if (resolution < 2) {
            throw new IllegalArgumentException("grid resolution must be >= 2, got " + resolution);
        }
        float[] xy = new float[2 * resolution * resolution];
        double step = 2 * HALF_WIDTH / (resolution - 1);
        for (int row = 0; row < resolution; row++) {
            for (int col = 0; col < resolution; col++) {
                int i = row * resolution + col;
                xy[2 * i] = (float) (-HALF_WIDTH + col * step);
                xy[2 * i + 1] = (float) (HALF_WIDTH - row * step);
            }
        }
        return new ImageSet("toy2d/grid", xy, null, 0, 1, 1, 2);
    }

    /**
     * The distance from (x, y) to the nearer disc: min(‖p − c₀‖, ‖p − c₁‖) − {@value #RADIUS}, with
     * c₀ = (−{@value #CENTRE}, −{@value #CENTRE}) and c₁ = ({@value #CENTRE}, {@value #CENTRE});
     * zero or negative inside a disc. The farthest training point lies 2√2 + 2 ≈ 4.83 from the
     * origin.
     */
    public static double distanceToDiscs(double x, double y) {
        return Math.min(Math.hypot(x + CENTRE, y + CENTRE), Math.hypot(x - CENTRE, y - CENTRE))
                - RADIUS;
    }

    /** Whether (x, y) lies in one of the two discs (boundary included). */
    public static boolean isInDistribution(double x, double y) {
        double r2 = RADIUS * RADIUS;
        double a = (x + CENTRE) * (x + CENTRE) + (y + CENTRE) * (y + CENTRE);
        double b = (x - CENTRE) * (x - CENTRE) + (y - CENTRE) * (y - CENTRE);
        return a <= r2 || b <= r2;
    }

    private static double uniformCoordinate(SplittableRandom random) {
        return -HALF_WIDTH + 2 * HALF_WIDTH * random.nextDouble();
    }

    private static void requirePositive(int n, String what) {
        if (n <= 0) {
            throw new IllegalArgumentException(what + " must be > 0, got " + n);
        }
    }
}

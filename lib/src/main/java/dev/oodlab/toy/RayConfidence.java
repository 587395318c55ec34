package dev.oodlab.toy;

import dev.oodlab.data.ImageSet;
import dev.oodlab.nn.Network;
import dev.oodlab.train.Evaluation;
import dev.oodlab.viz.ChartOptions;
import dev.oodlab.viz.Figure;
import dev.oodlab.viz.LineChart;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A 2-D classifier's logits and confidence along rays x = t·v from the origin, v = (cos θ, sin θ):
 * the argument of Hein, Andriushchenko &amp; Bitterwolf (CVPR 2019, <i>Why ReLU networks yield
 * high-confidence predictions far away from the training data</i>), drawn.
 *
 * <p>A ReLU network is piecewise affine with finitely many linear regions, so along any ray it is
 * affine from some t on: f(t·v) = t·U v + c. If the largest logit's slope along v is strictly
 * larger than every other's — true for almost every v — the gap between the largest and the second
 * logit grows linearly in t and the softmax tends to a one-hot vector: the confidence goes to 1
 * however far from the data (their Theorem 3.1). {@link #logitGap} is that gap (top logit minus
 * second); for two classes max softmax = σ(gap).
 *
 * @param t the distances from the origin, increasing
 * @param anglesDegrees the directions θ in degrees, one ray each
 * @param logitGap per ray, per t: the largest logit minus the second largest
 * @param maxSoftmax per ray, per t: the maximum softmax probability
 */
public record RayConfidence(
        double[] t, double[] anglesDegrees, double[][] logitGap, double[][] maxSoftmax) {

    /**
     * Evaluates a 2-D classifier along rays.
     *
     * @param network a classifier of 2-D points (input shape (2))
     * @param anglesDegrees the directions θ in degrees
     * @param maxT the largest distance
     * @param steps the number of equal steps from 0 to {@code maxT} (steps + 1 points per ray)
     * @return the logits' gap and the confidence per ray and distance
     * @throws IllegalArgumentException if there is no angle, maxT ≤ 0 or steps &lt; 1
     */
    public static RayConfidence of(
            Network network, double[] anglesDegrees, double maxT, int steps) {
        if (anglesDegrees.length == 0 || !(maxT > 0) || steps < 1) {
            throw new IllegalArgumentException(
                    "rays need at least one angle, maxT > 0 and steps >= 1, got "
                            + anglesDegrees.length
                            + " angles, maxT "
                            + maxT
                            + ", steps "
                            + steps);
        }
        int n = steps + 1;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = maxT * i / steps;
        }
        float[] xy = new float[2 * n * anglesDegrees.length];
        for (int r = 0; r < anglesDegrees.length; r++) {
            double theta = Math.toRadians(anglesDegrees[r]);
            for (int i = 0; i < n; i++) {
                xy[2 * (r * n + i)] = (float) (t[i] * Math.cos(theta));
                xy[2 * (r * n + i) + 1] = (float) (t[i] * Math.sin(theta));
            }
        }
        ImageSet points = new ImageSet("rays", xy, null, 0, 1, 1, 2);
        Evaluation eval = Evaluation.of(network, points, 4096);
        double[] confidence = eval.maxSoftmax();
        float[] logits = eval.logits();
        int k = eval.numClasses();
        double[][] gap = new double[anglesDegrees.length][n];
        double[][] soft = new double[anglesDegrees.length][n];
        for (int r = 0; r < anglesDegrees.length; r++) {
            for (int i = 0; i < n; i++) {
                int p = r * n + i;
                double first = Double.NEGATIVE_INFINITY;
                double second = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double z = logits[p * k + c];
                    if (z > first) {
                        second = first;
                        first = z;
                    } else if (z > second) {
                        second = z;
                    }
                }
                gap[r][i] = first - second;
                soft[r][i] = confidence[p];
            }
        }
        return new RayConfidence(t, anglesDegrees.clone(), gap, soft);
    }

    /** The legend name of ray r: "θ = 45°". */
    public String rayName(int r) {
        return String.format(Locale.ROOT, "θ = %s°", trim(anglesDegrees[r]));
    }

    /**
     * Two panels side by side: the logit gap along each ray over every distance (linear far out),
     * and the maximum softmax probability near the data, over t ≤ 2 × {@code dataRadius}, where it
     * climbs from ½ towards 1 (further out it differs from 1 by less than a float resolves).
     *
     * @param dataRadius the distance from the origin within which the training data lie, marked as
     *     a vertical line on both panels (NaN: no line, and the confidence over every distance)
     * @return the figure, 2 × 480 × 360 pixels
     */
    public Figure chart(double dataRadius) {
        boolean marked = !Double.isNaN(dataRadius);
        int shown = marked ? nearest(2 * dataRadius) + 1 : t.length;
        double[] near = Arrays.copyOf(t, shown);
        List<LineChart.Series> gaps = new ArrayList<>();
        List<LineChart.Series> confidences = new ArrayList<>();
        for (int r = 0; r < anglesDegrees.length; r++) {
            gaps.add(new LineChart.Series(rayName(r), t, logitGap[r]));
            confidences.add(
                    new LineChart.Series(rayName(r), near, Arrays.copyOf(maxSoftmax[r], shown)));
        }
        if (marked) {
            double[] x = {dataRadius, dataRadius};
            gaps.add(new LineChart.Series(EDGE, x, new double[] {0, max(logitGap)}));
            confidences.add(new LineChart.Series(EDGE, x, new double[] {0.5, 1}));
        }
        ChartOptions panel = ChartOptions.defaults().withSize(480, 360);
        return Figure.grid(
                List.of(
                        LineChart.of(
                                gaps,
                                panel.withTitle("Logit gap along x = t·v")
                                        .withLabels(
                                                "t (distance from the origin)",
                                                "top logit − second")),
                        LineChart.of(
                                confidences,
                                panel.withTitle("Confidence along x = t·v, near the data")
                                        .withLabels(
                                                "t (distance from the origin)", "max softmax"))),
                2);
    }

    /** The legend name of the line that marks the edge of the data. */
    public static final String EDGE = "edge of the data";

    /**
     * The logit gap of each ray at a few distances (the grid point nearest to each): the quantity
     * that grows linearly, whereas the confidence σ(gap) is within 10⁻⁸ of 1 from a gap of about 18
     * on.
     *
     * @param distances the distances t to show, one column each
     * @return columns ray, then "gap at t = …" per distance
     */
    public Table table(double... distances) {
        StringColumn ray = StringColumn.create("ray");
        DoubleColumn[] columns = new DoubleColumn[distances.length];
        for (int d = 0; d < distances.length; d++) {
            columns[d] = DoubleColumn.create("gap at t = " + trim(distances[d]));
        }
        for (int r = 0; r < anglesDegrees.length; r++) {
            ray.append(rayName(r));
            for (int d = 0; d < distances.length; d++) {
                columns[d].append(logitGap[r][nearest(distances[d])]);
            }
        }
        Table table = Table.create("logit gap along rays", ray);
        table.addColumns(columns);
        return table;
    }

    /** The index of the distance nearest to {@code distance}. */
    int nearest(double distance) {
        int best = 0;
        for (int i = 1; i < t.length; i++) {
            if (Math.abs(t[i] - distance) < Math.abs(t[best] - distance)) {
                best = i;
            }
        }
        return best;
    }

    private static double max(double[][] values) {
        double m = 0;
        for (double[] row : values) {
            for (double v : row) {
                m = Math.max(m, v);
            }
        }
        return m;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}

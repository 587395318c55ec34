package dev.oodlab.viz;

import java.awt.Color;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A plain line chart of one or more series y(x): training curves (loss per epoch), certified
 * accuracy against radius, a metric against a hyper-parameter ({@link #logX} when it spans
 * decades). Series with at most 50 points get markers; a series can carry error bars ({@link
 * Series#withErrors}, e.g. ± one sd over seeds). A method's or OOD set's line has its {@link
 * Palette} colour. Probabilities near 1 get a log(1 − p) axis ({@link #logOneMinusY}).
 */
public final class LineChart {

    private LineChart() {}

    /**
     * One line.
     *
     * @param name the legend entry
     * @param x the x values
     * @param y the y values, one per x
     * @param errors half the length of each point's error bar (e.g. the sd over seeds), one per x,
     *     or null for none
     */
    public record Series(String name, double[] x, double[] y, double[] errors) {
        /**
         * Checks that x, y and the errors pair up.
         *
         * @param name see the record description
         * @param x see the record description
         * @param y see the record description
         * @param errors see the record description
         */
        public Series {
            Objects.requireNonNull(name, "name");
            if (errors != null && errors.length != y.length) {
                throw new IllegalArgumentException(
                        "series '"
                                + name
                                + "' needs one error per point: "
                                + errors.length
                                + " errors, "
                                + y.length
                                + " points");
            }
            if (x.length != y.length || x.length == 0) {
                throw new IllegalArgumentException(
                        "series '"
                                + name
                                + "' needs as many x as y values, at least one: "
                                + x.length
                                + " x, "
                                + y.length
                                + " y");
            }
        }

        /**
         * A line without error bars.
         *
         * @param name the legend entry
         * @param x the x values
         * @param y the y values, one per x
         */
        public Series(String name, double[] x, double[] y) {
            this(name, x, y, null);
        }

        /**
         * This line with error bars; NaN errors (one seed) draw none.
         *
         * @param halfLengths half the length of each point's bar, one per point
         * @return the new series
         */
        public Series withErrors(double[] halfLengths) {
            return new Series(name, x, y, halfLengths);
        }

        /**
         * The mean of several runs' curves on a shared x grid, with error bars of ± one sample sd
         * ({@link dev.oodlab.report.MeanSd}): one line per method for a chart titled "mean over
         * seeds".
         *
         * @param name the legend entry
         * @param x the x values
         * @param runs one y array per run (seed), each as long as x, at least one
         * @return the series; with one run the error bars are NaN and not drawn
         */
        public static Series meanAndSd(String name, double[] x, List<double[]> runs) {
            if (runs.isEmpty()) {
                throw new IllegalArgumentException("series '" + name + "' needs at least one run");
            }
            double[] mean = new double[x.length];
            double[] sd = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                double[] column = new double[runs.size()];
                for (int r = 0; r < column.length; r++) {
                    double[] y = runs.get(r);
                    if (y.length != x.length) {
                        throw new IllegalArgumentException(
                                "series '"
                                        + name
                                        + "': run "
                                        + r
                                        + " has "
                                        + y.length
                                        + " values for "
                                        + x.length
                                        + " x values");
                    }
                    column[r] = y[i];
                }
                dev.oodlab.report.MeanSd m = dev.oodlab.report.MeanSd.of(column);
                mean[i] = m.mean();
                sd[i] = m.sd();
            }
            return new Series(name, x, mean, sd);
        }

        /**
         * The empirical distribution function of some values as a step line: F(v) = #{values ≤
         * v}/n, rising by 1/n at each value (NaN values left out).
         *
         * @param name the legend entry
         * @param values the values, at least one not NaN
         * @return the steps, from (min, 0) to (max, 1)
         */
        public static Series ecdf(String name, double[] values) {
            double[] sorted =
                    java.util.Arrays.stream(values)
                            .filter(v -> !Double.isNaN(v))
                            .sorted()
                            .toArray();
            if (sorted.length == 0) {
                throw new IllegalArgumentException("series '" + name + "' has no value to count");
            }
            int n = sorted.length;
            double[] x = new double[2 * n];
            double[] y = new double[2 * n];
            for (int i = 0; i < n; i++) {
                x[2 * i] = sorted[i];
                y[2 * i] = (double) i / n;
                x[2 * i + 1] = sorted[i];
                y[2 * i + 1] = (double) (i + 1) / n;
            }
            return new Series(name, x, y);
        }
    }

    /**
     * A line chart with the default size.
     *
     * @param title the chart title
     * @param xLabel the x-axis label
     * @param yLabel the y-axis label
     * @param series the lines
     * @return the chart
     */
    public static Figure of(String title, String xLabel, String yLabel, List<Series> series) {
        return of(series, ChartOptions.defaults().withTitle(title).withLabels(xLabel, yLabel));
    }

    /**
     * A line chart.
     *
     * @param series the lines, at least one
     * @param options title, labels and size
     * @return the chart
     */
    public static Figure of(List<Series> series, ChartOptions options) {
        return draw(series, options, false);
    }

    /**
     * A line chart with a logarithmic x axis, for a quantity swept over decades (the number of
     * threshold divisions, a learning rate, a sample size).
     *
     * @param series the lines, at least one, every x value &gt; 0
     * @param options title, labels and size
     * @return the chart
     * @throws IllegalArgumentException if a series has an x value that is not &gt; 0, naming the
     *     series and the index
     */
    public static Figure logX(List<Series> series, ChartOptions options) {
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (!(s.x()[i] > 0)) {
                    throw new IllegalArgumentException(
                            "series '"
                                    + s.name()
                                    + "' has x = "
                                    + s.x()[i]
                                    + " at index "
                                    + i
                                    + ": a logarithmic axis needs x > 0");
                }
            }
        }
        return draw(series, options, true);
    }

    /**
     * A chart of empirical distribution functions ({@link Series#ecdf}): the y axis spans exactly 0
     * to 1 with round ticks, also when every y value is a multiple of 1/n (XChart would otherwise
     * put its ticks on that fine grid).
     *
     * @param series the ECDF lines (or any lines with y in [0, 1]), at least one
     * @param options title, labels and size
     * @return the chart
     */
    public static Figure ecdf(List<Series> series, ChartOptions options) {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("a line chart needs at least one series");
        }
        return draw(series, options, false, true);
    }

    /**
     * The smallest 1 − p a {@link #logOneMinusY} chart resolves: a probability of 1 in float
     * precision (a softmax saturates at 1 − 2⁻²⁴ ≈ 1 − 6·10⁻⁸) is drawn at 1 − 10⁻⁷.
     */
    public static final double ONE_MINUS_FLOOR = 1e-7;

    /**
     * A chart of probabilities that approach 1 (the best confidence of a fooling search, a softmax
     * along a ray): the y axis is −log₁₀(1 − p), so 0.9, 0.99, 0.999, … are equally spaced, and its
     * ticks are labelled with p at whole decades ({@code 0.9}, {@code 0.99}, {@code 0.999}; 0 at p
     * = 0; {@code 1 − 10⁻ᵏ} beyond six nines). A linear axis squeezes everything above 0.99 into
     * its top percent. A p of 1 (or above 1 − {@link #ONE_MINUS_FLOOR}) is drawn at 1 − {@link
     * #ONE_MINUS_FLOOR}.
     *
     * @param series the lines, at least one, every y in [0, 1], no error bars
     * @param options title, labels and size
     * @return the chart
     * @throws IllegalArgumentException for a y outside [0, 1] or a series with error bars, naming
     *     the series
     */
    public static Figure logOneMinusY(List<Series> series, ChartOptions options) {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("a line chart needs at least one series");
        }
        List<Series> drawn = new java.util.ArrayList<>();
        double top = 1;
        double bottom = Double.POSITIVE_INFINITY;
        for (Series s : series) {
            if (s.errors() != null) {
                throw new IllegalArgumentException(
                        "series '" + s.name() + "' has error bars: a log(1 − p) axis draws none");
            }
            double[] y = new double[s.y().length];
            for (int i = 0; i < y.length; i++) {
                double p = s.y()[i];
                if (!(p >= 0 && p <= 1)) {
                    throw new IllegalArgumentException(
                            "series '"
                                    + s.name()
                                    + "' has y = "
                                    + p
                                    + " at index "
                                    + i
                                    + ": a log(1 − p) axis needs probabilities in [0, 1]");
                }
                y[i] = logOneMinus(p);
                top = Math.max(top, y[i]);
                bottom = Math.min(bottom, y[i]);
            }
            drawn.add(new Series(s.name(), s.x(), y));
        }
        double max = Math.ceil(top - 1e-9);
        double min = Math.floor(bottom + 1e-9);
        XYChart chart = ChartStyle.xyChart(options, "", "x", "p");
        chart.getStyler().setYAxisMin(min).setYAxisMax(max);
        // ticks at least every decade (XChart may add half decades: those stay unlabelled)
        int plotHeight = Math.max(40, options.height() - 150);
        chart.getStyler()
                .setYAxisTickMarkSpacingHint(
                        (int) Math.max(20, Math.min(74, plotHeight / (max - min))));
        chart.getStyler().setyAxisTickLabelsFormattingFunction(LineChart::decadeLabel);
        Map<String, Color> colours = Palette.colours(drawn.stream().map(Series::name).toList());
        for (Series s : drawn) {
            double[][] xy = ChartStyle.thin(s.x(), s.y());
            XYSeries line = chart.addSeries(s.name(), xy[0], xy[1]);
            if (s.x().length > 50) {
                line.setMarker(SeriesMarkers.NONE);
            }
            ChartStyle.colour(line, colours.get(s.name()));
        }
        // generations 0, 1, 2, …: one invisible point off that grid keeps XChart's x ticks round
        double x0 = drawn.get(0).x()[0];
        double x1 = drawn.get(0).x()[drawn.get(0).x().length - 1];
        XYSeries anchor =
                chart.addSeries(
                        "\u200b", new double[] {x0 + (x1 - x0) / Math.PI}, new double[] {min});
        anchor.setShowInLegend(false);
        anchor.setMarker(SeriesMarkers.NONE);
        anchor.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.NONE);
        return ChartStyle.render(chart);
    }

    /** −log₁₀(1 − p), with 1 − p at least {@link #ONE_MINUS_FLOOR}: where p sits on the axis. */
    static double logOneMinus(double p) {
        return -Math.log10(Math.max(1 - p, ONE_MINUS_FLOOR));
    }

    /**
     * The label of a tick at axis value v = −log₁₀(1 − p): p itself at a whole decade ({@code "0"},
     * {@code "0.9"}, {@code "0.99"}, …, {@code "1 − 10⁻⁷"} beyond six nines), nothing between
     * decades.
     */
    static String decadeLabel(double v) {
        long k = Math.round(v);
        if (Math.abs(v - k) > 1e-6 || k < 0) {
            return "";
        }
        if (k == 0) {
            return "0";
        }
        if (k <= 6) {
            return "0." + "9".repeat((int) k);
        }
        StringBuilder exponent = new StringBuilder("⁻");
        for (char c : Long.toString(k).toCharArray()) {
            exponent.append("⁰¹²³⁴⁵⁶⁷⁸⁹".charAt(c - '0'));
        }
        return "1 − 10" + exponent;
    }

    private static Figure draw(List<Series> series, ChartOptions options, boolean logX) {
        return draw(series, options, logX, false);
    }

    private static Figure draw(
            List<Series> series, ChartOptions options, boolean logX, boolean unitY) {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("a line chart needs at least one series");
        }
        XYChart chart = ChartStyle.xyChart(options, "", "x", "y");
        chart.getStyler().setXAxisLogarithmic(logX);
        Map<String, Color> colours = Palette.colours(series.stream().map(Series::name).toList());
        boolean anyErrors = false;
        for (Series s : series) {
            XYSeries line;
            if (s.errors() == null) {
                double[][] xy = ChartStyle.thin(s.x(), s.y());
                line = chart.addSeries(s.name(), xy[0], xy[1]);
            } else {
                double[] e = s.errors().clone();
                for (int i = 0; i < e.length; i++) {
                    e[i] = Double.isNaN(e[i]) ? 0 : e[i];
                }
                line = chart.addSeries(s.name(), s.x(), s.y(), e);
                anyErrors = true;
            }
            if (s.x().length > 50) {
                line.setMarker(SeriesMarkers.NONE);
            }
            ChartStyle.colour(line, colours.get(s.name()));
        }
        if (anyErrors) {
            chart.getStyler().setErrorBarsColorSeriesColor(true);
        }
        if (unitY) {
            ChartStyle.unitY(chart, series.get(0).x()[0]);
        }
        return ChartStyle.render(chart);
    }
}

package dev.oodlab.viz;

import dev.oodlab.metrics.Histogram;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Score and confidence histograms: the in-distribution and OOD scores of a detector overlaid as
 * translucent step areas (Hendrycks &amp; Gimpel 2017's first figure), or one panel per method.
 *
 * <p>Bars show each set's <em>share</em> of its inputs per bin, so sets of different sizes compare;
 * {@link Scale#LOG_COUNT} shows counts on a logarithmic axis instead. All histograms of one chart
 * share their bins; the panels of one row share their y axis. Each set keeps its {@link Palette}
 * colour.
 */
public final class HistogramChart {

    /** Panels per row of {@link #panels}. */
    static final int PANEL_COLUMNS = 3;

    /** Where an empty bin sits on a logarithmic count axis: the axis floor, below one input. */
    static final double EMPTY_BIN_LOG = 0.5;

    /** What the y axis counts. */
    public enum Scale {
        /** Each set's share of its inputs per bin, on a linear axis (sets of any size compare). */
        SHARE,
        /**
         * The number of inputs per bin on a logarithmic axis, which shows the thin tails (the few
         * OOD inputs at high confidence) that a linear axis flattens; outlines only, an empty bin
         * on the axis floor.
         */
        LOG_COUNT
    }

    private HistogramChart() {}

    /**
     * Overlaid histograms of values, binned over their common range [min, max] widened to round
     * numbers.
     *
     * @param values one array per set (e.g. "Fashion-MNIST" and "MNIST"), in legend order
     * @param bins the number of bins
     * @return the chart
     */
    public static Figure overlaid(Map<String, double[]> values, int bins) {
        double[] range = commonRange(values.values());
        return overlaid(values, bins, range[0], range[1], ChartOptions.defaults());
    }

    /**
     * Overlaid histograms of confidences (e.g. maximum softmax probability) over [0, 1].
     *
     * @param confidences one array per set, values in [0, 1]
     * @param bins the number of bins
     * @return the chart
     */
    public static Figure confidences(Map<String, double[]> confidences, int bins) {
        return overlaid(
                confidences,
                bins,
                0,
                1,
                ChartOptions.defaults()
                        .withTitle("Confidence")
                        .withLabels("Maximum softmax probability", "Share of inputs"));
    }

    /**
     * Overlaid histograms of values over a given range.
     *
     * @param values one array per set, in legend order
     * @param bins the number of bins
     * @param lo the lower edge of the first bin
     * @param hi the upper edge of the last bin
     * @param options title, labels and size
     * @return the chart
     * @throws IllegalArgumentException if a value is outside [lo, hi]
     */
    public static Figure overlaid(
            Map<String, double[]> values, int bins, double lo, double hi, ChartOptions options) {
        return overlaid(values, bins, lo, hi, options, Scale.SHARE);
    }

    /**
     * Overlaid histograms of values over a given range, with a choice of count axis.
     *
     * @param values one array per set, in legend order
     * @param bins the number of bins
     * @param lo the lower edge of the first bin
     * @param hi the upper edge of the last bin
     * @param options title, labels and size
     * @param scale shares on a linear axis, or counts on a logarithmic one
     * @return the chart
     * @throws IllegalArgumentException if a value is outside [lo, hi]
     */
    public static Figure overlaid(
            Map<String, double[]> values,
            int bins,
            double lo,
            double hi,
            ChartOptions options,
            Scale scale) {
        Map<String, Histogram> histograms = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : values.entrySet()) {
            histograms.put(e.getKey(), Histogram.of(e.getValue(), bins, lo, hi));
        }
        return of(histograms, options, scale);
    }

    /**
     * Overlaid histograms that are already binned (all with the same edges, e.g. from {@link
     * dev.oodlab.metrics.Calibration#confidenceHistogram}).
     *
     * @param histograms one histogram per set, in legend order
     * @param options title, labels and size
     * @return the chart
     */
    public static Figure of(Map<String, Histogram> histograms, ChartOptions options) {
        return of(histograms, options, Scale.SHARE);
    }

    /**
     * Overlaid histograms that are already binned, with a choice of count axis.
     *
     * @param histograms one histogram per set, in legend order
     * @param options title, labels and size
     * @param scale shares on a linear axis, or counts on a logarithmic one
     * @return the chart
     */
    public static Figure of(Map<String, Histogram> histograms, ChartOptions options, Scale scale) {
        return ChartStyle.render(chart(histograms, options, scale, Double.NaN));
    }

    private static XYChart chart(
            Map<String, Histogram> histograms, ChartOptions options, Scale scale, double yMax) {
        if (histograms.isEmpty()) {
            throw new IllegalArgumentException("no histograms to draw");
        }
        boolean log = scale == Scale.LOG_COUNT;
        XYChart chart =
                ChartStyle.xyChart(
                        options,
                        "Score histogram",
                        "Score",
                        log ? "Number of inputs (log scale)" : "Share of inputs");
        Map<String, Color> colours = Palette.colours(histograms.keySet());
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, Histogram> e : histograms.entrySet()) {
            Histogram h = e.getValue();
            double[] heights = heights(h, scale);
            // Step style draws y[k] from x[k] to x[k+1]: one point per edge, the last repeated.
            double[] y = new double[heights.length + 1];
            System.arraycopy(heights, 0, y, 0, heights.length);
            y[heights.length] = heights[heights.length - 1];
            XYSeries series = chart.addSeries(e.getKey(), h.edges(), y);
            // On a log axis XChart fills an area down to 1, not to the axis floor: outlines only.
            series.setXYSeriesRenderStyle(
                    log
                            ? XYSeries.XYSeriesRenderStyle.Step
                            : XYSeries.XYSeriesRenderStyle.StepArea);
            series.setMarker(SeriesMarkers.NONE);
            Color c = colours.get(e.getKey());
            series.setLineColor(c);
            series.setFillColor(Palette.translucent(c, 90));
            lo = Math.min(lo, h.edges()[0]);
            hi = Math.max(hi, h.edges()[h.edges().length - 1]);
        }
        chart.getStyler().setXAxisMin(lo).setXAxisMax(hi);
        if (log) {
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setYAxisMin(EMPTY_BIN_LOG);
        } else {
            chart.getStyler().setYAxisMin(0.0);
        }
        if (!Double.isNaN(yMax)) {
            chart.getStyler().setYAxisMax(yMax);
        }
        return chart;
    }

    /** The bar heights: shares, or counts with empty bins at the floor of the log axis. */
    private static double[] heights(Histogram h, Scale scale) {
        if (scale == Scale.SHARE) {
            return h.shares();
        }
        long[] counts = h.counts();
        double[] y = new double[counts.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = counts[i] == 0 ? EMPTY_BIN_LOG : counts[i];
        }
        return y;
    }

    /**
     * One panel per method, each with that method's sets overlaid, binned over the common range of
     * all values so that the panels compare.
     *
     * @param valuesByMethod per method (panel title), the values of each set
     * @param bins the number of bins
     * @return the panels on a grid, three per row
     */
    public static Figure panels(Map<String, Map<String, double[]>> valuesByMethod, int bins) {
        List<double[]> all = new ArrayList<>();
        valuesByMethod.values().forEach(m -> all.addAll(m.values()));
        double[] range = commonRange(all);
        return panels(valuesByMethod, bins, range[0], range[1], ChartOptions.defaults());
    }

    /**
     * One panel per method over a given range.
     *
     * @param valuesByMethod per method (panel title), the values of each set
     * @param bins the number of bins
     * @param lo the lower edge of the first bin
     * @param hi the upper edge of the last bin
     * @param panelOptions labels and size of each panel (the title is the method's name)
     * @return the panels on a grid, three per row, the panels of a row on one y axis
     */
    public static Figure panels(
            Map<String, Map<String, double[]>> valuesByMethod,
            int bins,
            double lo,
            double hi,
            ChartOptions panelOptions) {
        return panels(valuesByMethod, bins, lo, hi, panelOptions, Scale.SHARE);
    }

    /**
     * One panel per method over a given range, with a choice of count axis. The panels of one row
     * share their y axis (the row's largest bar sets it), so that heights compare along a row.
     *
     * @param valuesByMethod per method (panel title), the values of each set
     * @param bins the number of bins
     * @param lo the lower edge of the first bin
     * @param hi the upper edge of the last bin
     * @param panelOptions labels and size of each panel (the title is the method's name)
     * @param scale shares on a linear axis, or counts on a logarithmic one
     * @return the panels on a grid, three per row
     */
    public static Figure panels(
            Map<String, Map<String, double[]>> valuesByMethod,
            int bins,
            double lo,
            double hi,
            ChartOptions panelOptions,
            Scale scale) {
        if (valuesByMethod.isEmpty()) {
            throw new IllegalArgumentException("no methods to draw");
        }
        List<String> titles = new ArrayList<>(valuesByMethod.keySet());
        List<Map<String, Histogram>> binned = new ArrayList<>();
        double[] tallest = new double[titles.size()];
        for (int p = 0; p < titles.size(); p++) {
            Map<String, Histogram> histograms = new LinkedHashMap<>();
            for (Map.Entry<String, double[]> e : valuesByMethod.get(titles.get(p)).entrySet()) {
                Histogram h = Histogram.of(e.getValue(), bins, lo, hi);
                histograms.put(e.getKey(), h);
                for (double v : heights(h, scale)) {
                    tallest[p] = Math.max(tallest[p], v);
                }
            }
            binned.add(histograms);
        }
        List<Figure> panels = new ArrayList<>();
        for (int p = 0; p < titles.size(); p++) {
            int rowStart = p - p % PANEL_COLUMNS;
            double rowMax = 0;
            for (int q = rowStart; q < Math.min(rowStart + PANEL_COLUMNS, titles.size()); q++) {
                rowMax = Math.max(rowMax, tallest[q]);
            }
            double yMax =
                    scale == Scale.LOG_COUNT
                            ? Math.pow(10, Math.ceil(Math.log10(Math.max(rowMax, 1)) + 1e-9))
                            : ChartStyle.roundRange(0, rowMax > 0 ? rowMax : 1)[1];
            panels.add(
                    ChartStyle.render(
                            chart(
                                    binned.get(p),
                                    panelOptions.withTitle(titles.get(p)),
                                    scale,
                                    yMax)));
        }
        return Figure.grid(panels, PANEL_COLUMNS);
    }

    private static double[] commonRange(Iterable<double[]> arrays) {
        int n = 0;
        for (double[] a : arrays) {
            n += a.length;
        }
        double[] all = new double[n];
        int at = 0;
        for (double[] a : arrays) {
            System.arraycopy(a, 0, all, at, a.length);
            at += a.length;
        }
        double[] range = Histogram.range(all);
        return ChartStyle.roundRange(range[0], range[1]);
    }
}

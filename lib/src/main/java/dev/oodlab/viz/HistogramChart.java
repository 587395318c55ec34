package dev.oodlab.viz;

import dev.oodlab.metrics.Histogram;
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
 * <p>Bars show each set's <em>share</em> of its inputs per bin, so sets of different sizes compare.
 * All histograms of one chart share their bins.
 */
public final class HistogramChart {

    private static final int PANEL_COLUMNS = 3;

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
        Map<String, Histogram> histograms = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : values.entrySet()) {
            histograms.put(e.getKey(), Histogram.of(e.getValue(), bins, lo, hi));
        }
        return of(histograms, options);
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
        if (histograms.isEmpty()) {
            throw new IllegalArgumentException("no histograms to draw");
        }
        XYChart chart = ChartStyle.xyChart(options, "Score histogram", "Score", "Share of inputs");
        ChartStyle.legendBelow(chart.getStyler());
        int i = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, Histogram> e : histograms.entrySet()) {
            Histogram h = e.getValue();
            double[] shares = h.shares();
            // Step style draws y[k] from x[k] to x[k+1]: one point per edge, the last repeated.
            double[] y = new double[shares.length + 1];
            System.arraycopy(shares, 0, y, 0, shares.length);
            y[shares.length] = shares[shares.length - 1];
            XYSeries series = chart.addSeries(e.getKey(), h.edges(), y);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
            series.setMarker(SeriesMarkers.NONE);
            series.setLineColor(Palette.series(i));
            series.setFillColor(Palette.translucent(Palette.series(i), 90));
            lo = Math.min(lo, h.edges()[0]);
            hi = Math.max(hi, h.edges()[h.edges().length - 1]);
            i++;
        }
        chart.getStyler().setXAxisMin(lo).setXAxisMax(hi).setYAxisMin(0.0);
        return Figure.of(chart);
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
     * @return the panels on a grid, three per row
     */
    public static Figure panels(
            Map<String, Map<String, double[]>> valuesByMethod,
            int bins,
            double lo,
            double hi,
            ChartOptions panelOptions) {
        if (valuesByMethod.isEmpty()) {
            throw new IllegalArgumentException("no methods to draw");
        }
        List<Figure> panels = new ArrayList<>();
        for (Map.Entry<String, Map<String, double[]>> e : valuesByMethod.entrySet()) {
            panels.add(overlaid(e.getValue(), bins, lo, hi, panelOptions.withTitle(e.getKey())));
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

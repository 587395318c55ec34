package dev.oodlab.viz;

import dev.oodlab.metrics.ReliabilityDiagram;
import java.awt.Color;
import java.awt.Font;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A reliability diagram (Guo et al., ICML 2017): per confidence bin, the accuracy as a bar, the
 * mean confidence as a marker, and the diagonal of perfect calibration; the title gives the ECE.
 * Bars below the diagonal mean over-confidence. Each non-empty bin's number of inputs is printed at
 * the foot of its bar, so that a bar resting on a handful of inputs reads as such; empty bins have
 * no bar, no marker and no count.
 */
public final class ReliabilityChart {

    /** The height (in accuracy units) at which the bin counts are printed. */
    static final double COUNT_Y = 0.03;

    private ReliabilityChart() {}

    /**
     * A reliability diagram with the default title and size.
     *
     * @param diagram the data, from {@link dev.oodlab.metrics.Calibration}
     * @return the chart
     */
    public static Figure of(ReliabilityDiagram diagram) {
        return of(diagram, ChartOptions.defaults());
    }

    /**
     * A reliability diagram.
     *
     * @param diagram the data
     * @param options title, labels and size
     * @return the chart
     */
    public static Figure of(ReliabilityDiagram diagram, ChartOptions options) {
        String title =
                String.format(
                        Locale.ROOT,
                        "Reliability diagram (ECE %.1f%%)",
                        100 * diagram.expectedCalibrationError());
        XYChart chart = ChartStyle.xyChart(options, title, "Confidence", "Accuracy");
        chart.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        chart.getStyler().setAnnotationTextFontColor(new Color(0x333333));
        int bins = diagram.bins();
        double[] edges = diagram.edges();
        long[] counts = diagram.counts();
        // One step area per run of non-empty bins: an empty bin has no accuracy, so it gets no
        // bar (a bar at 0 would claim that every input there was misclassified).
        int run = 0;
        for (int b = 0; b < bins; ) {
            if (counts[b] == 0) {
                b++;
                continue;
            }
            int end = b;
            while (end + 1 < bins && counts[end + 1] > 0) {
                end++;
            }
            double[] x = new double[end - b + 2];
            double[] y = new double[end - b + 2];
            for (int k = b; k <= end; k++) {
                x[k - b] = edges[k];
                y[k - b] = diagram.accuracy()[k];
            }
            x[end - b + 1] = edges[end + 1];
            y[end - b + 1] = diagram.accuracy()[end];
            XYSeries bars = chart.addSeries(run == 0 ? "accuracy" : "accuracy " + (run + 1), x, y);
            bars.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
            bars.setMarker(SeriesMarkers.NONE);
            bars.setLineColor(Palette.BLUE);
            bars.setFillColor(Palette.translucent(Palette.BLUE, 110));
            bars.setShowInLegend(run == 0);
            run++;
            b = end + 1;
        }
        int filled = 0;
        for (long c : counts) {
            filled += c > 0 ? 1 : 0;
        }
        double[] centers = new double[filled];
        double[] confidence = new double[filled];
        int i = 0;
        for (int b = 0; b < bins; b++) {
            if (counts[b] > 0) {
                centers[i] = 0.5 * (edges[b] + edges[b + 1]);
                confidence[i] = diagram.confidence()[b];
                chart.addAnnotation(new ValueLabel(countText(counts[b]), centers[i], COUNT_Y));
                i++;
            }
        }
        if (filled > 0) {
            XYSeries conf = chart.addSeries("mean confidence", centers, confidence);
            conf.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            conf.setMarker(SeriesMarkers.DIAMOND);
            conf.setMarkerColor(Palette.VERMILLION);
        }
        XYSeries ideal =
                chart.addSeries("perfect calibration", new double[] {0, 1}, new double[] {0, 1});
        ideal.setMarker(SeriesMarkers.NONE);
        ideal.setLineStyle(SeriesLines.DASH_DASH);
        ideal.setLineColor(Palette.REFERENCE_GREY);
        ChartStyle.unitSquare(chart);
        return ChartStyle.render(chart);
    }

    /** A bin count in at most four characters: 7, 512, 4.1k, 12k. */
    static String countText(long n) {
        if (n < 1000) {
            return Long.toString(n);
        }
        if (n < 10_000) {
            return String.format(Locale.ROOT, "%.1fk", n / 1000.0);
        }
        if (n < 1_000_000) {
            return Math.round(n / 1000.0) + "k";
        }
        return String.format(Locale.ROOT, "%.1fM", n / 1e6);
    }
}

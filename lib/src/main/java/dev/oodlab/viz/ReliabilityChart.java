package dev.oodlab.viz;

import dev.oodlab.metrics.ReliabilityDiagram;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A reliability diagram (Guo et al., ICML 2017): per confidence bin, the accuracy as a bar, the
 * mean confidence as a marker, and the diagonal of perfect calibration; the title gives the ECE.
 * Bars below the diagonal mean over-confidence. Empty bins have no bar and no marker.
 */
public final class ReliabilityChart {

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
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        int bins = diagram.bins();
        double[] edges = diagram.edges();
        double[] accuracy = new double[bins + 1];
        int filled = 0;
        for (int b = 0; b < bins; b++) {
            accuracy[b] = diagram.counts()[b] == 0 ? 0 : diagram.accuracy()[b];
            if (diagram.counts()[b] > 0) {
                filled++;
            }
        }
        accuracy[bins] = accuracy[bins - 1];
        XYSeries bars = chart.addSeries("accuracy", edges, accuracy);
        bars.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
        bars.setMarker(SeriesMarkers.NONE);
        bars.setLineColor(Palette.BLUE);
        bars.setFillColor(Palette.translucent(Palette.BLUE, 110));
        double[] centers = new double[filled];
        double[] confidence = new double[filled];
        int i = 0;
        for (int b = 0; b < bins; b++) {
            if (diagram.counts()[b] > 0) {
                centers[i] = 0.5 * (edges[b] + edges[b + 1]);
                confidence[i] = diagram.confidence()[b];
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
        return Figure.of(chart);
    }
}

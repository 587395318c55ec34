package dev.oodlab.viz;

import dev.oodlab.metrics.PositiveClass;
import dev.oodlab.metrics.PrecisionRecallCurve;
import java.awt.Color;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Precision–recall curves of several detectors on one chart, with each detector's average precision
 * (AUPR) in the legend.
 *
 * <p>Pass curves from {@link
 * dev.oodlab.metrics.Metrics#precisionRecallCurve(dev.oodlab.metrics.PositiveClass)}, all with the
 * same positive class; the default title says which (AUPR-In or AUPR-Out).
 */
public final class PrecisionRecallChart {

    private PrecisionRecallChart() {}

    /**
     * Precision–recall curves with the default title and size.
     *
     * @param curves one curve per method, all with the same positive class
     * @return the chart
     */
    public static Figure of(Map<String, PrecisionRecallCurve> curves) {
        return of(curves, ChartOptions.defaults());
    }

    /**
     * Precision–recall curves.
     *
     * @param curves one curve per method, all with the same positive class
     * @param options title, labels and size
     * @return the chart
     * @throws IllegalArgumentException if the curves mix positive classes
     */
    public static Figure of(Map<String, PrecisionRecallCurve> curves, ChartOptions options) {
        PositiveClass positive = null;
        for (PrecisionRecallCurve c : curves.values()) {
            if (positive != null && c.positive() != positive) {
                throw new IllegalArgumentException(
                        "precision-recall curves with different positive classes on one chart");
            }
            positive = c.positive();
        }
        boolean out = positive == PositiveClass.OUT;
        XYChart chart =
                ChartStyle.xyChart(
                        options,
                        out
                                ? "Precision–recall, OOD positive (AUPR-Out)"
                                : "Precision–recall, in-distribution positive (AUPR-In)",
                        "Recall",
                        "Precision");
        Map<String, Color> colours = Palette.colours(curves.keySet());
        String name = out ? "AUPR-Out" : "AUPR-In";
        for (Map.Entry<String, PrecisionRecallCurve> e : curves.entrySet()) {
            PrecisionRecallCurve curve = e.getValue();
            double[][] xy = ChartStyle.thin(curve.recall(), curve.precision());
            String label =
                    String.format(
                            Locale.ROOT,
                            "%s (%s %.1f%%)",
                            e.getKey(),
                            name,
                            100 * curve.averagePrecision());
            XYSeries series = chart.addSeries(label, xy[0], xy[1]);
            series.setMarker(SeriesMarkers.NONE);
            ChartStyle.colour(series, colours.get(e.getKey()));
        }
        ChartStyle.unitSquare(chart);
        return ChartStyle.render(chart);
    }
}

package dev.oodlab.viz;

import dev.oodlab.metrics.RocCurve;
import java.awt.Color;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * ROC curves of several detectors on one chart: false-positive rate (share of OOD inputs accepted)
 * against true-positive rate (share of in-distribution inputs accepted), with each detector's AUROC
 * in the legend and the chance diagonal dashed. Each method or OOD set keeps its {@link Palette}
 * colour.
 *
 * <p>Pass the curves from {@link dev.oodlab.metrics.Metrics#rocCurve()}, keyed by method name in
 * the legend's order (use a {@link java.util.LinkedHashMap}). Curves with more than a few thousand
 * points are thinned for drawing; the AUROC in the legend is computed from the full curve.
 */
public final class RocChart {

    private RocChart() {}

    /**
     * ROC curves with the default title and size.
     *
     * @param curves one curve per method
     * @return the chart
     */
    public static Figure of(Map<String, RocCurve> curves) {
        return of(curves, ChartOptions.defaults());
    }

    /**
     * ROC curves.
     *
     * @param curves one curve per method
     * @param options title, labels and size
     * @return the chart
     */
    public static Figure of(Map<String, RocCurve> curves, ChartOptions options) {
        XYChart chart =
                ChartStyle.xyChart(
                        options,
                        "ROC curves",
                        "False-positive rate (OOD accepted)",
                        "True-positive rate (in-distribution accepted)");
        Map<String, Color> colours = Palette.colours(curves.keySet());
        for (Map.Entry<String, RocCurve> e : curves.entrySet()) {
            RocCurve curve = e.getValue();
            double[][] xy = ChartStyle.thin(curve.fpr(), curve.tpr());
            String label =
                    String.format(Locale.ROOT, "%s (AUROC %.1f%%)", e.getKey(), 100 * curve.area());
            XYSeries series = chart.addSeries(label, xy[0], xy[1]);
            series.setMarker(SeriesMarkers.NONE);
            ChartStyle.colour(series, colours.get(e.getKey()));
        }
        XYSeries chance = chart.addSeries("chance", new double[] {0, 1}, new double[] {0, 1});
        chance.setMarker(SeriesMarkers.NONE);
        chance.setLineStyle(SeriesLines.DASH_DASH);
        chance.setLineColor(Palette.REFERENCE_GREY);
        ChartStyle.unitSquare(chart);
        return ChartStyle.render(chart);
    }
}

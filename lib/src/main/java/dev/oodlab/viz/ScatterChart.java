package dev.oodlab.viz;

import java.awt.Color;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A scatter plot: one marker per point, one colour per group (a method or OOD set in its {@link
 * Palette} colour) — e.g. each test point's smoothed confidence against its certified radius,
 * grouped by training method. Points are drawn as given (no thinning), so keep groups to a few
 * thousand points.
 */
public final class ScatterChart {

    private ScatterChart() {}

    /**
     * A scatter plot with the default size.
     *
     * @param title the chart title
     * @param xLabel the x-axis label
     * @param yLabel the y-axis label
     * @param groups the point groups (a {@link LineChart.Series} each: legend name, x, y)
     * @return the chart
     */
    public static Figure of(
            String title, String xLabel, String yLabel, List<LineChart.Series> groups) {
        return of(groups, ChartOptions.defaults().withTitle(title).withLabels(xLabel, yLabel));
    }

    /**
     * A scatter plot.
     *
     * @param groups the point groups, at least one
     * @param options title, labels and size
     * @return the chart
     */
    public static Figure of(List<LineChart.Series> groups, ChartOptions options) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("a scatter plot needs at least one group");
        }
        XYChart chart = ChartStyle.xyChart(options, "", "x", "y");
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(6);
        Map<String, Color> colours =
                Palette.colours(groups.stream().map(LineChart.Series::name).toList());
        for (LineChart.Series g : groups) {
            XYSeries points = chart.addSeries(g.name(), g.x(), g.y());
            points.setMarker(SeriesMarkers.CIRCLE);
            ChartStyle.colour(points, colours.get(g.name()));
        }
        return ChartStyle.render(chart);
    }
}

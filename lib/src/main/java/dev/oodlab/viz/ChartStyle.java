package dev.oodlab.viz;

import dev.oodlab.OodLab;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The shared look of oodlab's XChart charts: white, light grid, Okabe–Ito series, DejaVu Sans. */
final class ChartStyle {

    /** Curves with more points than this are thinned for drawing (the data is not changed). */
    static final int MAX_DRAWN_POINTS = 4000;

    private ChartStyle() {}

    static XYChart xyChart(ChartOptions options, String title, String xLabel, String yLabel) {
        OodLab.init();
        XYChart chart =
                new XYChartBuilder()
                        .width(options.width())
                        .height(options.height())
                        .title(options.titleOr(title))
                        .xAxisTitle(options.xLabelOr(xLabel))
                        .yAxisTitle(options.yLabelOr(yLabel))
                        .build();
        apply(chart.getStyler());
        chart.getStyler().setMarkerSize(5);
        chart.getStyler().setXAxisDecimalPattern("#,##0.###");
        chart.getStyler().setYAxisDecimalPattern("#,##0.###");
        return chart;
    }

    static CategoryChart categoryChart(
            ChartOptions options, String title, String xLabel, String yLabel) {
        OodLab.init();
        CategoryChart chart =
                new CategoryChartBuilder()
                        .width(options.width())
                        .height(options.height())
                        .title(options.titleOr(title))
                        .xAxisTitle(options.xLabelOr(xLabel))
                        .yAxisTitle(options.yLabelOr(yLabel))
                        .build();
        apply(chart.getStyler());
        chart.getStyler().setYAxisDecimalPattern("#,##0.###");
        legendBelow(chart.getStyler());
        return chart;
    }

    /** Puts the legend under the plot in one row, where it cannot hide bars. */
    static void legendBelow(AxesChartStyler styler) {
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setLegendBorderColor(Color.WHITE);
    }

    /**
     * The range [lo, hi] widened to multiples of a round step (1, 2, 2.5 or 5 times a power of ten,
     * about five steps), so that the axis ticks fall on round numbers.
     */
    static double[] roundRange(double lo, double hi) {
        double raw = (hi - lo) / 5;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = power;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            step = m * power;
            if (step >= raw) {
                break;
            }
        }
        return new double[] {Math.floor(lo / step) * step, Math.ceil(hi / step) * step};
    }

    static void apply(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(new Color(0xBBBBBB));
        styler.setPlotGridLinesColor(new Color(0xE6E6E6));
        styler.setPlotGridLinesStroke(new BasicStroke(1f));
        styler.setSeriesColors(Palette.series());
        styler.setChartFontColor(Color.BLACK);
        styler.setChartTitleBoxVisible(false);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setAxisTickLabelsColor(new Color(0x333333));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setLegendBorderColor(new Color(0xCCCCCC));
        styler.setLegendBackgroundColor(new Color(255, 255, 255, 230));
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setToolTipsEnabled(false);
        styler.setChartPadding(8);
    }

    /**
     * Fixes both axes to [0, 1] with round ticks (0, 0.2, …, 1). XChart places its ticks on the
     * data's own x (or y) values when all of them, over all series, are equally spaced — as the
     * rates of a ROC or PR curve are (multiples of 1/n) — which gives ticks such as 0.0335, 0.067,
     * … and dozens of labels. One invisible point off that grid (at 1/π, outside the legend) keeps
     * XChart on its usual round-number ticks.
     */
    static void unitSquare(XYChart chart) {
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        double offGrid = 1 / Math.PI;
        XYSeries anchor =
                chart.addSeries(
                        "\u200b",
                        new double[] {offGrid},
                        new double[] {offGrid}); // zero-width name
        anchor.setShowInLegend(false);
        anchor.setMarker(SeriesMarkers.NONE);
        anchor.setLineStyle(SeriesLines.NONE);
    }

    /** Every k-th point (first and last kept) when there are more than MAX_DRAWN_POINTS. */
    static double[][] thin(double[] x, double[] y) {
        int n = x.length;
        if (n <= MAX_DRAWN_POINTS) {
            return new double[][] {x, y};
        }
        double[] tx = new double[MAX_DRAWN_POINTS];
        double[] ty = new double[MAX_DRAWN_POINTS];
        for (int i = 0; i < MAX_DRAWN_POINTS; i++) {
            int k = (int) Math.round((double) i * (n - 1) / (MAX_DRAWN_POINTS - 1));
            tx[i] = x[k];
            ty[i] = y[k];
        }
        return new double[][] {tx, ty};
    }
}

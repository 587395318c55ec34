package dev.oodlab.viz;

import dev.oodlab.OodLab;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.internal.series.MarkerSeries;
import org.knowm.xchart.internal.series.Series;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The shared look of oodlab's XChart charts: white, light grid, Okabe–Ito series, DejaVu Sans; the
 * legend outside the plot where it fits ({@link #placeLegend}); titles, axis titles and legend
 * entries typeset ({@link #typeset}). Every XChart factory ends with {@link #render}.
 */
final class ChartStyle {

    /** Curves with more points than this are thinned for drawing (the data is not changed). */
    static final int MAX_DRAWN_POINTS = 4000;

    /**
     * Room left of the plot that a legend below it must not count on: the y-axis title and tick
     * labels (XChart centres a bottom legend on the plot, not on the chart).
     */
    static final int LEFT_AXIS_ALLOWANCE = 90;

    /** ASCII stand-ins and the characters they stand for, applied in order. */
    private static final Object[][] STAND_INS = {
        {
            Pattern.compile(
                    "\\bPhi\\s*(?:\\^\\s*\\{?\\s*-\\s*1\\s*\\}?|[-_]?inv(?:erse)?\\b)",
                    Pattern.CASE_INSENSITIVE),
            "Φ⁻¹"
        },
        {Pattern.compile("\\bPhi\\b"), "Φ"},
        {Pattern.compile("\\bsigma\\b", Pattern.CASE_INSENSITIVE), "σ"},
        {Pattern.compile("\\balpha\\b", Pattern.CASE_INSENSITIVE), "α"},
        {Pattern.compile("\\b(?:epsilon|eps)\\b", Pattern.CASE_INSENSITIVE), "ε"},
        {Pattern.compile("\\blambda\\b", Pattern.CASE_INSENSITIVE), "λ"},
        {Pattern.compile("\\bdelta\\b"), "δ"},
        {Pattern.compile("\\bsqrt\\b"), "√"},
        {Pattern.compile("\\^\\s*\\{?\\s*-\\s*1\\s*\\}?"), "⁻¹"},
        {Pattern.compile("\\^\\s*\\{?2\\}?"), "²"},
        {Pattern.compile("\\^\\s*\\{?3\\}?"), "³"},
        {Pattern.compile(">="), "≥"},
        {Pattern.compile("<="), "≤"},
        {Pattern.compile("!="), "≠"},
        {Pattern.compile("\\+/?-"), "±"},
    };

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
        return chart;
    }

    /**
     * The text with its ASCII stand-ins replaced by the characters a reader expects: {@code sigma}
     * → σ, {@code alpha} → α, {@code eps}/{@code epsilon} → ε, {@code lambda} → λ, {@code delta} →
     * δ, {@code PhiInv}/{@code Phi^-1} → Φ⁻¹, {@code Phi} → Φ, {@code sqrt} → √, {@code ^2} → ²,
     * {@code ^3} → ³, {@code ^-1} → ⁻¹, {@code >=} → ≥, {@code <=} → ≤, {@code !=} → ≠, {@code +-}
     * → ±. Whole words only, so that "sigmoid" stays.
     */
    static String typeset(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (Object[] rule : STAND_INS) {
            out =
                    ((Pattern) rule[0])
                            .matcher(out)
                            .replaceAll(Matcher.quoteReplacement((String) rule[1]));
        }
        return out;
    }

    /**
     * The last step of every XChart factory: typesets the title, the axis titles and the legend
     * entries, places the legend ({@link #placeLegend}) and renders the chart.
     */
    static <S extends Series> Figure render(Chart<? extends AxesChartStyler, S> chart) {
        chart.setTitle(typeset(chart.getTitle()));
        chart.setXAxisTitle(typeset(chart.getXAxisTitle()));
        chart.setYAxisTitle(typeset(chart.getYAxisTitle()));
        for (S series : chart.getSeriesMap().values()) {
            series.setLabel(typeset(series.getLabel()));
        }
        placeLegend(chart);
        return Figure.of(chart);
    }

    /**
     * Puts the legend outside the plot, where it cannot hide data: below the plot in one row when
     * that row fits the chart's width, else in a column right of the plot. No legend without an
     * entry to show.
     */
    static void placeLegend(Chart<? extends AxesChartStyler, ?> chart) {
        AxesChartStyler styler = chart.getStyler();
        styler.setLegendBorderColor(Color.WHITE);
        styler.setLegendBackgroundColor(Color.WHITE);
        double width = horizontalLegendWidth(chart);
        if (width == 0) {
            styler.setLegendVisible(false);
        } else if (width <= chart.getWidth() - LEFT_AXIS_ALLOWANCE) {
            styler.setLegendPosition(Styler.LegendPosition.OutsideS);
            styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        } else {
            styler.setLegendPosition(Styler.LegendPosition.OutsideE);
            styler.setLegendLayout(Styler.LegendLayout.Vertical);
            double column = verticalLegendWidth(chart);
            int wider = (int) Math.ceil(Math.max(0, column - LEGEND_SHARE * chart.getWidth()));
            int taller =
                    (int)
                            Math.ceil(
                                    Math.max(
                                            0,
                                            verticalLegendHeight(chart) + 60 - chart.getHeight()));
            if (wider > 0 || taller > 0) {
                resize(chart, chart.getWidth() + wider, chart.getHeight() + taller);
            }
        }
    }

    /**
     * The share of a chart's width a legend column right of the plot may take; a wider column
     * widens the image instead, so that the plot keeps at least the rest of the width asked for.
     */
    static final double LEGEND_SHARE = 0.25;

    /** The width of the legend in one column, as XChart lays it out (0 if it has no entry). */
    static double verticalLegendWidth(Chart<? extends AxesChartStyler, ?> chart) {
        AxesChartStyler styler = chart.getStyler();
        double widest = 0;
        boolean any = false;
        for (Series series : chart.getSeriesMap().values()) {
            if (series.isShowInLegend() && series.isEnabled()) {
                any = true;
                for (String line : series.getLabel().split("\\n")) {
                    widest = Math.max(widest, textWidth(line, styler.getLegendFont()));
                }
            }
        }
        double marker = Math.max(styler.getLegendSeriesLineLength(), 20);
        // entry: padding, marker, padding, text; the column: padding each side, chart padding
        return any
                ? widest + marker + 4 * styler.getLegendPadding() + 2 * styler.getChartPadding()
                : 0;
    }

    /** The height of the legend in one column: one line (at least a marker box) per entry. */
    static double verticalLegendHeight(Chart<? extends AxesChartStyler, ?> chart) {
        AxesChartStyler styler = chart.getStyler();
        double lineHeight = styler.getLegendFont().getSize2D() * 1.4;
        double height = styler.getLegendPadding();
        for (Series series : chart.getSeriesMap().values()) {
            if (series.isShowInLegend() && series.isEnabled()) {
                int lines = series.getLabel().split("\\n").length;
                height += Math.max(lines * lineHeight, 20) + styler.getLegendPadding();
            }
        }
        return height;
    }

    private static double textWidth(String line, Font font) {
        TextLayout layout =
                new TextLayout(
                        line.isEmpty() ? " " : line,
                        font,
                        new FontRenderContext(null, true, false));
        return layout.getOutline(null).getBounds2D().getWidth();
    }

    /** Sets a chart's size (XChart keeps the setters to itself). */
    private static void resize(Chart<?, ?> chart, int width, int height) {
        try {
            java.lang.reflect.Method w = Chart.class.getDeclaredMethod("setWidth", int.class);
            java.lang.reflect.Method h = Chart.class.getDeclaredMethod("setHeight", int.class);
            w.setAccessible(true);
            h.setAccessible(true);
            w.invoke(chart, width);
            h.invoke(chart, height);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot resize the chart for its legend", e);
        }
    }

    /**
     * The width of the legend in one row, as XChart lays it out: per entry its text, a marker or
     * box and two paddings (0 if no series is shown in the legend).
     */
    static double horizontalLegendWidth(Chart<? extends AxesChartStyler, ?> chart) {
        AxesChartStyler styler = chart.getStyler();
        double width = 0;
        int entries = 0;
        for (Series series : chart.getSeriesMap().values()) {
            if (!series.isShowInLegend() || !series.isEnabled()) {
                continue;
            }
            double text = 0;
            for (String line : series.getLabel().split("\\n")) {
                TextLayout layout =
                        new TextLayout(
                                line.isEmpty() ? " " : line,
                                styler.getLegendFont(),
                                new FontRenderContext(null, true, false));
                text = Math.max(text, layout.getOutline(null).getBounds2D().getWidth());
            }
            double marker = Math.max(styler.getLegendSeriesLineLength(), 20);
            width += text + marker + 2 * styler.getLegendPadding();
            entries++;
        }
        return entries == 0 ? 0 : width + styler.getLegendPadding();
    }

    /**
     * Colours a series: its line, markers and (for bars and areas) its fill.
     *
     * @param series an XY or category series
     * @param colour the colour
     */
    static void colour(MarkerSeries series, Color colour) {
        series.setLineColor(colour);
        series.setMarkerColor(colour);
        series.setFillColor(colour);
    }

    /**
     * Fixes the y axis to [lo, hi] and makes the plot area that range but for an inner margin of
     * half a percent (which keeps the end ticks labelled), so that XChart's clip to the plot area
     * cuts error-bar whiskers at the axis range.
     */
    static void clipToYRange(AxesChartStyler styler, double lo, double hi) {
        styler.setYAxisMin(lo);
        styler.setYAxisMax(hi);
        styler.setPlotContentSize(0.99);
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

    /**
     * The y axis fixed to [0, 1] with an invisible off-grid point at (x, 1/π), as {@link
     * #unitSquare} does for both axes: values that are all multiples of 1/n would otherwise put
     * XChart's ticks on that grid.
     */
    static void unitY(XYChart chart, double x) {
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        double offGrid = 1 / Math.PI;
        XYSeries anchor = chart.addSeries("\u200b", new double[] {x}, new double[] {offGrid});
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

package dev.oodlab.viz;

import dev.oodlab.metrics.OodMetric;
import dev.oodlab.report.ResultsTable;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A grouped bar chart of one metric: one group of bars per OOD set, one bar (colour) per method,
 * with ± one standard deviation as error bars when the values are means over seeds.
 *
 * <p>The y axis is zoomed to the data (see {@link #valueRange}): a few points of accuracy or AUROC
 * between methods are visible, not flattened against a 0 baseline. Error-bar whiskers are cut at
 * the axis range (100 % for percentages). A bar too low to see — an FPR of 0 %, usually the best of
 * its group — is labelled with its value. Each method keeps its {@link Palette} colour; a missing
 * value draws no bar.
 */
public final class GroupedBarChart {

    /** A bar at most this share of the axis range high counts as too low to see. */
    static final double ZERO_HEIGHT = 0.005;

    /** How far above the axis floor (share of the range) a low bar's label is centred. */
    static final double LABEL_LIFT = 0.04;

    private GroupedBarChart() {}

    /**
     * Bars from a results table, in percent; error bars from its sd columns if it is aggregated.
     *
     * @param table the results table
     * @param metric the metric to show
     * @return the chart
     */
    public static Figure of(ResultsTable table, OodMetric metric) {
        return of(table, metric, ChartOptions.defaults());
    }

    /**
     * Bars from a results table, in percent.
     *
     * @param table the results table
     * @param metric the metric to show
     * @param options title, labels and size
     * @return the chart
     */
    public static Figure of(ResultsTable table, OodMetric metric, ChartOptions options) {
        Table t = table.table();
        StringColumn methods = t.stringColumn(ResultsTable.METHOD);
        StringColumn sets = t.stringColumn(ResultsTable.OOD_SET);
        DoubleColumn values = t.doubleColumn(metric.label());
        DoubleColumn sd =
                table.isAggregated()
                        ? t.doubleColumn(metric.label() + ResultsTable.SD_SUFFIX)
                        : null;
        Map<String, Map<String, Double>> byMethod = new LinkedHashMap<>();
        Map<String, Map<String, Double>> errors = new LinkedHashMap<>();
        for (int r = 0; r < t.rowCount(); r++) {
            byMethod.computeIfAbsent(methods.get(r), k -> new LinkedHashMap<>())
                    .putIfAbsent(sets.get(r), 100 * values.getDouble(r));
            if (sd != null) {
                double e = sd.getDouble(r);
                errors.computeIfAbsent(methods.get(r), k -> new LinkedHashMap<>())
                        .putIfAbsent(sets.get(r), Double.isNaN(e) ? 0 : 100 * e);
            }
        }
        String direction = metric.higherIsBetter() ? "higher is better" : "lower is better";
        ChartOptions withDefaults =
                options.withTitle(options.titleOr(metric.label() + " (" + direction + ")"))
                        .withLabels(
                                options.xLabelOr("OOD set"),
                                options.yLabelOr(metric.label() + " (%)"));
        return ChartStyle.render(chart(byMethod, sd != null ? errors : null, withDefaults, 100));
    }

    /**
     * Bars from plain values.
     *
     * @param valuesByMethod per method, the value on each OOD set
     * @param valueLabel the y-axis label, e.g. {@code "AUROC (%)"}
     * @return the chart
     */
    public static Figure of(Map<String, Map<String, Double>> valuesByMethod, String valueLabel) {
        return ChartStyle.render(
                chart(
                        valuesByMethod,
                        null,
                        ChartOptions.defaults()
                                .withTitle(valueLabel)
                                .withLabels("OOD set", valueLabel),
                        Double.POSITIVE_INFINITY));
    }

    /**
     * Bars from plain values.
     *
     * @param valuesByMethod per method, the value on each OOD set
     * @param options title, labels and size
     * @return the chart
     */
    public static Figure of(Map<String, Map<String, Double>> valuesByMethod, ChartOptions options) {
        return ChartStyle.render(chart(valuesByMethod, null, options, Double.POSITIVE_INFINITY));
    }

    /**
     * Bars of percentages (accuracy, a metric in percent), usually means over seeds with ± one sd
     * as error bars. The axis stays within [0, 100]; a whisker beyond it is cut at the axis.
     *
     * @param valuesByMethod per method (bar colour), the value in percent per group
     * @param errorsByMethod per method, the half-length of each bar's error bar in percent (e.g.
     *     the sd over seeds; a missing or NaN entry draws none), or null for no error bars
     * @param options title, labels and size
     * @return the chart
     */
    public static Figure percent(
            Map<String, Map<String, Double>> valuesByMethod,
            Map<String, Map<String, Double>> errorsByMethod,
            ChartOptions options) {
        return ChartStyle.render(chart(valuesByMethod, errorsByMethod, options, 100));
    }

    /**
     * The chart: bars per method and group, the y axis zoomed to the data ({@link #valueRange}), a
     * label on each bar too low to see.
     */
    static CategoryChart chart(
            Map<String, Map<String, Double>> valuesByMethod,
            Map<String, Map<String, Double>> errorsByMethod,
            ChartOptions options,
            double ceiling) {
        if (valuesByMethod.isEmpty()) {
            throw new IllegalArgumentException("no values to draw");
        }
        Set<String> setNames = new LinkedHashSet<>();
        valuesByMethod.values().forEach(m -> setNames.addAll(m.keySet()));
        List<String> categories = new ArrayList<>(setNames);
        CategoryChart chart = ChartStyle.categoryChart(options, "", "OOD set", "value");
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setErrorBarsColor(Palette.BLACK);
        chart.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        chart.getStyler().setAnnotationTextFontColor(Color.BLACK);
        List<Double> all = new ArrayList<>();
        List<Double> allErrors = new ArrayList<>();
        Map<String, List<Double>> ys = new LinkedHashMap<>();
        Map<String, List<Double>> errs = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Double>> e : valuesByMethod.entrySet()) {
            List<Double> y = new ArrayList<>();
            List<Double> err = new ArrayList<>();
            for (String set : categories) {
                Double v = e.getValue().get(set);
                boolean missing = v == null || v.isNaN();
                y.add(missing ? null : v); // a missing value draws no bar
                Double sd =
                        errorsByMethod == null
                                ? null
                                : errorsByMethod.getOrDefault(e.getKey(), Map.of()).get(set);
                double half = sd == null || sd.isNaN() ? 0.0 : Math.abs(sd);
                if (!missing) {
                    err.add(half); // XChart reads one error per drawn bar, in order
                    all.add(v);
                    allErrors.add(half);
                }
            }
            while (err.size() < y.size()) {
                err.add(0.0);
            }
            ys.put(e.getKey(), y);
            errs.put(e.getKey(), err);
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("every value is missing: no bar to draw");
        }
        if (allErrors.stream().allMatch(e -> e == 0)) {
            errorsByMethod = null; // one seed: no error bars rather than bars of length 0
        }
        double[] range = valueRange(all, allErrors, ceiling);
        ChartStyle.clipToYRange(chart.getStyler(), range[0], range[1]);
        Map<String, Color> colours = Palette.colours(valuesByMethod.keySet());
        int n = valuesByMethod.size();
        double fill = chart.getStyler().getAvailableSpaceFill();
        int s = 0;
        for (String method : valuesByMethod.keySet()) {
            CategorySeries series =
                    errorsByMethod == null
                            ? chart.addSeries(method, categories, ys.get(method))
                            : chart.addSeries(method, categories, ys.get(method), errs.get(method));
            ChartStyle.colour(series, colours.get(method));
            for (int c = 0; c < categories.size(); c++) {
                Double v = ys.get(method).get(c);
                if (v != null && v - range[0] <= ZERO_HEIGHT * (range[1] - range[0])) {
                    double x = c + (1 - fill) / 2 + (s + 0.5) * fill / n;
                    double y = range[0] + LABEL_LIFT * (range[1] - range[0]);
                    chart.addAnnotation(new ValueLabel(format(v, range), x, y));
                }
            }
            s++;
        }
        return chart;
    }

    /**
     * The y-axis range of bars: zoomed to the data (with the error bars) and widened to round
     * ticks, but from 0 when the data reach down to a quarter of their top or below, so that
     * differences of a few points show without a bar looking absent. Never below 0 for non-negative
     * data nor above {@code ceiling}; always holding every bar's value.
     */
    static double[] valueRange(List<Double> values, List<Double> errors, double ceiling) {
        double vMin = Double.POSITIVE_INFINITY;
        double vMax = Double.NEGATIVE_INFINITY;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < values.size(); i++) {
            double v = values.get(i);
            double e = errors.get(i);
            vMin = Math.min(vMin, v);
            vMax = Math.max(vMax, v);
            lo = Math.min(lo, v - e);
            hi = Math.max(hi, v + e);
        }
        double floor = vMin >= 0 ? 0 : Double.NEGATIVE_INFINITY;
        lo = Math.max(lo, floor);
        hi = Math.min(hi, ceiling);
        double span = hi - lo;
        if (span <= 0) {
            span = Math.max(Math.abs(hi), 1) * 0.1;
        }
        lo -= 0.1 * span;
        hi += 0.1 * span;
        if (floor == 0 && (lo <= 0 || vMin <= 0.25 * vMax)) {
            lo = 0;
        }
        double[] round = ChartStyle.roundRange(lo, hi);
        round[0] = Math.max(round[0], floor);
        round[1] = Math.min(round[1], ceiling);
        round[0] = Math.min(round[0], vMin);
        round[1] = Math.max(round[1], vMax);
        return round;
    }

    private static String format(double v, double[] range) {
        return String.format(Locale.ROOT, range[1] - range[0] >= 5 ? "%.1f" : "%.3g", v);
    }
}

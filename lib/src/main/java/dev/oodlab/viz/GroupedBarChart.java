package dev.oodlab.viz;

import dev.oodlab.metrics.OodMetric;
import dev.oodlab.report.ResultsTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.CategoryChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A grouped bar chart of one metric: one group of bars per OOD set, one bar (colour) per method,
 * with ± one standard deviation as error bars when the values are means over seeds.
 */
public final class GroupedBarChart {

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
        return draw(byMethod, sd != null ? errors : null, withDefaults);
    }

    /**
     * Bars from plain values.
     *
     * @param valuesByMethod per method, the value on each OOD set
     * @param valueLabel the y-axis label, e.g. {@code "AUROC (%)"}
     * @return the chart
     */
    public static Figure of(Map<String, Map<String, Double>> valuesByMethod, String valueLabel) {
        return draw(
                valuesByMethod,
                null,
                ChartOptions.defaults().withTitle(valueLabel).withLabels("OOD set", valueLabel));
    }

    /**
     * Bars from plain values.
     *
     * @param valuesByMethod per method, the value on each OOD set
     * @param options title, labels and size
     * @return the chart
     */
    public static Figure of(Map<String, Map<String, Double>> valuesByMethod, ChartOptions options) {
        return draw(valuesByMethod, null, options);
    }

    private static Figure draw(
            Map<String, Map<String, Double>> valuesByMethod,
            Map<String, Map<String, Double>> errorsByMethod,
            ChartOptions options) {
        if (valuesByMethod.isEmpty()) {
            throw new IllegalArgumentException("no values to draw");
        }
        Set<String> setNames = new LinkedHashSet<>();
        valuesByMethod.values().forEach(m -> setNames.addAll(m.keySet()));
        List<String> categories = new ArrayList<>(setNames);
        CategoryChart chart = ChartStyle.categoryChart(options, "", "OOD set", "value");
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setErrorBarsColor(Palette.BLACK);
        for (Map.Entry<String, Map<String, Double>> e : valuesByMethod.entrySet()) {
            List<Double> y = new ArrayList<>();
            List<Double> err = new ArrayList<>();
            for (String set : categories) {
                Double v = e.getValue().get(set);
                y.add(v == null || v.isNaN() ? 0.0 : v); // a missing bar is drawn as 0
                Double sd =
                        errorsByMethod == null
                                ? null
                                : errorsByMethod.getOrDefault(e.getKey(), Map.of()).get(set);
                err.add(sd == null ? 0.0 : sd);
            }
            if (errorsByMethod == null) {
                chart.addSeries(e.getKey(), categories, y);
            } else {
                chart.addSeries(e.getKey(), categories, y, err);
            }
        }
        return Figure.of(chart);
    }
}

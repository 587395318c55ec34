package dev.oodlab.report;

import dev.oodlab.io.AtomicFile;
import dev.oodlab.metrics.OodMetric;
import dev.oodlab.metrics.OodMetrics;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Entities;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvWriteOptions;
import tech.tablesaw.io.html.HtmlWriteOptions;

/**
 * A results table of OOD-detection experiments: one row per method and OOD set, one column per
 * metric, as in the papers' tables.
 *
 * <p>Rows are added with {@link Builder#add(String, String, OodMetrics)}; the five metrics of
 * {@link OodMetric} are always columns, and extra value columns (the in-distribution accuracy, a
 * training time) can be declared with {@link Builder#optExtraColumn}. Several runs of the same
 * method and OOD set (different seeds) may be added as separate rows and summarised with {@link
 * #meanAndSd()} into mean ± sample standard deviation.
 *
 * <p>Renderings:
 *
 * <ul>
 *   <li>{@link #table()}: the Tablesaw table (columns {@code method}, {@code OOD set}, for
 *       aggregated tables {@code runs}, then each value column and, when aggregated, its {@code
 *       <name> sd}); values are fractions as computed.
 *   <li>{@link #toCsv()}: that table as CSV, full precision, for other tools.
 *   <li>{@link #toMarkdown()}, {@link #toHtml()}, {@link #toText()}: for reading. Metrics and
 *       percentage columns are shown in percent with one decimal ({@code 95.3}, {@code 95.3 ±
 *       0.4}); in each value column the best value among the methods on the same OOD set is marked
 *       (bold in Markdown and HTML, {@code *} in text): lower is better for FPR@95TPR and detection
 *       error, higher for AUROC, AUPR-In and AUPR-Out, as declared for extra columns ({@link
 *       Builder#optMarkBest} turns the marks off).
 * </ul>
 *
 * <p>The {@code write…} methods write to a temporary file and rename it into place. A table is
 * immutable.
 */
public final class ResultsTable {

    /** Name of the method column. */
    public static final String METHOD = "method";

    /** Name of the OOD-set column. */
    public static final String OOD_SET = "OOD set";

    /** Name of the run-count column of an aggregated table. */
    public static final String RUNS = "runs";

    /** Suffix of the standard-deviation columns of an aggregated table. */
    public static final String SD_SUFFIX = " sd";

    /** Which direction of a value column is better, for marking the best value. */
    public enum Better {
        /** Higher values are better (AUROC, accuracy). */
        HIGHER,
        /** Lower values are better (FPR@95TPR, error rates, time). */
        LOWER,
        /** No value is marked. */
        NONE
    }

    /** How a value column is shown in Markdown, HTML and text. */
    public enum ValueFormat {
        /** A fraction shown in percent with one decimal: 0.9534 as {@code 95.3}. */
        PERCENT,
        /** The number with four significant digits: 12.345 as {@code 12.35}. */
        PLAIN
    }

    /**
     * One value column.
     *
     * @param name the column name
     * @param better which direction is better
     * @param format how it is shown
     */
    public record ValueColumn(String name, Better better, ValueFormat format) {
        /**
         * Checks the fields.
         *
         * @param name see the record description
         * @param better see the record description
         * @param format see the record description
         */
        public ValueColumn {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(better, "better");
            Objects.requireNonNull(format, "format");
        }
    }

    private final Table table;
    private final List<ValueColumn> columns;
    private final boolean aggregated;
    private final boolean markBest;

    private ResultsTable(
            Table table, List<ValueColumn> columns, boolean aggregated, boolean markBest) {
        this.table = table;
        this.columns = List.copyOf(columns);
        this.aggregated = aggregated;
        this.markBest = markBest;
    }

    /**
     * Starts a table with the five metric columns.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects rows; {@link #build()} makes the table. */
    public static final class Builder {
        private final List<ValueColumn> columns = new ArrayList<>();
        private final List<String> methods = new ArrayList<>();
        private final List<String> sets = new ArrayList<>();
        private final List<double[]> values = new ArrayList<>();
        private boolean rowsAdded;
        private boolean markBest = true;

        private Builder() {
            for (OodMetric metric : OodMetric.values()) {
                columns.add(
                        new ValueColumn(
                                metric.label(),
                                metric.higherIsBetter() ? Better.HIGHER : Better.LOWER,
                                ValueFormat.PERCENT));
            }
        }

        /**
         * Declares an extra value column after the metrics, e.g. {@code optExtraColumn("accuracy",
         * Better.HIGHER, ValueFormat.PERCENT)}. Declare extra columns before adding rows.
         *
         * @param name the column name, not one of the existing columns
         * @param better which direction is better
         * @param format how it is shown
         * @return this builder
         * @throws IllegalStateException if rows were already added
         * @throws IllegalArgumentException if the name is taken
         */
        public Builder optExtraColumn(String name, Better better, ValueFormat format) {
            if (rowsAdded) {
                throw new IllegalStateException("declare extra columns before adding rows");
            }
            if (name.equals(METHOD)
                    || name.equals(OOD_SET)
                    || name.equals(RUNS)
                    || indexOf(columns, name) >= 0) {
                throw new IllegalArgumentException("column name already in use: " + name);
            }
            columns.add(new ValueColumn(name, better, format));
            return this;
        }

        /**
         * Whether the renderings mark the best value per OOD set (default true). Turn it off when
         * the rows are not competing methods, e.g. one method on several OOD sets (every row would
         * be "best" on its own set) or one detector evaluated several ways.
         *
         * @param on false to render every value plainly
         * @return this builder
         */
        public Builder optMarkBest(boolean on) {
            this.markBest = on;
            return this;
        }

        /**
         * Adds a row without extra values.
         *
         * @param method the method, e.g. {@code "MSP"}
         * @param oodSet the OOD set, e.g. {@code "MNIST"}
         * @param metrics the five metrics
         * @return this builder
         */
        public Builder add(String method, String oodSet, OodMetrics metrics) {
            return add(method, oodSet, metrics, Map.of());
        }

        /**
         * Adds a row with values for (some of) the extra columns; missing ones stay empty.
         *
         * @param method the method
         * @param oodSet the OOD set
         * @param metrics the five metrics
         * @param extras values of declared extra columns, by name
         * @return this builder
         * @throws IllegalArgumentException if an extra value names an undeclared column
         */
        public Builder add(
                String method, String oodSet, OodMetrics metrics, Map<String, Double> extras) {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(oodSet, "oodSet");
            Objects.requireNonNull(metrics, "metrics");
            Objects.requireNonNull(extras, "extras");
            double[] row = new double[columns.size()];
            java.util.Arrays.fill(row, Double.NaN);
            OodMetric[] metricList = OodMetric.values();
            for (int i = 0; i < metricList.length; i++) {
                row[i] = metrics.get(metricList[i]);
            }
            for (Map.Entry<String, Double> e : extras.entrySet()) {
                int index = indexOf(columns, e.getKey());
                if (index < metricList.length) {
                    throw new IllegalArgumentException(
                            "no extra column named '"
                                    + e.getKey()
                                    + "'; declare it with optExtraColumn first");
                }
                row[index] = e.getValue() == null ? Double.NaN : e.getValue();
            }
            methods.add(method);
            sets.add(oodSet);
            values.add(row);
            rowsAdded = true;
            return this;
        }

        /**
         * Makes the table.
         *
         * @return the table, rows in the order added
         */
        public ResultsTable build() {
            Table table =
                    Table.create(
                            "OOD results",
                            StringColumn.create(METHOD, methods),
                            StringColumn.create(OOD_SET, sets));
            for (int c = 0; c < columns.size(); c++) {
                double[] column = new double[values.size()];
                for (int r = 0; r < column.length; r++) {
                    column[r] = values.get(r)[c];
                }
                table.addColumns(DoubleColumn.create(columns.get(c).name(), column));
            }
            return new ResultsTable(table, columns, false, markBest);
        }
    }

    /**
     * Aggregates the runs of several tables (one per seed, say) into mean ± sd: {@code
     * concat(tables).meanAndSd()}.
     *
     * @param tables tables with the same columns, not yet aggregated
     * @return the aggregated table
     * @throws IllegalArgumentException if the tables' columns differ or one is aggregated
     */
    public static ResultsTable meanAndSd(Collection<ResultsTable> tables) {
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("no tables to aggregate");
        }
        ResultsTable first = tables.iterator().next();
        Table all = first.table.emptyCopy();
        for (ResultsTable t : tables) {
            if (!t.columns.equals(first.columns) || t.aggregated) {
                throw new IllegalArgumentException(
                        "tables to aggregate must have the same columns and hold single runs");
            }
            all.append(t.table);
        }
        return new ResultsTable(all, first.columns, false, first.markBest).meanAndSd();
    }

    /**
     * Groups the rows by (method, OOD set), in order of first appearance, into the mean and the
     * sample standard deviation (n − 1 in the denominator; empty for a single run) of each value
     * column, with a {@code runs} column counting the rows of each group. Missing values are left
     * out of a group's statistics.
     *
     * @return the aggregated table
     * @throws IllegalStateException if this table is already aggregated
     */
    public ResultsTable meanAndSd() {
        if (aggregated) {
            throw new IllegalStateException("this table is already aggregated");
        }
        Map<List<String>, List<Integer>> groups = new LinkedHashMap<>();
        StringColumn method = table.stringColumn(METHOD);
        StringColumn set = table.stringColumn(OOD_SET);
        for (int r = 0; r < table.rowCount(); r++) {
            groups.computeIfAbsent(List.of(method.get(r), set.get(r)), k -> new ArrayList<>())
                    .add(r);
        }
        List<String> methods = new ArrayList<>();
        List<String> sets = new ArrayList<>();
        int[] runs = new int[groups.size()];
        double[][] means = new double[columns.size()][groups.size()];
        double[][] sds = new double[columns.size()][groups.size()];
        int g = 0;
        for (Map.Entry<List<String>, List<Integer>> group : groups.entrySet()) {
            methods.add(group.getKey().get(0));
            sets.add(group.getKey().get(1));
            runs[g] = group.getValue().size();
            for (int c = 0; c < columns.size(); c++) {
                DoubleColumn column = table.doubleColumn(columns.get(c).name());
                MeanSd m =
                        MeanSd.of(
                                group.getValue().stream().mapToDouble(column::getDouble).toArray());
                means[c][g] = m.mean();
                sds[c][g] = m.sd();
            }
            g++;
        }
        Table out =
                Table.create(
                        "OOD results, mean and sd over runs",
                        StringColumn.create(METHOD, methods),
                        StringColumn.create(OOD_SET, sets),
                        IntColumn.create(RUNS, runs));
        for (int c = 0; c < columns.size(); c++) {
            out.addColumns(DoubleColumn.create(columns.get(c).name(), means[c]));
        }
        for (int c = 0; c < columns.size(); c++) {
            out.addColumns(DoubleColumn.create(columns.get(c).name() + SD_SUFFIX, sds[c]));
        }
        return new ResultsTable(out, columns, true, markBest);
    }

    /**
     * A copy of the underlying Tablesaw table, values as fractions.
     *
     * @return the table
     */
    public Table table() {
        return table.copy();
    }

    /**
     * The value columns: the five metrics, then the extra columns.
     *
     * @return the column specifications
     */
    public List<ValueColumn> valueColumns() {
        return columns;
    }

    /**
     * Whether this table holds means and standard deviations over runs.
     *
     * @return true after {@link #meanAndSd()}
     */
    public boolean isAggregated() {
        return aggregated;
    }

    /**
     * The number of rows.
     *
     * @return the row count
     */
    public int rowCount() {
        return table.rowCount();
    }

    /**
     * A value (the mean, for an aggregated table).
     *
     * @param method the method
     * @param oodSet the OOD set
     * @param column the value column's name, e.g. {@code OodMetric.AUROC.label()}
     * @return the value of the first row of that method and set
     * @throws IllegalArgumentException if there is no such row or column
     */
    public double value(String method, String oodSet, String column) {
        int c = indexOf(columns, column);
        if (c < 0) {
            throw new IllegalArgumentException("no column named '" + column + "'");
        }
        for (int r = 0; r < table.rowCount(); r++) {
            if (table.stringColumn(METHOD).get(r).equals(method)
                    && table.stringColumn(OOD_SET).get(r).equals(oodSet)) {
                return table.doubleColumn(column).getDouble(r);
            }
        }
        throw new IllegalArgumentException("no row for " + method + " on " + oodSet);
    }

    /**
     * The table as CSV: a header line, then one line per row with the values as fractions in full
     * precision; missing values are empty fields.
     *
     * @return the CSV text
     */
    public String toCsv() {
        StringWriter writer = new StringWriter();
        table.write().usingOptions(CsvWriteOptions.builder(writer).build());
        return writer.toString();
    }

    /**
     * The table as GitHub-flavoured Markdown, values formatted and the best per OOD set in bold.
     *
     * @return the Markdown text, ending with a newline
     */
    public String toMarkdown() {
        Cells cells = cells();
        StringBuilder md = new StringBuilder();
        md.append('|');
        for (String h : cells.header) {
            md.append(' ').append(escapeMarkdown(h)).append(" |");
        }
        md.append("\n|");
        for (int c = 0; c < cells.header.size(); c++) {
            md.append(c < cells.labelColumns ? " --- |" : " ---: |");
        }
        md.append('\n');
        for (int r = 0; r < cells.text.length; r++) {
            md.append('|');
            for (int c = 0; c < cells.header.size(); c++) {
                String text = escapeMarkdown(cells.text[r][c]);
                md.append(' ').append(cells.best[r][c] ? "**" + text + "**" : text).append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }

    /**
     * The table as an HTML {@code <table class="oodlab-results">} for notebooks, rendered by
     * Tablesaw's HTML writer: values formatted, the best per OOD set wrapped in {@code <b>}, all
     * text escaped.
     *
     * @return the HTML fragment
     */
    public String toHtml() {
        Cells cells = cells();
        Table display = Table.create(table.name());
        for (int c = 0; c < cells.header.size(); c++) {
            String[] column = new String[cells.text.length];
            for (int r = 0; r < column.length; r++) {
                String text = Entities.escape(cells.text[r][c]);
                column[r] = cells.best[r][c] ? "<b>" + text + "</b>" : text;
            }
            display.addColumns(StringColumn.create(cells.header.get(c), column));
        }
        StringWriter writer = new StringWriter();
        try {
            display.write()
                    .usingOptions(
                            HtmlWriteOptions.builder(writer)
                                    .escapeText(false) // cells are escaped above, <b> is ours
                                    .elementCreator(
                                            (name, column, row) -> {
                                                Element element = new Element(name);
                                                if (name.equals("table")) {
                                                    element.addClass("oodlab-results");
                                                }
                                                return element;
                                            })
                                    .build());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringWriter does not fail
        }
        return writer.toString();
    }

    /**
     * The table as aligned plain text (Tablesaw's printout), values formatted, the best per OOD set
     * followed by {@code *}.
     *
     * @return the text
     */
    public String toText() {
        Cells cells = cells();
        Table display = Table.create(table.name());
        for (int c = 0; c < cells.header.size(); c++) {
            String[] column = new String[cells.text.length];
            for (int r = 0; r < column.length; r++) {
                column[r] = cells.text[r][c] + (cells.best[r][c] ? " *" : "");
            }
            display.addColumns(StringColumn.create(cells.header.get(c), column));
        }
        return display.printAll();
    }

    /** The aligned text of {@link #toText()}. */
    @Override
    public String toString() {
        return toText();
    }

    /**
     * Writes {@link #toCsv()} to a file (temporary file, then rename).
     *
     * @param file the target
     * @throws IOException if it cannot be written
     */
    public void writeCsv(Path file) throws IOException {
        AtomicFile.writeString(file, toCsv());
    }

    /**
     * Writes {@link #toMarkdown()} to a file (temporary file, then rename).
     *
     * @param file the target
     * @throws IOException if it cannot be written
     */
    public void writeMarkdown(Path file) throws IOException {
        AtomicFile.writeString(file, toMarkdown());
    }

    /**
     * Writes {@link #toHtml()} to a file (temporary file, then rename).
     *
     * @param file the target
     * @throws IOException if it cannot be written
     */
    public void writeHtml(Path file) throws IOException {
        AtomicFile.writeString(file, toHtml());
    }

    /** Formatted cells plus which are best; the label columns come first. */
    private record Cells(
            List<String> header, int labelColumns, String[][] text, boolean[][] best) {}

    private Cells cells() {
        List<String> header = new ArrayList<>(List.of(METHOD, OOD_SET));
        if (aggregated) {
            header.add(RUNS);
        }
        int labelColumns = header.size();
        for (ValueColumn column : columns) {
            header.add(column.name() + (column.format() == ValueFormat.PERCENT ? " (%)" : ""));
        }
        int rows = table.rowCount();
        String[][] text = new String[rows][header.size()];
        boolean[][] best = new boolean[rows][header.size()];
        StringColumn method = table.stringColumn(METHOD);
        StringColumn set = table.stringColumn(OOD_SET);
        for (int r = 0; r < rows; r++) {
            text[r][0] = method.get(r);
            text[r][1] = set.get(r);
            if (aggregated) {
                text[r][2] = Integer.toString(table.intColumn(RUNS).getInt(r));
            }
        }
        for (int c = 0; c < columns.size(); c++) {
            ValueColumn spec = columns.get(c);
            DoubleColumn values = table.doubleColumn(spec.name());
            DoubleColumn sd = aggregated ? table.doubleColumn(spec.name() + SD_SUFFIX) : null;
            int cell = labelColumns + c;
            for (int r = 0; r < rows; r++) {
                double v = values.getDouble(r);
                String shown = format(v, spec.format());
                if (sd != null && !Double.isNaN(sd.getDouble(r)) && !Double.isNaN(v)) {
                    shown += " ± " + format(sd.getDouble(r), spec.format());
                }
                text[r][cell] = shown;
                best[r][cell] =
                        markBest && spec.better() != Better.NONE && isBest(values, set, r, spec);
            }
        }
        return new Cells(header, labelColumns, text, best);
    }

    /** Whether row r holds the best value of its column among the rows of its OOD set. */
    private static boolean isBest(DoubleColumn values, StringColumn set, int r, ValueColumn spec) {
        double v = values.getDouble(r);
        if (Double.isNaN(v)) {
            return false;
        }
        for (int other = 0; other < values.size(); other++) {
            double w = values.getDouble(other);
            if (Double.isNaN(w) || !set.get(other).equals(set.get(r))) {
                continue;
            }
            if (spec.better() == Better.HIGHER ? w > v : w < v) {
                return false;
            }
        }
        return true;
    }

    private static String format(double v, ValueFormat format) {
        if (Double.isNaN(v)) {
            return "";
        }
        return format == ValueFormat.PERCENT
                ? String.format(Locale.ROOT, "%.1f", 100 * v)
                : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String escapeMarkdown(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*");
    }

    private static int indexOf(List<ValueColumn> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}

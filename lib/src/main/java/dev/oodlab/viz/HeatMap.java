package dev.oodlab.viz;

import dev.oodlab.OodLab;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A heat map of values on a 2-D grid with a colour bar: the maximum softmax probability over the
 * plane of a 2-D toy problem, or a metric over a grid of two hyper-parameters.
 *
 * <p>{@code values[i][j]} is the value of row {@code i} and column {@code j}; row 0 is drawn at the
 * <em>bottom</em> (the smallest y), column 0 at the left, as in a plot with y up. The axes are
 * either continuous ({@link Builder#optXRange}/{@link Builder#optYRange}: the extent of the whole
 * grid, so cell j spans [xMin + j·Δ, xMin + (j+1)·Δ]) or categorical ({@link Builder#optXLabels}/
 * {@link Builder#optYLabels}: one label per column or row, e.g. the values of ε). Colours are
 * viridis over {@link Builder#optValueRange} (default: the smallest to the largest finite value);
 * NaN cells are light grey. Small grids can print each value in its cell ({@link
 * Builder#optAnnotate}); point sets such as training data can be drawn on top of continuous axes
 * ({@link Builder#optPoints}).
 *
 * <pre>{@code
 * Figure map = HeatMap.builder()
 *         .setValues(maxSoftmax)            // [200][200] over [-10, 10]^2
 *         .optXRange(-10, 10).optYRange(-10, 10)
 *         .optTitle("Max softmax, cross-entropy")
 *         .optColorBarTitle("max softmax")
 *         .optValueRange(0.5, 1.0)
 *         .build();
 * }</pre>
 */
public final class HeatMap {

    private HeatMap() {}

    /**
     * Starts a heat map.
     *
     * @return a builder; {@link Builder#setValues} is required
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures a heat map; {@link #build()} validates and renders it. */
    public static final class Builder {
        private double[][] values;
        private double xMin = Double.NaN;
        private double xMax = Double.NaN;
        private double yMin = Double.NaN;
        private double yMax = Double.NaN;
        private String[] xLabels;
        private String[] yLabels;
        private double vMin = Double.NaN;
        private double vMax = Double.NaN;
        private String title = "";
        private String xTitle = "x";
        private String yTitle = "y";
        private String colorBarTitle = "";
        private boolean annotate;
        private boolean equalAspect;
        private String valueFormat = "%.2f";
        private int width = ChartOptions.DEFAULT_WIDTH;
        private int height = ChartOptions.DEFAULT_HEIGHT;
        private final List<PointSet> points = new ArrayList<>();

        private Builder() {}

        /**
         * The grid of values (required): {@code values[row][column]}, row 0 at the bottom. Rows
         * must have equal length. The array is copied.
         *
         * @param grid the values, at least 1×1
         * @return this builder
         */
        public Builder setValues(double[][] grid) {
            Objects.requireNonNull(grid, "values");
            if (grid.length == 0 || grid[0].length == 0) {
                throw new IllegalArgumentException("a heat map needs at least one value");
            }
            double[][] copy = new double[grid.length][];
            for (int i = 0; i < grid.length; i++) {
                if (grid[i].length != grid[0].length) {
                    throw new IllegalArgumentException(
                            "row "
                                    + i
                                    + " has "
                                    + grid[i].length
                                    + " values, row 0 has "
                                    + grid[0].length);
                }
                copy[i] = grid[i].clone();
            }
            this.values = copy;
            return this;
        }

        /**
         * A continuous x axis spanning [min, max] over the whole grid.
         *
         * @param min the left edge
         * @param max the right edge, greater than min
         * @return this builder
         */
        public Builder optXRange(double min, double max) {
            checkRange(min, max, "x range");
            xMin = min;
            xMax = max;
            return this;
        }

        /**
         * A continuous y axis spanning [min, max] over the whole grid (min at the bottom).
         *
         * @param min the bottom edge
         * @param max the top edge, greater than min
         * @return this builder
         */
        public Builder optYRange(double min, double max) {
            checkRange(min, max, "y range");
            yMin = min;
            yMax = max;
            return this;
        }

        /**
         * A categorical x axis: one label per column.
         *
         * @param labels the column labels
         * @return this builder
         */
        public Builder optXLabels(String... labels) {
            xLabels = labels.clone();
            return this;
        }

        /**
         * A categorical y axis: one label per row, the first at the bottom.
         *
         * @param labels the row labels
         * @return this builder
         */
        public Builder optYLabels(String... labels) {
            yLabels = labels.clone();
            return this;
        }

        /**
         * The values mapped to the two ends of the colour scale; values outside are clamped.
         *
         * @param min the value shown darkest
         * @param max the value shown brightest, greater than min
         * @return this builder
         */
        public Builder optValueRange(double min, double max) {
            checkRange(min, max, "value range");
            vMin = min;
            vMax = max;
            return this;
        }

        /**
         * The title above the map.
         *
         * @param text the title
         * @return this builder
         */
        public Builder optTitle(String text) {
            title = Objects.requireNonNull(text, "title");
            return this;
        }

        /**
         * The axis titles.
         *
         * @param x the x-axis title
         * @param y the y-axis title
         * @return this builder
         */
        public Builder optAxisTitles(String x, String y) {
            xTitle = Objects.requireNonNull(x, "x");
            yTitle = Objects.requireNonNull(y, "y");
            return this;
        }

        /**
         * The title of the colour bar, e.g. {@code "max softmax"}.
         *
         * @param text the title
         * @return this builder
         */
        public Builder optColorBarTitle(String text) {
            colorBarTitle = Objects.requireNonNull(text, "colorBarTitle");
            return this;
        }

        /**
         * Prints each value in its cell (for small grids such as a hyper-parameter sweep).
         *
         * @param on whether to print the values
         * @param format the {@link String#format} pattern, e.g. {@code "%.3f"}
         * @return this builder
         */
        public Builder optAnnotate(boolean on, String format) {
            annotate = on;
            valueFormat = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * One unit of x as long as one unit of y (continuous axes only): a map of a plane, such as
         * a 2-D classifier's confidence over [−10, 10]², is drawn undistorted, a disc as a disc.
         * The plot is then as large as that allows and centred in its space. Off by default (the
         * axes of a hyper-parameter grid have unrelated units).
         *
         * @param on whether to keep the aspect ratio of the data
         * @return this builder
         */
        public Builder optEqualAspect(boolean on) {
            equalAspect = on;
            return this;
        }

        /**
         * Draws a set of points on top of the map (continuous axes only), with a legend entry.
         *
         * @param label the legend entry
         * @param x the x coordinates
         * @param y the y coordinates, one per x
         * @return this builder
         */
        public Builder optPoints(String label, double[] x, double[] y) {
            if (x.length != y.length) {
                throw new IllegalArgumentException(
                        "points '" + label + "': " + x.length + " x but " + y.length + " y");
            }
            points.add(
                    new PointSet(
                            ChartStyle.typeset(label),
                            x.clone(),
                            y.clone(),
                            Palette.series(points.size() + 1)));
            return this;
        }

        /**
         * The image size (default 600×400).
         *
         * @param w the width in pixels
         * @param h the height in pixels
         * @return this builder
         */
        public Builder optSize(int w, int h) {
            new ChartOptions(null, null, null, w, h); // validates
            width = w;
            height = h;
            return this;
        }

        /**
         * Validates the settings and renders the map.
         *
         * @return the figure
         * @throws IllegalStateException if no values were set
         * @throws IllegalArgumentException if labels do not match the grid, or points are given
         *     with a categorical axis
         */
        public Figure build() {
            OodLab.init();
            if (values == null) {
                throw new IllegalStateException("setValues(...) is required");
            }
            int rows = values.length;
            int cols = values[0].length;
            if (xLabels != null && xLabels.length != cols) {
                throw new IllegalArgumentException(
                        xLabels.length + " x labels for " + cols + " columns");
            }
            if (yLabels != null && yLabels.length != rows) {
                throw new IllegalArgumentException(
                        yLabels.length + " y labels for " + rows + " rows");
            }
            if ((xLabels != null && !Double.isNaN(xMin))
                    || (yLabels != null && !Double.isNaN(yMin))) {
                throw new IllegalArgumentException(
                        "an axis is either continuous (range) or categorical (labels), not both");
            }
            if (!points.isEmpty() && (xLabels != null || yLabels != null)) {
                throw new IllegalArgumentException("points need continuous x and y axes");
            }
            if (equalAspect && (Double.isNaN(xMin) || Double.isNaN(yMin))) {
                throw new IllegalArgumentException(
                        "an equal aspect ratio needs continuous x and y ranges");
            }
            double lo = vMin;
            double hi = vMax;
            if (Double.isNaN(lo)) {
                lo = Double.POSITIVE_INFINITY;
                hi = Double.NEGATIVE_INFINITY;
                for (double[] row : values) {
                    for (double v : row) {
                        if (Double.isFinite(v)) {
                            lo = Math.min(lo, v);
                            hi = Math.max(hi, v);
                        }
                    }
                }
                if (lo > hi) { // no finite value
                    lo = 0;
                    hi = 1;
                } else if (lo == hi) {
                    lo -= 0.5;
                    hi += 0.5;
                }
            }
            Layout layout =
                    new Layout(
                            values,
                            Double.isNaN(xMin) ? 0 : xMin,
                            Double.isNaN(xMin) ? cols : xMax,
                            Double.isNaN(yMin) ? 0 : yMin,
                            Double.isNaN(yMin) ? rows : yMax,
                            xLabels,
                            yLabels,
                            lo,
                            hi,
                            ChartStyle.typeset(title),
                            ChartStyle.typeset(xTitle),
                            ChartStyle.typeset(yTitle),
                            ChartStyle.typeset(colorBarTitle),
                            annotate,
                            equalAspect,
                            valueFormat,
                            List.copyOf(points));
            return Figure.of(width, height, layout::paint);
        }

        private static void checkRange(double min, double max, String what) {
            if (!(Double.isFinite(min) && Double.isFinite(max) && min < max)) {
                throw new IllegalArgumentException(
                        what + " must be finite with min < max, got [" + min + ", " + max + "]");
            }
        }
    }

    private record PointSet(String label, double[] x, double[] y, Color color) {}

    /** Everything needed to paint, immutable, so a figure can be painted again for SVG. */
    private record Layout(
            double[][] values,
            double xMin,
            double xMax,
            double yMin,
            double yMax,
            String[] xLabels,
            String[] yLabels,
            double vMin,
            double vMax,
            String title,
            String xTitle,
            String yTitle,
            String colorBarTitle,
            boolean annotate,
            boolean equalAspect,
            String valueFormat,
            List<PointSet> points) {

        void paint(Graphics2D g, int width, int height) {
            Font tickFont = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
            Font axisFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
            Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 14);
            int rows = values.length;
            int cols = values[0].length;

            List<Tick> barTicks = niceTicks(vMin, vMax);

            g.setFont(tickFont);
            FontMetrics tick = g.getFontMetrics();
            g.setFont(axisFont);
            int axisHeight0 = g.getFontMetrics().getHeight();
            g.setFont(tickFont);
            // Categorical labels: every one where a row is as tall as a line of text (a column as
            // wide as its widest label), else every k-th, so that labels never overlap.
            int top0 = 10 + (title.isEmpty() ? 0 : 24) + (points.isEmpty() ? 0 : 18);
            int bottom0 = 10 + axisHeight0 + 4 + tick.getHeight() + 6;
            double rowPixels = Math.max(1, height - top0 - bottom0) / (double) rows;
            List<Tick> yTicks =
                    yLabels != null
                            ? categoryTicks(yLabels, rowPixels, tick.getHeight() - 2)
                            : niceTicks(yMin, yMax);
            int yTickWidth = 0;
            for (Tick t : yTicks) {
                yTickWidth = Math.max(yTickWidth, tick.stringWidth(t.label()));
            }
            int barTickWidth = 0;
            for (Tick t : barTicks) {
                barTickWidth = Math.max(barTickWidth, tick.stringWidth(t.label()));
            }
            g.setFont(axisFont);
            int axisHeight = g.getFontMetrics().getHeight();

            int top = 10 + (title.isEmpty() ? 0 : 24) + (points.isEmpty() ? 0 : 18);
            int left = 10 + axisHeight + 6 + yTickWidth + 6;
            int bottom = 10 + axisHeight + 4 + tick.getHeight() + 6;
            int barWidth = 16;
            int right =
                    12
                            + barWidth
                            + 6
                            + barTickWidth
                            + (colorBarTitle.isEmpty() ? 6 : 8 + axisHeight);
            int plotW = Math.max(10, width - left - right);
            int plotH = Math.max(10, height - top - bottom);
            int widestX = 0;
            if (xLabels != null) {
                for (String l : xLabels) {
                    widestX = Math.max(widestX, tick.stringWidth(l));
                }
            }
            List<Tick> xTicks =
                    xLabels != null
                            ? categoryTicks(xLabels, plotW / (double) cols, widestX + 6)
                            : niceTicks(xMin, xMax);
            if (equalAspect) {
                double scale = Math.min(plotW / (xMax - xMin), plotH / (yMax - yMin));
                int w = Math.max(10, (int) Math.round(scale * (xMax - xMin)));
                int h = Math.max(10, (int) Math.round(scale * (yMax - yMin)));
                left += (plotW - w) / 2;
                top += (plotH - h) / 2;
                plotW = w;
                plotH = h;
            }

            // Title and point legend.
            g.setColor(Color.BLACK);
            if (!title.isEmpty()) {
                g.setFont(titleFont);
                FontMetrics fm = g.getFontMetrics();
                g.drawString(title, (width - fm.stringWidth(title)) / 2, 10 + fm.getAscent());
            }
            if (!points.isEmpty()) {
                g.setFont(tickFont);
                int x = left;
                int y = top - 8;
                for (PointSet p : points) {
                    drawPoint(g, x + 4, y - 4, p.color());
                    g.setColor(Color.BLACK);
                    g.drawString(p.label(), x + 12, y);
                    x += 24 + tick.stringWidth(p.label());
                }
            }

            // Cells: one pixel per cell, scaled up without smoothing.
            BufferedImage cells = new BufferedImage(cols, rows, BufferedImage.TYPE_INT_RGB);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    cells.setRGB(j, rows - 1 - i, Palette.viridis(scale(values[i][j])).getRGB());
                }
            }
            Object interpolation = g.getRenderingHint(RenderingHints.KEY_INTERPOLATION);
            g.setRenderingHint(
                    RenderingHints.KEY_INTERPOLATION,
                    RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(cells, left, top, plotW, plotH, null);
            if (interpolation != null) {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
            }

            if (annotate) {
                g.setFont(tickFont);
                FontMetrics fm = g.getFontMetrics();
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        double v = values[i][j];
                        String text =
                                Double.isNaN(v) ? "" : String.format(Locale.ROOT, valueFormat, v);
                        int cx = left + (int) Math.round((j + 0.5) * plotW / cols);
                        int cy = top + (int) Math.round((rows - i - 0.5) * plotH / rows);
                        g.setColor(scale(v) < 0.6 ? Color.WHITE : Color.BLACK);
                        g.drawString(
                                text, cx - fm.stringWidth(text) / 2, cy + fm.getAscent() / 2 - 1);
                    }
                }
            }

            // Points on top.
            for (PointSet p : points) {
                for (int k = 0; k < p.x().length; k++) {
                    double px = left + (p.x()[k] - xMin) / (xMax - xMin) * plotW;
                    double py = top + plotH - (p.y()[k] - yMin) / (yMax - yMin) * plotH;
                    if (px >= left && px <= left + plotW && py >= top && py <= top + plotH) {
                        drawPoint(g, px, py, p.color());
                    }
                }
            }

            // Frame and axes.
            g.setColor(new Color(0x555555));
            g.setStroke(new BasicStroke(1f));
            g.drawRect(left, top, plotW, plotH);
            g.setFont(tickFont);
            for (Tick t : xTicks) {
                int x = left + (int) Math.round(t.position(xMin, xMax, cols) * plotW);
                g.drawLine(x, top + plotH, x, top + plotH + 4);
                g.drawString(
                        t.label(),
                        x - tick.stringWidth(t.label()) / 2,
                        top + plotH + 5 + tick.getAscent());
            }
            for (Tick t : yTicks) {
                int y = top + plotH - (int) Math.round(t.position(yMin, yMax, rows) * plotH);
                g.drawLine(left - 4, y, left, y);
                g.drawString(
                        t.label(),
                        left - 6 - tick.stringWidth(t.label()),
                        y + tick.getAscent() / 2 - 1);
            }
            g.setColor(Color.BLACK);
            g.setFont(axisFont);
            FontMetrics axis = g.getFontMetrics();
            g.drawString(
                    xTitle,
                    left + (plotW - axis.stringWidth(xTitle)) / 2,
                    Math.min(
                            height - 10 - axis.getDescent(),
                            top + plotH + 6 + tick.getHeight() + 4 + axis.getAscent()));
            drawVertical(
                    g,
                    yTitle,
                    Math.max(10, left - 12 - yTickWidth - axisHeight) + axis.getAscent(),
                    top + plotH / 2);

            // Colour bar.
            int barX = left + plotW + 12;
            for (int y = 0; y < plotH; y++) {
                g.setColor(Palette.viridis(1 - (double) y / Math.max(1, plotH - 1)));
                g.fillRect(barX, top + y, barWidth, 1);
            }
            g.setColor(new Color(0x555555));
            g.drawRect(barX, top, barWidth, plotH);
            g.setFont(tickFont);
            for (Tick t : barTicks) {
                int y = top + plotH - (int) Math.round((t.value() - vMin) / (vMax - vMin) * plotH);
                g.drawLine(barX + barWidth, y, barX + barWidth + 3, y);
                g.drawString(t.label(), barX + barWidth + 6, y + tick.getAscent() / 2 - 1);
            }
            if (!colorBarTitle.isEmpty()) {
                g.setColor(Color.BLACK);
                g.setFont(axisFont);
                drawVertical(
                        g,
                        colorBarTitle,
                        barX + barWidth + 6 + barTickWidth + 8 + axis.getAscent(),
                        top + plotH / 2);
            }
        }

        private double scale(double v) {
            return Double.isNaN(v) ? Double.NaN : (v - vMin) / (vMax - vMin);
        }

        private static void drawPoint(Graphics2D g, double x, double y, Color color) {
            Ellipse2D dot = new Ellipse2D.Double(x - 2.5, y - 2.5, 5, 5);
            g.setColor(color);
            g.fill(dot);
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(0.6f));
            g.draw(dot);
        }

        private static void drawVertical(Graphics2D g, String text, int baselineX, int centerY) {
            AffineTransform saved = g.getTransform();
            g.translate(baselineX, centerY + g.getFontMetrics().stringWidth(text) / 2.0);
            g.rotate(-Math.PI / 2);
            g.drawString(text, 0, 0);
            g.setTransform(saved);
        }
    }

    /** A tick: a data value (continuous) or a cell index (categorical), and its label. */
    private record Tick(double value, String label, boolean category) {
        /** The position along the axis, 0 at the start and 1 at the end. */
        double position(double min, double max, int cells) {
            return category ? (value + 0.5) / cells : (value - min) / (max - min);
        }
    }

    /**
     * One tick per category, or per k-th category where a cell is smaller than a label needs.
     *
     * @param labels the labels
     * @param cellPixels the size of one cell along the axis
     * @param labelPixels the size one label needs along the axis
     */
    private static List<Tick> categoryTicks(
            String[] labels, double cellPixels, double labelPixels) {
        List<Tick> ticks = new ArrayList<>();
        int every = Math.max(1, (int) Math.ceil(labelPixels / Math.max(1e-9, cellPixels)));
        for (int i = 0; i < labels.length; i += every) {
            ticks.add(new Tick(i, labels[i], true));
        }
        return ticks;
    }

    /** About five ticks at 1, 2, 2.5 or 5 times a power of ten. */
    private static List<Tick> niceTicks(double min, double max) {
        double raw = (max - min) / 5;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = power;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            step = m * power;
            if (step >= raw) {
                break;
            }
        }
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        if (Math.abs(step / Math.pow(10, -decimals) - Math.rint(step / Math.pow(10, -decimals)))
                > 1e-9) {
            decimals++; // 2.5 x 10^k needs one more digit
        }
        List<Tick> ticks = new ArrayList<>();
        double first = Math.ceil(min / step - 1e-9) * step;
        for (double v = first; v <= max + step * 1e-9; v += step) {
            double value = Math.abs(v) < step * 1e-9 ? 0 : v;
            ticks.add(
                    new Tick(
                            value,
                            String.format(Locale.ROOT, "%." + decimals + "f", value),
                            false));
        }
        return ticks;
    }
}

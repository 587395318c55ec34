package dev.oodlab.viz;

import de.erichseifert.vectorgraphics2d.Document;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import dev.oodlab.OodLab;
import dev.oodlab.io.AtomicFile;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * A rendered chart: a {@link BufferedImage} that notebooks display directly, which also remembers
 * how it was drawn so that it can be saved as a vector SVG.
 *
 * <p>All chart factories in this package return a {@code Figure}. In a notebook, make it the last
 * expression of a cell (or pass it to {@code display(...)}); IJava, JJava and rapaio render any
 * {@link java.awt.image.RenderedImage} as {@code image/png}. {@link #savePng(Path)} and {@link
 * #saveSvg(Path)} write files (through a temporary file and a rename). SVG output uses
 * VectorGraphics2D, which XChart brings along.
 */
public final class Figure extends BufferedImage {

    /** Draws a figure onto a graphics context of the given size. */
    @FunctionalInterface
    public interface Painter {
        /**
         * Draws the figure.
         *
         * @param g the graphics context; the painter may change its state
         * @param width the width to fill
         * @param height the height to fill
         */
        void paint(Graphics2D g, int width, int height);
    }

    private final Painter painter;
    private final Chart<?, ?> chart;
    private final List<Figure> panels;

    private Figure(int width, int height, Painter painter, Chart<?, ?> chart, List<Figure> panels) {
        super(width, height, BufferedImage.TYPE_INT_RGB);
        this.painter = painter;
        this.chart = chart;
        this.panels = panels;
        Graphics2D g = createGraphics();
        try {
            paintOn(g);
        } finally {
            g.dispose();
        }
    }

    /**
     * Renders a figure from a painter.
     *
     * @param width the width in pixels
     * @param height the height in pixels
     * @param painter draws the content; called now and again for SVG
     * @return the figure
     */
    public static Figure of(int width, int height, Painter painter) {
        OodLab.init();
        Objects.requireNonNull(painter, "painter");
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException(
                    "figure size must be positive: " + width + "x" + height);
        }
        return new Figure(width, height, painter, null, List.of());
    }

    /**
     * Renders an XChart chart at its own size.
     *
     * @param chart any XChart chart
     * @return the figure
     */
    public static Figure of(Chart<?, ?> chart) {
        Objects.requireNonNull(chart, "chart");
        OodLab.init();
        return new Figure(
                chart.getWidth(),
                chart.getHeight(),
                (g, w, h) -> chart.paint(g, w, h),
                chart,
                List.of());
    }

    /**
     * Lays figures out on a grid, row by row, each cell as large as the largest figure: one panel
     * per method, for example.
     *
     * @param panels the figures, at least one
     * @param columns the number of columns, at least 1
     * @return the combined figure
     */
    public static Figure grid(List<Figure> panels, int columns) {
        if (panels.isEmpty() || columns < 1) {
            throw new IllegalArgumentException("a grid needs at least one panel and one column");
        }
        int cellWidth = 0;
        int cellHeight = 0;
        for (Figure f : panels) {
            cellWidth = Math.max(cellWidth, f.getWidth());
            cellHeight = Math.max(cellHeight, f.getHeight());
        }
        int cols = Math.min(columns, panels.size());
        int rows = (panels.size() + cols - 1) / cols;
        int cw = cellWidth;
        int ch = cellHeight;
        List<Figure> copy = List.copyOf(panels);
        return new Figure(
                cols * cw,
                rows * ch,
                (g, w, h) -> {
                    for (int i = 0; i < copy.size(); i++) {
                        Figure f = copy.get(i);
                        Graphics2D cell = (Graphics2D) g.create();
                        try {
                            cell.translate((i % cols) * cw, (i / cols) * ch);
                            cell.clipRect(0, 0, f.getWidth(), f.getHeight());
                            f.paintOn(cell);
                        } finally {
                            cell.dispose();
                        }
                    }
                },
                null,
                copy);
    }

    /** The XChart chart this figure was drawn from, or null (a painter, a grid). */
    Chart<?, ?> chart() {
        return chart;
    }

    /** The panels of a grid, row by row; empty for a single chart. */
    List<Figure> panels() {
        return panels;
    }

    /**
     * Saves the image as PNG.
     *
     * @param file the target file; parent directories are created
     * @throws IOException if it cannot be written
     */
    public void savePng(Path file) throws IOException {
        AtomicFile.write(
                file,
                out -> {
                    if (!ImageIO.write(this, "png", out)) {
                        throw new IOException("no PNG writer available");
                    }
                });
    }

    /**
     * Saves the figure as SVG, drawn again as vectors: lines and areas stay paths (XChart draws its
     * text as glyph outlines, so chart text is paths too; heat-map cells are an embedded bitmap).
     *
     * @param file the target file; parent directories are created
     * @throws IOException if it cannot be written
     */
    public void saveSvg(Path file) throws IOException {
        VectorGraphics2D g = new VectorGraphics2D();
        paintOn(g);
        Document document =
                new SVGProcessor()
                        .getDocument(g.getCommands(), new PageSize(0, 0, getWidth(), getHeight()));
        AtomicFile.write(file, document::writeTo);
    }

    private void paintOn(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, getWidth(), getHeight());
        painter.paint(g, getWidth(), getHeight());
    }
}

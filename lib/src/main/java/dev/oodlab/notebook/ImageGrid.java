package dev.oodlab.notebook;

import dev.oodlab.OodLab;
import dev.oodlab.data.ImageSet;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;

/**
 * Draws images of an {@link ImageSet} as a grid, each scaled up (nearest neighbour) and optionally
 * captioned, for a notebook cell or a PNG file.
 *
 * <pre>{@code
 * ImageGrid.of(Datasets.fashionMnistTest()).columns(10).count(20).scale(3).render()
 * }</pre>
 */
public final class ImageGrid {

    private final ImageSet set;
    private int[] indices;
    private String[] captions;
    private List<String> classNames;
    private int columns = 10;
    private int scale = 3;
    private String title;

    static {
        OodLab.init();
    }

    private ImageGrid(ImageSet set) {
        this.set = Objects.requireNonNull(set, "set");
    }

    /** A grid over {@code set}, by default its first 20 images in 10 columns at 3× scale. */
    public static ImageGrid of(ImageSet set) {
        return new ImageGrid(set).count(Math.min(20, set.size()));
    }

    /** Shows the first {@code n} images. */
    public ImageGrid count(int n) {
        if (n <= 0 || n > set.size()) {
            throw new IllegalArgumentException(
                    "count must be in [1, " + set.size() + "], got " + n);
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        this.indices = idx;
        return this;
    }

    /** Shows the images at these indices, in this order. */
    public ImageGrid indices(int... idx) {
        if (idx.length == 0) {
            throw new IllegalArgumentException("no image indices given");
        }
        for (int i : idx) {
            if (i < 0 || i >= set.size()) {
                throw new IllegalArgumentException(
                        "image index " + i + " is outside [0, " + set.size() + ")");
            }
        }
        this.indices = idx.clone();
        return this;
    }

    /** Captions under the images, one per shown image (e.g. a label and a confidence). */
    public ImageGrid captions(String... text) {
        this.captions = text.clone();
        return this;
    }

    /**
     * Captions each shown image with the name of its class: {@code classNames.get(label)}. Applies
     * to whatever images are shown, so it may come before or after {@link #count} or {@link
     * #indices}; explicit {@link #captions} win.
     *
     * @param classNames the class names, indexed by label
     * @return this grid
     * @throws IllegalArgumentException if the set has no labels, or more classes than names
     */
    public ImageGrid classCaptions(List<String> classNames) {
        if (!set.isLabelled()) {
            throw new IllegalArgumentException(set.name() + " has no labels to caption");
        }
        if (classNames.size() < set.numClasses()) {
            throw new IllegalArgumentException(
                    classNames.size()
                            + " class names for the "
                            + set.numClasses()
                            + " classes of "
                            + set.name());
        }
        this.classNames = List.copyOf(classNames);
        return this;
    }

    /** Images per row. */
    public ImageGrid columns(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("columns must be > 0, got " + n);
        }
        this.columns = n;
        return this;
    }

    /** Screen pixels per image pixel. */
    public ImageGrid scale(int s) {
        if (s <= 0) {
            throw new IllegalArgumentException("scale must be > 0, got " + s);
        }
        this.scale = s;
        return this;
    }

    /** A title drawn above the grid. */
    public ImageGrid title(String text) {
        this.title = text;
        return this;
    }

    /** The captions to draw: the explicit ones, else the class names, else none. */
    String[] shownCaptions() {
        if (captions != null || classNames == null) {
            return captions;
        }
        String[] text = new String[indices.length];
        for (int k = 0; k < indices.length; k++) {
            text[k] = classNames.get(set.label(indices[k]));
        }
        return text;
    }

    /** Draws the grid. */
    public BufferedImage render() {
        String[] captions = shownCaptions();
        if (captions != null && captions.length != indices.length) {
            throw new IllegalArgumentException(
                    captions.length + " captions for " + indices.length + " images");
        }
        int cellW = set.width() * scale;
        int cellH = set.height() * scale;
        int pad = 4;
        int captionH = captions == null ? 0 : 14;
        int titleH = title == null ? 0 : 22;
        int cols = Math.min(columns, indices.length);
        int rows = (indices.length + cols - 1) / cols;
        int w = cols * (cellW + pad) + pad;
        int h = titleH + rows * (cellH + captionH + pad) + pad;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(
                    RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setColor(Color.BLACK);
            if (title != null) {
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
                g.drawString(title, pad, 16);
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            FontMetrics fm = g.getFontMetrics();
            for (int k = 0; k < indices.length; k++) {
                int x0 = pad + (k % cols) * (cellW + pad);
                int y0 = titleH + pad + (k / cols) * (cellH + captionH + pad);
                drawImage(out, indices[k], x0, y0);
                if (captions != null) {
                    String c = captions[k];
                    while (c.length() > 1 && fm.stringWidth(c) > cellW + pad) {
                        c = c.substring(0, c.length() - 1);
                    }
                    g.drawString(
                            c, x0 + Math.max(0, (cellW - fm.stringWidth(c)) / 2), y0 + cellH + 11);
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private void drawImage(BufferedImage out, int index, int x0, int y0) {
        int hgt = set.height();
        int wid = set.width();
        int plane = hgt * wid;
        int base = index * set.imageSize();
        float[] p = set.pixels();
        boolean colour = set.channels() >= 3;
        for (int y = 0; y < hgt; y++) {
            for (int x = 0; x < wid; x++) {
                int r;
                int gr;
                int b;
                if (colour) {
                    r = level(p[base + y * wid + x]);
                    gr = level(p[base + plane + y * wid + x]);
                    b = level(p[base + 2 * plane + y * wid + x]);
                } else {
                    r = gr = b = level(p[base + y * wid + x]);
                }
                int rgb = (r << 16) | (gr << 8) | b;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        out.setRGB(x0 + x * scale + dx, y0 + y * scale + dy, rgb);
                    }
                }
            }
        }
    }

    private static int level(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255)));
    }
}

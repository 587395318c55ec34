package dev.oodlab.viz;

/**
 * Title, axis labels and size of a chart. Every chart factory has a default; change what you need
 * with the {@code with…} methods: {@code ChartOptions.defaults().withTitle("MSP on
 * MNIST").withSize(800, 500)}. A {@code null} title or label means "the chart's default". Titles
 * and labels are typeset when drawn: {@code "sigma = 0.5"} shows as "σ = 0.5", {@code "PhiInv(p)"}
 * as "Φ⁻¹(p)", {@code "x^2"} as "x²", {@code ">="} as "≥" (whole words only).
 *
 * @param title the chart title, or null for the chart's default
 * @param xLabel the x-axis label, or null for the chart's default
 * @param yLabel the y-axis label, or null for the chart's default
 * @param width the image width in pixels
 * @param height the image height in pixels
 */
public record ChartOptions(String title, String xLabel, String yLabel, int width, int height) {

    /** The default image width, 600 pixels. */
    public static final int DEFAULT_WIDTH = 600;

    /** The default image height, 400 pixels. */
    public static final int DEFAULT_HEIGHT = 400;

    /**
     * Checks the size.
     *
     * @param title see the record description
     * @param xLabel see the record description
     * @param yLabel see the record description
     * @param width see the record description
     * @param height see the record description
     */
    public ChartOptions {
        if (width < 50 || height < 50 || width > 10_000 || height > 10_000) {
            throw new IllegalArgumentException(
                    "chart size must be within 50..10000 pixels, got " + width + "x" + height);
        }
    }

    /**
     * 600×400, the chart's own title and labels.
     *
     * @return the default options
     */
    public static ChartOptions defaults() {
        return new ChartOptions(null, null, null, DEFAULT_WIDTH, DEFAULT_HEIGHT);
    }

    /**
     * These options with another title.
     *
     * @param newTitle the title
     * @return new options
     */
    public ChartOptions withTitle(String newTitle) {
        return new ChartOptions(newTitle, xLabel, yLabel, width, height);
    }

    /**
     * These options with other axis labels.
     *
     * @param newXLabel the x-axis label
     * @param newYLabel the y-axis label
     * @return new options
     */
    public ChartOptions withLabels(String newXLabel, String newYLabel) {
        return new ChartOptions(title, newXLabel, newYLabel, width, height);
    }

    /**
     * These options with another size.
     *
     * @param newWidth the width in pixels
     * @param newHeight the height in pixels
     * @return new options
     */
    public ChartOptions withSize(int newWidth, int newHeight) {
        return new ChartOptions(title, xLabel, yLabel, newWidth, newHeight);
    }

    String titleOr(String fallback) {
        return title != null ? title : fallback;
    }

    String xLabelOr(String fallback) {
        return xLabel != null ? xLabel : fallback;
    }

    String yLabelOr(String fallback) {
        return yLabel != null ? yLabel : fallback;
    }
}

package org.knowm.xchart.internal.chartpart;

import java.awt.geom.Rectangle2D;
import java.util.List;

/**
 * Test access to where XChart placed the parts of a chart it has painted: the plot area, the legend
 * box and the annotations. These are package-private in XChart; this class lives in XChart's
 * package (on the test class path only) to read them.
 */
public final class ChartParts {

    private ChartParts() {}

    /** The plot area of a painted chart. */
    public static Rectangle2D plot(Chart<?, ?> chart) {
        return chart.getPlot().getBounds();
    }

    /** The legend box of a painted chart, where XChart drew it. */
    public static Rectangle2D legend(Chart<?, ?> chart) {
        Legend_<?, ?> legend = chart.getLegend();
        Rectangle2D size = legend.getBounds();
        return new Rectangle2D.Double(
                legend.xOffset, legend.yOffset, size.getWidth(), size.getHeight());
    }

    /** The annotations added to a chart. */
    public static List<ChartPart> annotations(Chart<?, ?> chart) {
        return List.copyOf(chart.annotations);
    }
}

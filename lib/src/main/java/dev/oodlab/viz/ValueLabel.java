package dev.oodlab.viz;

import org.knowm.xchart.AnnotationText;

/**
 * A short text at a data position of a chart (a bin count, the value of a bar too low to see),
 * centred on that position. It remembers its text and position, which XChart's {@link
 * AnnotationText} keeps to itself.
 */
final class ValueLabel extends AnnotationText {

    private final String label;

    /**
     * A label at a data position.
     *
     * @param text the text
     * @param x the x position in data units (for a category chart: category index, each category
     *     one unit wide, 0 at the left edge of the first)
     * @param y the y position in data units (the text's vertical centre)
     */
    ValueLabel(String text, double x, double y) {
        super(text, x, y, false);
        this.label = text;
    }

    String text() {
        return label;
    }

    double x() {
        return x;
    }

    double y() {
        return y;
    }
}

package dev.oodlab.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.HashSet;
import java.util.Set;

/** Checks on rendered images. */
final class Images {

    private Images() {}

    /** The image has the size and is not blank: many non-white pixels in several colours. */
    static void assertDrawn(BufferedImage image, int width, int height) {
        assertEquals(width, image.getWidth(), "width");
        assertEquals(height, image.getHeight(), "height");
        int white = Color.WHITE.getRGB();
        long nonWhite = 0;
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                if (rgb != white) {
                    nonWhite++;
                }
                colours.add(rgb);
            }
        }
        assertTrue(nonWhite > width * height / 100, "only " + nonWhite + " non-white pixels");
        assertTrue(colours.size() > 10, "only " + colours.size() + " colours");
    }

    /** How many pixels have exactly this colour. */
    static long count(BufferedImage image, Color colour) {
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == (colour.getRGB() & 0xFFFFFF)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The mean row of the pixels of this colour within columns [x0, x1). */
    static double meanRow(BufferedImage image, Color colour, int x0, int x1) {
        double sum = 0;
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = x0; x < x1; x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == (colour.getRGB() & 0xFFFFFF)) {
                    sum += y;
                    n++;
                }
            }
        }
        assertTrue(n > 0, "colour " + colour + " not found");
        return sum / n;
    }
}

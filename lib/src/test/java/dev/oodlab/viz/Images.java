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

    /**
     * The number of separate runs of rows that hold dark (text) pixels within columns [x0, x1) and
     * rows [y0, y1): in the strip left of the plot, the number of y-axis tick labels.
     */
    static int textRows(BufferedImage image, int x0, int x1, int y0, int y1) {
        int runs = 0;
        boolean inRun = false;
        for (int y = y0; y < y1; y++) {
            boolean dark = false;
            for (int x = x0; x < x1 && !dark; x++) {
                int rgb = image.getRGB(x, y);
                int luminance = ((rgb >> 16 & 0xFF) + (rgb >> 8 & 0xFF) + (rgb & 0xFF)) / 3;
                dark = luminance < 120;
            }
            if (dark && !inRun) {
                runs++;
            }
            inRun = dark;
        }
        return runs;
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

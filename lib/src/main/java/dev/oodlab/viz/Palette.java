package dev.oodlab.viz;

import dev.oodlab.OodLab;
import java.awt.Color;

/**
 * The colours of oodlab's charts.
 *
 * <p>Series colours are the Okabe–Ito palette (Okabe &amp; Ito, "Color Universal Design", 2008),
 * chosen to stay distinct for readers with the common colour-vision deficiencies; the order puts
 * the most distinct pairs first and yellow (weak on white) last. Continuous values (heat maps) use
 * viridis (van der Walt &amp; Smith, matplotlib 2015), perceptually uniform and also
 * colour-blind-safe.
 */
public final class Palette {

    static {
        OodLab.init(); // headless AWT before the first Color is made
    }

    /** Okabe–Ito blue. */
    public static final Color BLUE = new Color(0x0072B2);

    /** Okabe–Ito vermillion. */
    public static final Color VERMILLION = new Color(0xD55E00);

    /** Okabe–Ito bluish green. */
    public static final Color BLUISH_GREEN = new Color(0x009E73);

    /** Okabe–Ito orange. */
    public static final Color ORANGE = new Color(0xE69F00);

    /** Okabe–Ito sky blue. */
    public static final Color SKY_BLUE = new Color(0x56B4E9);

    /** Okabe–Ito reddish purple. */
    public static final Color REDDISH_PURPLE = new Color(0xCC79A7);

    /** Okabe–Ito yellow. */
    public static final Color YELLOW = new Color(0xF0E442);

    /** Okabe–Ito black. */
    public static final Color BLACK = Color.BLACK;

    /** A neutral grey for reference lines (chance diagonal, perfect calibration). */
    public static final Color REFERENCE_GREY = new Color(0x888888);

    private static final Color[] SERIES = {
        BLUE, VERMILLION, BLUISH_GREEN, ORANGE, SKY_BLUE, REDDISH_PURPLE, BLACK, YELLOW
    };

    // viridis at 0, 1/8, ..., 1 (matplotlib's table); linear interpolation in between.
    private static final int[] VIRIDIS = {
        0x440154, 0x472D7B, 0x3B528B, 0x2C728E, 0x21908C, 0x27AD81, 0x5DC863, 0xAADC32, 0xFDE725
    };

    private Palette() {}

    /**
     * The Okabe–Ito series colours in oodlab's order.
     *
     * @return a fresh array of 8 colours
     */
    public static Color[] series() {
        return SERIES.clone();
    }

    /**
     * The colour of series {@code i}, cycling after 8.
     *
     * @param i the series index, from 0
     * @return its colour
     */
    public static Color series(int i) {
        return SERIES[Math.floorMod(i, SERIES.length)];
    }

    /**
     * A colour with an alpha channel, for filled areas that overlap.
     *
     * @param color the colour
     * @param alpha opacity in [0, 255]
     * @return the translucent colour
     */
    public static Color translucent(Color color, int alpha) {
        return new Color(color.getRed(), color.getGreen(), color.getBlue(), alpha);
    }

    /**
     * The viridis colour of a value in [0, 1] (clamped): dark purple at 0, yellow at 1.
     *
     * @param t the value; NaN gives light grey
     * @return the colour
     */
    public static Color viridis(double t) {
        if (Double.isNaN(t)) {
            return new Color(0xDDDDDD);
        }
        double x = Math.min(Math.max(t, 0), 1) * (VIRIDIS.length - 1);
        int i = Math.min((int) x, VIRIDIS.length - 2);
        double f = x - i;
        Color a = new Color(VIRIDIS[i]);
        Color b = new Color(VIRIDIS[i + 1]);
        return new Color(
                (int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }
}

package dev.oodlab.viz;

import dev.oodlab.OodLab;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The colours of oodlab's charts, and the one colour each method and each data set has in every
 * chart of the series.
 *
 * <p><b>Named colours.</b> A training method, a detector and an OOD set keep their colour from
 * chart to chart and notebook to notebook: {@link #method(String)} and {@link #oodSet(String)} look
 * a name up (case, spaces, underscores, a parenthesised suffix such as {@code "MSP (baseline)"} and
 * a {@code "noise"}/{@code "test"} suffix do not matter), and every chart of this package colours a
 * series whose name it knows with {@link #colours(Collection)}. The cross-entropy model and its
 * maximum-softmax score ({@code ce}, {@code msp}, {@code "MSP (baseline)"}, {@code
 * "Cross-entropy"}) are one colour: they are the same baseline. The bare name {@code gaussian} is
 * the Gaussian-noise OOD set in a chart; the training method is {@code "Gaussian augmentation"}
 * there ({@code method("gaussian")} also finds it). Sets and methods share colours, since a chart
 * draws either the one or the other as its series; every colour is distinct within each group.
 *
 * <p>Series colours are the Okabe–Ito palette (Okabe &amp; Ito, "Color Universal Design", 2008),
 * chosen to stay distinct for readers with the common colour-vision deficiencies; the order puts
 * the most distinct pairs first and yellow (weak on white) last; the named colours beyond those
 * eight come from Paul Tol's colour-blind-safe "muted" scheme (Tol, "Colour Schemes",
 * SRON/EPS/TN/09-002, 2021), and the four readings of Adversarial-Mixup beside the paper's ({@code
 * "AM same·label"}, {@code "AM shuffled·uniform"}, {@code "AM same·uniform"}, {@code "AM
 * shuffled·label, w = ½"}), LogitNorm and Outlier Exposure from his "dark" and "light" schemes: no
 * two methods share a colour. Continuous values (heat maps) use viridis (van der Walt &amp; Smith,
 * matplotlib 2015), perceptually uniform and also colour-blind-safe.
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

    /** Tol muted green. */
    static final Color GREEN = new Color(0x117733);

    /** Tol muted olive. */
    static final Color OLIVE = new Color(0x999933);

    /** Tol muted indigo. */
    static final Color INDIGO = new Color(0x332288);

    /** Tol muted wine. */
    static final Color WINE = new Color(0x882255);

    /** Tol muted teal. */
    static final Color TEAL = new Color(0x44AA99);

    /** Tol muted purple. */
    static final Color PURPLE = new Color(0xAA4499);

    /** Tol muted rose. */
    static final Color ROSE = new Color(0xCC6677);

    /** Tol dark red (a brown). */
    static final Color BROWN = new Color(0x663333);

    /** Tol light pear. */
    static final Color PEAR = new Color(0xBBCC33);

    /** Tol light pink. */
    static final Color PINK = new Color(0xFFAABB);

    /** Tol light orange. */
    static final Color LIGHT_ORANGE = new Color(0xEE8866);

    /** Tol dark blue. */
    static final Color DARK_BLUE = new Color(0x222255);

    /** Tol dark cyan. */
    static final Color DARK_CYAN = new Color(0x225555);

    private static final Color[] SERIES = {
        BLUE, VERMILLION, BLUISH_GREEN, ORANGE, SKY_BLUE, REDDISH_PURPLE, BLACK, YELLOW
    };

    /** Colours for unnamed series: Okabe–Ito, then the Tol colours. */
    private static final Color[] FALLBACK = {
        BLUE,
        VERMILLION,
        BLUISH_GREEN,
        ORANGE,
        SKY_BLUE,
        REDDISH_PURPLE,
        BLACK,
        GREEN,
        INDIGO,
        WINE,
        OLIVE,
        TEAL,
        PURPLE,
        YELLOW
    };

    /** Method and detector keys to colours; the keys are {@link #key} forms. */
    private static final Map<String, Color> METHODS = new LinkedHashMap<>();

    /** OOD (and in-distribution) set keys to colours. */
    private static final Map<String, Color> SETS = new LinkedHashMap<>();

    /** Other spellings of the keys above. */
    private static final Map<String, String> METHOD_ALIASES = new LinkedHashMap<>();

    private static final Map<String, String> SET_ALIASES = new LinkedHashMap<>();

    static {
        method(BLUE, "ce", "cross-entropy", "crossentropy", "msp", "baseline", "max-softmax");
        method(SKY_BLUE, "odin");
        method(BLUISH_GREEN, "energy");
        method(BLACK, "mahalanobis");
        method(ORANGE, "mixup");
        method(VERMILLION, "adversarial-mixup", "adv-mixup");
        method(WINE, "adversarial-mixup-uniform", "adv-mixup-uniform");
        method(REDDISH_PURPLE, "mtlat", "m-tlat");
        method(
                GREEN,
                "confidence",
                "confidence-loss",
                "calibrated-confidence",
                "calibrated-confidence-loss");
        method(OLIVE, "mixup-confidence", "mixup-confidence-loss", "confidence-mixup");
        method(
                INDIGO,
                "joint-confidence",
                "joint",
                "gan",
                "joint-confidence-loss",
                "gan-confidence");
        method(TEAL, "gaussian-augmentation", "gaussian-aug");
        method(PURPLE, "smoothmix");
        method(ROSE, "smoothmix-one-step", "smoothmix-one-step-adversary");
        // the readings of Adversarial-Mixup beside the paper's (AdversarialMixupStudy.READINGS)
        method(BROWN, "am-same·label", "adversarial-mixup-same·label");
        method(PEAR, "am-shuffled·uniform", "adversarial-mixup-shuffled·uniform");
        method(PINK, "am-same·uniform", "adversarial-mixup-same·uniform");
        method(DARK_CYAN, "am-shuffled·label,-w-=-½", "adversarial-mixup-shuffled·label,-w-=-½");
        method(LIGHT_ORANGE, "logitnorm", "logit-normalization", "logit-norm");
        method(DARK_BLUE, "outlier-exposure", "oe");

        set(BLUE, "in-distribution", "in", "fashion-mnist", "fashion", "cifar10", "cifar-10");
        set(VERMILLION, "mnist", "mnist-digits");
        set(BLUISH_GREEN, "uniform");
        set(ORANGE, "gaussian");
        set(REDDISH_PURPLE, "fooling", "fooling-images");
        set(OLIVE, "gaussian-0.25", "noise-outliers", "outliers");
        set(SKY_BLUE, "svhn");
        set(WINE, "tinyimagenet-crop");
        set(PURPLE, "tinyimagenet-resize");
        set(GREEN, "lsun-crop");
        set(TEAL, "lsun-resize");
        set(INDIGO, "isun");
    }

    private static void method(Color colour, String key, String... aliases) {
        METHODS.put(key, colour);
        for (String a : aliases) {
            METHOD_ALIASES.put(a, key);
        }
    }

    private static void set(Color colour, String key, String... aliases) {
        SETS.put(key, colour);
        for (String a : aliases) {
            SET_ALIASES.put(a, key);
        }
    }

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
     * The colour of a training method or detector, the same in every chart.
     *
     * @param name a method or detector name as the library or a chart spells it: {@code
     *     "adversarial-mixup"}, {@code "Adversarial-Mixup"}, {@code "M-TLAT"}, {@code "MSP
     *     (baseline)"}, {@code "gaussian"} (Gaussian augmentation), …
     * @return its colour
     * @throws IllegalArgumentException for a name with no colour, listing the known ones
     */
    public static Color method(String name) {
        String k = key(name);
        Color c = methodColour(k.equals("gaussian") ? "gaussian-augmentation" : k);
        if (c == null) {
            throw new IllegalArgumentException(
                    "no colour for method '" + name + "'; known: " + METHODS.keySet());
        }
        return c;
    }

    /**
     * The colour of an OOD set (or of the in-distribution set), the same in every chart.
     *
     * @param name a set name as the library or a chart spells it: {@code "mnist"}, {@code "MNIST"},
     *     {@code "uniform noise"}, {@code "Gaussian"}, {@code "fashion-mnist/test"}, {@code
     *     "svhn"}, …
     * @return its colour
     * @throws IllegalArgumentException for a name with no colour, listing the known ones
     */
    public static Color oodSet(String name) {
        Color c = setColour(key(name));
        if (c == null) {
            throw new IllegalArgumentException(
                    "no colour for OOD set '" + name + "'; known: " + SETS.keySet());
        }
        return c;
    }

    /**
     * The registered colour of a series name: a method or detector, else a data set.
     *
     * @param name a series name
     * @return its colour, or empty if the name has none
     */
    public static Optional<Color> named(String name) {
        String k = key(name);
        Color c = setColour(k); // the bare "gaussian" of a chart is the noise set
        if (c == null) {
            c = methodColour(k);
        }
        return Optional.ofNullable(c);
    }

    /**
     * Colours for the series of one chart: each registered name gets its own colour ({@link
     * #named}); the others get the Okabe–Ito colours in order, skipping the colours the registered
     * names took, so that no two series of the chart share a colour while there are colours left.
     *
     * @param names the series names, in drawing order
     * @return name → colour, in the same order
     */
    public static Map<String, Color> colours(Collection<String> names) {
        Map<String, Color> out = new LinkedHashMap<>();
        Set<Color> taken = new HashSet<>();
        List<String> unnamed = new ArrayList<>();
        for (String n : names) {
            Optional<Color> c = named(n);
            if (c.isPresent() && taken.add(c.get())) {
                out.put(n, c.get());
            } else if (c.isPresent()) {
                out.put(n, c.get()); // two names for one thing (ce and msp) keep the colour
            } else {
                unnamed.add(n);
                out.put(n, null);
            }
        }
        int next = 0;
        for (String n : unnamed) {
            Color c = null;
            for (int tries = 0; tries < FALLBACK.length && c == null; tries++) {
                Color candidate = FALLBACK[next % FALLBACK.length];
                next++;
                if (!taken.contains(candidate)) {
                    c = candidate;
                }
            }
            if (c == null) { // more series than colours: cycle
                c = FALLBACK[next++ % FALLBACK.length];
            }
            taken.add(c);
            out.put(n, c);
        }
        return out;
    }

    /**
     * A name in its lookup form: lower case, spaces and underscores as {@code -}, without an "in:"
     * or "OOD:" prefix, a parenthesised suffix, or a "noise", "test", "train" or "images" ending.
     */
    static String key(String name) {
        String k = name.trim().toLowerCase(Locale.ROOT);
        k = k.replaceFirst("^(in|ood|in-distribution)\\s*:\\s*", "");
        k = k.replaceFirst("\\s*\\(.*\\)\\s*$", "");
        k = k.replaceFirst("[\\s/_-]+(noise|test|train|test set|training set)$", "");
        return k.trim().replaceAll("[\\s_]+", "-");
    }

    private static Color methodColour(String key) {
        Color c = METHODS.get(key);
        return c != null ? c : METHODS.get(METHOD_ALIASES.getOrDefault(key, ""));
    }

    private static Color setColour(String key) {
        Color c = SETS.get(key);
        return c != null ? c : SETS.get(SET_ALIASES.getOrDefault(key, ""));
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

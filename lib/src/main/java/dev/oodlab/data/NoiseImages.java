package dev.oodlab.data;

import java.util.SplittableRandom;

/**
 * Seeded noise image sets, the "Uniform" and "Gaussian" OOD sets of the Adversarial-Mixup paper
 * (Gwon &amp; Yoo 2021) and of Hendrycks &amp; Gimpel (2017).
 *
 * <ul>
 *   <li>{@link #uniform}: every pixel i.i.d. U[0, 1);
 *   <li>{@link #gaussian}: every pixel i.i.d. N(mean, sd²), clipped to [0, 1]; the default N(0.5,
 *       1) clips about 31 % of pixels to 0 and 31 % to 1.
 * </ul>
 *
 * The same seed gives the same images.
 */
public final class NoiseImages {

    /** Default Gaussian mean. */
    public static final double DEFAULT_MEAN = 0.5;

    /** Default Gaussian standard deviation. */
    public static final double DEFAULT_SD = 1.0;

    private NoiseImages() {}

    /** {@code n} grey 28×28 images of uniform noise. */
    public static ImageSet uniform(int n, long seed) {
        return uniform(n, 1, 28, 28, seed);
    }

    /** {@code n} images of shape channels×height×width, each pixel U[0, 1). */
    public static ImageSet uniform(int n, int channels, int height, int width, long seed) {
        float[] pixels = new float[checkedSize(n, channels, height, width)];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble();
        }
        return new ImageSet("uniform", pixels, null, 0, channels, height, width);
    }

    /** {@code n} grey 28×28 images of N(0.5, 1) noise clipped to [0, 1]. */
    public static ImageSet gaussian(int n, long seed) {
        return gaussian(n, 1, 28, 28, DEFAULT_MEAN, DEFAULT_SD, seed);
    }

    /**
     * {@code n} images of shape channels×height×width, each pixel N(mean, sd²) clipped to [0, 1].
     */
    public static ImageSet gaussian(
            int n, int channels, int height, int width, double mean, double sd, long seed) {
        if (!(sd >= 0) || !Double.isFinite(mean) || !Double.isFinite(sd)) {
            throw new IllegalArgumentException(
                    "gaussian noise needs a finite mean and sd >= 0, got mean "
                            + mean
                            + ", sd "
                            + sd);
        }
        float[] pixels = new float[checkedSize(n, channels, height, width)];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < pixels.length; i += 2) {
            // Box–Muller: two normals from two uniforms.
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            double r = Math.sqrt(-2 * Math.log(u1));
            pixels[i] = clip(mean + sd * r * Math.cos(2 * Math.PI * u2));
            if (i + 1 < pixels.length) {
                pixels[i + 1] = clip(mean + sd * r * Math.sin(2 * Math.PI * u2));
            }
        }
        return new ImageSet("gaussian", pixels, null, 0, channels, height, width);
    }

    private static float clip(double v) {
        return (float) Math.min(1.0, Math.max(0.0, v));
    }

    private static int checkedSize(int n, int channels, int height, int width) {
        if (n <= 0) {
            throw new IllegalArgumentException("number of noise images must be > 0, got " + n);
        }
        long size = (long) n * channels * height * width;
        if (channels <= 0 || height <= 0 || width <= 0 || size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "invalid noise image shape " + n + "x" + channels + "x" + height + "x" + width);
        }
        return (int) size;
    }
}

package dev.oodlab.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A set of images held in memory: pixels in [0, 1], channel-first, one flat {@code float[]}.
 *
 * <p>Image {@code i} occupies {@code pixels[i * imageSize() .. (i + 1) * imageSize())}, laid out as
 * channels × height × width. Labels are class indices in {@code [0, numClasses)}, or absent ({@code
 * labels == null}) for unlabelled sets such as generated noise. {@link #images(NDManager)} turns
 * the whole set into one NDArray of shape (N, C, H, W) that a training loop slices per batch.
 *
 * @param name a short name shown in tables and charts, e.g. {@code "fashion-mnist/test"}
 * @param pixels all pixels, image after image, in [0, 1]
 * @param labels one class index per image, or {@code null} for an unlabelled set
 * @param numClasses the number of classes (0 for an unlabelled set)
 * @param channels channels per image (1 for grey, 3 for colour)
 * @param height image height in pixels
 * @param width image width in pixels
 */
public record ImageSet(
        String name,
        float[] pixels,
        int[] labels,
        int numClasses,
        int channels,
        int height,
        int width) {

    /** Checks the shapes: pixel count a multiple of the image size, one label per image. */
    public ImageSet {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pixels, "pixels");
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    name
                            + ": image shape must be positive, got "
                            + channels
                            + "x"
                            + height
                            + "x"
                            + width);
        }
        int imageSize = channels * height * width;
        if (pixels.length % imageSize != 0) {
            throw new IllegalArgumentException(
                    name
                            + ": "
                            + pixels.length
                            + " pixels is not a whole number of "
                            + channels
                            + "x"
                            + height
                            + "x"
                            + width
                            + " images");
        }
        int n = pixels.length / imageSize;
        if (labels != null) {
            if (labels.length != n) {
                throw new IllegalArgumentException(
                        name + ": " + labels.length + " labels for " + n + " images");
            }
            for (int i = 0; i < n; i++) {
                if (labels[i] < 0 || labels[i] >= numClasses) {
                    throw new IllegalArgumentException(
                            name
                                    + ": label "
                                    + labels[i]
                                    + " at index "
                                    + i
                                    + " is outside [0, "
                                    + numClasses
                                    + ")");
                }
            }
        }
    }

    /** Number of images. */
    public int size() {
        return pixels.length / imageSize();
    }

    /** Pixels per image: channels × height × width. */
    public int imageSize() {
        return channels * height * width;
    }

    /** Whether the set carries labels. */
    public boolean isLabelled() {
        return labels != null;
    }

    /** The pixels of image {@code i} (a copy). */
    public float[] image(int i) {
        Objects.checkIndex(i, size());
        return Arrays.copyOfRange(pixels, i * imageSize(), (i + 1) * imageSize());
    }

    /** The label of image {@code i}; fails for an unlabelled set. */
    public int label(int i) {
        if (labels == null) {
            throw new IllegalStateException(name + " has no labels");
        }
        return labels[i];
    }

    /** The mean over all pixels of all images (NaN for an empty set). */
    public double meanPixel() {
        double sum = 0;
        for (float v : pixels) {
            sum += v;
        }
        return pixels.length == 0 ? Double.NaN : sum / pixels.length;
    }

    /**
     * The share of all pixels that are exactly {@code value} (NaN for an empty set): e.g. the black
     * background ({@code 0}) of a digit, or the pixels clipped to 0 or 1 in Gaussian noise.
     */
    public double shareOfPixels(float value) {
        long count = 0;
        for (float v : pixels) {
            if (v == value) {
                count++;
            }
        }
        return pixels.length == 0 ? Double.NaN : (double) count / pixels.length;
    }

    /**
     * A first look at how sets differ pixel by pixel: one row per set with its name, its number of
     * images, {@link #meanPixel()} and the {@link #shareOfPixels shares of pixels} at exactly 0 and
     * exactly 1, rounded to three decimals.
     *
     * @param sets the sets, in row order
     * @return the table (columns set, images, mean pixel, share = 0, share = 1)
     */
    public static Table pixelTable(ImageSet... sets) {
        StringColumn name = StringColumn.create("set");
        IntColumn images = IntColumn.create("images");
        DoubleColumn mean = DoubleColumn.create("mean pixel");
        DoubleColumn zeros = DoubleColumn.create("share = 0");
        DoubleColumn ones = DoubleColumn.create("share = 1");
        for (ImageSet set : sets) {
            name.append(set.name());
            images.append(set.size());
            mean.append(round3(set.meanPixel()));
            zeros.append(round3(set.shareOfPixels(0f)));
            ones.append(round3(set.shareOfPixels(1f)));
        }
        return Table.create("pixels", name, images, mean, zeros, ones);
    }

    private static double round3(double v) {
        return Math.round(1000 * v) / 1000.0;
    }

    /** The whole set as one float32 NDArray of shape (N, C, H, W), owned by {@code manager}. */
    public NDArray images(NDManager manager) {
        return manager.create(pixels, new Shape(size(), channels, height, width));
    }

    /** The labels as one int32 NDArray of shape (N), owned by {@code manager}. */
    public NDArray labelArray(NDManager manager) {
        if (labels == null) {
            throw new IllegalStateException(name + " has no labels");
        }
        return manager.create(labels).toType(DataType.INT32, false);
    }

    /** The first {@code n} images (all of them if {@code n >= size()}), under the same name. */
    public ImageSet head(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        if (n >= size()) {
            return this;
        }
        return new ImageSet(
                name,
                Arrays.copyOf(pixels, n * imageSize()),
                labels == null ? null : Arrays.copyOf(labels, n),
                numClasses,
                channels,
                height,
                width);
    }

    /** The images at {@code indices}, in that order. */
    public ImageSet select(int[] indices, String newName) {
        int size = imageSize();
        float[] out = new float[indices.length * size];
        int[] outLabels = labels == null ? null : new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = Objects.checkIndex(indices[k], size());
            System.arraycopy(pixels, i * size, out, k * size, size);
            if (outLabels != null) {
                outLabels[k] = labels[i];
            }
        }
        return new ImageSet(newName, out, outLabels, numClasses, channels, height, width);
    }

    /** A seeded random sample of {@code n} distinct images (all of them, shuffled, if n ≥ size). */
    public ImageSet sample(int n, long seed) {
        int[] order = permutation(size(), seed);
        return select(Arrays.copyOf(order, Math.min(n, size())), name);
    }

    /**
     * Splits the set into two parts of {@code firstSize} and {@code size() - firstSize} images
     * after a seeded shuffle.
     */
    public ImageSet[] split(int firstSize, long seed, String firstName, String secondName) {
        if (firstSize < 0 || firstSize > size()) {
            throw new IllegalArgumentException(
                    "first part size must be in [0, " + size() + "], got " + firstSize);
        }
        int[] order = permutation(size(), seed);
        return new ImageSet[] {
            select(Arrays.copyOfRange(order, 0, firstSize), firstName),
            select(Arrays.copyOfRange(order, firstSize, order.length), secondName)
        };
    }

    /**
     * The images of several sets one after the other, as one set: outliers from two noise sources,
     * for example. The sets must have one image shape; either all are labelled with the same number
     * of classes (the labels are kept) or none is.
     *
     * @param name the new set's name
     * @param sets the sets, at least one, in order
     * @return the concatenation
     * @throws IllegalArgumentException if no set is given, the shapes differ, or labelled and
     *     unlabelled sets (or different class counts) are mixed, naming the first set that differs
     */
    public static ImageSet concat(String name, ImageSet... sets) {
        Objects.requireNonNull(name, "name");
        if (sets.length == 0) {
            throw new IllegalArgumentException("concat needs at least one image set");
        }
        ImageSet first = sets[0];
        int total = 0;
        for (ImageSet s : sets) {
            if (s.channels != first.channels
                    || s.height != first.height
                    || s.width != first.width) {
                throw new IllegalArgumentException(
                        "cannot concatenate "
                                + s.name
                                + " ("
                                + s.channels
                                + "x"
                                + s.height
                                + "x"
                                + s.width
                                + ") with "
                                + first.name
                                + " ("
                                + first.channels
                                + "x"
                                + first.height
                                + "x"
                                + first.width
                                + ")");
            }
            if ((s.labels == null) != (first.labels == null)
                    || (s.labels != null && s.numClasses != first.numClasses)) {
                throw new IllegalArgumentException(
                        "cannot concatenate "
                                + describeLabels(s)
                                + " "
                                + s.name
                                + " with "
                                + describeLabels(first)
                                + " "
                                + first.name);
            }
            total += s.pixels.length;
        }
        float[] pixels = new float[total];
        int[] labels = first.labels == null ? null : new int[total / first.imageSize()];
        int at = 0;
        int image = 0;
        for (ImageSet s : sets) {
            System.arraycopy(s.pixels, 0, pixels, at, s.pixels.length);
            at += s.pixels.length;
            if (labels != null) {
                System.arraycopy(s.labels, 0, labels, image, s.labels.length);
            }
            image += s.size();
        }
        return new ImageSet(
                name,
                pixels,
                labels,
                labels == null ? 0 : first.numClasses,
                first.channels,
                first.height,
                first.width);
    }

    private static String describeLabels(ImageSet s) {
        return s.labels == null ? "unlabelled" : s.numClasses + "-class";
    }

    /** The same images under another name. */
    public ImageSet withName(String newName) {
        return new ImageSet(newName, pixels, labels, numClasses, channels, height, width);
    }

    @Override
    public String toString() {
        return name
                + " ["
                + size()
                + " x "
                + channels
                + "x"
                + height
                + "x"
                + width
                + (labels == null ? ", unlabelled" : ", " + numClasses + " classes")
                + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageSet other
                && name.equals(other.name)
                && numClasses == other.numClasses
                && channels == other.channels
                && height == other.height
                && width == other.width
                && Arrays.equals(pixels, other.pixels)
                && Arrays.equals(labels, other.labels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(pixels), Arrays.hashCode(labels), channels);
    }

    /** A seeded Fisher–Yates permutation of 0..n-1. */
    static int[] permutation(int n, long seed) {
        return Permutation.random(n, new SplittableRandom(seed));
    }
}

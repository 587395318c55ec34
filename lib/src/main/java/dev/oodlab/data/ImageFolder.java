package dev.oodlab.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reader for a folder of image files (PNG, JPEG, BMP, GIF), the form in which the ODIN line of work
 * distributes its OOD sets (TinyImageNet crop/resize, LSUN crop/resize, iSUN).
 *
 * <ul>
 *   <li>{@link #readUnlabelled}: every image file below the folder, in sorted path order;
 *   <li>{@link #readLabelled}: one sub-folder per class; classes are the sub-folder names in sorted
 *       order, labels their indices.
 * </ul>
 *
 * Images must have the expected size (or, with {@link SizeRule#CENTRE_CROP}, at least that size,
 * and are then cropped around their centre); colour images are converted to grey (mean of R, G, B)
 * when one channel is asked for, and grey images are repeated over three channels when three are.
 */
public final class ImageFolder {

    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    /** What to do with an image whose size is not the expected one. */
    public enum SizeRule {
        /** Refuse it, naming the file and both sizes. */
        EXACT,
        /**
         * Take the expected size from its centre if it is at least that large (offsets {@code (w −
         * width) / 2}, {@code (h − height) / 2}, rounded down); refuse a smaller image.
         */
        CENTRE_CROP
    }

    private ImageFolder() {}

    /**
     * Reads every image below {@code dir} as one unlabelled set.
     *
     * @param dir the folder
     * @param name the set's name
     * @param channels 1 (grey) or 3 (RGB)
     * @param height expected height of every image
     * @param width expected width of every image
     * @return the unlabelled set, pixels in [0, 1]
     */
    public static ImageSet readUnlabelled(
            Path dir, String name, int channels, int height, int width) {
        return readUnlabelled(
                dir, name, channels, height, width, Integer.MAX_VALUE, SizeRule.EXACT);
    }

    /**
     * Reads the first {@code limit} images below {@code dir}, in sorted path order, as one
     * unlabelled set (only those files are decoded).
     *
     * @param dir the folder
     * @param name the set's name
     * @param channels 1 (grey) or 3 (RGB)
     * @param height the height of the images returned
     * @param width the width of the images returned
     * @param limit the most images to read (≥ 1)
     * @param rule what to do with images of another size
     * @return the unlabelled set, pixels in [0, 1]
     */
    public static ImageSet readUnlabelled(
            Path dir, String name, int channels, int height, int width, int limit, SizeRule rule) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, got " + limit);
        }
        List<Path> files = imageFiles(dir);
        if (files.size() > limit) {
            files = files.subList(0, limit);
        }
        return readFiles(files, name, channels, height, width, rule);
    }

    /**
     * Reads a folder with one sub-folder per class.
     *
     * @param dir the folder whose sub-folders are the classes
     * @param name the set's name
     * @param channels 1 (grey) or 3 (RGB)
     * @param height expected height of every image
     * @param width expected width of every image
     * @return the labelled set; class {@code k} is the k-th sub-folder in sorted order
     */
    public static ImageSet readLabelled(
            Path dir, String name, int channels, int height, int width) {
        requireDirectory(dir);
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(dir)) {
            classDirs = s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new DataFormatException(dir, "cannot be listed: " + e.getMessage(), e);
        }
        if (classDirs.isEmpty()) {
            throw new DataFormatException(dir, "has no class sub-folders");
        }
        List<ImageSet> parts = new ArrayList<>();
        int total = 0;
        for (Path classDir : classDirs) {
            ImageSet part = readUnlabelled(classDir, name, channels, height, width);
            parts.add(part);
            total += part.size();
        }
        int size = channels * height * width;
        float[] pixels = new float[total * size];
        int[] labels = new int[total];
        int k = 0;
        for (int c = 0; c < parts.size(); c++) {
            ImageSet part = parts.get(c);
            System.arraycopy(part.pixels(), 0, pixels, k * size, part.pixels().length);
            for (int i = 0; i < part.size(); i++) {
                labels[k++] = c;
            }
        }
        return new ImageSet(name, pixels, labels, classDirs.size(), channels, height, width);
    }

    /**
     * Reads the given image files, in the given order, as one unlabelled set: the same pixels as
     * {@link #readUnlabelled(Path, String, int, int, int, int, SizeRule)} gives for those files, so
     * a large folder can be read part by part (e.g. one part per Spark partition).
     *
     * @param files image files, e.g. a slice of {@link #imageFiles(Path)}
     * @param name the set's name
     * @param channels 1 (grey) or 3 (RGB)
     * @param height the height of the images returned
     * @param width the width of the images returned
     * @param rule what to do with images of another size
     * @return the unlabelled set, pixels in [0, 1]
     */
    public static ImageSet readFiles(
            List<Path> files, String name, int channels, int height, int width, SizeRule rule) {
        float[] pixels = new float[files.size() * channels * height * width];
        for (int i = 0; i < files.size(); i++) {
            decode(
                    files.get(i),
                    channels,
                    height,
                    width,
                    rule,
                    pixels,
                    i * channels * height * width);
        }
        return new ImageSet(name, pixels, null, 0, channels, height, width);
    }

    /**
     * The image files below a folder ({@code .png}, {@code .jpg}, {@code .jpeg}, {@code .bmp},
     * {@code .gif}, any case), in sorted path order: the order the {@code readUnlabelled} methods
     * read them in.
     *
     * @param dir the folder
     * @return the files, at least one
     * @throws DataFormatException if the folder cannot be listed or holds no image file
     */
    public static List<Path> imageFiles(Path dir) {
        requireDirectory(dir);
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files =
                    s.filter(Files::isRegularFile)
                            .filter(
                                    p -> {
                                        String f =
                                                p.getFileName().toString().toLowerCase(Locale.ROOT);
                                        return EXTENSIONS.stream().anyMatch(f::endsWith);
                                    })
                            .sorted()
                            .toList();
        } catch (IOException e) {
            throw new DataFormatException(dir, "cannot be listed: " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new DataFormatException(dir, "holds no image files (" + EXTENSIONS + ")");
        }
        return files;
    }

    private static void decode(
            Path file,
            int channels,
            int height,
            int width,
            SizeRule rule,
            float[] out,
            int offset) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot be decoded: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new DataFormatException(file, "is not a readable image");
        }
        boolean exact = img.getWidth() == width && img.getHeight() == height;
        boolean larger = img.getWidth() >= width && img.getHeight() >= height;
        if (!exact && (rule == SizeRule.EXACT || !larger)) {
            throw new DataFormatException(
                    file,
                    "image is "
                            + img.getWidth()
                            + "x"
                            + img.getHeight()
                            + " (width x height), expected "
                            + width
                            + "x"
                            + height
                            + (rule == SizeRule.EXACT ? "" : " or larger"));
        }
        int left = (img.getWidth() - width) / 2;
        int top = (img.getHeight() - height) / 2;
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = img.getRGB(left + x, top + y);
                float r = ((rgb >> 16) & 0xff) / 255f;
                float g = ((rgb >> 8) & 0xff) / 255f;
                float b = (rgb & 0xff) / 255f;
                int p = y * width + x;
                if (channels == 1) {
                    out[offset + p] = (r + g + b) / 3f;
                } else {
                    out[offset + p] = r;
                    out[offset + plane + p] = g;
                    out[offset + 2 * plane + p] = b;
                }
            }
        }
    }

    private static void requireDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DataFormatException(dir, "directory not found");
        }
    }
}

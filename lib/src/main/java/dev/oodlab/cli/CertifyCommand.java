package dev.oodlab.cli;

import ai.djl.ndarray.NDManager;
import dev.oodlab.OodLab;
import dev.oodlab.data.Datasets;
import dev.oodlab.data.ImageSet;
import dev.oodlab.nn.Network;
import dev.oodlab.nn.SavedModel;
import dev.oodlab.smoothing.BaseClassifier;
import dev.oodlab.smoothing.CertificationLog;
import dev.oodlab.smoothing.CertificationResults;
import dev.oodlab.smoothing.SmoothedClassifier;
import dev.oodlab.smoothing.SmoothingTraining;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code oodlab certify}: randomized-smoothing certification (Cohen, Rosenfeld, Kolter, ICML 2019)
 * of a trained model on the test split of the set it was trained on, printed as one JSON object:
 *
 * <pre>{@code
 * {"acr": 0.91, "certified_accuracy": {"0.0": 0.99, "0.25": 0.97, ...}, "abstain_rate": 0.01,
 *  "n": 1000, "count": 500, "sigma": 0.25, "n0": 100, "alpha": 0.001, "seconds": 80.1}
 * }</pre>
 *
 * <p>with the certified accuracy at the radii of {@link CertificationResults#DEFAULT_RADII}, keyed
 * by the radius as Java (and Python) print it. {@code --out} also writes the per-point TSV log
 * ({@link CertificationLog}).
 *
 * <p>The model folder is a {@link SavedModel} ({@code model.params} + {@code model.json}); its
 * {@code dataset} picks the test set ({@link SmoothingTraining#dataset}: for {@code mnist} the 2000
 * held-out digits of the split by {@code split_seed}; a folder of IDX files: its test files), and
 * its {@code sigma} is the default noise level. The default n = 1000 (not the paper's 100000, which
 * takes about 17 s per image for the SmoothMix LeNet on 2 CPU cores) bounds the radius at
 * σ·Φ⁻¹(0.001^(1/1000)) ≈ 2.6σ.
 */
@Command(
        name = "certify",
        mixinStandardHelpOptions = true,
        description = {
            "Certify a trained model by randomized smoothing (Cohen et al., ICML 2019) on the test"
                    + " split of its data set; print ACR, certified accuracy and abstain rate as"
                    + " JSON.",
            "The paper uses n = 100000 (about 17 s per image for the SmoothMix LeNet on 2 CPU"
                    + " cores); the default n = 1000 is 100 times faster but caps the radius at"
                    + " about 2.6 sigma and lowers every radius a little."
        })
public final class CertifyCommand implements Callable<Integer> {

    /** The default number of estimation copies n (the paper's is 100000). */
    public static final int DEFAULT_N = 1000;

    /** The default number of test images certified. */
    public static final int DEFAULT_COUNT = 500;

    /** Loads a trained base classifier from a model folder, onto the given manager's device. */
    @FunctionalInterface
    public interface ModelLoader {

        /**
         * Loads the model.
         *
         * @param directory the model folder given with {@code --model}
         * @param manager the manager that owns the model's parameters for the whole run
         * @return the model as a base classifier
         * @throws Exception when the folder holds no loadable model
         */
        BaseClassifier load(Path directory, NDManager manager) throws Exception;
    }

    /** Loads a {@link SavedModel} folder; the network is closed with the run's manager. */
    static final ModelLoader SAVED_MODEL =
            (directory, manager) -> {
                Network network = SavedModel.load(directory);
                manager.attachInternal(
                        "certify-model-" + System.identityHashCode(network), network);
                return images -> network.logits(images, false);
            };

    /**
     * The test split of the data set named in a model folder's {@code model.json}: {@code mnist}
     * (the held-out digits of the split by {@code split_seed}), {@code fashion-mnist}, or a folder
     * of Fashion-MNIST-style IDX files (as {@code oodlab train --dataset DIR} records it).
     */
    static final Function<Path, ImageSet> SAVED_MODEL_TEST_SET =
            directory -> {
                SavedModel info = SavedModel.read(directory);
                String name = info.dataset();
                if (name.isEmpty()) {
                    throw new IllegalArgumentException(
                            directory.resolve(SavedModel.METADATA)
                                    + " names no data set, so its test split is unknown");
                }
                if (SmoothingTraining.DATASETS.contains(name.toLowerCase(Locale.ROOT))) {
                    return SmoothingTraining.dataset(name, info.splitSeed())[1];
                }
                return Datasets.inDistribution(name)[1];
            };

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, description = "Folder of the trained model.")
    Path model;

    @Option(
            names = "--sigma",
            description = "Noise level sigma (pixel units; default: the model's training sigma).")
    Double sigmaOption;

    double sigma;

    @Option(
            names = "--n0",
            defaultValue = "" + SmoothedClassifier.DEFAULT_N0,
            description = "Noisy copies to select the class (default: ${DEFAULT-VALUE}).")
    int n0;

    @Option(
            names = "--n",
            defaultValue = "" + DEFAULT_N,
            description =
                    "Noisy copies to estimate the bound (default: ${DEFAULT-VALUE}; the paper:"
                            + " 100000, about 17 s per image here).")
    int n;

    @Option(
            names = "--alpha",
            defaultValue = "" + SmoothedClassifier.DEFAULT_ALPHA,
            description = "Failure probability (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(
            names = "--count",
            defaultValue = "" + DEFAULT_COUNT,
            description = "Certify the first K test images (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(
            names = "--batch",
            defaultValue = "" + SmoothedClassifier.DEFAULT_BATCH_SIZE,
            description = "Noisy copies per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(
            names = "--seed",
            defaultValue = "" + OodLab.DEFAULT_SEED,
            description = "Seed of the noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", description = "Also write the per-point TSV log here.")
    Path out;

    @Option(names = "--progress", description = "Print one line per image on standard error.")
    boolean progress;

    private final ModelLoader loader;
    private final Function<Path, ImageSet> testSet;

    /** The command as the CLI runs it: a {@link SavedModel} folder. */
    public CertifyCommand() {
        this(SAVED_MODEL, SAVED_MODEL_TEST_SET);
    }

    /** The command with another model loader and test set (for tests). */
    CertifyCommand(ModelLoader loader, Function<Path, ImageSet> testSet) {
        this.loader = Objects.requireNonNull(loader, "loader");
        this.testSet = Objects.requireNonNull(testSet, "testSet");
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(model)) {
            throw new IllegalArgumentException(
                    "--model: "
                            + (Files.exists(model) ? "not a folder: " : "no such folder: ")
                            + model);
        }
        if (out != null) {
            OutputPath.file(spec, "--out", out);
        }
        if (sigmaOption == null) {
            SavedModel info = SavedModel.read(model);
            if (!info.hasSigma() || info.sigma() <= 0) {
                throw usage(
                        "--sigma is required: "
                                + model.resolve(SavedModel.METADATA)
                                + " names no training sigma");
            }
            sigma = info.sigma();
        } else {
            sigma = sigmaOption;
        }
        checkOptions();
        OodLab.init();
        long start = System.nanoTime();
        PrintWriter err = spec.commandLine().getErr();
        CertificationResults results;
        try (NDManager manager = NDManager.newBaseManager()) {
            BaseClassifier base = loader.load(model, manager);
            ImageSet set = testSet.apply(model);
            SmoothedClassifier smoothed =
                    new SmoothedClassifier(base, sigma, set.numClasses(), seed, batch);
            results =
                    smoothed.certify(
                            set,
                            count,
                            n0,
                            n,
                            alpha,
                            manager,
                            c -> {
                                if (progress) {
                                    err.println("certify: " + CertificationLog.row(c));
                                    err.flush();
                                }
                            });
        }
        if (out != null) {
            CertificationLog.write(results, out);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(json(results, seconds));
        stdout.flush();
        return 0;
    }

    private void checkOptions() {
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw usage("--sigma must be positive, got " + sigma);
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw usage("--alpha must be in (0, 1), got " + alpha);
        }
        for (Object[] option :
                new Object[][] {{"--n0", n0}, {"--n", n}, {"--count", count}, {"--batch", batch}}) {
            if ((int) option[1] <= 0) {
                throw usage(option[0] + " must be positive, got " + option[1]);
            }
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** The summary as one JSON object. */
    private String json(CertificationResults results, double seconds) {
        StringBuilder accuracy = new StringBuilder("{");
        for (double r : CertificationResults.DEFAULT_RADII) {
            if (accuracy.length() > 1) {
                accuracy.append(", ");
            }
            accuracy.append('"')
                    .append(Double.toString(r))
                    .append("\": ")
                    .append(results.certifiedAccuracy(r));
        }
        accuracy.append('}');
        return String.format(
                Locale.ROOT,
                "{\"acr\": %s, \"certified_accuracy\": %s, \"abstain_rate\": %s, \"n\": %d,"
                        + " \"count\": %d, \"sigma\": %s, \"n0\": %d, \"alpha\": %s,"
                        + " \"seconds\": %.3f}",
                results.acr(),
                accuracy,
                results.abstainRate(),
                n,
                results.size(),
                sigma,
                n0,
                alpha,
                seconds);
    }
}

package dev.oodlab.cli;

import ai.djl.ndarray.NDManager;
import dev.oodlab.OodLab;
import dev.oodlab.data.Datasets;
import dev.oodlab.data.ImageSet;
import dev.oodlab.smoothing.BaseClassifier;
import dev.oodlab.smoothing.CertificationLog;
import dev.oodlab.smoothing.CertificationResults;
import dev.oodlab.smoothing.SmoothedClassifier;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code oodlab certify}: randomized-smoothing certification (Cohen, Rosenfeld, Kolter, ICML 2019)
 * of a trained model on the MNIST digits test split, printed as one JSON object:
 *
 * <pre>{@code
 * {"acr": 0.91, "certified_accuracy": {"0.0": 0.99, "0.25": 0.97, ...}, "abstain_rate": 0.01,
 *  "n": 100000, "count": 2000, "sigma": 0.25, "n0": 100, "alpha": 0.001}
 * }</pre>
 *
 * <p>with the certified accuracy at the radii of {@link CertificationResults#DEFAULT_RADII}, keyed
 * by the radius as Java (and Python) print it. {@code --out} also writes the per-point TSV log
 * ({@link CertificationLog}).
 *
 * <p>The test split is {@code Datasets.mnistDigitsSplit(OodLab.DEFAULT_SEED)[1]}, the 2000 digits
 * the training commands hold out. Loading a trained model from its folder comes with the training
 * code ({@code dev.oodlab.nn}); until then the command fails with "model loading not available
 * yet".
 */
@Command(
        name = "certify",
        mixinStandardHelpOptions = true,
        description = {
            "Certify a trained model by randomized smoothing (Cohen et al., ICML 2019) on the MNIST"
                    + " digits test split; print ACR, certified accuracy and abstain rate as JSON.",
            "Defaults follow the paper: n0 = 100, n = 100000, alpha = 0.001 (about n / 6000"
                    + " seconds per image for a LeNet on 2 CPU cores)."
        })
public final class CertifyCommand implements Callable<Integer> {

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

    /** The loader used until the training code can save and load models. */
    static final ModelLoader NOT_AVAILABLE =
            (directory, manager) -> {
                throw new UnsupportedOperationException(
                        "model loading not available yet (it comes with dev.oodlab.nn); cannot"
                                + " load "
                                + directory);
            };

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, description = "Folder of the trained model.")
    Path model;

    @Option(names = "--sigma", required = true, description = "Noise level sigma (pixel units).")
    double sigma;

    @Option(
            names = "--n0",
            defaultValue = "" + SmoothedClassifier.DEFAULT_N0,
            description = "Noisy copies to select the class (default: ${DEFAULT-VALUE}).")
    int n0;

    @Option(
            names = "--n",
            defaultValue = "" + SmoothedClassifier.DEFAULT_N,
            description = "Noisy copies to estimate the bound (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(
            names = "--alpha",
            defaultValue = "" + SmoothedClassifier.DEFAULT_ALPHA,
            description = "Failure probability (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(
            names = "--count",
            defaultValue = "" + Integer.MAX_VALUE,
            description = "Certify the first K test images (default: all).")
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
    private final Supplier<ImageSet> testSet;

    /** The command as the CLI runs it. */
    public CertifyCommand() {
        this(NOT_AVAILABLE, () -> Datasets.mnistDigitsSplit(OodLab.DEFAULT_SEED)[1]);
    }

    /** The command with another model loader and test set (for tests). */
    CertifyCommand(ModelLoader loader, Supplier<ImageSet> testSet) {
        this.loader = Objects.requireNonNull(loader, "loader");
        this.testSet = Objects.requireNonNull(testSet, "testSet");
    }

    @Override
    public Integer call() throws Exception {
        checkOptions();
        if (!Files.isDirectory(model)) {
            throw new IllegalArgumentException("--model: no such folder: " + model);
        }
        OodLab.init();
        PrintWriter err = spec.commandLine().getErr();
        CertificationResults results;
        try (NDManager manager = NDManager.newBaseManager()) {
            BaseClassifier base = loader.load(model, manager);
            ImageSet set = testSet.get();
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
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(json(results));
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
    private String json(CertificationResults results) {
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
                        + " \"count\": %d, \"sigma\": %s, \"n0\": %d, \"alpha\": %s}",
                results.acr(),
                accuracy,
                results.abstainRate(),
                n,
                results.size(),
                sigma,
                n0,
                alpha);
    }
}

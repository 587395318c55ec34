package dev.oodlab.experiment;

import ai.djl.ndarray.types.Shape;
import dev.oodlab.OodLab;
import dev.oodlab.data.Datasets;
import dev.oodlab.data.ImageSet;
import dev.oodlab.data.NoiseImages;
import dev.oodlab.nn.Models;
import dev.oodlab.nn.Network;
import dev.oodlab.report.RunResult;
import dev.oodlab.train.Checkpoint;
import dev.oodlab.train.EpochResult;
import dev.oodlab.train.Fit;
import dev.oodlab.train.ProgressBar;
import dev.oodlab.train.TrainingMethod;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One experiment of the study: train a model with a named method on an in-distribution data set,
 * then measure its test accuracy and how well a detector separates the test set from OOD sets.
 *
 * <pre>{@code
 * try (Experiment.Run run = Experiment.builder()
 *         .setMethod("adversarial-mixup")
 *         .optEpochs(5)
 *         .build()
 *         .run()) {
 *     OodEvaluation scores = run.evaluate("msp");
 *     RunResult result = run.result(scores);
 *     run.write(Path.of("runs/adv-mixup"), scores);   // model, results.json/.csv, charts
 * }
 * }</pre>
 *
 * <p><b>Defaults.</b> Fashion-MNIST, LeNet, 5 epochs, batch 128, Adam with learning rate 10⁻³ (the
 * {@link Fit} defaults), seed {@link OodLab#DEFAULT_SEED}, OOD sets MNIST, uniform and Gaussian
 * noise of {@value #DEFAULT_OOD_COUNT} images each (noise drawn with the fixed seed {@link
 * #OOD_SEED}, so every method and training seed is scored on the same images).
 *
 * <p><b>Outliers.</b> The confidence losses train on an outlier set. By default it is {@value
 * #DEFAULT_OUTLIERS}: {@value #DEFAULT_OUTLIER_COUNT} images of Gaussian noise N(0.5, 0.25²)
 * clipped to [0, 1], drawn with a seed derived from the run's seed — a noise source that is none of
 * the evaluation sets (the evaluation's Gaussian noise has sd 1, so most of its pixels are 0 or 1).
 * Any OOD set name or path can be chosen instead; choosing one of the evaluation sets is allowed
 * but reported, since its metrics are then not out-of-sample.
 *
 * <p>Each epoch logs its loss, training accuracy, throughput and the process's resident memory
 * ({@link ProcessMemory}); the log is part of the results record ({@code history}).
 *
 * <p><b>Checkpoints.</b> With {@link Builder#optCheckpoint} the run keeps a {@link
 * CheckpointFolder} up to date after every epoch; with {@link Builder#optResume} it continues the
 * run found there (same {@link #settings()} required) and gives the same model and results as an
 * uninterrupted run. {@link Run#write} removes the folder once the results are written.
 */
public final class Experiment {

    /** The number of images per generated OOD set (and the cap for the others). */
    public static final int DEFAULT_OOD_COUNT = 10_000;

    /** The seed of the generated evaluation OOD sets. */
    public static final long OOD_SEED = OodLab.DEFAULT_SEED;

    /** The name of the default outlier source of the confidence losses. */
    public static final String DEFAULT_OUTLIERS = "gaussian-0.25";

    /** The number of images of the default outlier source. */
    public static final int DEFAULT_OUTLIER_COUNT = 10_000;

    /** The OOD sets of the Adversarial-Mixup study. */
    public static final List<String> DEFAULT_OOD_SETS = List.of("mnist", "uniform", "gaussian");

    private final String methodName;
    private final MethodOptions options;
    private final TrainingMethod method;
    private final String dataset;
    private final String model;
    private final int epochs;
    private final int batchSize;
    private final long seed;
    private final int subset;
    private final List<String> oodSets;
    private final int oodCount;
    private final String outliers;
    private final PrintStream log;
    private final ProgressBar.Mode progress;
    private final Path checkpoint;
    private final boolean resume;

    private Experiment(Builder b) {
        this.methodName = b.method.toLowerCase(Locale.ROOT);
        this.options = b.options;
        this.method = b.options.create(methodName);
        this.dataset = b.dataset;
        this.model = b.model.toLowerCase(Locale.ROOT);
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.subset = b.subset;
        this.oodSets = List.copyOf(b.oodSets);
        this.oodCount = b.oodCount;
        this.outliers = b.outliers;
        this.log = b.log;
        this.progress = b.progress;
        this.checkpoint = b.checkpoint;
        this.resume = b.resume;
    }

    /** A builder; only the method is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The settings that make a run what it is, by option name: {@code method}, {@code alpha},
     * {@code epsilon}, {@code beta}, {@code sigma} (null: the method's default), {@code dataset},
     * {@code model}, {@code epochs}, {@code batch_size}, {@code seed}, {@code subset}, {@code ood},
     * {@code ood_count}, {@code outliers}. A checkpoint records them; a resumed run must match.
     *
     * @return the settings, in that order
     */
    public Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("method", methodName);
        settings.put("alpha", options.alpha());
        settings.put("epsilon", options.epsilon());
        settings.put("beta", options.beta());
        settings.put("sigma", options.sigma());
        settings.put("dataset", dataset);
        settings.put("model", model);
        settings.put("epochs", epochs);
        settings.put("batch_size", batchSize);
        settings.put("seed", seed);
        settings.put("subset", subset);
        settings.put("ood", oodSets);
        settings.put("ood_count", oodCount);
        settings.put("outliers", outliers);
        return settings;
    }

    /**
     * Loads the data (failing early if a set is missing), trains the model and returns the run,
     * ready to be evaluated. With a checkpoint folder, checks it first: resuming needs a complete
     * checkpoint made with the same settings; starting afresh refuses a folder that holds one.
     *
     * @return the trained run; close it to free the model
     * @throws IllegalArgumentException for missing data, or a checkpoint folder that does not fit
     */
    public Run run() {
        OodLab.init();
        Checkpoint resumeFrom = checkCheckpointFolder();
        ImageSet[] splits = Datasets.inDistribution(dataset);
        ImageSet train =
                subset > 0 && subset < splits[0].size()
                        ? splits[0].sample(subset, seed)
                        : splits[0];
        ImageSet test = splits[1];
        Map<String, ImageSet> ood = loadOodSets(oodSets, oodCount);
        ImageSet outlierSet = null;
        String outlierText = null;
        if (MethodOptions.needsOutliers(methodName)) {
            long outlierSeed = seed ^ 0x6F75746C69657273L; // "outliers"
            if (outliers == null || outliers.equalsIgnoreCase(DEFAULT_OUTLIERS)) {
                outlierSet =
                        NoiseImages.gaussian(
                                        DEFAULT_OUTLIER_COUNT,
                                        test.channels(),
                                        test.height(),
                                        test.width(),
                                        0.5,
                                        0.25,
                                        outlierSeed)
                                .withName(DEFAULT_OUTLIERS);
                outlierText =
                        DEFAULT_OUTLIERS
                                + " (N(0.5, 0.25^2) noise clipped to [0, 1], "
                                + DEFAULT_OUTLIER_COUNT
                                + " images, seed "
                                + outlierSeed
                                + ")";
            } else {
                outlierSet =
                        Datasets.outOfDistribution(outliers, DEFAULT_OUTLIER_COUNT, outlierSeed);
                outlierText = outliers + " (" + outlierSet.size() + " images)";
                if (ood.containsKey(oodKey(outliers, outlierSet))) {
                    outlierText +=
                            "; also an evaluation OOD set: its metrics are not out-of-sample";
                }
            }
        }
        say(
                "data: %s %d training images, %d test images; OOD %s",
                train.name(), train.size(), test.size(), sizes(ood));
        if (outlierText != null) {
            say("outliers for %s: %s", methodName, outlierText);
        }
        Shape shape = new Shape(test.channels(), test.height(), test.width());
        Network network = Network.create(model, shape, test.numClasses(), seed);
        List<Map<String, Object>> history = new ArrayList<>();
        double earlierSeconds = 0;
        if (resumeFrom != null) {
            history.addAll(CheckpointFolder.readHistory(checkpoint, resumeFrom));
            for (EpochResult e : resumeFrom.history()) {
                earlierSeconds += e.seconds();
            }
        }
        long start = System.nanoTime();
        try {
            Fit.Builder fit =
                    Fit.builder()
                            .setMethod(method)
                            .optEpochs(epochs)
                            .optBatchSize(batchSize)
                            .optSeed(seed)
                            .optProgress(log == null ? ProgressBar.Mode.OFF : progress)
                            .optTrainingAccuracy(false)
                            .optEpochListener(
                                    e -> {
                                        history.add(logEpoch(e));
                                        if (checkpoint != null) {
                                            CheckpointFolder.writeHistory(checkpoint, history);
                                        }
                                    });
            if (log != null) {
                fit.optProgressStream(log);
            }
            if (outlierSet != null) {
                fit.optOutliers(outlierSet);
            }
            if (checkpoint != null) {
                fit.optCheckpointDirectory(checkpoint);
            }
            say(
                    "training %s on %s: %s, %d epochs, batch %d, Adam lr 1e-3, seed %d",
                    model, train.name(), method, epochs, batchSize, seed);
            if (resumeFrom != null) {
                say(
                        "resuming after epoch %d of %d from %s",
                        resumeFrom.epochsDone(), epochs, checkpoint);
                fit.build().resume(network, train, checkpoint);
            } else {
                if (checkpoint != null) {
                    CheckpointFolder.writeSettings(checkpoint, settings());
                    say("checkpoint after every epoch: %s", checkpoint);
                }
                fit.build().run(network, train);
            }
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
        double seconds = earlierSeconds + (System.nanoTime() - start) / 1e9;
        ModelInfo info =
                new ModelInfo(
                        model,
                        shape.getShape(),
                        test.numClasses(),
                        dataset,
                        methodName,
                        seed,
                        epochs,
                        batchSize,
                        train.size(),
                        options.asMap(),
                        outlierText);
        return new Run(network, info, train, test, ood, history, seconds, log, checkpoint);
    }

    /**
     * Checks the checkpoint folder before any data is loaded.
     *
     * @return the checkpoint to resume from, or null to start afresh
     */
    private Checkpoint checkCheckpointFolder() {
        if (checkpoint == null) {
            return null;
        }
        if (Files.exists(checkpoint) && !Files.isDirectory(checkpoint)) {
            throw new IllegalArgumentException(
                    "checkpoint folder " + checkpoint + " exists and is not a folder");
        }
        boolean complete = CheckpointFolder.hasCheckpoint(checkpoint);
        if (resume) {
            if (!Files.isDirectory(checkpoint)) {
                throw new IllegalArgumentException(
                        "nothing to resume: no checkpoint folder " + checkpoint);
            }
            if (!complete) {
                throw new IllegalArgumentException(
                        "nothing to resume: "
                                + checkpoint
                                + " holds no complete checkpoint (the run stopped in its first"
                                + " epoch); start again without --resume");
            }
            CheckpointFolder.checkSettings(checkpoint, settings());
            return Checkpoint.read(checkpoint);
        }
        if (complete) {
            throw new IllegalArgumentException(
                    checkpoint
                            + " holds the checkpoint of an interrupted run (after epoch "
                            + Checkpoint.read(checkpoint).epochsDone()
                            + "): pass --resume to continue it, or delete the folder to start"
                            + " again");
        }
        if (Files.isDirectory(checkpoint)) {
            if (!CheckpointFolder.looksLikeCheckpointFolder(checkpoint)) {
                throw new IllegalArgumentException(
                        checkpoint + " exists and is not a checkpoint folder; move it away");
            }
            // A run that stopped in its first epoch: nothing to resume, start afresh.
            CheckpointFolder.delete(checkpoint);
        }
        return null;
    }

    /**
     * Loads OOD sets by name or path, keyed as the results report them: the name for {@code mnist},
     * {@code uniform}, {@code gaussian}, the file or folder name (without extension) for a path.
     *
     * @param namesOrPaths the sets
     * @param count the size of the generated sets and the cap for the others
     * @return the sets by key, in order
     * @throws IllegalArgumentException for an unknown name, a missing path or a repeated key
     */
    public static Map<String, ImageSet> loadOodSets(List<String> namesOrPaths, int count) {
        Map<String, ImageSet> ood = new LinkedHashMap<>();
        for (String name : namesOrPaths) {
            ImageSet set = Datasets.outOfDistribution(name, count, OOD_SEED);
            String key = oodKey(name, set);
            if (ood.put(key, set) != null) {
                throw new IllegalArgumentException("OOD set '" + key + "' given twice");
            }
        }
        return ood;
    }

    private static String oodKey(String nameOrPath, ImageSet set) {
        String lower = nameOrPath.toLowerCase(Locale.ROOT);
        return lower.equals("mnist") || Datasets.GENERATED_OOD.contains(lower) ? lower : set.name();
    }

    private Map<String, Object> logEpoch(EpochResult e) {
        long rss = ProcessMemory.residentBytes();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("epoch", e.epoch() + 1);
        entry.put("loss", e.loss());
        entry.put("seconds", e.seconds());
        entry.put("images_per_second", e.imagesPerSecond());
        entry.put("rss_mb", rss < 0 ? Double.NaN : rss / (1024.0 * 1024.0));
        say(
                "epoch %d/%d: loss %.4f, %.1f s, %.0f img/s, rss %s",
                e.epoch() + 1,
                epochs,
                e.loss(),
                e.seconds(),
                e.imagesPerSecond(),
                rss < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MB", rss / (1024.0 * 1024.0)));
        return entry;
    }

    private void say(String format, Object... args) {
        if (log != null) {
            log.println(String.format(Locale.ROOT, format, args));
            log.flush();
        }
    }

    private static String sizes(Map<String, ImageSet> sets) {
        List<String> parts = new ArrayList<>();
        sets.forEach((k, v) -> parts.add(k + " " + v.size()));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    /** A trained model with the data it was trained and is evaluated on. */
    public static final class Run implements AutoCloseable {
        private final Network network;
        private final ModelInfo info;
        private final ImageSet train;
        private final ImageSet test;
        private final Map<String, ImageSet> ood;
        private final List<Map<String, Object>> history;
        private final double trainingSeconds;
        private final PrintStream log;
        private final Path checkpoint;
        private OodEvaluation.Confidences confidences;

        Run(
                Network network,
                ModelInfo info,
                ImageSet train,
                ImageSet test,
                Map<String, ImageSet> ood,
                List<Map<String, Object>> history,
                double trainingSeconds,
                PrintStream log,
                Path checkpoint) {
            this.network = network;
            this.info = info;
            this.train = train;
            this.test = test;
            this.ood = ood;
            this.history = List.copyOf(history);
            this.trainingSeconds = trainingSeconds;
            this.log = log;
            this.checkpoint = checkpoint;
        }

        /** The trained network (owned by the run). */
        public Network network() {
            return network;
        }

        /** How the model was made. */
        public ModelInfo info() {
            return info;
        }

        /** The training images used. */
        public ImageSet trainSet() {
            return train;
        }

        /** The in-distribution test set. */
        public ImageSet testSet() {
            return test;
        }

        /** The OOD sets by key. */
        public Map<String, ImageSet> oodSets() {
            return ood;
        }

        /** One entry per epoch: epoch, loss, seconds, images_per_second, rss_mb. */
        public List<Map<String, Object>> history() {
            return history;
        }

        /** Wall time of the training, in seconds (of every session, for a resumed run). */
        public double trainingSeconds() {
            return trainingSeconds;
        }

        /**
         * Scores the test set and the OOD sets with a detector.
         *
         * @param detector one of {@link Detectors#NAMES}
         * @return the evaluation
         */
        public OodEvaluation evaluate(String detector) {
            if (confidences == null) {
                confidences = OodEvaluation.Confidences.of(network, test, ood);
            }
            OodEvaluation evaluation =
                    OodEvaluation.of(network, test, ood, detector, () -> train, confidences);
            if (log != null) {
                log.println(
                        String.format(
                                Locale.ROOT,
                                "evaluated with %s: test accuracy %.2f%%",
                                evaluation.detector(),
                                100 * evaluation.testAccuracy()));
                log.flush();
            }
            return evaluation;
        }

        /**
         * The results record of an evaluation of this run, with the training details as extra keys
         * ({@code batch_size}, {@code train_images}, {@code test_images}, {@code options}, {@code
         * outliers}, {@code optimizer}, {@code training_seconds}, {@code history}).
         *
         * @param evaluation an evaluation of this run
         * @return the record
         */
        public RunResult result(OodEvaluation evaluation) {
            Map<String, Object> extra = describe(info, test.size(), ood);
            extra.put("optimizer", "adam, learning rate 1e-3");
            extra.put("training_seconds", trainingSeconds);
            extra.put("history", history);
            return evaluation.toResult(info, extra);
        }

        /**
         * Writes the model, {@code results.json}, {@code results.csv} and the charts into a folder,
         * all or nothing ({@link RunFiles}); then removes the run's checkpoint folder, if any.
         *
         * @param out the output folder
         * @param evaluation an evaluation of this run
         * @return the record written
         * @throws IOException if the files cannot be written (the checkpoint folder then stays)
         */
        public RunResult write(Path out, OodEvaluation evaluation) throws IOException {
            RunResult result = result(evaluation);
            RunFiles.write(out, network, info, result, evaluation);
            if (checkpoint != null) {
                CheckpointFolder.delete(checkpoint);
            }
            return result;
        }

        @Override
        public void close() {
            network.close();
        }
    }

    /** The extra keys every results record of a model carries. */
    static Map<String, Object> describe(ModelInfo info, int testImages, Map<String, ImageSet> ood) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("batch_size", info.batchSize());
        extra.put("train_images", info.subset());
        extra.put("test_images", testImages);
        Map<String, Object> oodSizes = new LinkedHashMap<>();
        ood.forEach((k, v) -> oodSizes.put(k, v.size()));
        extra.put("ood_images", oodSizes);
        extra.put("options", info.options());
        if (info.outliers() != null) {
            extra.put("outliers", info.outliers());
        }
        return extra;
    }

    /** Builds an {@link Experiment}; {@code build()} checks every option. */
    public static final class Builder {
        private String method;
        private MethodOptions options = MethodOptions.defaults();
        private String dataset = "fashion-mnist";
        private String model = "lenet";
        private int epochs = 5;
        private int batchSize = 128;
        private long seed = OodLab.DEFAULT_SEED;
        private int subset;
        private List<String> oodSets = DEFAULT_OOD_SETS;
        private int oodCount = DEFAULT_OOD_COUNT;
        private String outliers;
        private PrintStream log;
        private ProgressBar.Mode progress = ProgressBar.Mode.AUTO;
        private Path checkpoint;
        private boolean resume;

        private Builder() {}

        /** The training method ({@link dev.oodlab.train.TrainingMethods#NAMES}); required. */
        public Builder setMethod(String method) {
            this.method = Objects.requireNonNull(method, "method");
            return this;
        }

        /** The method's options (default: all at the method's defaults). */
        public Builder optMethodOptions(MethodOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** The in-distribution data set, a name or folder (default {@code fashion-mnist}). */
        public Builder optDataset(String dataset) {
            this.dataset = Objects.requireNonNull(dataset, "dataset");
            return this;
        }

        /** The architecture ({@link Models#NAMES}, default {@code lenet}). */
        public Builder optModel(String model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /** The number of epochs (default 5). */
        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** Images per step (default 128). */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** The seed of the initialisation and of every training draw. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Train on a seeded sample of this many training images (default 0: all). */
        public Builder optSubset(int subset) {
            this.subset = subset;
            return this;
        }

        /** The OOD sets, names or paths (default {@link #DEFAULT_OOD_SETS}). */
        public Builder optOodSets(List<String> oodSets) {
            this.oodSets = List.copyOf(oodSets);
            return this;
        }

        /** Images per generated OOD set and cap for the others (default 10,000). */
        public Builder optOodCount(int oodCount) {
            this.oodCount = oodCount;
            return this;
        }

        /** The outlier source of the confidence losses (default {@link #DEFAULT_OUTLIERS}). */
        public Builder optOutliers(String outliers) {
            this.outliers = outliers;
            return this;
        }

        /** Where to log progress, the per-epoch lines and the data used (default: nowhere). */
        public Builder optLog(PrintStream log) {
            this.log = log;
            return this;
        }

        /** How to draw the progress bar on the log (default AUTO). */
        public Builder optProgress(ProgressBar.Mode progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /**
         * Keep a {@link CheckpointFolder} in this folder, updated after every epoch (default: none;
         * {@code oodlab train} uses {@link CheckpointFolder#forOutput}). Without {@link #optResume}
         * the folder must not hold a complete checkpoint already.
         */
        public Builder optCheckpoint(Path folder) {
            this.checkpoint = folder == null ? null : folder.toAbsolutePath().normalize();
            return this;
        }

        /**
         * Continue the run whose checkpoint is in the {@link #optCheckpoint} folder (default
         * false); its settings must be this experiment's.
         */
        public Builder optResume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /**
         * Checks the options (method and its options, model, sizes; not yet the data) and builds
         * the experiment.
         *
         * @throws IllegalArgumentException naming the first invalid option
         */
        public Experiment build() {
            if (method == null) {
                throw new IllegalArgumentException("method is required (setMethod)");
            }
            if (!Models.NAMES.contains(model.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(
                        "unknown model '" + model + "'; known: " + String.join(", ", Models.NAMES));
            }
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            }
            if (subset < 0) {
                throw new IllegalArgumentException("subset must be >= 0, got " + subset);
            }
            if (oodCount < 1) {
                throw new IllegalArgumentException("OOD count must be >= 1, got " + oodCount);
            }
            if (resume && checkpoint == null) {
                throw new IllegalArgumentException("resume needs a checkpoint folder");
            }
            if (outliers != null && !MethodOptions.needsOutliers(method)) {
                throw new IllegalArgumentException(
                        "method " + method + " trains on no outliers; drop the outlier option");
            }
            return new Experiment(this);
        }
    }
}

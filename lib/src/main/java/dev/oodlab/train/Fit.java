package dev.oodlab.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.oodlab.OodLab;
import dev.oodlab.data.ImageSet;
import dev.oodlab.data.Permutation;
import dev.oodlab.nn.BatchRows;
import dev.oodlab.nn.GradientScope;
import dev.oodlab.nn.Network;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The training loop: epochs of shuffled mini-batches, each turned into a loss by a {@link
 * TrainingMethod}, back-propagated, and applied by a {@link ParameterOptimizer}.
 *
 * <pre>{@code
 * Fit fit = Fit.builder()
 *         .setMethod(TrainingMethods.create("mixup"))
 *         .optEpochs(5).optBatchSize(128)
 *         .optOptimizer(ParameterOptimizer.adam())
 *         .optLearningRate(LearningRateSchedule.constant(1e-3))
 *         .optSeed(42)
 *         .build();
 * List<EpochResult> history = fit.run(network, trainSet);
 * }</pre>
 *
 * <p><b>Data.</b> The training set (and the outlier set, if any) is copied once into one NDArray;
 * each step gathers its batch by a seeded permutation into a per-step sub-manager, which frees
 * everything the step created, so native memory stays flat across epochs.
 *
 * <p><b>Repeatability.</b> Every epoch derives its generators from (seed, epoch): the shuffle, the
 * method's {@link RandomSource} and libtorch's seed ({@code Engine.setRandomSeed}). The same seed
 * gives the same losses, and a run resumed from a {@link Checkpoint} after epoch e continues
 * exactly as the uninterrupted run.
 *
 * <p><b>Divergence.</b> A step whose loss is NaN or infinite stops the run with a {@link
 * DivergedException} (epoch, step, learning rate), before its update: the weights and the last
 * checkpoint stay those of the last good step and epoch.
 *
 * <p><b>Chunks.</b> A method may ask for each batch to be split into equal chunks with one
 * optimizer step each ({@link TrainingMethod#chunksPerBatch()}; SmoothMix does, as its authors'
 * code): a batch of B samples then gives ⌊B/c⌋-sample steps, the remainder left out, all at the
 * batch's learning rate. The progress bar and {@link EpochResult} count the samples trained.
 *
 * <p>A {@code Fit} holds its optimizer's state: use one per model.
 */
public final class Fit {

    /** Called after every epoch, e.g. to plot the loss. */
    @FunctionalInterface
    public interface EpochListener {
        /** Receives the result of the epoch just finished. */
        void onEpoch(EpochResult result);
    }

    private final TrainingMethod method;
    private final TrainingSettings settings;
    private final int epochs;
    private final int batchSize;
    private final ParameterOptimizer optimizer;
    private final LearningRateSchedule schedule;
    private final long seed;
    private final ImageSet outliers;
    private final int outlierBatchSize;
    private final Path checkpointDirectory;
    private final ProgressBar progress;
    private final EpochListener listener;
    private final boolean trainingAccuracy;

    private Fit(Builder b) {
        this.method = b.method;
        this.settings = b.settings();
        this.epochs = settings.epochs();
        this.batchSize = settings.batchSize();
        this.optimizer = b.optimizer != null ? b.optimizer : ParameterOptimizer.adam();
        this.schedule = b.schedule != null ? b.schedule : settings.learningRateSchedule();
        this.seed = settings.seed();
        this.outliers = b.outliers;
        this.outlierBatchSize = b.outlierBatchSize > 0 ? b.outlierBatchSize : batchSize;
        this.checkpointDirectory = b.checkpointDirectory;
        this.progress = new ProgressBar(b.progressStream(), settings.progress());
        this.listener = b.listener;
        this.trainingAccuracy = b.trainingAccuracy;
    }

    /** A builder; only the method is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The settings of the loop: epochs, batch size, seed, progress bar, and the learning rate and
     * schedule when no schedule object was given ({@link
     * Builder#optLearningRate(LearningRateSchedule)}).
     */
    public TrainingSettings settings() {
        return settings;
    }

    /** The optimizer (its state grows as the run goes). */
    public ParameterOptimizer optimizer() {
        return optimizer;
    }

    /**
     * Trains {@code network} on {@code train} for the configured number of epochs.
     *
     * @param network the model, updated in place
     * @param train a labelled image set matching the model's input shape
     * @return one result per epoch
     */
    public List<EpochResult> run(Network network, ImageSet train) {
        return train(network, train, 0, new ArrayList<>());
    }

    /**
     * Continues a run from the checkpoint in {@code directory}: loads the parameters and the
     * optimizer state, then trains the remaining epochs. Configure this {@code Fit} as the original
     * run (same method, seed, batch size, schedule); the checkpoint's method and seed are checked.
     * The newest complete checkpoint of the directory is used ({@link Checkpoint#latest}).
     *
     * @param network the model (same architecture), overwritten by the checkpoint
     * @param train the same training set
     * @param directory the checkpoint directory
     * @return the results of all epochs, those before the checkpoint included
     */
    public List<EpochResult> resume(Network network, ImageSet train, Path directory) {
        Checkpoint checkpoint = Checkpoint.read(directory);
        if (!checkpoint.method().equals(method.name())) {
            throw new IllegalArgumentException(
                    "the checkpoint in "
                            + directory
                            + " was made with method "
                            + checkpoint.method()
                            + ", this run trains with "
                            + method.name());
        }
        if (checkpoint.epochsDone() > epochs) {
            throw new IllegalArgumentException(
                    "the checkpoint in "
                            + directory
                            + " has "
                            + checkpoint.epochsDone()
                            + " epochs done, more than this run's "
                            + epochs);
        }
        if (checkpoint.seed() != seed) {
            throw new IllegalArgumentException(
                    "the checkpoint in "
                            + directory
                            + " was made with seed "
                            + checkpoint.seed()
                            + ", this run has seed "
                            + seed);
        }
        checkpoint.restore(directory, network, optimizer);
        return train(
                network, train, checkpoint.epochsDone(), new ArrayList<>(checkpoint.history()));
    }

    private List<EpochResult> train(
            Network network, ImageSet train, int startEpoch, List<EpochResult> history) {
        OodLab.init();
        if (!train.isLabelled()) {
            throw new IllegalArgumentException(train.name() + " has no labels: cannot train");
        }
        if (train.size() == 0) {
            throw new IllegalArgumentException(train.name() + " is empty");
        }
        List<Parameter> parameters = network.trainableParameters();
        int n = train.size();
        int steps = (n + batchSize - 1) / batchSize;
        int chunks = method.chunksPerBatch();
        if (n < chunks) {
            throw new IllegalArgumentException(
                    train.name()
                            + " has "
                            + n
                            + " images, fewer than the "
                            + chunks
                            + " chunks per batch of "
                            + method.name());
        }
        try (NDManager data = network.manager().newSubManager()) {
            // Images as (N, C·H·W) rows: libtorch gathers 128 rows of 784 floats in 29 µs from a
            // 2-D array and in 68 µs from a 4-D one; each batch is shaped to the input after.
            Shape input = network.inputShape();
            NDArray images = train.images(data).reshape(n, input.size());
            // int64 once, the type the losses and the accuracy compare against; as a column, so
            // that a batch's labels are gathered like its images
            NDArray labels = train.labelArray(data).toType(DataType.INT64, false).reshape(n, 1);
            NDArray outlierImages =
                    outliers == null
                            ? null
                            : outliers.images(data).reshape(outliers.size(), input.size());
            for (int epoch = startEpoch; epoch < epochs; epoch++) {
                long epochSeed = epochSeed(seed, epoch);
                Engine.getInstance().setRandomSeed((int) (epochSeed ^ (epochSeed >>> 32)));
                RandomSource random = RandomSource.seeded(epochSeed);
                SplittableRandom shuffle = new SplittableRandom(epochSeed ^ 0x5DEECE66DL);
                int[] order = Permutation.random(n, shuffle);
                // the epoch's order as one array; a step takes a slice of it (a view)
                NDManager epochManager = data.newSubManager();
                NDArray orderArray = BatchRows.index(epochManager, order);
                int[] outlierOrder =
                        outliers == null ? null : Permutation.random(outliers.size(), shuffle);
                int outlierCursor = 0;
                double lossSum = 0;
                long correct = 0;
                long counted = 0;
                long seen = 0;
                double lr = Double.NaN;
                long start = System.nanoTime();
                for (int b = 0; b < steps; b++) {
                    int batchFrom = b * batchSize;
                    int batchCount = Math.min(batchSize, n - batchFrom);
                    // One optimizer step per chunk; the remainder of a batch the chunks do not
                    // divide is left out, as the chunking reference code does.
                    int count = batchCount / chunks;
                    lr = schedule.rate(epoch, b, steps, epochs);
                    for (int c = 0; c < chunks && count > 0; c++) {
                        int from = batchFrom + c * count;
                        try (NDManager stepManager = data.newSubManager()) {
                            NDArray pick =
                                    BatchRows.slice(stepManager, orderArray, from, from + count);
                            NDArray x =
                                    BatchRows.rows(images, pick)
                                            .reshape(new Shape(count).addAll(input));
                            NDArray y = BatchRows.rows(labels, pick).reshape(count);
                            NDArray o = null;
                            if (outlierImages != null) {
                                int[] chosen = new int[outlierBatchSize];
                                for (int i = 0; i < outlierBatchSize; i++) {
                                    chosen[i] = outlierOrder[outlierCursor];
                                    outlierCursor = (outlierCursor + 1) % outlierOrder.length;
                                }
                                o =
                                        BatchRows.rows(
                                                        outlierImages,
                                                        BatchRows.index(stepManager, chosen))
                                                .reshape(new Shape(chosen.length).addAll(input));
                            }
                            TrainingStep step = new TrainingStep(network, x, y, o, epoch, random);
                            NDArray loss;
                            try (GradientScope scope = GradientScope.open()) {
                                loss = method.loss(step);
                                scope.backward(loss);
                            }
                            // toFloatArray: getFloat() duplicates the scalar first
                            float value = loss.toFloatArray()[0];
                            if (!Float.isFinite(value)) { // before the update: weights stay good
                                throw new DivergedException(epoch, b, steps, lr, value);
                            }
                            optimizer.step(parameters, lr);
                            lossSum += value * count;
                            if (trainingAccuracy) {
                                NDArray logits = step.cleanLogits();
                                if (logits == null) {
                                    logits = network.logits(x, false);
                                }
                                correct += logits.argMax(1).eq(y).sum().getLong();
                                counted += count;
                            }
                        }
                        seen += count;
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    progress.update(
                            epoch,
                            epochs,
                            b + 1,
                            steps,
                            lossSum / seen,
                            counted == 0 ? Double.NaN : correct / (double) counted,
                            seen / seconds);
                }
                epochManager.close();
                double seconds = (System.nanoTime() - start) / 1e9;
                EpochResult result =
                        new EpochResult(
                                epoch,
                                lossSum / seen,
                                counted == 0 ? Double.NaN : correct / (double) counted,
                                seen / seconds,
                                seconds,
                                lr);
                history.add(result);
                // The listener first: what it records of this epoch is then on disk before the
                // checkpoint that says the epoch is done.
                if (listener != null) {
                    listener.onEpoch(result);
                }
                if (checkpointDirectory != null) {
                    new Checkpoint(
                                    epoch + 1,
                                    optimizer.steps(),
                                    seed,
                                    method.name(),
                                    List.copyOf(history))
                            .write(checkpointDirectory, network, optimizer);
                }
            }
        }
        return history;
    }

    /** The seed of one epoch: SplitMix64 of the run's seed and the epoch. */
    static long epochSeed(long seed, int epoch) {
        long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Builds a {@link Fit}; {@code build()} checks every option. The shared settings ({@link
     * TrainingSettings}) default to 1 epoch of batch 128, a constant learning rate 10⁻³, seed
     * {@link OodLab#DEFAULT_SEED} and a progress bar AUTO on {@code System.out}.
     */
    public static final class Builder extends TrainingSettings.Builder<Builder> {
        private TrainingMethod method;
        private ParameterOptimizer optimizer;
        private LearningRateSchedule schedule;
        private ImageSet outliers;
        private int outlierBatchSize;
        private Path checkpointDirectory;
        private EpochListener listener;
        private boolean trainingAccuracy = true;

        private Builder() {
            super(TrainingSettings.defaults(), System.out);
        }

        /** The training method (required). */
        public Builder setMethod(TrainingMethod method) {
            this.method = Objects.requireNonNull(method, "method");
            return this;
        }

        /**
         * The learning rate of a constant schedule, or of the schedule {@link
         * TrainingSettings#schedule} names (default 10⁻³); a schedule object ({@link
         * #optLearningRate(LearningRateSchedule)}) replaces both.
         */
        public Builder optLearningRate(double rate) {
            return settings(settings().withLearningRate(rate));
        }

        /** The optimizer (default Adam); it keeps state, so give each Fit its own. */
        public Builder optOptimizer(ParameterOptimizer optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            return this;
        }

        /** The learning rate schedule (default: a constant 1e−3, as the settings name it). */
        public Builder optLearningRate(LearningRateSchedule schedule) {
            this.schedule = Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        /** The outlier set for methods that train on OOD samples (confidence loss, …). */
        public Builder optOutliers(ImageSet outliers) {
            this.outliers = outliers;
            return this;
        }

        /** Outliers per step (default: the batch size). */
        public Builder optOutlierBatchSize(int outlierBatchSize) {
            this.outlierBatchSize = outlierBatchSize;
            return this;
        }

        /**
         * Write a {@link Checkpoint} into this directory after every epoch, after the epoch
         * listener has run (default: none). Each checkpoint replaces the previous one.
         */
        public Builder optCheckpointDirectory(Path directory) {
            this.checkpointDirectory = directory;
            return this;
        }

        /** Called after every epoch (default: none). */
        public Builder optEpochListener(EpochListener listener) {
            this.listener = listener;
            return this;
        }

        /**
         * Whether to count training accuracy (default true): from the clean logits when the method
         * reports them (cross-entropy), else with an extra inference pass (mixup, adversarial
         * methods). With false no accuracy is counted and {@link EpochResult#accuracy()} is NaN:
         * the step does only the work of the method, as benchmarks and long runs want.
         */
        public Builder optTrainingAccuracy(boolean trainingAccuracy) {
            this.trainingAccuracy = trainingAccuracy;
            return this;
        }

        /**
         * Checks the options and builds the loop.
         *
         * @throws IllegalArgumentException naming the first invalid option
         */
        public Fit build() {
            if (method == null) {
                throw new IllegalArgumentException("method is required (setMethod)");
            }
            int batchSize = settings().check().batchSize();
            int chunks = method.chunksPerBatch();
            if (chunks < 1) {
                throw new IllegalStateException(
                        method.name() + " asks for " + chunks + " chunks per batch (at least 1)");
            }
            if (batchSize < chunks) {
                throw new IllegalArgumentException(
                        "batchSize "
                                + batchSize
                                + " is smaller than the "
                                + chunks
                                + " chunks per batch of "
                                + method.name()
                                + " (one optimizer step per chunk)");
            }
            Checks.option(outlierBatchSize >= 0, "outlierBatchSize", ">= 1", outlierBatchSize);
            if (outliers != null && outliers.size() == 0) {
                throw new IllegalArgumentException("outliers: " + outliers.name() + " is empty");
            }
            return new Fit(this);
        }
    }
}

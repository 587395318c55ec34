package dev.oodlab.train;

import dev.oodlab.OodLab;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The settings every training run shares: the data set and model it names, epochs, batch size,
 * learning rate and its schedule, seed and progress bar. One record read by every driver — {@link
 * Fit}, the experiment, the studies, the smoothing training, the GAN loop and the toy study — each
 * of which reads the fields that apply to it (a {@link Fit} is handed its network and images, so it
 * reads no data set or model; the GAN loop has learning rates of its own).
 *
 * <p>The drivers' builders share their setters by extending {@link Builder} (epochs, batch size,
 * seed, progress) or {@link RunBuilder} (those, the data set, model, learning rate and schedule);
 * each driver starts from its own defaults ({@code Fit}: 1 epoch of batch 128 at a constant 10⁻³;
 * the experiment: 5 epochs of batch 128 on a cosine from 10⁻³, …) and {@link #check} is the one
 * place the shared values are validated.
 *
 * @param dataset the in-distribution data set, a name or folder (null where the driver is handed
 *     its images)
 * @param model the architecture (null where the driver is handed its network)
 * @param epochs passes over the training set, ≥ 1
 * @param batchSize images per step, ≥ 1
 * @param learningRate the (peak) learning rate of Adam, &gt; 0
 * @param schedule the learning-rate schedule by name, one of {@link #SCHEDULES}
 * @param seed the seed of the initialisation and of every training draw
 * @param progress how to draw the progress bar
 */
public record TrainingSettings(
        String dataset,
        String model,
        int epochs,
        int batchSize,
        double learningRate,
        String schedule,
        long seed,
        ProgressBar.Mode progress) {

    /**
     * The learning-rate schedules by name: {@code cosine} (annealed per step to 0, Loshchilov and
     * Hutter, ICLR 2017), {@code constant}, {@code step} (tenfold drops, {@link #stepEvery}).
     */
    public static final List<String> SCHEDULES = List.of("cosine", "constant", "step");

    /** The default (peak) learning rate of Adam. */
    public static final double DEFAULT_LEARNING_RATE = 1e-3;

    /**
     * The settings with the schedule's name in lower case; nulls refused where a value is needed.
     */
    public TrainingSettings {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(progress, "progress");
        schedule = schedule.toLowerCase(Locale.ROOT);
    }

    /**
     * The loop's defaults, as {@link Fit} has them: no data set or model, 1 epoch, batch 128, a
     * constant learning rate 10⁻³, seed {@link OodLab#DEFAULT_SEED}, progress bar AUTO.
     *
     * @return the settings
     */
    public static TrainingSettings defaults() {
        return new TrainingSettings(
                null,
                null,
                1,
                128,
                DEFAULT_LEARNING_RATE,
                "constant",
                OodLab.DEFAULT_SEED,
                ProgressBar.Mode.AUTO);
    }

    /** These settings with another data set. */
    public TrainingSettings withDataset(String dataset) {
        return new TrainingSettings(
                dataset, model, epochs, batchSize, learningRate, schedule, seed, progress);
    }

    /** These settings with another model. */
    public TrainingSettings withModel(String model) {
        return new TrainingSettings(
                dataset, model, epochs, batchSize, learningRate, schedule, seed, progress);
    }

    /** These settings with another number of epochs. */
    public TrainingSettings withEpochs(int epochs) {
        return new TrainingSettings(
                dataset, model, epochs, batchSize, learningRate, schedule, seed, progress);
    }

    /** These settings with another batch size. */
    public TrainingSettings withBatchSize(int batchSize) {
        return new TrainingSettings(
                dataset, model, epochs, batchSize, learningRate, schedule, seed, progress);
    }

    /** These settings with another learning rate. */
    public TrainingSettings withLearningRate(double learningRate) {
        return new TrainingSettings(
                dataset, model, epochs, batchSize, learningRate, schedule, seed, progress);
    }

    /** These settings with another schedule ({@link #SCHEDULES}). */
    public TrainingSettings withSchedule(String schedule) {
        return new TrainingSettings(
                dataset, model, epochs, batchSize, learningRate, schedule, seed, progress);
    }

    /** These settings with another seed. */
    public TrainingSettings withSeed(long seed) {
        return new TrainingSettings(
                dataset, model, epochs, batchSize, learningRate, schedule, seed, progress);
    }

    /** These settings with another progress bar. */
    public TrainingSettings withProgress(ProgressBar.Mode progress) {
        return new TrainingSettings(
                dataset, model, epochs, batchSize, learningRate, schedule, seed, progress);
    }

    /**
     * Checks the loop's values: epochs and batch size ≥ 1, a positive finite learning rate, a known
     * schedule.
     *
     * @return these settings
     * @throws IllegalArgumentException naming the first invalid value ("batch size must be &gt;= 1,
     *     got 0")
     */
    public TrainingSettings check() {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        }
        if (!SCHEDULES.contains(schedule)) {
            throw new IllegalArgumentException(
                    "unknown schedule '" + schedule + "'; known: " + String.join(", ", SCHEDULES));
        }
        return this;
    }

    /** The learning-rate schedule these settings name, from the learning rate. */
    public LearningRateSchedule learningRateSchedule() {
        return schedule(schedule, learningRate);
    }

    /**
     * The learning-rate schedule of a name.
     *
     * @param name one of {@link #SCHEDULES}, any case
     * @param rate the peak (initial) rate
     * @return the schedule
     * @throws IllegalArgumentException for an unknown name or a rate that is not positive
     */
    public static LearningRateSchedule schedule(String name, double rate) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "cosine" -> LearningRateSchedule.cosine(rate, 0);
            case "constant" -> LearningRateSchedule.constant(rate);
            case "step" ->
                    (epoch, step, steps, epochs) -> rate * Math.pow(0.1, epoch / stepEvery(epochs));
            default ->
                    throw new IllegalArgumentException(
                            "unknown schedule '"
                                    + name
                                    + "'; known: "
                                    + String.join(", ", SCHEDULES));
        };
    }

    /**
     * The epochs between the tenfold drops of the {@code step} schedule, ⌈epochs/2⌉: the rate drops
     * once, at half the run, roughly.
     *
     * @param epochs the run's epochs
     * @return the interval, ≥ 1
     */
    public static int stepEvery(int epochs) {
        return Math.max(1, (epochs + 1) / 2);
    }

    /**
     * The optimizer and its schedule as a results record states them: "adam, learning rate 0.001
     * cosine-annealed per step to 0".
     *
     * @return the text
     */
    public String optimizerText() {
        String rate = LearningRateSchedule.format(learningRate);
        return switch (schedule) {
            case "constant" -> "adam, learning rate " + rate + " constant";
            case "step" ->
                    "adam, learning rate " + rate + " x0.1 every " + stepEvery(epochs) + " epochs";
            default -> "adam, learning rate " + rate + " cosine-annealed per step to 0";
        };
    }

    /**
     * The setters every driver's builder shares: epochs, batch size, seed, progress bar and its
     * stream. A driver's builder extends this one (or {@link RunBuilder}) with itself as {@code B},
     * so that each setter returns the driver's builder.
     *
     * @param <B> the extending builder
     */
    public abstract static class Builder<B extends Builder<B>> {
        private TrainingSettings settings;
        private PrintStream progressStream;

        /**
         * A builder starting from a driver's defaults.
         *
         * @param defaults the driver's defaults
         * @param progressStream where the progress bar goes by default (null: the driver's log)
         */
        protected Builder(TrainingSettings defaults, PrintStream progressStream) {
            this.settings = Objects.requireNonNull(defaults, "defaults");
            this.progressStream = progressStream;
        }

        /** This builder as the extending type, for the extending builders' setters. */
        @SuppressWarnings("unchecked")
        protected final B self() {
            return (B) this;
        }

        /** Replaces the settings (the extending builders' setters go through here). */
        protected final B settings(TrainingSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return self();
        }

        /** The settings as set so far (not yet checked). */
        public final TrainingSettings settings() {
            return settings;
        }

        /** Where the progress bar goes (null: the driver's default, e.g. its log). */
        public final PrintStream progressStream() {
            return progressStream;
        }

        /**
         * All the shared settings at once, e.g. another driver's {@link #settings()}; the fields
         * that do not apply to this driver are not read.
         */
        public B optSettings(TrainingSettings settings) {
            return settings(settings);
        }

        /** The number of epochs (default: the driver's; see its class). */
        public B optEpochs(int epochs) {
            return settings(settings.withEpochs(epochs));
        }

        /** Images per step (default: the driver's; the last batch of an epoch may be smaller). */
        public B optBatchSize(int batchSize) {
            return settings(settings.withBatchSize(batchSize));
        }

        /** The seed of the initialisation and of every training draw (default 42). */
        public B optSeed(long seed) {
            return settings(settings.withSeed(seed));
        }

        /** How to draw the progress bar (default: the driver's; OFF for none). */
        public B optProgress(ProgressBar.Mode mode) {
            return settings(settings.withProgress(Objects.requireNonNull(mode, "mode")));
        }

        /**
         * Where to draw the progress bar (default: the driver's, {@code System.out} or its log).
         */
        public B optProgressStream(PrintStream stream) {
            this.progressStream = Objects.requireNonNull(stream, "stream");
            return self();
        }
    }

    /**
     * The setters of a driver that loads its own data and builds its own model: those of {@link
     * Builder} and the data set, model, learning rate and schedule.
     *
     * @param <B> the extending builder
     */
    public abstract static class RunBuilder<B extends RunBuilder<B>> extends Builder<B> {

        /**
         * A builder starting from a driver's defaults.
         *
         * @param defaults the driver's defaults
         * @param progressStream where the progress bar goes by default (null: the driver's log)
         */
        protected RunBuilder(TrainingSettings defaults, PrintStream progressStream) {
            super(defaults, progressStream);
        }

        /** The in-distribution data set, a name or folder (default: the driver's). */
        public B optDataset(String dataset) {
            return settings(settings().withDataset(Objects.requireNonNull(dataset, "dataset")));
        }

        /** The architecture ({@link dev.oodlab.nn.Models#NAMES}; default: the driver's). */
        public B optModel(String model) {
            return settings(settings().withModel(Objects.requireNonNull(model, "model")));
        }

        /** The (peak) learning rate of Adam (default 10⁻³). */
        public B optLearningRate(double learningRate) {
            return settings(settings().withLearningRate(learningRate));
        }

        /** The learning-rate schedule, one of {@link #SCHEDULES} (default: the driver's). */
        public B optSchedule(String schedule) {
            return settings(settings().withSchedule(Objects.requireNonNull(schedule, "schedule")));
        }
    }
}

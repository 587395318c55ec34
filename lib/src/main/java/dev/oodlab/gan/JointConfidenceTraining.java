package dev.oodlab.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.oodlab.OodLab;
import dev.oodlab.data.ImageSet;
import dev.oodlab.data.Permutation;
import dev.oodlab.nn.GradientScope;
import dev.oodlab.nn.Network;
import dev.oodlab.train.DivergedException;
import dev.oodlab.train.ParameterOptimizer;
import dev.oodlab.train.ProgressBar;
import dev.oodlab.train.TrainingSettings;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The joint confidence loss of Lee, Lee, Lee and Shin, "Training Confidence-calibrated Classifiers
 * for Detecting Out-of-Distribution Samples" (ICLR 2018): a GAN and a classifier trained together,
 * the generator pushed toward the boundary of the data by the classifier's KL-to-uniform term, the
 * classifier taught to be uncertain on what the generator makes. No outlier data is needed.
 *
 * <p>Each step, in this order (formulas in {@link GanLosses}), as the authors' code runs it
 * (alinlab/Confident_classifier, {@code src/run_joint_confidence.py}):
 *
 * <ol>
 *   <li><b>discriminator</b>: BCE(D(x_in), 1) + BCE(D(G(z)), 0), G(z) detached, real and generated
 *       batches in separate forward passes; updates D only;
 *   <li><b>generator</b>: BCE(D(G(z)), 1) + β·KL(u ‖ p(G(z))) with the same z, the updated D, and
 *       the classifier in <em>training</em> mode (their {@code model.train()} holds for the whole
 *       epoch: batch norm normalises the generated batch by its own statistics); updates G only
 *       (the gradients this leaves on D and on the classifier are zeroed);
 *   <li><b>classifier</b>: CE(p(x_in), y) + β·KL(u ‖ p(G(z′))) with a fresh z′, G(z′) detached, the
 *       in-distribution and the generated batch in <em>separate</em> forward passes ({@code
 *       model(data)}, then {@code model(fake)}: with batch norm each is normalised by its own
 *       statistics); updates the classifier only.
 * </ol>
 *
 * <p><b>Optimizers and schedule</b> (their code): G and D use Adam with learning rate 2e−4 and β₁ =
 * 0.5 (DCGAN's setting), the classifier Adam with 2e−4 and the default β₁ = 0.9, no weight decay; β
 * = 1 (their script sets 0.1 for CIFAR-10). All three learning rates are multiplied by 0.1 after
 * epoch 60 of 100 ({@code --decreasing_lr 60}, {@code --droprate 0.1}); here after the same share,
 * ⌈0.6·epochs⌉ epochs ({@link #learningRateScale(int)}, {@link Builder#optLearningRateDecay}).
 *
 * <p>One difference remains: their step computes G(z) once for the discriminator and the generator
 * step, ours twice (once detached); the outputs are the same, but a generator with batch norm
 * updates its running statistics twice per step, which only the inference-mode {@link #sample}s
 * see. Latent vectors are standard normal, drawn in Java from the run's seed, so a run is
 * repeatable. Each of the three step methods is public so that it can be tested alone.
 *
 * <pre>{@code
 * JointConfidenceTraining joint = JointConfidenceTraining.builder()
 *         .setClassifier(classifier).setGenerator(generator).setDiscriminator(discriminator)
 *         .optEpochs(3).optBatchSize(64).optSeed(1).build();
 * List<JointConfidenceTraining.EpochLosses> history = joint.run(trainSet);
 * }</pre>
 */
public final class JointConfidenceTraining {

    /** The learning rate of G and D in the paper's DCGAN setting. */
    public static final double GAN_LEARNING_RATE = 2e-4;

    /** Adam's β₁ for G and D (DCGAN). */
    public static final double GAN_BETA1 = 0.5;

    /** The classifier's learning rate in the authors' code, the same as G's and D's. */
    public static final double CLASSIFIER_LEARNING_RATE = 2e-4;

    /** The factor of the learning-rate decay ({@code --droprate} in the authors' code). */
    public static final double DECAY_FACTOR = 0.1;

    /** Called after every epoch, e.g. to record generated samples. */
    @FunctionalInterface
    public interface EpochListener {
        /** Receives the losses of the epoch just finished. */
        void onEpoch(EpochLosses losses);
    }

    /**
     * Mean losses of one epoch.
     *
     * @param epoch the epoch, from 0
     * @param discriminator mean discriminator loss
     * @param generator mean generator loss (adversarial + β·KL)
     * @param classifier mean classifier loss (CE + β·KL)
     * @param seconds wall time of the epoch
     */
    public record EpochLosses(
            int epoch, double discriminator, double generator, double classifier, double seconds) {}

    private final Network classifier;
    private final Network generator;
    private final Network discriminator;
    private final double beta;
    private final int epochs;
    private final int batchSize;
    private final long seed;
    private final double classifierLearningRate;
    private final double ganLearningRate;
    private final int decayEpoch;
    private final double decayFactor;
    private double rateScale = 1;
    private final ParameterOptimizer classifierOptimizer;
    private final ParameterOptimizer generatorOptimizer;
    private final ParameterOptimizer discriminatorOptimizer;
    private final EpochListener listener;
    private final ProgressBar progress;
    private final int latentSize;
    private final SplittableRandom random;

    private JointConfidenceTraining(Builder b) {
        this.classifier = b.classifier;
        this.generator = b.generator;
        this.discriminator = b.discriminator;
        this.beta = b.beta;
        this.epochs = b.settings().epochs();
        this.batchSize = b.settings().batchSize();
        this.seed = b.settings().seed();
        this.classifierLearningRate = b.classifierLearningRate;
        this.ganLearningRate = b.ganLearningRate;
        this.decayEpoch = b.decayEpoch >= 0 ? b.decayEpoch : (3 * epochs + 4) / 5;
        this.decayFactor = b.decayFactor;
        this.classifierOptimizer = ParameterOptimizer.adam();
        this.generatorOptimizer = ParameterOptimizer.adam(GAN_BETA1, 0.999);
        this.discriminatorOptimizer = ParameterOptimizer.adam(GAN_BETA1, 0.999);
        this.listener = b.listener;
        this.progress = new ProgressBar(b.progressStream(), b.settings().progress());
        this.latentSize = (int) generator.inputShape().size();
        this.random = new SplittableRandom(seed);
    }

    /** A builder; the three networks are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The factor on all three learning rates in an epoch: 1 before the decay epoch (by default
     * ⌈0.6·epochs⌉, counted from 0), the decay factor (0.1) from it on. With 100 epochs: 1 in
     * epochs 0–59, 0.1 in epochs 60–99, as the authors' {@code --decreasing_lr 60}.
     *
     * @param epoch the epoch, from 0
     * @return the factor
     */
    public double learningRateScale(int epoch) {
        return epoch >= decayEpoch ? decayFactor : 1.0;
    }

    /** The length L of the generator's latent vector. */
    public int latentSize() {
        return latentSize;
    }

    /**
     * Standard normal latent vectors (n, L) drawn from {@code random}.
     *
     * @param manager where the array lives
     * @param n how many
     * @param random the generator of the draws
     * @return the latent batch
     */
    public NDArray latent(NDManager manager, int n, SplittableRandom random) {
        float[] z = new float[n * latentSize];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) random.nextGaussian();
        }
        return manager.create(z, new Shape(n, latentSize));
    }

    /**
     * One discriminator step on a real batch and latent vectors z: BCE(D(x_in), 1) + BCE(D(G(z)),
     * 0), G(z) detached; updates D's parameters only.
     *
     * @param real in-distribution inputs (N, …)
     * @param z latent vectors (M, L)
     * @return the loss before the update
     */
    public double discriminatorStep(NDArray real, NDArray z) {
        NDArray loss;
        try (GradientScope scope = GradientScope.open()) {
            NDArray fake = generator.logits(z, true).stopGradient();
            loss =
                    GanLosses.discriminatorLoss(
                            discriminator.logits(real, true), discriminator.logits(fake, true));
            scope.backward(loss);
        }
        discriminatorOptimizer.step(
                discriminator.trainableParameters(), ganLearningRate * rateScale);
        return loss.getFloat();
    }

    /**
     * One generator step: BCE(D(G(z)), 1) + β·KL(u ‖ p(G(z))), the classifier in training mode;
     * updates G's parameters only and zeroes the gradients the backward pass left on D and on the
     * classifier.
     *
     * @param z latent vectors (M, L)
     * @return the loss before the update
     */
    public double generatorStep(NDArray z) {
        NDArray loss;
        try (GradientScope scope = GradientScope.open()) {
            NDArray fake = generator.logits(z, true);
            loss =
                    GanLosses.generatorLoss(
                            discriminator.logits(fake, true), classifier.logits(fake, true), beta);
            scope.backward(loss);
        }
        generatorOptimizer.step(generator.trainableParameters(), ganLearningRate * rateScale);
        discriminator.zeroParameterGradients();
        classifier.zeroParameterGradients();
        return loss.getFloat();
    }

    /**
     * One classifier step: CE(p(x_in), y) + β·KL(u ‖ p(G(z′))), G(z′) detached, the two batches in
     * separate forward passes; updates the classifier's parameters only.
     *
     * @param x in-distribution inputs (N, …)
     * @param labels their labels (N)
     * @param z fresh latent vectors z′ (M, L)
     * @return the loss before the update
     */
    public double classifierStep(NDArray x, NDArray labels, NDArray z) {
        NDArray loss;
        try (GradientScope scope = GradientScope.open()) {
            NDArray fake = generator.logits(z, true).stopGradient();
            NDArray realLogits = classifier.logits(x, true);
            NDArray fakeLogits = classifier.logits(fake.reshape(fakeShape(fake, x)), true);
            loss = GanLosses.classifierLoss(realLogits, labels, fakeLogits, beta);
            scope.backward(loss);
        }
        classifierOptimizer.step(
                classifier.trainableParameters(), classifierLearningRate * rateScale);
        return loss.getFloat();
    }

    /**
     * Samples of the generator in inference mode (batch norm with its running statistics).
     *
     * @param n how many
     * @param sampleSeed the seed of the latent draws
     * @return the samples, flat, n × (size of one classifier input) values
     */
    public float[] sample(int n, long sampleSeed) {
        try (NDManager manager = generator.manager().newSubManager()) {
            NDArray z = latent(manager, n, new SplittableRandom(sampleSeed));
            return generator.logits(z, false).toFloatArray();
        }
    }

    /**
     * Samples as an unlabelled image set shaped like the classifier's inputs (for 2-D points, 1 × 1
     * × 2).
     *
     * @param n how many
     * @param sampleSeed the seed of the latent draws
     * @return the samples
     */
    public ImageSet samples(int n, long sampleSeed) {
        Shape one = classifier.inputShape();
        int c = one.dimension() == 3 ? (int) one.get(0) : 1;
        int h = one.dimension() == 3 ? (int) one.get(1) : 1;
        int w = (int) one.get(one.dimension() - 1);
        return new ImageSet("generated", sample(n, sampleSeed), null, 0, c, h, w);
    }

    /**
     * Trains on {@code train} for the configured epochs: shuffled mini-batches, each a
     * discriminator, a generator and a classifier step.
     *
     * @param train a labelled set matching the classifier's input shape
     * @return the mean losses of each epoch
     * @throws DivergedException at the first step whose discriminator, generator or classifier loss
     *     is NaN or infinite, naming the network, the epoch and the step
     */
    public List<EpochLosses> run(ImageSet train) {
        OodLab.init();
        if (!train.isLabelled() || train.size() == 0) {
            throw new IllegalArgumentException(
                    train.name() + " must be a non-empty labelled set to train on");
        }
        int n = train.size();
        int steps = (n + batchSize - 1) / batchSize;
        List<EpochLosses> history = new ArrayList<>();
        try (NDManager data = classifier.manager().newSubManager()) {
            NDArray images =
                    train.images(data).reshape(new Shape(n).addAll(classifier.inputShape()));
            NDArray labels = train.labelArray(data);
            for (int epoch = 0; epoch < epochs; epoch++) {
                rateScale = learningRateScale(epoch);
                int[] order = Permutation.random(n, random);
                double d = 0;
                double g = 0;
                double c = 0;
                long start = System.nanoTime();
                for (int b = 0; b < steps; b++) {
                    int from = b * batchSize;
                    int count = Math.min(batchSize, n - from);
                    long[] index = new long[count];
                    for (int i = 0; i < count; i++) {
                        index[i] = order[from + i];
                    }
                    try (NDManager step = data.newSubManager()) {
                        NDArray pick = step.create(index);
                        NDArray x = images.get(step, new NDIndex("{}", pick));
                        NDArray y = labels.get(step, new NDIndex("{}", pick));
                        NDArray z = latent(step, count, random);
                        double dl = discriminatorStep(x, z);
                        double gl = generatorStep(z);
                        double cl = classifierStep(x, y, latent(step, count, random));
                        checkFinite(dl, gl, cl, epoch, b, steps);
                        d += dl * count;
                        g += gl * count;
                        c += cl * count;
                    }
                    double seen = from + count;
                    progress.update(
                            epoch,
                            epochs,
                            b + 1,
                            steps,
                            c / seen,
                            Double.NaN,
                            seen / ((System.nanoTime() - start) / 1e9));
                }
                EpochLosses losses =
                        new EpochLosses(
                                epoch, d / n, g / n, c / n, (System.nanoTime() - start) / 1e9);
                history.add(losses);
                if (listener != null) {
                    listener.onEpoch(losses);
                }
            }
        }
        return history;
    }

    /** Stops at the first step whose discriminator, generator or classifier loss is not finite. */
    private void checkFinite(double d, double g, double c, int epoch, int step, int steps) {
        double[] losses = {d, g, c};
        String[] names = {"discriminator", "generator", "classifier"};
        double[] rates = {ganLearningRate, ganLearningRate, classifierLearningRate};
        for (int i = 0; i < losses.length; i++) {
            if (!Double.isFinite(losses[i])) {
                DivergedException diverged =
                        new DivergedException(epoch, step, steps, rates[i] * rateScale, losses[i]);
                throw new DivergedException(
                        "joint confidence training, "
                                + names[i]
                                + " step: "
                                + diverged.getMessage(),
                        diverged);
            }
        }
    }

    /** The generated batch reshaped to the classifier's input layout (M, …). */
    private static Shape fakeShape(NDArray fake, NDArray x) {
        Shape xs = x.getShape();
        return new Shape(fake.getShape().get(0)).addAll(xs.slice(1));
    }

    @Override
    public String toString() {
        return "JointConfidenceTraining[beta="
                + beta
                + ", classifier lr="
                + classifierLearningRate
                + ", GAN lr="
                + ganLearningRate
                + ", x"
                + decayFactor
                + " from epoch "
                + decayEpoch
                + ", epochs="
                + epochs
                + ", batchSize="
                + batchSize
                + ", seed="
                + seed
                + "]";
    }

    /**
     * Configures a {@link JointConfidenceTraining}. The shared settings ({@link TrainingSettings})
     * default to 1 epoch of batch 64, seed {@link OodLab#DEFAULT_SEED}, no progress bar; the
     * learning rates are this loop's own.
     */
    public static final class Builder extends TrainingSettings.Builder<Builder> {
        private Network classifier;
        private Network generator;
        private Network discriminator;
        private double beta = 1.0;
        private double classifierLearningRate = CLASSIFIER_LEARNING_RATE;
        private double ganLearningRate = GAN_LEARNING_RATE;
        private int decayEpoch = -1; // -1: ⌈0.6·epochs⌉
        private double decayFactor = DECAY_FACTOR;
        private EpochListener listener;

        private Builder() {
            super(
                    TrainingSettings.defaults()
                            .withBatchSize(64)
                            .withProgress(ProgressBar.Mode.OFF),
                    System.out);
        }

        /** The classifier θ (required). */
        public Builder setClassifier(Network network) {
            this.classifier = Objects.requireNonNull(network, "classifier");
            return this;
        }

        /** The generator G: latent (L) → one classifier input (required). */
        public Builder setGenerator(Network network) {
            this.generator = Objects.requireNonNull(network, "generator");
            return this;
        }

        /** The discriminator D: one classifier input → one logit (required). */
        public Builder setDiscriminator(Network network) {
            this.discriminator = Objects.requireNonNull(network, "discriminator");
            return this;
        }

        /** The weight β ≥ 0 of the KL terms (default 1). */
        public Builder optBeta(double beta) {
            this.beta = beta;
            return this;
        }

        /** The classifier's Adam learning rate (default 2e−4, as the authors' code). */
        public Builder optClassifierLearningRate(double rate) {
            this.classifierLearningRate = rate;
            return this;
        }

        /** The Adam learning rate of G and D (default 2e−4). */
        public Builder optGanLearningRate(double rate) {
            this.ganLearningRate = rate;
            return this;
        }

        /**
         * Multiply all three learning rates by {@code factor} from epoch {@code epoch} (counted
         * from 0) on; default: by 0.1 from ⌈0.6·epochs⌉ on, the authors' 60 of 100.
         *
         * @param epoch the first epoch at the lower rates, ≥ 0 (≥ epochs: no decay)
         * @param factor the factor, in (0, 1]
         * @return this builder
         */
        public Builder optLearningRateDecay(int epoch, double factor) {
            this.decayEpoch = epoch < 0 ? Integer.MIN_VALUE : epoch;
            this.decayFactor = factor;
            return this;
        }

        /** Called after every epoch (default: none). */
        public Builder optEpochListener(EpochListener listener) {
            this.listener = listener;
            return this;
        }

        /** A progress bar on {@code stream} (default: none). */
        public Builder optProgress(ProgressBar.Mode mode, PrintStream stream) {
            return optProgress(mode).optProgressStream(stream);
        }

        /**
         * Checks the options and builds the trainer.
         *
         * @throws IllegalArgumentException naming the first missing network or invalid option
         */
        public JointConfidenceTraining build() {
            if (classifier == null || generator == null || discriminator == null) {
                throw new IllegalArgumentException(
                        "classifier, generator and discriminator are all required");
            }
            if (generator.inputShape().dimension() != 1) {
                throw new IllegalArgumentException(
                        "the generator's input must be a latent vector (L), got shape "
                                + generator.inputShape());
            }
            if (discriminator.numClasses() != 1) {
                throw new IllegalArgumentException(
                        "the discriminator must output one logit, got width "
                                + discriminator.numClasses());
            }
            check(beta >= 0 && Double.isFinite(beta), "beta", ">= 0", beta);
            settings().check();
            check(
                    classifierLearningRate > 0 && Double.isFinite(classifierLearningRate),
                    "classifierLearningRate",
                    "> 0",
                    classifierLearningRate);
            check(
                    ganLearningRate > 0 && Double.isFinite(ganLearningRate),
                    "ganLearningRate",
                    "> 0",
                    ganLearningRate);
            check(decayEpoch >= -1, "the learning-rate decay epoch", ">= 0", "a negative value");
            check(
                    decayFactor > 0 && decayFactor <= 1,
                    "the learning-rate decay factor",
                    "in (0, 1]",
                    decayFactor);
            return new JointConfidenceTraining(this);
        }

        private static void check(boolean ok, String option, String requirement, Object value) {
            if (!ok) {
                throw new IllegalArgumentException(
                        option + " must be " + requirement + ", got " + value);
            }
        }
    }
}

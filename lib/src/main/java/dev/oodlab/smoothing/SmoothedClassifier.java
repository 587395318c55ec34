package dev.oodlab.smoothing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import dev.oodlab.OodLab;
import dev.oodlab.data.ImageSet;
import dev.oodlab.nn.TorchScriptFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.hipparchus.distribution.continuous.BetaDistribution;
import org.hipparchus.distribution.continuous.NormalDistribution;
import org.hipparchus.stat.inference.AlternativeHypothesis;
import org.hipparchus.stat.inference.BinomialTest;

/**
 * A classifier smoothed with Gaussian noise, and its Monte-Carlo prediction and certification
 * (Cohen, Rosenfeld, Kolter, "Certified Adversarial Robustness via Randomized Smoothing", ICML
 * 2019).
 *
 * <p>For a base classifier f, the smoothed classifier is g(x) = argmax_c P(f(x + ε) = c) with ε ~
 * N(0, σ²I). If the top class has probability at least p̲A > ½, then g(x + δ) = g(x) for every ‖δ‖₂
 * &lt; R = σ·Φ⁻¹(p̲A) (Theorem 1, with the runner-up bounded by 1 − p̲A). The probabilities are
 * estimated from class counts of f over noisy copies of x:
 *
 * <ul>
 *   <li>{@link #predict}: the top two counts n_A, n_B over n copies; abstain unless the two-sided
 *       binomial test of n_A successes in n_A + n_B trials at ½ has p-value ≤ α (then the
 *       probability of returning a wrong class is at most α);
 *   <li>{@link #certify}: ĉ = argmax of the counts over n0 copies; n_A = count of ĉ over n fresh
 *       copies; p̲A = the one-sided (1 − α) Clopper–Pearson lower bound Beta(n_A, n − n_A +
 *       1).inverseCDF(α) (0 when n_A = 0); abstain if p̲A &lt; ½, else R = σ·Φ⁻¹(p̲A). The paper's
 *       defaults are n0 = 100, n = 100000, α = 0.001.
 * </ul>
 *
 * <p>Noise is added in image space ([0, 1] pixels, no clipping) and drawn inside libtorch, next to
 * the forward pass: each batch of copies is written into one buffer that is reused across the
 * batches of a call, as {@code x + σ·z} with z from libtorch's {@code normal_} and a generator of
 * its own (a Mersenne Twister, never libtorch's global one), and the predictions are counted there
 * too ({@code bincount(argmax(logits))}), so only the K counts come back. Each call ({@link
 * #classCounts}, {@link #predict}, {@link #certify(NDArray, int, int, int, double)}) seeds a fresh
 * generator with the next number of this instance's {@link SplittableRandom}; when certifying a
 * set, image i seeds it from this classifier's seed and i. So the same seed and the same sequence
 * of calls give the same counts, and since the generator runs on from one batch to the next, the
 * noise of each copy does not depend on the batch size when C·H·W is a multiple of 16 (libtorch
 * fills 16 values at a time; 784 for MNIST, 3072 for CIFAR). The generator takes a 32-bit seed.
 *
 * <p>Copies are classified in batches of {@link #batchSize()} per forward pass, each batch under
 * its own sub-manager that is closed right after its counts have been copied out, so nothing
 * accumulates over many calls.
 *
 * <p>An instance holds a generator and is not thread-safe; use one per thread.
 */
public final class SmoothedClassifier {

    /** The class returned when the smoothed classifier abstains. */
    public static final int ABSTAIN = -1;

    /**
     * Noisy copies per forward pass unless set otherwise: 200, chosen by measurement ({@code oodlab
     * bench certify --sweep}) on the SmoothMix LeNet with 2 threads, where 100–250 took the least
     * CPU time per copy and 500 or 1000 two to five times more once the intermediate activations
     * (46 kB per copy after the first convolution) outgrow the caches (docs/benchmarks.md,
     * "Certification"). The counts do not depend on it (see the class comment).
     */
    public static final int DEFAULT_BATCH_SIZE = 200;

    /** The paper's number of selection copies n0. */
    public static final int DEFAULT_N0 = 100;

    /** The paper's number of estimation copies n. */
    public static final int DEFAULT_N = 100_000;

    /** The paper's failure probability α. */
    public static final double DEFAULT_ALPHA = 0.001;

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(0, 1);

    /** Accuracy of the Beta quantile; the default 1e-9 would be close to the 8 digits we check. */
    private static final double BETA_INVERSE_ACCURACY = 1e-14;

    private final BaseClassifier base;
    private final double sigma;
    private final int numClasses;
    private final long seed;
    private final int batchSize;
    private final SplittableRandom random;

    /**
     * A smoothed classifier with {@link #DEFAULT_BATCH_SIZE} copies per forward pass.
     *
     * @param base the base classifier f
     * @param sigma the noise level σ &gt; 0 (in pixel units)
     * @param numClasses the number of classes K ≥ 2 (the width of f's output)
     * @param seed seed of the noise generator
     */
    public SmoothedClassifier(BaseClassifier base, double sigma, int numClasses, long seed) {
        this(base, sigma, numClasses, seed, DEFAULT_BATCH_SIZE);
    }

    /**
     * A smoothed classifier.
     *
     * @param base the base classifier f
     * @param sigma the noise level σ &gt; 0 (in pixel units)
     * @param numClasses the number of classes K ≥ 2 (the width of f's output)
     * @param seed seed of the noise generator
     * @param batchSize noisy copies per forward pass, ≥ 1
     */
    public SmoothedClassifier(
            BaseClassifier base, double sigma, int numClasses, long seed, int batchSize) {
        this.base = Objects.requireNonNull(base, "base");
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be positive and finite, got " + sigma);
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be at least 2, got " + numClasses);
        }
        requirePositive("batchSize", batchSize);
        this.sigma = sigma;
        this.numClasses = numClasses;
        this.seed = seed;
        this.batchSize = batchSize;
        this.random = new SplittableRandom(seed);
        OodLab.init();
    }

    /** The noise level σ. */
    public double sigma() {
        return sigma;
    }

    /** The number of classes K. */
    public int numClasses() {
        return numClasses;
    }

    /** The seed this classifier was made with. */
    public long seed() {
        return seed;
    }

    /** Noisy copies per forward pass. */
    public int batchSize() {
        return batchSize;
    }

    /**
     * How often the base classifier picks each class over {@code num} noisy copies x + N(0, σ²I).
     * Draws from this instance's generator.
     *
     * @param x one image, shape (C, H, W) or (1, C, H, W); its manager hosts the per-batch
     *     sub-managers, so it must be on the base classifier's device
     * @param num the number of noisy copies, ≥ 1
     * @return counts per class, summing to {@code num}
     */
    public int[] classCounts(NDArray x, int num) {
        requirePositive("num", num);
        try (Sampler sampler = new Sampler(x, random.nextLong(), num)) {
            return sampler.counts(num);
        }
    }

    /**
     * PREDICT: the smoothed class of {@code x}, or an abstention.
     *
     * @param x one image, shape (C, H, W) or (1, C, H, W)
     * @param n the number of noisy copies, ≥ 1
     * @param alpha the level in (0, 1): a returned class is wrong with probability at most α
     * @return the prediction with its counts and p-value
     */
    public Prediction predict(NDArray x, int n, double alpha) {
        requirePositive("n", n);
        requireAlpha(alpha);
        int[] counts;
        try (Sampler sampler = new Sampler(x, random.nextLong(), n)) {
            counts = sampler.counts(n);
        }
        int top = argMax(counts, -1);
        int second = argMax(counts, top);
        int countTop = counts[top];
        int countSecond = counts[second];
        double pValue =
                new BinomialTest()
                        .binomialTest(
                                countTop + countSecond,
                                countTop,
                                0.5,
                                AlternativeHypothesis.TWO_SIDED);
        int prediction = pValue <= alpha ? top : ABSTAIN;
        return new Prediction(prediction, countTop, countSecond, pValue);
    }

    /**
     * CERTIFY with the true label unknown ({@code label = -1}, never correct).
     *
     * @param x one image, shape (C, H, W) or (1, C, H, W)
     * @param n0 noisy copies to select the class ĉ, ≥ 1
     * @param n noisy copies to estimate p̲A, ≥ 1
     * @param alpha the failure probability in (0, 1)
     * @return the certification
     * @see #certify(NDArray, int, int, int, double)
     */
    public Certification certify(NDArray x, int n0, int n, double alpha) {
        return certify(x, -1, n0, n, alpha);
    }

    /**
     * CERTIFY: the class ĉ chosen from n0 noisy copies, and the L2 radius R = σ·Φ⁻¹(p̲A) certified
     * from n fresh copies, or an abstention when p̲A &lt; ½.
     *
     * @param x one image, shape (C, H, W) or (1, C, H, W)
     * @param label the true class (for {@link Certification#correct()}), or -1 when unknown
     * @param n0 noisy copies to select the class ĉ, ≥ 1
     * @param n noisy copies to estimate p̲A, ≥ 1
     * @param alpha the failure probability in (0, 1)
     * @return the certification, with index -1
     */
    public Certification certify(NDArray x, int label, int n0, int n, double alpha) {
        checkCertifyArguments(n0, n, alpha);
        long start = System.nanoTime();
        try (Sampler sampler = new Sampler(x, random.nextLong(), Math.max(n0, n))) {
            return certify(sampler, -1, label, n0, n, alpha, start);
        }
    }

    /**
     * Certifies the first {@code count} images of a labelled set.
     *
     * @param set a labelled image set
     * @param count how many images, from the first; all if {@code count >= set.size()}
     * @param n0 noisy copies to select the class, ≥ 1
     * @param n noisy copies to estimate p̲A, ≥ 1
     * @param alpha the failure probability in (0, 1)
     * @param manager the manager (and so the device) for the per-batch sub-managers
     * @return one certification per image, in order
     * @see #certify(ImageSet, int, int, int, double, NDManager, Consumer)
     */
    public CertificationResults certify(
            ImageSet set, int count, int n0, int n, double alpha, NDManager manager) {
        return certify(set, count, n0, n, alpha, manager, c -> {});
    }

    /**
     * Certifies the first {@code count} images of a labelled set, calling {@code onEach} after each
     * image (to print progress, or to stream rows to a log).
     *
     * <p>Image {@code i} gets its own generator, seeded from this classifier's seed and {@code i},
     * so its certificate is the same whether the first 10 or all images are certified, and does not
     * depend on earlier calls on this instance.
     *
     * @param set a labelled image set
     * @param count how many images, from the first; all if {@code count >= set.size()}
     * @param n0 noisy copies to select the class, ≥ 1
     * @param n noisy copies to estimate p̲A, ≥ 1
     * @param alpha the failure probability in (0, 1)
     * @param manager the manager (and so the device) for the per-batch sub-managers
     * @param onEach called with each certification as soon as it is made
     * @return one certification per image, in order
     */
    public CertificationResults certify(
            ImageSet set,
            int count,
            int n0,
            int n,
            double alpha,
            NDManager manager,
            Consumer<Certification> onEach) {
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(manager, "manager");
        Objects.requireNonNull(onEach, "onEach");
        requirePositive("count", count);
        checkCertifyArguments(n0, n, alpha);
        if (!set.isLabelled()) {
            throw new IllegalArgumentException(set.name() + " has no labels to certify against");
        }
        Shape shape = new Shape(set.channels(), set.height(), set.width());
        int points = Math.min(count, set.size());
        List<Certification> results = new ArrayList<>(points);
        for (int i = 0; i < points; i++) {
            long start = System.nanoTime();
            Certification c;
            try (Sampler sampler =
                    new Sampler(
                            set.image(i),
                            shape,
                            manager,
                            pointRandom(seed, i).nextLong(),
                            Math.max(n0, n))) {
                c = certify(sampler, i, set.label(i), n0, n, alpha, start);
            }
            results.add(c);
            onEach.accept(c);
        }
        return new CertificationResults(results);
    }

    /**
     * The one-sided (1 − α) Clopper–Pearson lower confidence bound on a binomial proportion:
     * Beta(k, n − k + 1).inverseCDF(α), and 0 when k = 0.
     *
     * @param successes k, in [0, trials]
     * @param trials n ≥ 1
     * @param alpha the failure probability in (0, 1)
     * @return p̲ with P(p ≥ p̲) ≥ 1 − α
     */
    public static double lowerConfidenceBound(int successes, int trials, double alpha) {
        requirePositive("trials", trials);
        if (successes < 0 || successes > trials) {
            throw new IllegalArgumentException(
                    "successes must be in [0, " + trials + "], got " + successes);
        }
        requireAlpha(alpha);
        if (successes == 0) {
            return 0.0;
        }
        return new BetaDistribution(successes, trials - successes + 1.0, BETA_INVERSE_ACCURACY)
                .inverseCumulativeProbability(alpha);
    }

    /**
     * The certified radius from the count of the selected class: R = σ·Φ⁻¹(p̲A) with p̲A = {@link
     * #lowerConfidenceBound(int, int, double) lowerConfidenceBound(n_A, n, α)}, or empty (abstain)
     * when p̲A &lt; ½.
     *
     * @param countTop n_A, in [0, n]
     * @param n the number of estimation copies, ≥ 1
     * @param alpha the failure probability in (0, 1)
     * @param sigma the noise level σ &gt; 0
     * @return the radius, or empty to abstain
     */
    public static OptionalDouble certifiedRadius(int countTop, int n, double alpha, double sigma) {
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be positive and finite, got " + sigma);
        }
        double pLower = lowerConfidenceBound(countTop, n, alpha);
        if (pLower < 0.5) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(sigma * STANDARD_NORMAL.inverseCumulativeProbability(pLower));
    }

    @Override
    public String toString() {
        return "SmoothedClassifier[sigma="
                + sigma
                + ", numClasses="
                + numClasses
                + ", seed="
                + seed
                + ", batchSize="
                + batchSize
                + "]";
    }

    private Certification certify(
            Sampler sampler, int index, int label, int n0, int n, double alpha, long start) {
        int[] selection = sampler.counts(n0);
        int candidate = argMax(selection, -1);
        int[] estimation = sampler.counts(n);
        int countTop = estimation[candidate];
        OptionalDouble radius = certifiedRadius(countTop, n, alpha, sigma);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (radius.isEmpty()) {
            return new Certification(index, label, ABSTAIN, 0.0, false, countTop, seconds);
        }
        return new Certification(
                index,
                label,
                candidate,
                radius.getAsDouble(),
                candidate == label,
                countTop,
                seconds);
    }

    /** A fresh libtorch generator, seeded, on the device of {@code like}. */
    private static final TorchScriptFunction NEW_GENERATOR =
            TorchScriptFunction.of(
                    "SmoothingGenerator",
                    """
                    def forward(self, like: Tensor, seed: int) -> Generator:
                      return torch.Generator(device=like.device, seed=seed)
                    """);

    /**
     * The first {@code copies} rows of the buffer overwritten with x + σ·z, z ~ N(0, I) from the
     * generator (which runs on); returns them as a view of the buffer.
     */
    private static final TorchScriptFunction NOISY_COPIES =
            TorchScriptFunction.of(
                    "SmoothingNoisyCopies",
                    """
                    def forward(self, buffer: Tensor, x: Tensor, copies: int, sigma: float,
                                generator: Generator) -> Tensor:
                      noisy = torch.slice(buffer, 0, 0, copies, 1)
                      torch.normal_(noisy, 0., sigma, generator=generator)
                      return torch.add_(noisy, torch.detach(x))
                    """);

    /** How often each of the K classes is the argmax of a row of scores. */
    private static final TorchScriptFunction COUNT =
            TorchScriptFunction.of(
                    "SmoothingCount",
                    """
                    def forward(self, scores: Tensor, classes: int) -> Tensor:
                      return torch.bincount(torch.argmax(scores, 1, False), None, classes)
                    """);

    /**
     * The noisy copies of one image and their class counts: the image, a buffer of noisy copies and
     * a libtorch generator, in a scope of their own under the image's (or the given) manager, freed
     * by {@link #close()}. Each call of {@link #counts} continues the generator's stream.
     */
    private final class Sampler implements AutoCloseable {

        private final NDManager scope;
        private final NDArray image;
        private final NDArray buffer;
        private final IValue generator;

        /** For an image already in the engine; its manager hosts the scope. */
        Sampler(NDArray x, long generatorSeed, int largestCount) {
            Objects.requireNonNull(x, "x");
            Shape shape = imageShape(x);
            if (!(x instanceof PtNDArray)) {
                throw new IllegalArgumentException(
                        "x must be an array of the PyTorch engine, got " + x.getClass().getName());
            }
            this.scope = x.getManager().newSubManager();
            try {
                NDArray converted = x;
                if (x.getDataType() != DataType.FLOAT32) {
                    converted = x.toType(DataType.FLOAT32, true);
                    converted.attach(scope);
                }
                this.image = converted;
                this.buffer = scope.create(batchShape(Math.min(batchSize, largestCount), shape));
                this.generator = newGenerator(buffer, generatorSeed);
            } catch (RuntimeException e) {
                scope.close();
                throw e;
            }
        }

        /** For an image given as pixels; it is copied into a scope under {@code parent}. */
        Sampler(float[] pixels, Shape shape, NDManager parent, long generatorSeed, int largest) {
            this.scope = parent.newSubManager();
            try {
                this.image = scope.create(pixels, shape);
                this.buffer = scope.create(batchShape(Math.min(batchSize, largest), shape));
                if (!(buffer instanceof PtNDArray)) {
                    throw new IllegalArgumentException(
                            "the manager must be of the PyTorch engine, got "
                                    + parent.getClass().getName());
                }
                this.generator = newGenerator(buffer, generatorSeed);
            } catch (RuntimeException e) {
                scope.close();
                throw e;
            }
        }

        private static IValue newGenerator(NDArray like, long seed) {
            try (IValue l = IValue.from((PtNDArray) like);
                    IValue s = IValue.from(seed)) {
                return NEW_GENERATOR.invoke(l, s);
            }
        }

        /** Class counts of the base classifier over {@code num} copies image + σ·N(0, I). */
        int[] counts(int num) {
            int[] counts = new int[numClasses];
            int largest = (int) buffer.getShape().get(0);
            for (int done = 0; done < num; ) {
                int b = Math.min(largest, num - done);
                try (NDManager batchScope = scope.newSubManager()) {
                    NDArray noisy;
                    try (IValue buf = IValue.from((PtNDArray) buffer);
                            IValue x = IValue.from((PtNDArray) image);
                            IValue copies = IValue.from((long) b);
                            IValue s = IValue.from(sigma);
                            IValue result = NOISY_COPIES.invoke(buf, x, copies, s, generator)) {
                        noisy = result.toTensor((PtNDManager) batchScope);
                    }
                    NDArray logits = base.logits(noisy);
                    Shape out = logits.getShape();
                    if (out.dimension() != 2 || out.get(0) != b || out.get(1) != numClasses) {
                        throw new IllegalStateException(
                                "the base classifier returned scores of shape "
                                        + out
                                        + " for a batch of "
                                        + b
                                        + "; expected ("
                                        + b
                                        + ", "
                                        + numClasses
                                        + ")");
                    }
                    if (!(logits instanceof PtNDArray)) {
                        throw new IllegalStateException(
                                "the base classifier returned an array of another engine: "
                                        + logits.getClass().getName());
                    }
                    long[] perClass;
                    try (IValue scores = IValue.from((PtNDArray) logits);
                            IValue k = IValue.from((long) numClasses);
                            IValue result = COUNT.invoke(scores, k)) {
                        perClass = result.toTensor((PtNDManager) batchScope).toLongArray();
                    }
                    for (int c = 0; c < numClasses; c++) {
                        counts[c] += (int) perClass[c];
                    }
                }
                done += b;
            }
            return counts;
        }

        @Override
        public void close() {
            try {
                generator.close();
            } finally {
                scope.close();
            }
        }
    }

    /** A generator for point {@code index} of a set, independent of the other points'. */
    static SplittableRandom pointRandom(long seed, int index) {
        // SplittableRandom(s).nextLong() is a strong 64-bit mix of s; seeding with the mixed value
        // keeps the streams of neighbouring indices from being shifted copies of one another.
        long mixed = new SplittableRandom(seed + 0x9E3779B97F4A7C15L * (index + 1L)).nextLong();
        return new SplittableRandom(mixed);
    }

    /** Index of the largest count, lowest index on ties, skipping {@code exclude}. */
    private static int argMax(int[] counts, int exclude) {
        int best = -1;
        for (int c = 0; c < counts.length; c++) {
            if (c != exclude && (best < 0 || counts[c] > counts[best])) {
                best = c;
            }
        }
        return best;
    }

    private static Shape imageShape(NDArray x) {
        Shape shape = x.getShape();
        if (shape.dimension() == 4 && shape.get(0) == 1) {
            return shape.slice(1);
        }
        if (shape.dimension() != 3) {
            throw new IllegalArgumentException(
                    "x must be one image of shape (C, H, W) or (1, C, H, W), got " + shape);
        }
        return shape;
    }

    private static Shape batchShape(int b, Shape image) {
        return new Shape(b).addAll(image);
    }

    private static void checkCertifyArguments(int n0, int n, double alpha) {
        requirePositive("n0", n0);
        requirePositive("n", n);
        requireAlpha(alpha);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    private static void requireAlpha(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
    }
}

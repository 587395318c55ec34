package dev.oodlab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.oodlab.nn.Losses;
import dev.oodlab.nn.Network;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SmoothMix (Jeong, Park, Kim, Lee, Kim, Shin, "SmoothMix: Training Confidence-calibrated Smoothed
 * Classifiers for Certified Robustness", NeurIPS 2021), following the authors' code
 * (jh-jeong/smoothmix, {@code code/train.py}): find an adversarial example of the <em>soft smoothed
 * classifier</em> by unconstrained L2 steps, mix the clean input with it, and train the smoothed
 * classifier to lower its confidence along the way.
 *
 * <pre>
 *   δ_1..δ_m ~ N(0, σ²I), drawn once per chunk, reused by the attack and the loss
 *   F̂(z) = (1/m) Σ_i softmax(f(z + δ_i))
 *   attack (eval mode, parameters untouched): x⁰ = x;
 *     for t &lt; T: g = ∇ Σ_b −log max(F̂(xᵗ)_y, 1e−20);  xᵗ⁺¹ = clip₀¹(xᵗ + α·g/(‖g‖₂ + 1e−8))
 *     x_adv = xᵀ;  x₁ = x  (or, with the one-step adversary, Π(x¹): below)
 *   L_CE  = mean_{b,i} CE(p(x₁ + δ_i), y)
 *   λ_b ~ U[0, ½) per sample;  x_mix = (1−λ)x₁ + λx_adv;  ỹ = (1−λ)F̂(x₁) + λu   (F̂ not detached)
 *   L_mix = mean_{b,i} 1[argmax F̂(x₁)_b = y_b] · KL(ỹ_b ‖ p(x_mix,b + δ_i))
 *   L = L_CE + η·w·L_mix,   w = min(1, (epoch+1)/warm-up epochs)
 * </pre>
 *
 * There is no ε-ball: the step size α and the number of steps T bound the perturbation. Use it to
 * train a base classifier for randomized smoothing; it raises the certified radius over Gaussian
 * augmentation. MNIST defaults: m = 4, α = 1, σ = 0.25 with T = 2 and η = 5 (σ = 0.5: T = 4; σ = 1:
 * T = 8).
 *
 * <p><b>One-step adversary</b> ({@code --mix_step 1} in the authors' code, {@link
 * Builder#optOneStepAdversary}): x₁ is the attack's first iterate x¹ projected onto the L2 ball of
 * radius w·α around x ({@code _project(init, inputs, maxnorm_s)} with {@code maxnorm_s = warmup_v ·
 * alpha · mix_step}): Π(z) = clip₀¹(x + (z − x)·r/(‖z − x‖₂ + 1e−7)) where ‖z − x‖₂ &gt; r = w·α, z
 * itself elsewhere (torch's {@code renorm}). During the warm-up (w &lt; 1) this shortens the step;
 * after it the ball has the step's own radius. The code takes x¹ at the start of the second attack
 * step, so with T = 1 there is none and x₁ = x.
 *
 * <p><b>Chunks.</b> The authors' loop splits each batch of 256 into m chunks of 256/m samples
 * ({@code _chunk_minibatch(batch, num_noise_vec)}, the remainder of a batch that m does not divide
 * is dropped) and takes one optimizer step per chunk, each with its own m noise draws: the
 * published ACRs come from optimizer steps on 64 samples with m = 4. This is the default here too
 * ({@link #chunksPerBatch()} = m, carried out by {@link Fit}); {@link
 * Builder#optChunkedBatches(boolean) optChunkedBatches(false)} trains each whole batch in one step
 * instead.
 *
 * <p>Draws per chunk: {@code normal((m, N, …), σ)}, then {@code uniform()} per sample.
 */
public final class SmoothMix implements TrainingMethod {

    /**
     * The descriptor of {@code smoothmix}, with the authors' MNIST settings as defaults; T follows
     * σ when it is not set ({@link #mnistSteps}).
     */
    public static final MethodDescriptor DESCRIPTOR =
            MethodDescriptor.builder("smoothmix")
                    .summary(
                            "mixup of the input with an adversarial example of the soft smoothed"
                                    + " classifier, confidence lowered along the way")
                    .paper(
                            "Jeong, Park, Kim, Lee, Kim, Shin, SmoothMix: Training"
                                    + " Confidence-calibrated Smoothed Classifiers for Certified"
                                    + " Robustness, NeurIPS 2021")
                    .options(
                            SharedOptions.SIGMA,
                            MethodOption.integer(
                                    "noise-draws",
                                    MethodOption.Range.AT_LEAST_ONE,
                                    "4",
                                    "Noise draws per input, shared by attack and loss; each batch"
                                            + " is trained as this many chunks, one optimizer step"
                                            + " each, as in the authors' code"),
                            MethodOption.integer(
                                    "steps",
                                    MethodOption.Range.AT_LEAST_ONE,
                                    "8*sigma rounded: 2 at sigma 0.25, 4 at 0.5, 8 at 1.0",
                                    "Attack steps"),
                            MethodOption.real(
                                    "step-size",
                                    MethodOption.Range.POSITIVE,
                                    "1",
                                    "L2 length of each attack step"),
                            MethodOption.real(
                                    "eta",
                                    MethodOption.Range.NON_NEGATIVE,
                                    "5",
                                    "Weight of the mixup term"),
                            MethodOption.flag(
                                    "one-step",
                                    "off",
                                    "Mix from the first attack iterate, projected onto the L2"
                                            + " ball of radius w*step-size around the input (w:"
                                            + " the warm-up weight), instead of the clean input"
                                            + " (the one-step adversary; with --steps 1 the input"
                                            + " itself)"),
                            MethodOption.integer(
                                    "warmup-epochs",
                                    MethodOption.Range.AT_LEAST_ONE,
                                    "10",
                                    "Epochs over which the mixup weight rises linearly to eta"))
                    .factory(
                            values -> {
                                var b = builder();
                                double sigma =
                                        values.isSet("sigma") ? values.real("sigma") : b.sigma;
                                b.optSigma(sigma)
                                        .optSteps(
                                                values.isSet("steps")
                                                        ? values.integer("steps")
                                                        : mnistSteps(sigma));
                                values.ifInteger("noise-draws", b::optNoiseSamples)
                                        .ifReal("step-size", b::optStepSize)
                                        .ifReal("eta", b::optEta)
                                        .ifFlag("one-step", b::optOneStepAdversary)
                                        .ifInteger("warmup-epochs", b::optWarmupEpochs);
                                return b.build();
                            })
                    .forwardPasses(
                            method -> {
                                // each attack step: m noisy forwards and their input backward;
                                // then two training passes (clean, mixed) over m noisy copies
                                SmoothMix m = (SmoothMix) method;
                                return 2 * m.noiseSamples() * m.steps() + 6 * m.noiseSamples();
                            })
                    .build();

    private final double sigma;
    private final int noiseSamples;
    private final int steps;
    private final double stepSize;
    private final double eta;
    private final int warmupEpochs;
    private final boolean oneStepAdversary;
    private final boolean chunkedBatches;

    private SmoothMix(Builder b) {
        this.sigma = b.sigma;
        this.noiseSamples = b.noiseSamples;
        this.steps = b.steps;
        this.stepSize = b.stepSize;
        this.eta = b.eta;
        this.warmupEpochs = b.warmupEpochs;
        this.oneStepAdversary = b.oneStepAdversary;
        this.chunkedBatches = b.chunkedBatches;
    }

    /** A builder with the MNIST defaults m = 4, σ = 0.25, T = 2, α = 1, η = 5, warm-up 10. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The number of attack steps the authors use on MNIST for a noise level: T = 8σ rounded (σ =
     * 0.25 → 2, 0.5 → 4, 1.0 → 8), at least 1. The builder's default T = 2 is this rule at its
     * default σ = 0.25; set {@link Builder#optSteps} to it for another σ.
     *
     * @param sigma the noise level σ &gt; 0
     * @return T
     */
    public static int mnistSteps(double sigma) {
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("sigma must be > 0, got " + sigma);
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(8 * sigma)));
    }

    /** The noise level σ. */
    public double sigma() {
        return sigma;
    }

    /** The number m of noise draws per input, shared by the attack and the loss. */
    public int noiseSamples() {
        return noiseSamples;
    }

    /** The number T of attack steps. */
    public int steps() {
        return steps;
    }

    /** The attack step size α (the L2 length of each step before clipping). */
    public double stepSize() {
        return stepSize;
    }

    /** The weight η of the mixup term. */
    public double eta() {
        return eta;
    }

    /** The number of epochs over which the mixup weight rises to 1. */
    public int warmupEpochs() {
        return warmupEpochs;
    }

    /** Whether the mix starts from the first attack iterate x¹ instead of x. */
    public boolean oneStepAdversary() {
        return oneStepAdversary;
    }

    /** Whether each batch is trained as m chunks with one optimizer step each (the default). */
    public boolean chunkedBatches() {
        return chunkedBatches;
    }

    /**
     * m when batches are chunked as in the authors' code (the default), else 1.
     *
     * @return the number of optimizer steps per batch
     */
    @Override
    public int chunksPerBatch() {
        return chunkedBatches ? noiseSamples : 1;
    }

    /** The weight w = min(1, (epoch+1)/warm-up epochs) of the mixup term in this epoch. */
    public double warmupWeight(int epoch) {
        return Math.min(1.0, (epoch + 1) / (double) warmupEpochs);
    }

    @Override
    public NDArray loss(TrainingStep step) {
        Network net = step.network();
        NDArray x = step.x();
        int n = step.batchSize();
        int k = step.numClasses();
        int m = noiseSamples;
        NDArray noise =
                step.random().normal(step.manager(), new Shape(m).addAll(x.getShape()), sigma);
        NDArray onehot = step.oneHotLabels();

        NDArray[] iterates = attack(net, x, onehot, noise);
        NDArray adv = iterates[1];
        NDArray x1 =
                oneStepAdversary && steps > 1
                        ? projectToBall(iterates[0], x, warmupWeight(step.epoch()) * stepSize)
                        : x;

        NDArray cleanLogits = step.logits(withNoise(x1, noise));
        NDArray onehotRepeated = onehot.tile(new long[] {m, 1});
        NDArray lossCe = Losses.crossEntropy(cleanLogits, onehotRepeated).mean();
        NDArray smoothed = cleanLogits.softmax(1).reshape(m, n, k).mean(new int[] {0});

        float[] lambdas = new float[n];
        for (int b = 0; b < n; b++) {
            lambdas[b] = (float) (step.random().uniform() / 2);
        }
        NDArray lambdaImage = broadcastable(step.manager().create(lambdas), x.getShape());
        NDArray lambdaRow = lambdaImage.reshape(n, 1);
        NDArray mixed = x1.mul(lambdaImage.neg().add(1f)).add(adv.mul(lambdaImage));
        NDArray target = smoothed.mul(lambdaRow.neg().add(1f)).add(lambdaRow.mul(1f / k));
        NDArray mixLogits = step.logits(withNoise(mixed, noise));
        NDArray kl = Losses.klDivergence(target.tile(new long[] {m, 1}), mixLogits);
        NDArray correct =
                smoothed.argMax(1)
                        .eq(step.labels().toType(DataType.INT64, false))
                        .toType(DataType.FLOAT32, false)
                        .tile(m);
        NDArray lossMix = kl.mul(correct).mean();
        return lossCe.add(lossMix.mul((float) (eta * warmupWeight(step.epoch()))));
    }

    /**
     * The adversarial example SmoothMix trains on: T normalised gradient steps of size α that lower
     * the soft smoothed classifier's probability of the true class (model in inference mode,
     * parameters untouched, no ε-ball), for showing or inspecting what the method sees.
     *
     * @param net the model
     * @param x clean inputs (N, …) in [0, 1]
     * @param labels the true classes (N)
     * @param noise the noise draws δ_1..δ_m, shape (m, N, …)
     * @return x_adv = xᵀ, shape of x, in x's manager
     */
    public NDArray adversarialExample(Network net, NDArray x, NDArray labels, NDArray noise) {
        return attack(net, x, Losses.oneHot(labels, net.numClasses()), noise)[1];
    }

    /** {x¹, xᵀ}: the first and the last iterate of the attack. */
    private NDArray[] attack(Network net, NDArray x, NDArray onehot, NDArray noise) {
        NDArray current = x;
        NDArray firstStep = null;
        for (int t = 0; t < steps; t++) {
            NDArray g =
                    net.inputGradient(
                            current,
                            z ->
                                    smoothedProbabilities(net, z, noise, false)
                                            .mul(onehot)
                                            .sum(new int[] {1})
                                            .maximum(1e-20f)
                                            .log()
                                            .neg()
                                            .sum());
            current =
                    current.add(g.div(Losses.perSampleNorm(g).add(1e-8f)).mul((float) stepSize))
                            .clip(0f, 1f);
            if (t == 0) {
                firstStep = current;
            }
        }
        return new NDArray[] {firstStep, current};
    }

    /**
     * Π(z): z moved onto the L2 ball of radius r around x where it lies outside, per sample, then
     * clipped to [0, 1], as the authors' {@code _project} does it with torch's {@code renorm}: the
     * offset z − x is scaled by r/(‖z − x‖₂ + 1e−7) when ‖z − x‖₂ &gt; r.
     *
     * @param z points (N, …)
     * @param x centres (N, …)
     * @param radius r ≥ 0
     * @return the projected points, shape of x
     */
    static NDArray projectToBall(NDArray z, NDArray x, double radius) {
        NDArray offset = z.sub(x);
        NDArray norm = Losses.perSampleNorm(offset);
        NDArray scale =
                NDArrays.where(
                        norm.gt((float) radius),
                        norm.add(1e-7f).pow(-1).mul((float) radius),
                        norm.onesLike());
        return x.add(offset.mul(scale)).clip(0f, 1f);
    }

    /** F̂(z) = mean_i softmax(f(z + δ_i)), shape (N, K). */
    static NDArray smoothedProbabilities(Network net, NDArray z, NDArray noise, boolean training) {
        long m = noise.getShape().get(0);
        long n = z.getShape().get(0);
        NDArray probs = net.logits(withNoise(z, noise), training).softmax(1);
        return probs.reshape(m, n, -1).mean(new int[] {0});
    }

    /** The m noisy copies z + δ_i stacked as (m·N, …), copy i in rows i·N..(i+1)·N−1. */
    static NDArray withNoise(NDArray z, NDArray noise) {
        Shape shape = noise.getShape();
        long[] flat = new long[shape.dimension() - 1];
        flat[0] = shape.get(0) * shape.get(1);
        for (int d = 2; d < shape.dimension(); d++) {
            flat[d - 1] = shape.get(d);
        }
        return z.expandDims(0).add(noise).reshape(new Shape(flat));
    }

    private static NDArray broadcastable(NDArray perSample, Shape batchShape) {
        long[] dims = new long[batchShape.dimension()];
        java.util.Arrays.fill(dims, 1);
        dims[0] = batchShape.get(0);
        return perSample.reshape(new Shape(dims));
    }

    @Override
    public String name() {
        return "smoothmix";
    }

    @Override
    public Map<String, Object> recordedOptions() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("sigma", sigma);
        map.put("noise_draws", noiseSamples);
        map.put("steps", steps);
        map.put("step_size", stepSize);
        map.put("eta", eta);
        map.put("one_step", oneStepAdversary);
        map.put("warmup_epochs", warmupEpochs);
        map.put("chunks_per_batch", chunksPerBatch());
        return map;
    }

    @Override
    public String toString() {
        return "SmoothMix[sigma="
                + sigma
                + ", m="
                + noiseSamples
                + ", T="
                + steps
                + ", alpha="
                + stepSize
                + ", eta="
                + eta
                + (oneStepAdversary ? ", one-step" : "")
                + (chunkedBatches ? "" : ", whole batches")
                + "]";
    }

    /** Builds a {@link SmoothMix}. */
    public static final class Builder {
        private double sigma = 0.25;
        private int noiseSamples = 4;
        private int steps = 2;
        private double stepSize = 1.0;
        private double eta = 5.0;
        private int warmupEpochs = 10;
        private boolean oneStepAdversary;
        private boolean chunkedBatches = true;

        private Builder() {}

        /** The noise level σ > 0 (default 0.25). */
        public Builder optSigma(double sigma) {
            this.sigma = sigma;
            return this;
        }

        /** The number m ≥ 1 of noise draws per input (default 4). */
        public Builder optNoiseSamples(int noiseSamples) {
            this.noiseSamples = noiseSamples;
            return this;
        }

        /** The number T ≥ 1 of attack steps (default 2). */
        public Builder optSteps(int steps) {
            this.steps = steps;
            return this;
        }

        /** The attack step size α > 0 (default 1). */
        public Builder optStepSize(double stepSize) {
            this.stepSize = stepSize;
            return this;
        }

        /** The weight η ≥ 0 of the mixup term (default 5). */
        public Builder optEta(double eta) {
            this.eta = eta;
            return this;
        }

        /** The warm-up length in epochs ≥ 1 (default 10). */
        public Builder optWarmupEpochs(int warmupEpochs) {
            this.warmupEpochs = warmupEpochs;
            return this;
        }

        /**
         * Mix from the first attack iterate x¹, projected onto the L2 ball of radius w·α around x,
         * instead of x (default false; with T = 1 it is x all the same).
         */
        public Builder optOneStepAdversary(boolean oneStepAdversary) {
            this.oneStepAdversary = oneStepAdversary;
            return this;
        }

        /**
         * Split each batch into m chunks with one optimizer step each, as the authors' code
         * (default true); false trains the whole batch in one step.
         */
        public Builder optChunkedBatches(boolean chunkedBatches) {
            this.chunkedBatches = chunkedBatches;
            return this;
        }

        /**
         * Checks the options and builds the method.
         *
         * @throws IllegalArgumentException naming the first invalid option
         */
        public SmoothMix build() {
            Checks.option(sigma > 0 && Double.isFinite(sigma), "sigma", "> 0", sigma);
            Checks.option(noiseSamples >= 1, "noiseSamples", ">= 1", noiseSamples);
            Checks.option(steps >= 1, "steps", ">= 1", steps);
            Checks.option(stepSize > 0 && Double.isFinite(stepSize), "stepSize", "> 0", stepSize);
            Checks.option(eta >= 0 && Double.isFinite(eta), "eta", ">= 0", eta);
            Checks.option(warmupEpochs >= 1, "warmupEpochs", ">= 1", warmupEpochs);
            return new SmoothMix(this);
        }
    }
}

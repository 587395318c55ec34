package dev.oodlab.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.oodlab.OodLab;
import dev.oodlab.nn.Losses;
import dev.oodlab.nn.Network;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Projected gradient descent (Madry et al., ICLR 2018): repeated gradient steps on the
 * cross-entropy, each followed by a projection onto the ε-ball around the input and onto the valid
 * range.
 *
 * <pre>
 *   x⁰ = x (+ a uniform random point of the ε-ball if random start)
 *   xᵗ⁺¹ = clip_[lo,hi]( x + Π_ε( xᵗ ± α·d(∇ₓ Σ_b CE(f(xᵗ)_b, y_b)) − x ) )
 * </pre>
 *
 * with d = sign for {@link Norm#LINF} and g/‖g‖₂ per sample for {@link Norm#L2}; "+" for an
 * untargeted attack (raise the loss of the true label), "−" for a targeted one (lower the loss of
 * the target label). The standard strong first-order attack for evaluating robustness; FGSM is its
 * one-step special case ({@link Fgsm}).
 */
public final class Pgd implements Attack {

    private final Norm norm;
    private final double epsilon;
    private final double stepSize;
    private final int steps;
    private final boolean randomStart;
    private final boolean targeted;
    private final boolean training;
    private final float lower;
    private final float upper;
    private final SplittableRandom random;

    private Pgd(Builder b) {
        this.norm = b.norm;
        this.epsilon = b.epsilon;
        this.stepSize = Double.isNaN(b.stepSize) ? 2.5 * b.epsilon / b.steps : b.stepSize;
        this.steps = b.steps;
        this.randomStart = b.randomStart;
        this.targeted = b.targeted;
        this.training = b.training;
        this.lower = b.lower;
        this.upper = b.upper;
        this.random = new SplittableRandom(b.seed);
    }

    /** A builder with the defaults: L∞, ε = 0.1, 10 steps of α = 2.5ε/steps, random start. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public NDArray perturb(Network network, NDArray x, NDArray labels) {
        OodLab.init();
        NDManager caller = x.getManager();
        try (NDManager sub = caller.newSubManager()) {
            NDArray clean = x.stopGradient();
            clean.attach(sub);
            NDArray targets = labels.duplicate();
            targets.attach(sub);
            NDArray onehot = Losses.oneHot(targets, network.numClasses());
            NDArray adv = clean;
            if (randomStart && epsilon > 0) {
                adv = clean.add(randomDelta(sub, clean.getShape())).clip(lower, upper);
            }
            float signedStep = (float) (targeted ? -stepSize : stepSize);
            for (int t = 0; t < steps; t++) {
                NDArray g =
                        network.inputGradient(
                                adv,
                                z ->
                                        Losses.crossEntropy(network.logits(z, training), onehot)
                                                .sum());
                NDArray moved = adv.add(norm.direction(g).mul(signedStep));
                adv = clean.add(norm.project(moved.sub(clean), epsilon)).clip(lower, upper);
            }
            NDArray out = adv.duplicate();
            out.attach(caller);
            return out;
        }
    }

    /** A uniform random point of the ε-ball (seeded), shape of the batch. */
    private NDArray randomDelta(NDManager manager, Shape shape) {
        int n = (int) shape.get(0);
        int d = (int) (shape.size() / n);
        float[] values = new float[n * d];
        if (norm == Norm.LINF) {
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((2 * random.nextDouble() - 1) * epsilon);
            }
        } else {
            for (int b = 0; b < n; b++) {
                double sq = 0;
                for (int i = 0; i < d; i++) {
                    double v = gaussian();
                    values[b * d + i] = (float) v;
                    sq += v * v;
                }
                // a uniform point of the d-ball: a random direction, radius ε·U^(1/d)
                double radius = epsilon * Math.pow(random.nextDouble(), 1.0 / d) / Math.sqrt(sq);
                for (int i = 0; i < d; i++) {
                    values[b * d + i] *= (float) radius;
                }
            }
        }
        return manager.create(values, shape);
    }

    private double gaussian() {
        // Box–Muller from the seeded generator (one of the pair is enough here).
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    @Override
    public String toString() {
        return "PGD["
                + norm
                + ", eps="
                + epsilon
                + ", alpha="
                + stepSize
                + ", steps="
                + steps
                + (randomStart ? ", random start" : "")
                + (targeted ? ", targeted" : "")
                + "]";
    }

    /** Builds a {@link Pgd}; {@code build()} checks every option. */
    public static final class Builder {
        private Norm norm = Norm.LINF;
        private double epsilon = 0.1;
        private double stepSize = Double.NaN;
        private int steps = 10;
        private boolean randomStart = true;
        private boolean targeted;
        private boolean training;
        private float lower = 0f;
        private float upper = 1f;
        private long seed = OodLab.DEFAULT_SEED;

        private Builder() {}

        /** The norm of the ε-ball (default L∞). */
        public Builder optNorm(Norm norm) {
            this.norm = Objects.requireNonNull(norm, "norm");
            return this;
        }

        /** The radius ε of the ball, in pixel units of [0, 1] (default 0.1). */
        public Builder optEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** The step size α (default 2.5·ε/steps). */
        public Builder optStepSize(double stepSize) {
            this.stepSize = stepSize;
            return this;
        }

        /** The number of steps (default 10). */
        public Builder optSteps(int steps) {
            this.steps = steps;
            return this;
        }

        /** Whether to start from a uniform random point of the ε-ball (default true). */
        public Builder optRandomStart(boolean randomStart) {
            this.randomStart = randomStart;
            return this;
        }

        /** Whether the labels are targets to reach rather than true labels (default false). */
        public Builder optTargeted(boolean targeted) {
            this.targeted = targeted;
            return this;
        }

        /** Whether the model runs in training mode during the attack (default false). */
        public Builder optTrainingMode(boolean training) {
            this.training = training;
            return this;
        }

        /** The valid input range (default [0, 1]). */
        public Builder optRange(float lower, float upper) {
            this.lower = lower;
            this.upper = upper;
            return this;
        }

        /** The seed of the random start (default {@link OodLab#DEFAULT_SEED}). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Checks the options and builds the attack.
         *
         * @throws IllegalArgumentException naming the first invalid option
         */
        public Pgd build() {
            check(epsilon >= 0 && Double.isFinite(epsilon), "epsilon must be >= 0", epsilon);
            check(steps >= 1, "steps must be >= 1", steps);
            check(
                    Double.isNaN(stepSize) || (stepSize > 0 && Double.isFinite(stepSize)),
                    "stepSize must be > 0",
                    stepSize);
            check(lower < upper, "range lower bound must be below the upper bound", lower);
            return new Pgd(this);
        }
    }

    static void check(boolean ok, String message, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(message + ", got " + value);
        }
    }
}

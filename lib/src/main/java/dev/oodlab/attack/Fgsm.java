package dev.oodlab.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.oodlab.nn.Network;
import java.util.Objects;

/**
 * The fast gradient sign method (Goodfellow, Shlens, Szegedy, ICLR 2015): one step of size ε in the
 * direction that raises the cross-entropy of the true label,
 *
 * <pre>
 *   x_adv = clip₀¹( x + ε·sign(∇ₓ CE(p(x), y)) )          (untargeted, L∞)
 *   x_adv = clip₀¹( x − ε·sign(∇ₓ CE(p(x), t)) )          (targeted at class t)
 * </pre>
 *
 * and under {@link Norm#L2} the normalised gradient g/‖g‖₂ instead of the sign (the "fast gradient
 * method"). Cheap (one forward and one backward pass): the attack inside adversarial training
 * methods such as Adversarial-Mixup and M-TLAT.
 */
public final class Fgsm implements Attack {

    private final Pgd step;
    private final double epsilon;
    private final Norm norm;
    private final boolean targeted;
    private final float lower;
    private final float upper;

    private Fgsm(Builder b) {
        this.epsilon = b.epsilon;
        this.norm = b.norm;
        this.targeted = b.targeted;
        this.lower = b.lower;
        this.upper = b.upper;
        this.step =
                Pgd.builder()
                        .optNorm(b.norm)
                        .optEpsilon(b.epsilon)
                        .optStepSize(b.epsilon > 0 ? b.epsilon : 1)
                        .optSteps(1)
                        .optRandomStart(false)
                        .optTargeted(b.targeted)
                        .optTrainingMode(b.training)
                        .optRange(b.lower, b.upper)
                        .build();
    }

    /** A builder with the defaults: L∞, ε = 0.1, untargeted, range [0, 1]. */
    public static Builder builder() {
        return new Builder();
    }

    /** The untargeted L∞ FGSM of size {@code epsilon} on [0, 1] inputs. */
    public static Fgsm of(double epsilon) {
        return builder().optEpsilon(epsilon).build();
    }

    /** The step size ε. */
    public double epsilon() {
        return epsilon;
    }

    @Override
    public NDArray perturb(Network network, NDArray x, NDArray labels) {
        return step.perturb(network, x, labels);
    }

    /**
     * The FGSM point for an input gradient the caller already has: clip(x + ε·d) untargeted, clip(x
     * − ε·d) targeted, with d = sign(g) under L∞ and g/‖g‖₂ per sample under L2. A training step
     * that back-propagates a clean loss anyway gets its input gradient for free and saves the
     * attack's own forward and backward pass. With g = ∇ₓ CE(p(x), y), or any positive multiple of
     * it, this is {@link #perturb}.
     *
     * @param x the inputs (N, …)
     * @param gradient the gradient of the loss to raise (untargeted) or lower (targeted) with
     *     respect to x, shape of x
     * @return the adversarial inputs, in x's manager
     * @throws IllegalArgumentException if the shapes differ
     */
    public NDArray fromGradient(NDArray x, NDArray gradient) {
        if (!x.getShape().equals(gradient.getShape())) {
            throw new IllegalArgumentException(
                    "gradient shape "
                            + gradient.getShape()
                            + " differs from input shape "
                            + x.getShape());
        }
        NDManager caller = x.getManager();
        try (NDManager sub = caller.newSubManager()) {
            NDArray clean = x.stopGradient();
            clean.attach(sub);
            NDArray g = gradient.stopGradient();
            g.attach(sub);
            float signed = (float) (targeted ? -epsilon : epsilon);
            NDArray step = norm.project(norm.direction(g).mul(signed), epsilon);
            NDArray out = clean.add(step).clip(lower, upper);
            out.attach(caller);
            return out;
        }
    }

    @Override
    public String toString() {
        return "FGSM[eps=" + epsilon + "]";
    }

    /** Builds an {@link Fgsm}; {@code build()} checks every option. */
    public static final class Builder {
        private Norm norm = Norm.LINF;
        private double epsilon = 0.1;
        private boolean targeted;
        private boolean training;
        private float lower = 0f;
        private float upper = 1f;

        private Builder() {}

        /** The norm (default L∞: the sign of the gradient). */
        public Builder optNorm(Norm norm) {
            this.norm = Objects.requireNonNull(norm, "norm");
            return this;
        }

        /** The step size ε in pixel units (default 0.1). */
        public Builder optEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** Whether the labels are targets (default false). */
        public Builder optTargeted(boolean targeted) {
            this.targeted = targeted;
            return this;
        }

        /** Whether the model runs in training mode for the gradient (default false). */
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

        /**
         * Checks the options and builds the attack.
         *
         * @throws IllegalArgumentException naming the first invalid option
         */
        public Fgsm build() {
            Pgd.check(epsilon >= 0 && Double.isFinite(epsilon), "epsilon must be >= 0", epsilon);
            Pgd.check(lower < upper, "range lower bound must be below the upper bound", lower);
            return new Fgsm(this);
        }
    }
}

package dev.oodlab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;

/**
 * A first-order optimizer that updates a network's parameters in place from their gradients and
 * then zeroes the gradients (PyTorch accumulates them).
 *
 * <p>Why not DJL's {@code Trainer.step()}: DJL keeps an optimizer's state (Adam's moments, its
 * update counts) private, so a checkpoint could not resume a run exactly; and its update path
 * copies every gradient once more. These optimizers expose their state ({@link #state}, {@link
 * #loadState}) for {@link Checkpoint} and follow PyTorch's update rules ({@code torch.optim.Adam},
 * {@code torch.optim.SGD}).
 */
public abstract class ParameterOptimizer {

    private final List<NDArray> state = new ArrayList<>();
    private long steps;

    /** For subclasses. */
    protected ParameterOptimizer() {}

    /**
     * Adam (Kingma and Ba, ICLR 2015) with PyTorch's defaults β₁ = 0.9, β₂ = 0.999, ε = 1e−8 and L2
     * weight decay {@code weightDecay} (added to the gradient, as {@code torch.optim.Adam}).
     */
    public static ParameterOptimizer adam(double weightDecay) {
        return new Adam(0.9, 0.999, 1e-8, weightDecay);
    }

    /**
     * Adam with explicit moment decay rates, e.g. β₁ = 0.5 for the generator and discriminator of a
     * DCGAN (Radford et al., ICLR 2016), ε = 1e−8, no weight decay.
     *
     * @param beta1 decay of the first moment, in [0, 1)
     * @param beta2 decay of the second moment, in [0, 1)
     * @return the optimizer
     */
    public static ParameterOptimizer adam(double beta1, double beta2) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException(
                    "Adam's beta1 and beta2 must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        return new Adam(beta1, beta2, 1e-8, 0);
    }

    /** Adam without weight decay. */
    public static ParameterOptimizer adam() {
        return adam(0);
    }

    /**
     * Stochastic gradient descent with momentum μ and weight decay λ, PyTorch's rule: g ← ∇ + λw; b
     * ← μb + g (b = g at the first step); w ← w − lr·b.
     */
    public static ParameterOptimizer sgd(double momentum, double weightDecay) {
        if (momentum < 0 || momentum >= 1) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (weightDecay < 0) {
            throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
        }
        return new Sgd(momentum, weightDecay);
    }

    /** The number of updates applied so far. */
    public long steps() {
        return steps;
    }

    /**
     * Applies one update with learning rate {@code learningRate} to every parameter and zeroes its
     * gradient. The state arrays are created at the first call, in the parameters' manager. The
     * update runs on libtorch's intra-op threads as set for the whole process; {@code
     * oodlab.optimizer_threads=N} switches to N threads for the update only. Measured on the 2-core
     * machine with the OpenMP runtime's default wait policy, the MLP's step took longer with one
     * thread (2.8–4.0 ms against 2.4–3.5 ms in paired runs) and longer still with one thread per
     * half of the parameters on two Java threads (3.1–3.4 against 2.3–2.6 ms), so the default
     * switches nothing (docs/benchmarks.md).
     *
     * @param parameters the parameters, in the same order at every call
     * @param learningRate the learning rate of this step
     */
    public final void step(List<Parameter> parameters, double learningRate) {
        if (state.isEmpty()) {
            for (Parameter p : parameters) {
                for (int s = 0; s < slotsPerParameter(); s++) {
                    NDArray zeros = p.getArray().zerosLike();
                    zeros.setName(p.getName() + "_state" + s);
                    state.add(zeros);
                }
            }
        }
        steps++;
        int slots = slotsPerParameter();
        NDManager parent = parameters.get(0).getArray().getManager();
        int threads = OPTIMIZER_THREADS;
        int before = threads > 0 ? JniUtils.getNumThreads() : 0;
        if (threads > 0 && before != threads) {
            JniUtils.setNumThreads(threads);
        }
        try {
            List<NDArray> weights = new ArrayList<>(parameters.size());
            for (Parameter p : parameters) {
                weights.add(p.getArray());
            }
            if (!updateAll(weights, state, learningRate, steps)) {
                try (NDManager scratch = parent.newSubManager()) {
                    for (int i = 0; i < weights.size(); i++) {
                        NDArray weight = weights.get(i);
                        try (NDArray gradient = gradientOrNull(weight)) {
                            if (gradient == null) {
                                continue;
                            }
                            NDArray g = gradient.duplicate();
                            g.attach(scratch);
                            update(
                                    weight,
                                    g,
                                    state.subList(i * slots, (i + 1) * slots),
                                    learningRate,
                                    steps);
                        }
                        zeroGradient(weight);
                    }
                }
            }
        } finally {
            if (threads > 0 && before != threads) {
                JniUtils.setNumThreads(before);
            }
        }
    }

    private static final int OPTIMIZER_THREADS = Integer.getInteger("oodlab.optimizer_threads", 0);

    /**
     * Updates every weight in place and zeroes its gradient by one native call, where the engine
     * offers one for this rule; the default offers none. Must give the same result as {@link
     * #update} on each weight (up to float rounding), and leave alone a weight without a gradient.
     *
     * @param weights the parameter arrays, in the order of {@link #step}
     * @param state the state arrays, {@link #slotsPerParameter} per weight in the same order,
     *     updated in place
     * @param learningRate the learning rate
     * @param step the 1-based update count
     * @return whether the update was done; {@code false} lets {@link #update} do each weight
     */
    protected boolean updateAll(
            List<NDArray> weights, List<NDArray> state, double learningRate, long step) {
        return false;
    }

    /** How many state arrays (e.g. Adam's two moments) each parameter has. */
    protected abstract int slotsPerParameter();

    /**
     * Updates one weight in place.
     *
     * @param weight the parameter array
     * @param gradient its gradient (a scratch copy the update may modify)
     * @param slots this parameter's state arrays, updated in place
     * @param learningRate the learning rate
     * @param step the 1-based update count
     */
    protected abstract void update(
            NDArray weight, NDArray gradient, List<NDArray> slots, double learningRate, long step);

    /** The optimizer's state arrays (empty before the first step), for a checkpoint. */
    public NDList state() {
        return new NDList(state);
    }

    /**
     * Restores the state written by a checkpoint.
     *
     * @param parameters the parameters the state belongs to
     * @param saved the arrays of {@link #state()}
     * @param savedSteps the update count
     */
    public void loadState(List<Parameter> parameters, NDList saved, long savedSteps) {
        if (saved.size() != parameters.size() * slotsPerParameter()) {
            throw new IllegalArgumentException(
                    "optimizer state has "
                            + saved.size()
                            + " arrays, expected "
                            + parameters.size() * slotsPerParameter());
        }
        state.forEach(NDArray::close);
        state.clear();
        NDManager manager = parameters.get(0).getArray().getManager();
        for (NDArray array : saved) {
            NDArray copy = array.duplicate();
            copy.attach(manager);
            state.add(copy);
        }
        steps = savedSteps;
    }

    /**
     * Moves a temporary created from a long-lived array (whose manager would keep it) into the
     * scratch manager of the step, where the gradient copy lives.
     */
    protected static NDArray scratch(NDArray temporary, NDArray gradient) {
        temporary.attach(gradient.getManager());
        return temporary;
    }

    /**
     * The gradient of a weight, or {@code null} if no backward pass has reached it yet (DJL's
     * {@code getGradient} would return a fresh zero array instead). Such a weight is left alone, as
     * PyTorch's optimizers skip a parameter whose gradient is {@code None}.
     */
    static NDArray gradientOrNull(NDArray weight) {
        if (weight instanceof PtNDArray pt) {
            return JniUtils.getGradient(pt);
        }
        return weight.getGradient();
    }

    private static void zeroGradient(NDArray weight) {
        if (weight instanceof PtNDArray pt) {
            JniUtils.zeroGrad(pt);
        } else {
            try (NDArray g = weight.getGradient()) {
                g.subi(g);
            }
        }
    }

    /** Adam, PyTorch's update rule. */
    private static final class Adam extends ParameterOptimizer {
        private final double beta1;
        private final double beta2;
        private final double epsilon;
        private final double weightDecay;

        Adam(double beta1, double beta2, double epsilon, double weightDecay) {
            if (weightDecay < 0) {
                throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
            }
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.epsilon = epsilon;
            this.weightDecay = weightDecay;
        }

        @Override
        protected int slotsPerParameter() {
            return 2;
        }

        /** All weights by libtorch's fused kernel ({@link FusedAdam}) when they are libtorch's. */
        @Override
        protected boolean updateAll(
                List<NDArray> weights, List<NDArray> state, double lr, long step) {
            List<PtNDArray> w = new ArrayList<>(weights.size());
            List<PtNDArray> g = new ArrayList<>(weights.size());
            List<PtNDArray> m = new ArrayList<>(weights.size());
            List<PtNDArray> v = new ArrayList<>(weights.size());
            try {
                for (int i = 0; i < weights.size(); i++) {
                    if (!(weights.get(i) instanceof PtNDArray weight)
                            || !(state.get(2 * i) instanceof PtNDArray first)
                            || !(state.get(2 * i + 1) instanceof PtNDArray second)) {
                        return false;
                    }
                    PtNDArray gradient = JniUtils.getGradient(weight);
                    if (gradient != null) {
                        w.add(weight);
                        g.add(gradient);
                        m.add(first);
                        v.add(second);
                    }
                }
                if (!w.isEmpty()) {
                    FusedAdam.update(w, g, m, v, step, lr, beta1, beta2, weightDecay, epsilon);
                }
                return true;
            } finally {
                g.forEach(NDArray::close);
            }
        }

        /**
         * One weight by array operations, for arrays of another engine: g ← ∇ + λw; m ← β₁m +
         * (1−β₁)g; v ← β₂v + (1−β₂)g²; w ← w − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε).
         */
        @Override
        protected void update(
                NDArray weight, NDArray g, List<NDArray> slots, double lr, long step) {
            if (weightDecay != 0) {
                g.addi(scratch(weight.mul((float) weightDecay), g));
            }
            NDArray m = slots.get(0);
            NDArray v = slots.get(1);
            m.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
            v.muli((float) beta2).addi(g.muli(g).muli((float) (1 - beta2)));
            double bias1 = 1 - Math.pow(beta1, step);
            double bias2 = 1 - Math.pow(beta2, step);
            NDArray denominator =
                    scratch(v.sqrt(), g).divi((float) Math.sqrt(bias2)).addi((float) epsilon);
            weight.subi(scratch(m.div(denominator), g).muli((float) (lr / bias1)));
        }

        @Override
        public String toString() {
            return "Adam[wd=" + weightDecay + "]";
        }
    }

    /** SGD with momentum, PyTorch's update rule. */
    private static final class Sgd extends ParameterOptimizer {
        private final double momentum;
        private final double weightDecay;

        Sgd(double momentum, double weightDecay) {
            this.momentum = momentum;
            this.weightDecay = weightDecay;
        }

        @Override
        protected int slotsPerParameter() {
            return momentum == 0 ? 0 : 1;
        }

        @Override
        protected void update(
                NDArray weight, NDArray g, List<NDArray> slots, double lr, long step) {
            if (weightDecay != 0) {
                g.addi(scratch(weight.mul((float) weightDecay), g));
            }
            NDArray direction = g;
            if (momentum != 0) {
                NDArray buffer = slots.get(0);
                if (step == 1) {
                    buffer.subi(buffer).addi(g);
                } else {
                    buffer.muli((float) momentum).addi(g);
                }
                direction = buffer;
            }
            weight.subi(scratch(direction.mul((float) lr), g));
        }

        @Override
        public String toString() {
            return "SGD[momentum=" + momentum + ", wd=" + weightDecay + "]";
        }
    }
}

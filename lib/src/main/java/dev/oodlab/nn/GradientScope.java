package dev.oodlab.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;

/**
 * The one open {@link GradientCollector} of this thread, so that code deep inside a training step
 * (an attack, a perturbation) can reuse it instead of opening a second one.
 *
 * <p>DJL allows only one gradient collector at a time, and a training method often needs an input
 * gradient (FGSM, PGD) before the loss whose gradient trains the model. The training loop opens a
 * scope around {@code TrainingMethod.loss}; {@link Network#inputGradient} runs its backward pass in
 * that scope when one is open and in a scope of its own otherwise. Scopes do not nest.
 */
public final class GradientScope implements AutoCloseable {

    private static final ThreadLocal<GradientScope> CURRENT = new ThreadLocal<>();

    private final GradientCollector collector;

    private GradientScope(GradientCollector collector) {
        this.collector = collector;
    }

    /**
     * Opens a scope (and with it DJL's gradient collector) on this thread.
     *
     * @return the scope; close it to end gradient recording
     * @throws IllegalStateException if this thread already has an open scope
     */
    public static GradientScope open() {
        if (CURRENT.get() != null) {
            throw new IllegalStateException(
                    "a GradientScope is already open on this thread; DJL allows one gradient"
                            + " collector at a time");
        }
        GradientScope scope = new GradientScope(Engine.getInstance().newGradientCollector());
        CURRENT.set(scope);
        return scope;
    }

    /** The open scope of this thread, or {@code null} when none is open. */
    public static GradientScope current() {
        return CURRENT.get();
    }

    /**
     * Back-propagates {@code target} (a scalar) into every array that requires a gradient. PyTorch
     * adds to existing gradients: whoever calls this owns zeroing them.
     */
    public void backward(NDArray target) {
        collector.backward(target);
    }

    /** Ends gradient recording. */
    @Override
    public void close() {
        try {
            collector.close();
        } finally {
            CURRENT.remove();
        }
    }
}

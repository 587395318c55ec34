package dev.oodlab.train;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * A training method: the loss of one batch, whose gradient trains the model.
 *
 * <p>The loop calls {@link #loss} inside its open gradient scope and back-propagates the returned
 * scalar; a method that needs input gradients first (an attack) gets them from {@link
 * dev.oodlab.nn.Network#inputGradient}, which runs in the same scope and leaves no parameter
 * gradient behind. Methods are configured by builders ({@code optX} setters, {@code build()} checks
 * them) and draw every random number from {@link TrainingStep#random()}.
 */
public interface TrainingMethod {

    /**
     * The loss of one batch.
     *
     * @param step the network, batch, epoch and random source
     * @return a scalar loss in the step's manager, connected to the parameters
     */
    NDArray loss(TrainingStep step);

    /**
     * The number of equal chunks the loop ({@link Fit}) splits each batch into, with one optimizer
     * step per chunk; 1 (the default) trains each batch in one step. A method whose reference code
     * chunks its batches (SmoothMix) says so here, so that a batch size means what it meant there.
     *
     * @return at least 1
     */
    default int chunksPerBatch() {
        return 1;
    }

    /** The method's name as {@link TrainingMethods#create} knows it, e.g. {@code "mixup"}. */
    String name();

    /**
     * Every option this method trains with, by recorded (snake-case) name, in the order {@code
     * results.json} and {@code model.json} list them under {@code options}: the method's own
     * account of how it is configured, defaults included. None by default.
     *
     * @return e.g. {@code {"alpha": 1.0}} for mixup
     */
    default Map<String, Object> recordedOptions() {
        return Map.of();
    }
}

package dev.oodlab.train;

import java.util.Locale;

/**
 * Thrown by {@link Fit} when a step's loss is not a finite number (NaN or ±∞): the training has
 * diverged, and every later step would only spread the NaN through the weights. The loop stops
 * before that step's update, so the model in memory and the last checkpoint on disk hold the
 * weights of the last good step and epoch. The message is one line with the epoch, the step, the
 * learning rate and a hint.
 */
public final class DivergedException extends ArithmeticException {

    private static final long serialVersionUID = 1L;

    private final int epoch;
    private final int step;
    private final double learningRate;
    private final double loss;

    /**
     * A divergence at one step.
     *
     * @param epoch the epoch, 0-based
     * @param step the step within the epoch, 0-based
     * @param steps the steps per epoch
     * @param learningRate the learning rate of the step
     * @param loss the loss (NaN or infinite)
     */
    public DivergedException(int epoch, int step, int steps, double learningRate, double loss) {
        super(
                String.format(
                        Locale.ROOT,
                        "training diverged: the loss is %s at epoch %d, step %d of %d (learning"
                                + " rate %s); try a learning rate 10 times lower",
                        Double.isNaN(loss) ? "NaN" : loss > 0 ? "+infinity" : "-infinity",
                        epoch + 1,
                        step + 1,
                        steps,
                        LearningRateSchedule.format(learningRate)));
        this.epoch = epoch;
        this.step = step;
        this.learningRate = learningRate;
        this.loss = loss;
    }

    /**
     * The same divergence with a longer message (e.g. saying where the last checkpoint is).
     *
     * @param message the message
     * @param cause the divergence
     */
    public DivergedException(String message, DivergedException cause) {
        super(message);
        initCause(cause);
        this.epoch = cause.epoch;
        this.step = cause.step;
        this.learningRate = cause.learningRate;
        this.loss = cause.loss;
    }

    /** The epoch, 0-based. */
    public int epoch() {
        return epoch;
    }

    /** The step within the epoch, 0-based. */
    public int step() {
        return step;
    }

    /** The learning rate of the step. */
    public double learningRate() {
        return learningRate;
    }

    /** The loss: NaN or infinite. */
    public double loss() {
        return loss;
    }
}

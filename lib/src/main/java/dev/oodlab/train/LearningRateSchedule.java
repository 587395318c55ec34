package dev.oodlab.train;

/**
 * The learning rate as a function of training progress, evaluated before every step.
 *
 * <p>{@code constant}, {@code step} (multiply by γ every k epochs) and {@code cosine} (Loshchilov
 * and Hutter's annealing without restarts, per step, from the base rate to a floor).
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /**
     * The learning rate of one step.
     *
     * @param epoch the epoch, from 0
     * @param step the step within the epoch, from 0
     * @param stepsPerEpoch the number of steps per epoch
     * @param epochs the total number of epochs of the run
     * @return the learning rate
     */
    double rate(int epoch, int step, int stepsPerEpoch, int epochs);

    /**
     * A learning rate as text, exactly and briefly: {@code 0.001}, {@code 1e-10}, {@code 1000}
     * (Java's shortest decimal that reads back as the same double, without a trailing {@code .0}).
     *
     * @param rate the rate
     * @return the text
     */
    static String format(double rate) {
        String text = Double.toString(rate); // "0.001", "1.0E-10", "1.5E7", "1000.0"
        int e = text.indexOf('E');
        String mantissa = e < 0 ? text : text.substring(0, e);
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        return e < 0 ? mantissa : mantissa + "e" + text.substring(e + 1);
    }

    /** A constant rate. */
    static LearningRateSchedule constant(double rate) {
        positive(rate);
        return (epoch, step, stepsPerEpoch, epochs) -> rate;
    }

    /** rate · γ^⌊epoch / every⌋: a drop by γ every {@code every} epochs. */
    static LearningRateSchedule step(double rate, int every, double gamma) {
        positive(rate);
        if (every < 1) {
            throw new IllegalArgumentException("every must be >= 1 epoch, got " + every);
        }
        if (gamma <= 0 || gamma > 1) {
            throw new IllegalArgumentException("gamma must be in (0, 1], got " + gamma);
        }
        return (epoch, step, stepsPerEpoch, epochs) -> rate * Math.pow(gamma, epoch / every);
    }

    /**
     * Cosine annealing per step: min + ½(rate − min)(1 + cos(π·t/T)), t the global step, T the
     * total number of steps of the run.
     */
    static LearningRateSchedule cosine(double rate, double min) {
        positive(rate);
        if (min < 0 || min > rate) {
            throw new IllegalArgumentException("min must be in [0, rate], got " + min);
        }
        return (epoch, step, stepsPerEpoch, epochs) -> {
            double t = (double) epoch * stepsPerEpoch + step;
            double total = (double) epochs * stepsPerEpoch;
            return min + 0.5 * (rate - min) * (1 + Math.cos(Math.PI * t / total));
        };
    }

    private static void positive(double rate) {
        if (!(rate > 0) || !Double.isFinite(rate)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + rate);
        }
    }
}

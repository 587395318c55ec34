package dev.oodlab.metrics;

/**
 * Which set counts as the positive class when a metric needs one (precision, recall, F1).
 *
 * <p>The OOD-detection literature mostly takes the in-distribution set as positive (Hendrycks &amp;
 * Gimpel 2017, Liang et al. 2018, Lee et al. 2018): "AUPR-In". Taking the OOD set as positive, with
 * the scores negated so that a low score predicts OOD, gives "AUPR-Out". Kim &amp; Chung's 2-D
 * study reports F1 with either reading, which is why the choice is a parameter.
 */
public enum PositiveClass {
    /** The in-distribution set is positive; "in" is predicted for high scores. */
    IN,
    /** The OOD set is positive; "OOD" is predicted for low scores. */
    OUT
}

package dev.oodlab.smoothing;

/**
 * The certificate of one test point (Cohen et al., ICML 2019, Algorithm CERTIFY): the smoothed
 * prediction and an L2 radius R within which the smoothed classifier provably keeps it, with
 * probability at least 1 − α over the Monte-Carlo noise.
 *
 * <p>An abstention has {@code prediction == -1}, {@code radius == 0} and is never correct, as in
 * the published logs.
 *
 * @param index the point's index in its data set ({@code -1} when certified on its own)
 * @param label the true class, or {@code -1} when unknown
 * @param prediction the certified class ĉ, or {@link SmoothedClassifier#ABSTAIN} (-1)
 * @param radius the certified L2 radius R = σ·Φ⁻¹(p̲A) (0 for an abstention)
 * @param correct whether {@code prediction == label} (false for an abstention)
 * @param countTop n_A, the count of ĉ among the n estimation copies ({@code -1} when unknown, as
 *     for rows read from a published log)
 * @param seconds wall-clock seconds spent on this point
 */
public record Certification(
        int index,
        int label,
        int prediction,
        double radius,
        boolean correct,
        int countTop,
        double seconds) {

    /** Checks that the radius is a finite non-negative number and that abstentions are wrong. */
    public Certification {
        if (!(radius >= 0) || Double.isInfinite(radius)) {
            throw new IllegalArgumentException(
                    "radius must be finite and non-negative, got " + radius);
        }
        if (prediction == SmoothedClassifier.ABSTAIN && correct) {
            throw new IllegalArgumentException("an abstention (prediction -1) cannot be correct");
        }
    }

    /** Whether the smoothed classifier abstained on this point. */
    public boolean abstained() {
        return prediction == SmoothedClassifier.ABSTAIN;
    }

    /** Whether this point is certified correct at radius r: correct and R ≥ r. */
    public boolean certifiedAt(double r) {
        return correct && radius >= r;
    }
}

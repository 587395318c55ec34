package dev.oodlab.smoothing;

/**
 * The result of {@link SmoothedClassifier#predict}: the smoothed classifier's class, or an
 * abstention when the top two classes cannot be told apart at the requested level.
 *
 * @param prediction the predicted class, or {@link SmoothedClassifier#ABSTAIN} (-1)
 * @param countTop n_A, how many of the n noisy copies the base classifier put in the top class
 * @param countSecond n_B, the count of the runner-up class
 * @param pValue the two-sided binomial test p-value of n_A successes in n_A + n_B trials at ½
 */
public record Prediction(int prediction, int countTop, int countSecond, double pValue) {

    /** Whether the smoothed classifier abstained (p-value above α). */
    public boolean abstained() {
        return prediction == SmoothedClassifier.ABSTAIN;
    }
}

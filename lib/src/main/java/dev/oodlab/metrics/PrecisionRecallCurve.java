package dev.oodlab.metrics;

/**
 * The precision–recall curve for one choice of positive class, in order of growing recall: the
 * point (recall 0, precision 1) first, then one point per distinct score.
 *
 * <p>With {@link PositiveClass#IN} point {@code k} is the detector "in iff score ≥ {@code
 * thresholds[k]}" (thresholds decrease, the first is +∞); with {@link PositiveClass#OUT} it is "OOD
 * iff score ≤ {@code thresholds[k]}" (thresholds increase, the first is −∞). The thresholds are
 * always on the original scores, never negated. The points are those of scikit-learn's {@code
 * precision_recall_curve} (reversed, which lists them from recall 1 down); average precision is the
 * step-wise sum Σ (R_k − R_{k−1}) P_k over them. The arrays are shared, not copied: do not modify
 * them.
 *
 * @param positive which set is the positive class
 * @param thresholds the threshold of each point
 * @param recall recall (true-positive rate) at each threshold
 * @param precision precision at each threshold
 */
public record PrecisionRecallCurve(
        PositiveClass positive, double[] thresholds, double[] recall, double[] precision) {

    /**
     * Checks that the three arrays have one entry per point.
     *
     * @param positive see the record description
     * @param thresholds see the record description
     * @param recall see the record description
     * @param precision see the record description
     */
    public PrecisionRecallCurve {
        if (thresholds.length != recall.length || recall.length != precision.length) {
            throw new IllegalArgumentException(
                    "precision-recall curve arrays differ in length: "
                            + thresholds.length
                            + " thresholds, "
                            + recall.length
                            + " recall, "
                            + precision.length
                            + " precision values");
        }
    }

    /**
     * The number of points.
     *
     * @return the length of each array
     */
    public int size() {
        return recall.length;
    }

    /**
     * The step-wise average precision Σ (R_k − R_{k−1}) P_k; for a curve from {@link
     * Metrics#precisionRecallCurve(PositiveClass)} this is AUPR-In or AUPR-Out.
     *
     * @return the average precision, in [0, 1]
     */
    public double averagePrecision() {
        double ap = 0;
        for (int k = 1; k < recall.length; k++) {
            ap += (recall[k] - recall[k - 1]) * precision[k];
        }
        return ap;
    }

    /** A short description: the positive class and the number of points, not the arrays. */
    @Override
    public String toString() {
        return "PrecisionRecallCurve[positive " + positive + ", " + size() + " points]";
    }
}

package dev.oodlab.metrics;

/**
 * The receiver operating characteristic curve, one point per distinct score plus the point (0, 0)
 * at threshold +∞, in order of decreasing threshold (so FPR and TPR never decrease).
 *
 * <p>Point {@code k} is the detector "in-distribution iff score ≥ {@code thresholds[k]}": {@code
 * tpr[k]} is the share of in-distribution scores ≥ the threshold, {@code fpr[k]} the share of OOD
 * scores ≥ it. Tied scores form one threshold, as in scikit-learn's {@code
 * roc_curve(drop_intermediate=False)}. The arrays are shared, not copied: do not modify them.
 *
 * @param thresholds the thresholds, {@code +∞} first, then the distinct scores in decreasing order
 * @param fpr false-positive rate at each threshold
 * @param tpr true-positive rate at each threshold
 */
public record RocCurve(double[] thresholds, double[] fpr, double[] tpr) {

    /**
     * Checks that the three arrays have one entry per point.
     *
     * @param thresholds see the record description
     * @param fpr see the record description
     * @param tpr see the record description
     */
    public RocCurve {
        if (thresholds.length != fpr.length || fpr.length != tpr.length) {
            throw new IllegalArgumentException(
                    "ROC curve arrays differ in length: "
                            + thresholds.length
                            + " thresholds, "
                            + fpr.length
                            + " FPR, "
                            + tpr.length
                            + " TPR values");
        }
    }

    /**
     * The number of points.
     *
     * @return the length of each array
     */
    public int size() {
        return fpr.length;
    }

    /**
     * The area under the curve by the trapezoidal rule; for a curve from {@link Metrics#rocCurve()}
     * this is the AUROC.
     *
     * @return the area, in [0, 1]
     */
    public double area() {
        double area = 0;
        for (int k = 1; k < fpr.length; k++) {
            area += (fpr[k] - fpr[k - 1]) * (tpr[k] + tpr[k - 1]) / 2;
        }
        return area;
    }

    /** A short description: the number of points, not the arrays. */
    @Override
    public String toString() {
        return "RocCurve[" + size() + " points]";
    }
}

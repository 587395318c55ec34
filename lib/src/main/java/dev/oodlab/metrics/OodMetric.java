package dev.oodlab.metrics;

/**
 * Names one of the five standard OOD metrics of {@link OodMetrics}: its label for tables and
 * charts, its key for JSON and CSV, and whether lower or higher is better.
 *
 * <p>This is the one place that lists the metrics: the report tables, the bar charts and the {@code
 * oodlab metrics} command iterate over {@link #values()} in this order.
 */
public enum OodMetric {
    /**
     * False-positive rate at 95 % true-positive rate, in-distribution positive; exact by default,
     * other computations by {@link FprConvention}.
     */
    FPR_AT_95_TPR("FPR@95TPR", "fpr_at_95_tpr", false),
    /** Area under the ROC curve. */
    AUROC("AUROC", "auroc", true),
    /** Average precision, in-distribution positive. */
    AUPR_IN("AUPR-In", "aupr_in", true),
    /** Average precision, OOD positive (scores negated). */
    AUPR_OUT("AUPR-Out", "aupr_out", true),
    /** Minimum over thresholds of ½ (1 − TPR) + ½ FPR. */
    DETECTION_ERROR("Detection error", "detection_error", false);

    private final String label;
    private final String key;
    private final boolean higherIsBetter;

    OodMetric(String label, String key, boolean higherIsBetter) {
        this.label = label;
        this.key = key;
        this.higherIsBetter = higherIsBetter;
    }

    /**
     * The label the papers use, e.g. {@code FPR@95TPR}, {@code AUPR-In}.
     *
     * @return the label for table headers and chart axes
     */
    public String label() {
        return label;
    }

    /**
     * The snake-case key, e.g. {@code fpr_at_95_tpr}, used in JSON output and CSV headers.
     *
     * @return the key
     */
    public String key() {
        return key;
    }

    /**
     * Whether a higher value means a better detector (AUROC, AUPR) or a lower one (FPR@95TPR,
     * detection error).
     *
     * @return true when higher is better
     */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /**
     * This metric's value in a result.
     *
     * @param metrics a result
     * @return the value, a fraction in [0, 1]
     */
    public double valueOf(OodMetrics metrics) {
        return switch (this) {
            case FPR_AT_95_TPR -> metrics.fprAt95Tpr();
            case AUROC -> metrics.auroc();
            case AUPR_IN -> metrics.auprIn();
            case AUPR_OUT -> metrics.auprOut();
            case DETECTION_ERROR -> metrics.detectionError();
        };
    }
}

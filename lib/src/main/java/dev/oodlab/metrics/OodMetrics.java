package dev.oodlab.metrics;

import java.util.Locale;

/**
 * The five standard numbers of an OOD-detection evaluation, each a fraction in [0, 1].
 *
 * <p>The in-distribution set is the positive class and a higher score means "more in-distribution".
 * See {@link Metrics} for the exact definitions and {@link OodMetric} for the names, directions and
 * keys used in tables, charts and JSON.
 *
 * @param fprAt95Tpr false-positive rate (share of OOD inputs accepted) at the largest threshold
 *     that keeps at least 95 % of in-distribution inputs; lower is better
 * @param auroc area under the ROC curve, P(s_in &gt; s_out) + ½ P(s_in = s_out); higher is better
 * @param auprIn average precision with the in-distribution set positive; higher is better
 * @param auprOut average precision with the OOD set positive and the scores negated; higher is
 *     better
 * @param detectionError min over thresholds of ½ (1 − TPR) + ½ FPR; lower is better
 */
public record OodMetrics(
        double fprAt95Tpr, double auroc, double auprIn, double auprOut, double detectionError) {

    /**
     * The value of one metric.
     *
     * @param metric which metric
     * @return its value, a fraction in [0, 1]
     */
    public double get(OodMetric metric) {
        return metric.valueOf(this);
    }

    /**
     * Reads as the papers print it, in percent with two decimals: {@code FPR@95TPR 50.00%, AUROC
     * 75.00%, AUPR-In 80.95%, AUPR-Out 76.79%, detection error 25.00%}.
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (OodMetric metric : OodMetric.values()) {
            if (text.length() > 0) {
                text.append(", ");
            }
            String label = metric == OodMetric.DETECTION_ERROR ? "detection error" : metric.label();
            text.append(label)
                    .append(' ')
                    .append(String.format(Locale.ROOT, "%.2f%%", 100 * get(metric)));
        }
        return text.toString();
    }
}

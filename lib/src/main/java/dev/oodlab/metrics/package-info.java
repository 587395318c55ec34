/**
 * How out-of-distribution detection is measured: exact, tie-correct OOD metrics from two score
 * arrays, their curves, and calibration.
 *
 * <p>Conventions throughout: the in-distribution set is the <em>positive</em> class and a higher
 * score means "more in-distribution" (as for maximum softmax probability, ODIN and energy). The
 * entry point is {@link dev.oodlab.metrics.Metrics}: {@code Metrics.of(inScores, outScores)} sorts
 * once and then answers {@link dev.oodlab.metrics.Metrics#summary()} (the five standard numbers as
 * an {@link dev.oodlab.metrics.OodMetrics} record), FPR at any TPR, ROC and precision–recall
 * curves, F1 at a threshold and the coarse threshold sweep of older papers. The definitions are
 * those of scikit-learn ({@code roc_curve}, {@code roc_auc_score}, {@code
 * average_precision_score}); the tests check agreement to 1e-9. {@link
 * dev.oodlab.metrics.Calibration} holds expected calibration error, reliability-diagram data and
 * confidence histograms.
 */
package dev.oodlab.metrics;

/**
 * Results tables (Tablesaw) of OOD experiments: method × OOD set × metric, mean ± sd over seeds,
 * and their CSV, Markdown, HTML and text renderings, with the best value per column marked.
 *
 * <p>{@link dev.oodlab.report.ResultsTable} is built from {@link dev.oodlab.metrics.OodMetrics};
 * {@link dev.oodlab.io.AtomicFile} writes each file so that a reader never sees half of one. {@link
 * dev.oodlab.report.MeanSd} and {@link dev.oodlab.report.PairedComparison} summarise values over
 * seeds; {@link dev.oodlab.report.ConfidenceTable} shows how confident a classifier is on each set.
 */
package dev.oodlab.report;

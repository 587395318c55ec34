package dev.oodlab.experiment;

import dev.oodlab.io.StagedDirectory;
import dev.oodlab.nn.Network;
import dev.oodlab.report.RunResult;
import dev.oodlab.viz.ChartOptions;
import dev.oodlab.viz.Figure;
import dev.oodlab.viz.HistogramChart;
import dev.oodlab.viz.RocChart;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The files of one run in an output folder:
 *
 * <ul>
 *   <li>{@code model.params}, {@code model.json} — the model ({@link ModelInfo#save}), when a
 *       network is given;
 *   <li>{@code results.json}, {@code results.csv} — the {@link RunResult};
 *   <li>{@code confidence-<set>.png} — histograms of the maximum softmax probability on the test
 *       set and on each OOD set; {@code scores-<set>.png} likewise for the detector's scores when
 *       the detector is not MSP;
 *   <li>{@code roc.png} — the detector's ROC curve on every OOD set.
 * </ul>
 *
 * Everything is written into a {@link StagedDirectory} and moved into place at the end, so a
 * failure leaves the folder as it was; an existing folder is replaced whole (never merged into),
 * and only if it holds nothing but such files ({@link #checkReplaceable}).
 */
public final class RunFiles {

    /** The results file. */
    public static final String RESULTS_JSON = "results.json";

    /** The results as CSV. */
    public static final String RESULTS_CSV = "results.csv";

    private static final int BINS = 40;

    /**
     * Every name oodlab writes into an output folder: a run's model, results and charts, and a
     * study's tables, charts and {@code runs} folder.
     */
    private static final Pattern OUTPUT_NAME =
            Pattern.compile(
                    "model\\.(params|json)|results\\.(json|csv)|table(-seed-?[0-9]+)?\\.(csv|md)"
                            + "|[a-z0-9-]+\\.png|runs");

    private RunFiles() {}

    /**
     * Writes a run's files into {@code out}, all or nothing.
     *
     * @param out the output folder (created if needed)
     * @param network the trained network to save, or {@code null} to save no model
     * @param info the model's description
     * @param result the results record
     * @param evaluation the scores behind it, for the charts
     * @throws IOException if a file cannot be written; {@code out} is then unchanged
     */
    public static void write(
            Path out, Network network, ModelInfo info, RunResult result, OodEvaluation evaluation)
            throws IOException {
        try (StagedDirectory staged = StagedDirectory.create(out, RunFiles::isOutputName)) {
            Path dir = staged.path();
            if (network != null) {
                info.save(dir, network);
            }
            result.writeJson(dir.resolve(RESULTS_JSON));
            result.writeCsv(dir.resolve(RESULTS_CSV));
            for (Map.Entry<String, Figure> chart : charts(result, evaluation).entrySet()) {
                chart.getValue().savePng(dir.resolve(chart.getKey()));
            }
            staged.commit();
        }
    }

    /**
     * Whether a name in an output folder is one oodlab writes there ({@code model.params}, {@code
     * results.json}, a chart, a study's {@code table.csv} or {@code runs}, ...).
     *
     * @param name a file or folder name
     * @return true for a name of ours
     */
    public static boolean isOutputName(String name) {
        return OUTPUT_NAME.matcher(name).matches();
    }

    /**
     * Checks before any work that an output folder may be replaced by {@link #write}: it does not
     * exist yet, or holds only names of ours ({@link #isOutputName}).
     *
     * @param out the output folder
     * @throws IllegalArgumentException naming the first entry that is not ours
     * @throws java.io.UncheckedIOException if the folder cannot be listed
     */
    public static void checkReplaceable(Path out) {
        try {
            StagedDirectory.checkReplaceable(out, RunFiles::isOutputName);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + out + ": " + e.getMessage(), e);
        }
    }

    /**
     * The charts of a run by file name: confidence histograms per OOD set (and score histograms for
     * a detector other than MSP), and the ROC curves.
     *
     * @param result the results record (for titles)
     * @param evaluation the scores
     * @return file name → figure, in order
     */
    public static Map<String, Figure> charts(RunResult result, OodEvaluation evaluation) {
        Map<String, Figure> charts = new LinkedHashMap<>();
        String in = evaluation.inName();
        for (String set : evaluation.confidenceOut().keySet()) {
            Map<String, double[]> values = new LinkedHashMap<>();
            values.put(in, evaluation.confidenceIn());
            values.put(set, evaluation.confidenceOut().get(set));
            charts.put(
                    "confidence-" + fileName(set) + ".png",
                    HistogramChart.overlaid(
                            values,
                            BINS,
                            0,
                            1,
                            ChartOptions.defaults()
                                    .withTitle(
                                            result.method() + ": confidence, " + in + " vs " + set)
                                    .withLabels("Maximum softmax probability", "Share of inputs")));
            if (!Detectors.descriptor(evaluation.detector()).scoresAreMaxSoftmax()) {
                Map<String, double[]> scores = new LinkedHashMap<>();
                scores.put(in, evaluation.scoresIn());
                scores.put(set, evaluation.scoresOut().get(set));
                charts.put(
                        "scores-" + fileName(set) + ".png", HistogramChart.overlaid(scores, BINS));
            }
        }
        charts.put(
                "roc.png",
                RocChart.of(
                        evaluation.rocCurves(),
                        ChartOptions.defaults()
                                .withTitle(
                                        result.method()
                                                + ", detector "
                                                + evaluation.detector()
                                                + ": ROC per OOD set")
                                .withLabels(
                                        "False-positive rate (OOD accepted)",
                                        "True-positive rate (in accepted)")));
        return charts;
    }

    /** A set name as a file-name part: lower case, anything but letters, digits, '-' as '-'. */
    static String fileName(String name) {
        String clean = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
        clean = clean.replaceAll("^-+|-+$", "");
        return clean.isEmpty() ? "set" : clean;
    }
}

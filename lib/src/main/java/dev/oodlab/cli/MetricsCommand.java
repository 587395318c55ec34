package dev.oodlab.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.oodlab.metrics.FprConvention;
import dev.oodlab.metrics.Metrics;
import dev.oodlab.metrics.OodMetric;
import dev.oodlab.metrics.OodMetrics;
import dev.oodlab.metrics.ScoreFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code oodlab metrics --in IN.txt --out OUT.txt}: the five standard OOD metrics of two score
 * files, as one JSON object on standard output.
 *
 * <p>Each file holds one score per line, higher meaning more in-distribution; blank lines are
 * skipped (see {@link ScoreFile}). The output has exactly the keys {@code n_in}, {@code n_out},
 * {@code fpr_at_95_tpr}, {@code auroc}, {@code aupr_in}, {@code aupr_out}, {@code detection_error},
 * the metrics as fractions in [0, 1] (definitions in {@link Metrics}). {@code --fpr-convention
 * exact|odin|lee|mahalanobis|ood-positive} chooses how {@code fpr_at_95_tpr} is computed (default
 * {@code exact}; see {@link FprConvention}); the key stays the same, and a convention that is
 * undefined on the given scores ({@code odin} when no grid threshold has a TPR in [0.9495, 0.9505])
 * prints {@code null} there. A missing or empty file or a line that is not a finite number ends the
 * command with exit code 1 and one line naming the file and the line.
 */
@Command(
        name = "metrics",
        mixinStandardHelpOptions = true,
        description = {
            "FPR@95TPR, AUROC, AUPR-In, AUPR-Out and detection error of two score files, as JSON.",
            "One score per line (blank lines ignored); higher = more in-distribution;"
                    + " the in-distribution set is the positive class."
        })
public final class MetricsCommand implements Callable<Integer> {

    @Option(
            names = "--in",
            required = true,
            paramLabel = "IN.txt",
            description = "scores of the in-distribution inputs, one per line")
    Path inFile;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "OUT.txt",
            description = "scores of the out-of-distribution inputs, one per line")
    Path outFile;

    @Option(
            names = "--fpr-convention",
            paramLabel = "NAME",
            defaultValue = "exact",
            converter = FprConventionConverter.class,
            description = {
                "How fpr_at_95_tpr is computed: exact (default: the ROC curve's point, as"
                        + " scikit-learn), odin (facebookresearch/odin tpr95: mean FPR over"
                        + " 100,000 grid thresholds with TPR in [0.9495, 0.9505]; null if none),"
                        + " lee (alinlab/Confident_classifier: 200,000 steps, TPR in [0.94, 0.96],"
                        + " 1 if none), mahalanobis (deep_Mahalanobis_detector: the point nearest"
                        + " TPR 0.95), ood-positive (OpenOOD / pytorch-ood: OOD positive)"
            })
    FprConvention fprConvention;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Reads both files, computes the metrics and prints them. */
    @Override
    public Integer call() {
        double[] in = ScoreFile.read(inFile);
        double[] out = ScoreFile.read(outFile);
        OodMetrics metrics = Metrics.of(in, out).summary(fprConvention);
        JsonObject json = new JsonObject();
        json.addProperty("n_in", in.length);
        json.addProperty("n_out", out.length);
        for (OodMetric metric : OodMetric.values()) {
            double value = metrics.get(metric);
            if (Double.isNaN(value)) {
                json.add(metric.key(), JsonNull.INSTANCE); // JSON has no NaN
            } else {
                json.addProperty(metric.key(), value);
            }
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(new GsonBuilder().serializeNulls().create().toJson(json));
        stdout.flush();
        return 0;
    }

    /** Reads {@code --fpr-convention} by its key, e.g. {@code ood-positive}. */
    static final class FprConventionConverter implements CommandLine.ITypeConverter<FprConvention> {
        @Override
        public FprConvention convert(String value) {
            try {
                return FprConvention.fromKey(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}

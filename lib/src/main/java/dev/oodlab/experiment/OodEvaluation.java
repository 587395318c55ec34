package dev.oodlab.experiment;

import dev.oodlab.data.ImageSet;
import dev.oodlab.detect.DetectorDescriptor;
import dev.oodlab.detect.OodScorer;
import dev.oodlab.metrics.Metrics;
import dev.oodlab.metrics.OodMetrics;
import dev.oodlab.metrics.RocCurve;
import dev.oodlab.nn.Network;
import dev.oodlab.report.RunResult;
import dev.oodlab.train.Evaluation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A trained model scored on its in-distribution test set and on OOD sets: test accuracy, the
 * confidence (maximum softmax probability) of every input, one detector's scores and the five
 * metrics per OOD set. Turned into a {@link RunResult} by {@link #toResult}; the arrays feed the
 * charts.
 *
 * @param detector the detector's name ({@link Detectors#NAMES})
 * @param inName the name of the in-distribution test set, for chart legends
 * @param testAccuracy the share of test images classified correctly
 * @param confidenceIn the maximum softmax probability per test image
 * @param scoresIn the detector's score per test image (higher = more in-distribution)
 * @param confidenceOut per OOD set, the maximum softmax probability per image
 * @param scoresOut per OOD set, the detector's score per image
 * @param metrics per OOD set, the five metrics of the detector's scores
 */
public record OodEvaluation(
        String detector,
        String inName,
        double testAccuracy,
        double[] confidenceIn,
        double[] scoresIn,
        Map<String, double[]> confidenceOut,
        Map<String, double[]> scoresOut,
        Map<String, OodMetrics> metrics) {

    /** Images per forward pass when scoring. */
    public static final int BATCH_SIZE = 256;

    /** Keeps the maps' order and makes them read-only. */
    public OodEvaluation {
        confidenceOut = Collections.unmodifiableMap(new LinkedHashMap<>(confidenceOut));
        scoresOut = Collections.unmodifiableMap(new LinkedHashMap<>(scoresOut));
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /**
     * Scores a trained network.
     *
     * @param network the trained model
     * @param test the labelled in-distribution test set
     * @param ood the OOD sets by name, in report order
     * @param detector a detector name ({@link Detectors#NAMES})
     * @param train the training set, read only by the detectors fitted on training statistics
     * @return the evaluation
     */
    public static OodEvaluation of(
            Network network,
            ImageSet test,
            Map<String, ImageSet> ood,
            String detector,
            Supplier<ImageSet> train) {
        return of(network, test, ood, detector, train, Confidences.of(network, test, ood));
    }

    /**
     * The test accuracy and maximum softmax probabilities of a model on the test and OOD sets,
     * computed once and shared by the evaluations of several detectors.
     *
     * @param testAccuracy the share of test images classified correctly
     * @param in the maximum softmax probability per test image
     * @param out per OOD set, the maximum softmax probability per image
     */
    public record Confidences(double testAccuracy, double[] in, Map<String, double[]> out) {

        /**
         * Runs the model over the test set and the OOD sets.
         *
         * @param network the trained model
         * @param test the labelled test set
         * @param ood the OOD sets by name
         * @return the confidences
         */
        public static Confidences of(Network network, ImageSet test, Map<String, ImageSet> ood) {
            Evaluation in = Evaluation.of(network, test, BATCH_SIZE);
            Map<String, double[]> out = new LinkedHashMap<>();
            for (Map.Entry<String, ImageSet> e : ood.entrySet()) {
                out.put(e.getKey(), Evaluation.of(network, e.getValue(), BATCH_SIZE).maxSoftmax());
            }
            return new Confidences(in.accuracy(), in.maxSoftmax(), out);
        }
    }

    /**
     * Scores a trained network whose confidences are already known.
     *
     * @param network the trained model
     * @param test the labelled in-distribution test set
     * @param ood the OOD sets by name, in report order
     * @param detector a detector name ({@link Detectors#NAMES})
     * @param train the training set, read only by the detectors fitted on training statistics
     * @param confidences {@link Confidences#of} for the same network and sets
     * @return the evaluation
     */
    public static OodEvaluation of(
            Network network,
            ImageSet test,
            Map<String, ImageSet> ood,
            String detector,
            Supplier<ImageSet> train,
            Confidences confidences) {
        DetectorDescriptor descriptor = Detectors.descriptor(detector);
        String name = descriptor.name();
        boolean reuse = descriptor.scoresAreMaxSoftmax(); // the confidences are its scores
        OodScorer scorer = descriptor.create(network, train, BATCH_SIZE);
        double[] confidenceIn = confidences.in();
        double[] scoresIn = reuse ? confidenceIn : scorer.scores(network, test, BATCH_SIZE);
        Map<String, double[]> scoresOut = new LinkedHashMap<>();
        Map<String, OodMetrics> metrics = new LinkedHashMap<>();
        for (Map.Entry<String, ImageSet> e : ood.entrySet()) {
            double[] confidence = confidences.out().get(e.getKey());
            double[] scores = reuse ? confidence : scorer.scores(network, e.getValue(), BATCH_SIZE);
            scoresOut.put(e.getKey(), scores);
            metrics.put(e.getKey(), Metrics.evaluate(scoresIn, scores));
        }
        return new OodEvaluation(
                name,
                test.name(),
                confidences.testAccuracy(),
                confidenceIn,
                scoresIn,
                confidences.out(),
                scoresOut,
                metrics);
    }

    /**
     * The ROC curve of the detector's scores on each OOD set.
     *
     * @return per OOD set, in order
     */
    public Map<String, RocCurve> rocCurves() {
        Map<String, RocCurve> curves = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : scoresOut.entrySet()) {
            curves.put(e.getKey(), Metrics.of(scoresIn, e.getValue()).rocCurve());
        }
        return curves;
    }

    /**
     * The run's results record.
     *
     * @param info how the model was made
     * @param extra further keys for the JSON, in order
     * @return the result
     */
    public RunResult toResult(ModelInfo info, Map<String, Object> extra) {
        Map<String, RunResult.OodSet> sets = new LinkedHashMap<>();
        for (Map.Entry<String, OodMetrics> e : metrics.entrySet()) {
            sets.put(
                    e.getKey(),
                    new RunResult.OodSet(
                            detector, e.getValue(), mean(confidenceOut.get(e.getKey()))));
        }
        return new RunResult(
                info.method(),
                info.dataset(),
                info.model(),
                info.seed(),
                info.epochs(),
                testAccuracy,
                mean(confidenceIn),
                sets,
                extra);
    }

    /** The mean of the values (NaN for none). */
    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.length == 0 ? Double.NaN : sum / values.length;
    }
}

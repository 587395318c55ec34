package dev.oodlab.metrics;

import java.util.Objects;

/**
 * Calibration of a classifier's confidence: expected calibration error (ECE), reliability-diagram
 * data and confidence histograms.
 *
 * <p>A classifier is calibrated when, among the inputs it labels with confidence c, a share c is
 * labelled correctly. Guo, Pleiss, Sun &amp; Weinberger (ICML 2017) measure the gap with M = 15
 * equal-width confidence bins B_b = (b/M, (b+1)/M]:
 *
 * <pre>
 *   ECE = Σ_b (|B_b| / n) · |acc(B_b) − conf(B_b)|
 * </pre>
 *
 * <p>where acc is the share of correct predictions in the bin and conf their mean confidence (the
 * maximum softmax probability). The bin edges are those of {@code numpy.linspace(0, 1, M + 1)}, so
 * the values match the usual Python implementations. A confidence of exactly 0 counts in the first
 * bin.
 */
public final class Calibration {

    /** The number of confidence bins used by Guo et al. 2017 and by default here: 15. */
    public static final int DEFAULT_BINS = 15;

    private Calibration() {}

    /**
     * Reliability-diagram data with 15 bins from per-prediction confidences and correctness.
     *
     * @param confidences the confidence of each prediction, in [0, 1]
     * @param correct whether each prediction was right
     * @return per-bin counts, accuracy and mean confidence
     * @throws IllegalArgumentException if the arrays are empty or differ in length, or a confidence
     *     is NaN or outside [0, 1] (naming its index)
     */
    public static ReliabilityDiagram reliability(double[] confidences, boolean[] correct) {
        return reliability(confidences, correct, DEFAULT_BINS);
    }

    /**
     * Reliability-diagram data with a chosen number of bins.
     *
     * @param confidences the confidence of each prediction, in [0, 1]
     * @param correct whether each prediction was right
     * @param bins the number of equal-width bins, at least 1
     * @return per-bin counts, accuracy and mean confidence
     * @throws IllegalArgumentException on empty or mismatched input, a confidence outside [0, 1],
     *     or bins &lt; 1
     */
    public static ReliabilityDiagram reliability(
            double[] confidences, boolean[] correct, int bins) {
        Objects.requireNonNull(confidences, "confidences");
        Objects.requireNonNull(correct, "correct");
        if (confidences.length != correct.length) {
            throw new IllegalArgumentException(
                    confidences.length
                            + " confidences but "
                            + correct.length
                            + " correctness values");
        }
        Accumulator acc = new Accumulator(bins);
        for (int i = 0; i < confidences.length; i++) {
            acc.add(confidences[i], correct[i], i);
        }
        return acc.diagram();
    }

    /**
     * Reliability-diagram data with 15 bins from class probabilities and true labels: the
     * confidence is the largest probability, the prediction its class (the first on ties).
     *
     * @param probabilities n rows of {@code numClasses} probabilities, row after row
     * @param numClasses the number of classes K, at least 2
     * @param labels the true class of each row, in [0, K)
     * @return per-bin counts, accuracy and mean confidence
     * @throws IllegalArgumentException on mismatched sizes, a label outside [0, K), or a confidence
     *     outside [0, 1]
     */
    public static ReliabilityDiagram reliability(
            double[] probabilities, int numClasses, int[] labels) {
        Objects.requireNonNull(probabilities, "probabilities");
        Accumulator acc = new Accumulator(DEFAULT_BINS);
        int n = checkShape(probabilities.length, numClasses, labels);
        for (int i = 0; i < n; i++) {
            int best = 0;
            double max = probabilities[i * numClasses];
            for (int k = 1; k < numClasses; k++) {
                double p = probabilities[i * numClasses + k];
                if (p > max) {
                    max = p;
                    best = k;
                }
            }
            acc.add(max, best == labels[i], i);
        }
        return acc.diagram();
    }

    /**
     * Reliability-diagram data with 15 bins from float class probabilities (as a float32 network
     * gives them) and true labels.
     *
     * @param probabilities n rows of {@code numClasses} probabilities, row after row
     * @param numClasses the number of classes K, at least 2
     * @param labels the true class of each row, in [0, K)
     * @return per-bin counts, accuracy and mean confidence
     * @throws IllegalArgumentException on mismatched sizes, a label outside [0, K), or a confidence
     *     outside [0, 1]
     */
    public static ReliabilityDiagram reliability(
            float[] probabilities, int numClasses, int[] labels) {
        Objects.requireNonNull(probabilities, "probabilities");
        double[] widened = new double[probabilities.length];
        for (int i = 0; i < widened.length; i++) {
            widened[i] = probabilities[i];
        }
        return reliability(widened, numClasses, labels);
    }

    /**
     * The expected calibration error with 15 bins from confidences and correctness.
     *
     * @param confidences the confidence of each prediction, in [0, 1]
     * @param correct whether each prediction was right
     * @return ECE in [0, 1]
     * @throws IllegalArgumentException as {@link #reliability(double[], boolean[])}
     */
    public static double expectedCalibrationError(double[] confidences, boolean[] correct) {
        return reliability(confidences, correct).expectedCalibrationError();
    }

    /**
     * The expected calibration error with 15 bins from class probabilities and true labels.
     *
     * @param probabilities n rows of {@code numClasses} probabilities, row after row
     * @param numClasses the number of classes K
     * @param labels the true class of each row
     * @return ECE in [0, 1]
     * @throws IllegalArgumentException as {@link #reliability(double[], int, int[])}
     */
    public static double expectedCalibrationError(
            double[] probabilities, int numClasses, int[] labels) {
        return reliability(probabilities, numClasses, labels).expectedCalibrationError();
    }

    /**
     * The expected calibration error with 15 bins from float class probabilities and labels.
     *
     * @param probabilities n rows of {@code numClasses} probabilities, row after row
     * @param numClasses the number of classes K
     * @param labels the true class of each row
     * @return ECE in [0, 1]
     * @throws IllegalArgumentException as {@link #reliability(float[], int, int[])}
     */
    public static double expectedCalibrationError(
            float[] probabilities, int numClasses, int[] labels) {
        return reliability(probabilities, numClasses, labels).expectedCalibrationError();
    }

    /**
     * A histogram of confidences over [0, 1], e.g. of the maximum softmax probability on
     * in-distribution and on OOD inputs (Hendrycks &amp; Gimpel 2017's first figure).
     *
     * @param confidences values in [0, 1]
     * @param bins the number of equal-width bins
     * @return the histogram
     * @throws IllegalArgumentException if a value is outside [0, 1] (naming its index)
     */
    public static Histogram confidenceHistogram(double[] confidences, int bins) {
        return Histogram.of(confidences, bins, 0, 1);
    }

    /**
     * A histogram of float confidences over [0, 1].
     *
     * @param confidences values in [0, 1]
     * @param bins the number of equal-width bins
     * @return the histogram
     * @throws IllegalArgumentException if a value is outside [0, 1] (naming its index)
     */
    public static Histogram confidenceHistogram(float[] confidences, int bins) {
        return Histogram.of(confidences, bins, 0, 1);
    }

    private static int checkShape(int length, int numClasses, int[] labels) {
        Objects.requireNonNull(labels, "labels");
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be at least 2, got " + numClasses);
        }
        if (length != labels.length * (long) numClasses) {
            throw new IllegalArgumentException(
                    length
                            + " probabilities is not "
                            + labels.length
                            + " rows of "
                            + numClasses
                            + " classes");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException(
                        "label "
                                + labels[i]
                                + " at index "
                                + i
                                + " is outside [0, "
                                + numClasses
                                + ")");
            }
        }
        return labels.length;
    }

    /** Sums per bin; bins are (lo, hi] with the edges of numpy.linspace(0, 1, bins + 1). */
    private static final class Accumulator {
        private final double[] edges;
        private final long[] counts;
        private final long[] correct;
        private final double[] confidenceSum;

        Accumulator(int bins) {
            if (bins < 1) {
                throw new IllegalArgumentException("bins must be at least 1, got " + bins);
            }
            edges = new double[bins + 1];
            double step = 1.0 / bins;
            for (int b = 0; b < bins; b++) {
                edges[b] = b * step;
            }
            edges[bins] = 1.0;
            counts = new long[bins];
            correct = new long[bins];
            confidenceSum = new double[bins];
        }

        void add(double confidence, boolean isCorrect, int index) {
            if (!(confidence >= 0 && confidence <= 1)) {
                throw new IllegalArgumentException(
                        "confidence " + confidence + " at index " + index + " is outside [0, 1]");
            }
            int bins = counts.length;
            int b = Math.min(Math.max((int) Math.ceil(confidence * bins) - 1, 0), bins - 1);
            while (b > 0 && confidence <= edges[b]) {
                b--;
            }
            while (b < bins - 1 && confidence > edges[b + 1]) {
                b++;
            }
            counts[b]++;
            confidenceSum[b] += confidence;
            if (isCorrect) {
                correct[b]++;
            }
        }

        ReliabilityDiagram diagram() {
            int bins = counts.length;
            long total = 0;
            for (long c : counts) {
                total += c;
            }
            if (total == 0) {
                throw new IllegalArgumentException("no predictions to measure calibration on");
            }
            double[] accuracy = new double[bins];
            double[] confidence = new double[bins];
            for (int b = 0; b < bins; b++) {
                accuracy[b] = counts[b] == 0 ? Double.NaN : (double) correct[b] / counts[b];
                confidence[b] = counts[b] == 0 ? Double.NaN : confidenceSum[b] / counts[b];
            }
            return new ReliabilityDiagram(edges, counts, accuracy, confidence);
        }
    }
}

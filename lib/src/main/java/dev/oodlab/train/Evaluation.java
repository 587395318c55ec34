package dev.oodlab.train;

import dev.oodlab.data.ImageSet;
import dev.oodlab.nn.Network;

/**
 * A model's outputs on a labelled (or unlabelled) image set: the logits as one float[] (N × K,
 * row-major), the accuracy, and the softmax scores that OOD detection starts from.
 *
 * @param setName the name of the image set
 * @param numClasses K
 * @param logits N × K logits, image after image
 * @param labels the true labels, or {@code null} for an unlabelled set
 */
public record Evaluation(String setName, int numClasses, float[] logits, int[] labels) {

    /**
     * Runs the network over {@code set} in inference mode.
     *
     * @param network the model
     * @param set the images
     * @param batchSize images per forward pass
     * @return the evaluation
     */
    public static Evaluation of(Network network, ImageSet set, int batchSize) {
        return new Evaluation(
                set.name(),
                network.numClasses(),
                network.logits(set, batchSize),
                set.isLabelled() ? set.labels() : null);
    }

    /** The number of images. */
    public int size() {
        return logits.length / numClasses;
    }

    /** The predicted class (arg-max of the logits) per image. */
    public int[] predictions() {
        int n = size();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int k = 1; k < numClasses; k++) {
                if (logits[i * numClasses + k] > logits[i * numClasses + best]) {
                    best = k;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /**
     * The share of images predicted as each class: entry k is #{i : prediction(i) = k} / n (NaN for
     * an empty set). Where a classifier files inputs it has no class for, such as noise.
     */
    public double[] predictedShares() {
        double[] shares = new double[numClasses];
        int[] predicted = predictions();
        for (int p : predicted) {
            shares[p]++;
        }
        for (int k = 0; k < numClasses; k++) {
            shares[k] = predicted.length == 0 ? Double.NaN : shares[k] / predicted.length;
        }
        return shares;
    }

    /**
     * The share of images whose prediction equals the label.
     *
     * @throws IllegalStateException for an unlabelled set
     */
    public double accuracy() {
        if (labels == null) {
            throw new IllegalStateException(setName + " has no labels: no accuracy");
        }
        int[] predicted = predictions();
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == labels[i]) {
                correct++;
            }
        }
        return predicted.length == 0 ? Double.NaN : correct / (double) predicted.length;
    }

    /** The softmax probabilities, N × K, computed in double precision (stable for large logits). */
    public float[] softmax() {
        int n = size();
        float[] out = new float[logits.length];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < numClasses; k++) {
                max = Math.max(max, logits[i * numClasses + k]);
            }
            double sum = 0;
            for (int k = 0; k < numClasses; k++) {
                sum += Math.exp(logits[i * numClasses + k] - max);
            }
            for (int k = 0; k < numClasses; k++) {
                out[i * numClasses + k] =
                        (float) (Math.exp(logits[i * numClasses + k] - max) / sum);
            }
        }
        return out;
    }

    /** The maximum softmax probability per image (Hendrycks and Gimpel's OOD score). */
    public double[] maxSoftmax() {
        int n = size();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < numClasses; k++) {
                max = Math.max(max, logits[i * numClasses + k]);
            }
            double sum = 0;
            for (int k = 0; k < numClasses; k++) {
                sum += Math.exp(logits[i * numClasses + k] - max);
            }
            out[i] = 1 / sum;
        }
        return out;
    }

    @Override
    public String toString() {
        return setName
                + ": "
                + size()
                + " images"
                + (labels == null
                        ? ""
                        : String.format(
                                java.util.Locale.ROOT, ", accuracy %.2f%%", 100 * accuracy()));
    }
}

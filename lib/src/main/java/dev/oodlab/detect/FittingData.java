package dev.oodlab.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.oodlab.data.ImageSet;
import dev.oodlab.nn.Classifier;
import dev.oodlab.nn.Network;
import dev.oodlab.nn.TorchScriptModel;

/**
 * The penultimate features h (N × D) and logits f (N × K) of a training set, computed in one pass
 * in inference mode: what the fitted detectors estimate their statistics from.
 */
final class FittingData {

    final float[] features;
    final float[] logits;
    final int size;
    final int dimension;
    final int numClasses;

    private FittingData(float[] features, float[] logits, int size, int dimension, int classes) {
        this.features = features;
        this.logits = logits;
        this.size = size;
        this.dimension = dimension;
        this.numClasses = classes;
    }

    /**
     * Runs the network over the training set.
     *
     * @param detector the detector's name, for messages
     */
    static FittingData of(Network network, ImageSet train, int batchSize, String detector) {
        int d = featureDimension(network, detector);
        int k = network.numClasses();
        if (train.size() == 0) {
            throw new IllegalArgumentException(
                    detector + " cannot be fitted on " + train.name() + ": it has no images");
        }
        float[] both =
                network.forEachBatch(
                        train,
                        batchSize,
                        d + k,
                        x -> {
                            NDArray h = network.features(x, false);
                            return h.concat(network.head(h, false), 1);
                        });
        int n = train.size();
        float[] h = new float[n * d];
        float[] f = new float[n * k];
        for (int i = 0; i < n; i++) {
            System.arraycopy(both, i * (d + k), h, i * d, d);
            System.arraycopy(both, i * (d + k) + d, f, i * k, k);
        }
        return new FittingData(h, f, n, d, k);
    }

    /**
     * D, the width of the network's penultimate features.
     *
     * @throws IllegalArgumentException naming the detector if the network has no features
     */
    static int featureDimension(Network network, String detector) {
        Classifier classifier = requireFeatures(network, detector);
        Shape out =
                classifier.features()
                        .getOutputShapes(new Shape[] {new Shape(1).addAll(network.inputShape())})[
                        0];
        return (int) out.get(1);
    }

    /** The network's classifier, or one line saying that the detector needs features. */
    static Classifier requireFeatures(Network network, String detector) {
        if (network.block() instanceof Classifier c) {
            return c;
        }
        String note = TorchScriptModel.featureNote(network);
        if (TorchScriptModel.isTorchScript(network) && note != null) {
            throw new IllegalArgumentException(
                    "detector " + detector + " needs penultimate features, but " + note);
        }
        throw new IllegalArgumentException(
                "detector "
                        + detector
                        + " needs penultimate features, but the model ("
                        + network.block().getClass().getSimpleName()
                        + ") is not a Classifier that exposes them");
    }

    /** Class predicted for training image i (the largest logit). */
    int prediction(int i) {
        int best = 0;
        for (int c = 1; c < numClasses; c++) {
            if (logits[i * numClasses + c] > logits[i * numClasses + best]) {
                best = c;
            }
        }
        return best;
    }
}

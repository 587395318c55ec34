package dev.oodlab.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.oodlab.nn.Network;
import java.util.ArrayList;
import java.util.List;

/**
 * The weights W (K × D) and bias b (K) of a classifier's last layer, f = W h + b, copied out of the
 * network: what DICE, ViM and GradNorm read beside the features.
 */
final class LastLayer {

    final float[] weight;
    final float[] bias;
    final int numClasses;
    final int dimension;

    private LastLayer(float[] weight, float[] bias, int numClasses, int dimension) {
        this.weight = weight;
        this.bias = bias;
        this.numClasses = numClasses;
        this.dimension = dimension;
    }

    /**
     * Reads W and b from the network's head.
     *
     * @param detector the detector's name, for messages
     * @throws IllegalArgumentException if the network has no features or its head is not one linear
     *     layer (a K × D weight and a K bias)
     */
    static LastLayer of(Network network, String detector) {
        List<NDArray> arrays = checkedParameters(network, detector);
        long[] shape = arrays.get(0).getShape().getShape();
        return new LastLayer(
                arrays.get(0).toFloatArray(),
                arrays.get(1).toFloatArray(),
                (int) shape[0],
                (int) shape[1]);
    }

    /** Checks, without copying anything, that the network's head is one linear layer. */
    static void check(Network network, String detector) {
        checkedParameters(network, detector);
    }

    private static List<NDArray> checkedParameters(Network network, String detector) {
        int d = FittingData.featureDimension(network, detector);
        int k = network.numClasses();
        Block head = network.classifier().head();
        List<NDArray> arrays = new ArrayList<>();
        for (Pair<String, Parameter> p : head.getParameters()) {
            arrays.add(p.getValue().getArray());
        }
        if (arrays.size() != 2
                || !arrays.get(0).getShape().equals(new Shape(k, d))
                || !arrays.get(1).getShape().equals(new Shape(k))) {
            throw new IllegalArgumentException(
                    "detector "
                            + detector
                            + " needs a last layer f = W h + b with W of "
                            + k
                            + " x "
                            + d
                            + ", but the model's head is a "
                            + head.getClass().getSimpleName()
                            + " with "
                            + arrays.size()
                            + " parameter arrays");
        }
        return arrays;
    }

    /** W as doubles, row after row. */
    double[][] weightRows() {
        double[][] w = new double[numClasses][dimension];
        for (int c = 0; c < numClasses; c++) {
            for (int j = 0; j < dimension; j++) {
                w[c][j] = weight[c * dimension + j];
            }
        }
        return w;
    }
}

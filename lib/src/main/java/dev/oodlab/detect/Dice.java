package dev.oodlab.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.oodlab.data.ImageSet;
import dev.oodlab.nn.Network;

/**
 * DICE, directed sparsification (Sun, Li, "DICE: Leveraging Sparsification for Out-of-Distribution
 * Detection", ECCV 2022): keep only the last layer's weights that contribute most on the training
 * set and score the energy of the sparsified logits,
 *
 * <pre>
 *   V_kj = mean_train(h_j) · W_kj                            contribution of unit j to class k
 *   M_kj = 1 if V_kj &gt; the (100·p)-th percentile of all V, else 0             (p = 0.9)
 *   score(x) = logsumexp_k ((M ⊙ W) h(x) + b)_k
 * </pre>
 *
 * <p>p is the sparsity: the share of weights set to zero. Units that are large on average but
 * irrelevant to a class add noise to its logit, more so for OOD inputs; removing them sharpens the
 * energy. The percentile is numpy's linear interpolation, as in the authors' code. Needs the
 * features and a linear last layer.
 */
public final class Dice implements OodScorer {

    private final double sparsity;
    private final float[] maskedWeight;
    private final float[] bias;
    private final int numClasses;
    private final int dimension;
    private final int keptWeights;

    private Dice(double sparsity, float[] maskedWeight, int keptWeights, LastLayer layer) {
        this.sparsity = sparsity;
        this.maskedWeight = maskedWeight;
        this.bias = layer.bias;
        this.numClasses = layer.numClasses;
        this.dimension = layer.dimension;
        this.keptWeights = keptWeights;
    }

    /** Fits the mask at the paper's sparsity p = 0.9. */
    public static Dice fit(Network network, ImageSet train, int batchSize) {
        return fit(network, train, batchSize, 0.9);
    }

    /**
     * Computes the mean training features and the weight mask.
     *
     * @param network a network with features and a linear last layer
     * @param train the training images
     * @param batchSize images per forward pass
     * @param sparsity p in [0, 1): the share of weights zeroed
     * @return the fitted detector
     */
    public static Dice fit(Network network, ImageSet train, int batchSize, double sparsity) {
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw new IllegalArgumentException("dice sparsity must be in [0, 1), got " + sparsity);
        }
        LastLayer layer = LastLayer.of(network, "dice");
        FittingData data = FittingData.of(network, train, batchSize, "dice");
        int d = layer.dimension;
        double[] mean = new double[d];
        for (int i = 0; i < data.size; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += data.features[i * d + j];
            }
        }
        double[] contribution = new double[layer.weight.length];
        for (int c = 0; c < layer.numClasses; c++) {
            for (int j = 0; j < d; j++) {
                contribution[c * d + j] = mean[j] / data.size * layer.weight[c * d + j];
            }
        }
        double threshold = Percentile.of(contribution, 100 * sparsity);
        float[] masked = new float[layer.weight.length];
        int kept = 0;
        for (int i = 0; i < masked.length; i++) {
            if (contribution[i] > threshold) {
                masked[i] = layer.weight[i];
                kept++;
            }
        }
        return new Dice(sparsity, masked, kept, layer);
    }

    /** The number of weights kept. */
    public int keptWeights() {
        return keptWeights;
    }

    @Override
    public NDArray score(Network network, NDArray x) {
        NDArray h = network.features(x, false);
        NDArray w = x.getManager().create(maskedWeight, new Shape(numClasses, dimension));
        NDArray b = x.getManager().create(bias);
        return Energy.logSumExp(h.matMul(w.transpose()).add(b));
    }

    @Override
    public String name() {
        return sparsity == 0.9 ? "DICE" : "DICE(p=" + sparsity + ")";
    }

    @Override
    public String toString() {
        return name() + "[" + keptWeights() + " of " + maskedWeight.length + " weights]";
    }
}

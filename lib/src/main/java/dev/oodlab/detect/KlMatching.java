package dev.oodlab.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.oodlab.data.ImageSet;
import dev.oodlab.nn.Network;

/**
 * KL matching (Hendrycks, Basart, Mazeika, Zou, Kwon, Mostajabi, Steinhardt, Song, "Scaling
 * Out-of-Distribution Detection for Real-World Settings", ICML 2022): one template per class, the
 * mean softmax of the training images the network assigns to that class, and an input scored by its
 * closest template,
 *
 * <pre>
 *   d_k = mean of softmax(f(x')) over training images x' with argmax f(x') = k
 *   score(x) = −min_k KL(p ‖ d_k),   p = softmax(f(x)),   KL(p ‖ d) = Σ_j p_j log(p_j / d_j)
 * </pre>
 *
 * <p>The paper takes the templates from held-out in-distribution data; here they come from the
 * training set, like every fitted statistic in oodlab. A class that no training image is assigned
 * to has no template and is left out of the minimum. Fitting needs only the logits.
 */
public final class KlMatching implements OodScorer {

    private final double[][] logTemplates;

    private KlMatching(double[][] logTemplates) {
        this.logTemplates = logTemplates;
    }

    /**
     * Computes the class templates on a training set (labels are not read: the classes are the
     * network's predictions).
     *
     * @param network the trained network
     * @param train the training images
     * @param batchSize images per forward pass
     * @return the fitted detector
     */
    public static KlMatching fit(Network network, ImageSet train, int batchSize) {
        int k = network.numClasses();
        if (train.size() == 0) {
            throw new IllegalArgumentException(
                    "kl-matching cannot be fitted on " + train.name() + ": it has no images");
        }
        float[] logits = network.logits(train, batchSize);
        double[][] sums = new double[k][k];
        int[] counts = new int[k];
        double[] p = new double[k];
        for (int i = 0; i < train.size(); i++) {
            int best = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                if (logits[i * k + c] > max) {
                    max = logits[i * k + c];
                    best = c;
                }
            }
            double total = 0;
            for (int c = 0; c < k; c++) {
                p[c] = Math.exp(logits[i * k + c] - max);
                total += p[c];
            }
            counts[best]++;
            for (int c = 0; c < k; c++) {
                sums[best][c] += p[c] / total;
            }
        }
        int templates = 0;
        for (int count : counts) {
            templates += count > 0 ? 1 : 0;
        }
        double[][] logs = new double[templates][k];
        int row = 0;
        for (int c = 0; c < k; c++) {
            if (counts[c] == 0) {
                continue;
            }
            for (int j = 0; j < k; j++) {
                logs[row][j] = Math.log(sums[c][j] / counts[c]);
            }
            row++;
        }
        return new KlMatching(logs);
    }

    /** The number of templates (classes predicted at least once on the training set). */
    public int templateCount() {
        return logTemplates.length;
    }

    @Override
    public NDArray score(Network network, NDArray x) {
        NDManager manager = x.getManager();
        NDArray f = network.logits(x, false).toType(DataType.FLOAT64, false);
        NDArray logP = f.logSoftmax(1);
        NDArray p = logP.exp();
        int k = logTemplates[0].length;
        double[] flat = new double[logTemplates.length * k];
        for (int t = 0; t < logTemplates.length; t++) {
            System.arraycopy(logTemplates[t], 0, flat, t * k, k);
        }
        NDArray logD = manager.create(flat, new Shape(logTemplates.length, k));
        // KL(p ‖ d_t) = Σ_j p_j log p_j − Σ_j p_j log d_tj, for all templates at once: (N, T)
        NDArray negEntropy = p.mul(logP).sum(new int[] {1}, true);
        NDArray kl = negEntropy.sub(p.matMul(logD.transpose()));
        return kl.min(new int[] {1}).neg().toType(DataType.FLOAT32, false);
    }

    @Override
    public String name() {
        return "KL-matching";
    }

    @Override
    public String toString() {
        return name() + "[" + logTemplates.length + " templates]";
    }
}

package dev.oodlab.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.oodlab.data.ImageSet;
import dev.oodlab.nn.Network;

/**
 * Deep k-nearest neighbours (Sun, Ming, Zhu, Li, "Out-of-Distribution Detection with Deep Nearest
 * Neighbors", ICML 2022): the distance from the normalised penultimate features of an input to its
 * k-th nearest normalised training feature,
 *
 * <pre>
 *   z = h / ‖h‖₂
 *   score(x) = −‖z(x) − z_(k)‖₂,   z_(k) the k-th nearest of the training set's z     (k = 50)
 * </pre>
 *
 * <p>Non-parametric: no Gaussian or other shape is assumed for the feature distribution. The search
 * is exact (squared distances ‖z‖² + ‖t‖² − 2 z·t from one matrix product per batch, then the k
 * smallest), not an approximate index. As in the authors' normaliser, ‖h‖ gets 1e-10 added, so an
 * all-zero feature vector maps to z = 0. Needs the features; the normalised training features are
 * kept (N × D floats).
 */
public final class Knn implements OodScorer {

    private static final double NORM_EPSILON = 1e-10;

    private final int k;
    private final float[] bank; // (D + 1) × N: column i is (t_i, −‖t_i‖²/2)
    private final int size;
    private final int dimension;

    private Knn(int k, float[] bank, int size, int dimension) {
        this.k = k;
        this.bank = bank;
        this.size = size;
        this.dimension = dimension;
    }

    /** Stores the training features with the paper's k = 50. */
    public static Knn fit(Network network, ImageSet train, int batchSize) {
        return fit(network, train, batchSize, 50);
    }

    /**
     * Stores the normalised training features.
     *
     * @param network a network with features
     * @param train the training images, at least k
     * @param batchSize images per forward pass
     * @param k the neighbour whose distance is the score, ≥ 1
     * @return the fitted detector
     */
    public static Knn fit(Network network, ImageSet train, int batchSize, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("knn k must be >= 1, got " + k);
        }
        if (train.size() < k) {
            throw new IllegalArgumentException(
                    "knn with k = "
                            + k
                            + " needs at least "
                            + k
                            + " training images, "
                            + train.name()
                            + " has "
                            + train.size());
        }
        FittingData data = FittingData.of(network, train, batchSize, "knn");
        int d = data.dimension;
        int n = data.size;
        float[] bank = new float[(d + 1) * n];
        for (int i = 0; i < n; i++) {
            double squared = 0;
            for (int j = 0; j < d; j++) {
                double v = data.features[i * d + j];
                squared += v * v;
            }
            double scale = 1 / (Math.sqrt(squared) + NORM_EPSILON);
            double normed = 0;
            for (int j = 0; j < d; j++) {
                float z = (float) (data.features[i * d + j] * scale);
                bank[j * n + i] = z;
                normed += (double) z * z;
            }
            bank[d * n + i] = (float) (-normed / 2);
        }
        return new Knn(k, bank, n, d);
    }

    @Override
    public NDArray score(Network network, NDArray x) {
        NDArray h = network.features(x, false);
        NDArray z = h.div(h.norm(new int[] {1}, true).add(NORM_EPSILON));
        NDArray t = x.getManager().create(bank, new Shape(dimension + 1, size));
        // ‖z − t‖² = ‖z‖² − 2 (z·t − ‖t‖²/2): the k nearest are the k largest of [z, 1]·[t;
        // −‖t‖²/2]
        NDArray affinity = z.concat(z.onesLike().get(":, :1"), 1).matMul(t); // (N, size)
        NDArray kth = affinity.topK(k, 1, true, false).get(0).min(new int[] {1});
        NDArray squared = z.square().sum(new int[] {1}).sub(kth.mul(2));
        return squared.maximum(0).sqrt().neg();
    }

    @Override
    public String name() {
        return k == 50 ? "KNN" : "KNN(k=" + k + ")";
    }

    @Override
    public String toString() {
        return name() + "[" + size + " training features]";
    }
}

package dev.oodlab.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
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
 * is exact, not an approximate index: ‖z − t‖² = ‖z‖² − 2 (z·t − ‖t‖²/2) for every training t from
 * one matrix product per chunk of inputs (at most 2²¹ affinities, 8 MB), then the k smallest. As in
 * the authors' normaliser, ‖h‖ gets 1e-10 added, so an all-zero feature vector maps to z = 0. Needs
 * the features. The normalised training features are kept as one N × (D + 1) array in a sub-manager
 * of the network's manager: {@link #close} frees it, and so does closing the network.
 */
public final class Knn implements OodScorer, AutoCloseable {

    private static final double NORM_EPSILON = 1e-10;

    private final int k;
    private final NDManager manager;
    private final NDArray bank; // (D + 1) × N: column i is (t_i, −‖t_i‖²/2)
    private final int size;
    private long chunkElements = CHUNK_ELEMENTS;

    private Knn(int k, NDManager manager, NDArray bank, int size) {
        this.k = k;
        this.manager = manager;
        this.bank = bank;
        this.size = size;
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
        // created once in a sub-manager of the network's (copying 60,000 × 85 floats per batch
        // cost a quarter of the matrix product); freed by close() or with the network
        NDManager owner = network.manager().newSubManager();
        return new Knn(k, owner, owner.create(bank, new Shape(d + 1, n)), n);
    }

    @Override
    public NDArray score(Network network, NDArray x) {
        NDArray h = network.features(x, false);
        NDArray z = h.div(h.norm(new int[] {1}, true).add(NORM_EPSILON));
        // ‖z − t‖² = ‖z‖² − 2 (z·t − ‖t‖²/2): the k nearest are the k largest of [z, 1]·[t;
        // −‖t‖²/2]
        NDArray augmented = z.concat(z.onesLike().get(":, :1"), 1);
        long n = z.getShape().get(0);
        long rows = Math.max(1, chunkElements / Math.max(1, size));
        NDArray kth;
        if (n <= rows) {
            kth = kthAffinity(augmented);
        } else {
            NDList parts = new NDList();
            for (long start = 0; start < n; start += rows) {
                long end = Math.min(n, start + rows);
                try (NDManager chunk = x.getManager().newSubManager()) {
                    NDArray part = augmented.get(start + ":" + end);
                    part.attach(chunk);
                    NDArray k = kthAffinity(part);
                    k.attach(x.getManager());
                    parts.add(k);
                }
            }
            kth = NDArrays.concat(parts, 0);
        }
        NDArray squared = z.square().sum(new int[] {1}).sub(kth.mul(2));
        return squared.maximum(0).sqrt().neg();
    }

    /**
     * At most this many affinities (inputs × training images) per matrix product: a batch of 256
     * against 60,000 training features made a 61 MB array per batch, which the allocator maps and
     * unmaps from the system every time (page faults over the whole array); chunks of about 8 MB
     * are reused from the heap, and scoring 10,000 images took a fifth of the time.
     */
    static final long CHUNK_ELEMENTS = 2L << 20;

    /**
     * The same detector with another chunk size, for tests of the chunking.
     *
     * @param elements at most this many affinities per matrix product
     * @return a detector sharing the stored training features (closing either frees them)
     */
    Knn withChunkElements(long elements) {
        Knn copy = new Knn(k, manager, bank, size);
        copy.chunkElements = elements;
        return copy;
    }

    /** The k-th largest affinity [z, 1]·[t; −‖t‖²/2] of each row over the training set. */
    private NDArray kthAffinity(NDArray augmented) {
        NDArray affinity = augmented.matMul(bank); // (rows, size)
        return affinity.topK(k, 1, true, false).get(0).min(new int[] {1});
    }

    /** Frees the stored training features (also freed when the network is closed). */
    @Override
    public void close() {
        manager.close();
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

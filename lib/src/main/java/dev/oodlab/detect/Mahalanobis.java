package dev.oodlab.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.oodlab.data.ImageSet;
import dev.oodlab.nn.Network;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.SingularValueDecomposition;

/**
 * The Mahalanobis detector (Lee, Lee, Lee, Shin, "A Simple Unified Framework for Detecting
 * Out-of-Distribution Samples and Adversarial Attacks", NeurIPS 2018), on the penultimate features
 * h(x) of a {@link dev.oodlab.nn.Classifier}: fit one Gaussian per class with a shared (tied)
 * covariance on the training data, and score an input by its closest class,
 *
 * <pre>
 *   μ_c = mean of h over training images of class c
 *   Σ   = (1/N) Σ_i (h_i − μ_{y_i})(h_i − μ_{y_i})ᵀ                    (tied, maximum likelihood)
 *   score(x) = max_c −½ (h(x) − μ_c)ᵀ Σ⁻¹ (h(x) − μ_c)
 * </pre>
 *
 * With pre-processing ε > 0 the input first moves to raise its score, x̃ = x + ε·sign(∇ₓ score(x)),
 * as in the paper. Σ⁻¹ is the pseudo-inverse (robust to rank-deficient features, e.g. dead ReLUs).
 * This is the single-layer variant without the paper's feature ensemble. Use it when the training
 * set is at hand: it detects inputs far from every class in feature space even when the softmax is
 * confident.
 */
public final class Mahalanobis implements OodScorer {

    private final double[][] means;
    private final double[][] precision;
    private final double[][] covariance;
    private final double epsilon;

    private Mahalanobis(
            double[][] means, double[][] covariance, double[][] precision, double epsilon) {
        this.means = means;
        this.covariance = covariance;
        this.precision = precision;
        this.epsilon = epsilon;
    }

    /**
     * Fits the class means and the tied covariance of the network's features on a labelled set.
     *
     * @param network a network whose block is a {@link dev.oodlab.nn.Classifier}
     * @param train the labelled training images
     * @param batchSize images per forward pass
     * @return the fitted detector, without input pre-processing
     */
    public static Mahalanobis fit(Network network, ImageSet train, int batchSize) {
        if (!train.isLabelled()) {
            throw new IllegalArgumentException(
                    train.name() + " has no labels: cannot fit class" + " means");
        }
        FittingData.requireFeatures(network, "mahalanobis");
        int d =
                (int)
                        network.classifier()
                                .features()
                                .getOutputShapes(
                                        new Shape[] {new Shape(1).addAll(network.inputShape())})[0]
                                .get(1);
        float[] h = network.forEachBatch(train, batchSize, d, x -> network.features(x, false));
        return fit(h, train.labels(), network.numClasses(), d);
    }

    /**
     * Fits the detector on features already computed.
     *
     * @param features N × D features, row after row
     * @param labels N class indices
     * @param numClasses K
     * @param dimension D
     * @return the fitted detector
     * @throws IllegalArgumentException if a class has no sample
     */
    public static Mahalanobis fit(float[] features, int[] labels, int numClasses, int dimension) {
        int n = labels.length;
        if ((long) n * dimension != features.length) {
            throw new IllegalArgumentException(
                    features.length
                            + " feature values for "
                            + n
                            + " labels of dimension "
                            + dimension);
        }
        double[][] means = new double[numClasses][dimension];
        int[] counts = new int[numClasses];
        for (int i = 0; i < n; i++) {
            counts[labels[i]]++;
            for (int j = 0; j < dimension; j++) {
                means[labels[i]][j] += features[i * dimension + j];
            }
        }
        for (int c = 0; c < numClasses; c++) {
            if (counts[c] == 0) {
                throw new IllegalArgumentException("class " + c + " has no training sample");
            }
            for (int j = 0; j < dimension; j++) {
                means[c][j] /= counts[c];
            }
        }
        double[][] cov = new double[dimension][dimension];
        double[] dev = new double[dimension];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dimension; j++) {
                dev[j] = features[i * dimension + j] - means[labels[i]][j];
            }
            for (int a = 0; a < dimension; a++) {
                if (dev[a] == 0) {
                    continue;
                }
                for (int b = a; b < dimension; b++) {
                    cov[a][b] += dev[a] * dev[b];
                }
            }
        }
        for (int a = 0; a < dimension; a++) {
            for (int b = a; b < dimension; b++) {
                cov[a][b] /= n;
                cov[b][a] = cov[a][b];
            }
        }
        RealMatrix inverse =
                new SingularValueDecomposition(MatrixUtils.createRealMatrix(cov))
                        .getSolver()
                        .getInverse();
        return new Mahalanobis(means, cov, inverse.getData(), 0);
    }

    /**
     * The same fitted detector with input pre-processing of size ε (the paper tunes ε on validation
     * data; 0 turns it off).
     */
    public Mahalanobis withEpsilon(double epsilon) {
        if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be >= 0, got " + epsilon);
        }
        return new Mahalanobis(means, covariance, precision, epsilon);
    }

    /** The class means μ_c (K × D, a copy). */
    public double[][] means() {
        return deepCopy(means);
    }

    /** The tied covariance Σ (D × D, a copy). */
    public double[][] covariance() {
        return deepCopy(covariance);
    }

    @Override
    public NDArray score(Network network, NDArray x) {
        NDManager manager = x.getManager();
        NDArray mu = matrix(manager, means);
        NDArray p = matrix(manager, precision);
        NDArray input = x;
        if (epsilon > 0) {
            NDArray g =
                    network.inputGradient(x, z -> score(network.features(z, false), mu, p).sum());
            input = x.add(g.sign().mul((float) epsilon));
        }
        return score(network.features(input, false), mu, p);
    }

    /** max_c −½ (h − μ_c)ᵀ P (h − μ_c) for features h (N, D). */
    private static NDArray score(NDArray h, NDArray mu, NDArray p) {
        NDArray d = h.expandDims(1).sub(mu.expandDims(0)); // (N, K, D)
        NDArray quadratic = d.matMul(p).mul(d).sum(new int[] {2}); // (N, K)
        return quadratic.mul(-0.5f).max(new int[] {1});
    }

    private static NDArray matrix(NDManager manager, double[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < rows[i].length; j++) {
                flat[i * rows[i].length + j] = (float) rows[i][j];
            }
        }
        return manager.create(flat, new Shape(rows.length, rows[0].length));
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }

    @Override
    public String name() {
        return epsilon == 0 ? "Mahalanobis" : "Mahalanobis(eps=" + epsilon + ")";
    }

    @Override
    public String toString() {
        return name() + "[" + means.length + " classes, " + means[0].length + " features]";
    }
}

package dev.oodlab.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.oodlab.data.ImageSet;
import dev.oodlab.nn.Network;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.SingularValueDecomposition;

/**
 * The relative Mahalanobis distance (Ren, Fort, Liu, Roy, Padhy, Lakshminarayanan, "A Simple Fix to
 * Mahalanobis Distance for Improving Near-OOD Detection", 2021): the class-conditional Mahalanobis
 * distance of {@link Mahalanobis} minus the distance under one Gaussian fitted to all training
 * features (the "background"),
 *
 * <pre>
 *   MD_k(h) = (h − μ_k)ᵀ Σ⁻¹ (h − μ_k)       μ_k class means, Σ tied covariance (maximum likelihood)
 *   MD_0(h) = (h − μ_0)ᵀ Σ_0⁻¹ (h − μ_0)     μ_0, Σ_0 mean and covariance of all training features
 *   score(x) = −min_k (MD_k(h(x)) − MD_0(h(x)))
 * </pre>
 *
 * <p>Subtracting MD_0 removes what all classes share (feature directions that are merely rare in
 * the data), which is what makes the plain Mahalanobis distance weak on near-OOD inputs. Inverses
 * are pseudo-inverses (robust to dead units). Distances are squared, as in the paper (no ½). Needs
 * the features and labelled training data.
 */
public final class RelativeMahalanobis implements OodScorer {

    private final double[] classMeans; // K × D
    private final double[] precision; // D × D
    private final double[] mean; // D
    private final double[] backgroundPrecision; // D × D
    private final int numClasses;
    private final int dimension;

    private RelativeMahalanobis(
            double[] classMeans,
            double[] precision,
            double[] mean,
            double[] backgroundPrecision,
            int numClasses) {
        this.classMeans = classMeans;
        this.precision = precision;
        this.mean = mean;
        this.backgroundPrecision = backgroundPrecision;
        this.numClasses = numClasses;
        this.dimension = mean.length;
    }

    /**
     * Fits the class Gaussians and the background Gaussian on a labelled training set.
     *
     * @param network a network with features
     * @param train the labelled training images, every class present
     * @param batchSize images per forward pass
     * @return the fitted detector
     */
    public static RelativeMahalanobis fit(Network network, ImageSet train, int batchSize) {
        if (!train.isLabelled()) {
            throw new IllegalArgumentException(
                    train.name() + " has no labels: rmd cannot fit class means");
        }
        FittingData data = FittingData.of(network, train, batchSize, "rmd");
        int d = data.dimension;
        int k = network.numClasses();
        int n = data.size;
        int[] labels = train.labels();
        double[] means = new double[k * d];
        double[] all = new double[d];
        int[] counts = new int[k];
        for (int i = 0; i < n; i++) {
            counts[labels[i]]++;
            for (int j = 0; j < d; j++) {
                means[labels[i] * d + j] += data.features[i * d + j];
                all[j] += data.features[i * d + j];
            }
        }
        for (int c = 0; c < k; c++) {
            if (counts[c] == 0) {
                throw new IllegalArgumentException(
                        "rmd: class " + c + " has no training sample in " + train.name());
            }
            for (int j = 0; j < d; j++) {
                means[c * d + j] /= counts[c];
            }
        }
        for (int j = 0; j < d; j++) {
            all[j] /= n;
        }
        double[][] tied = new double[d][d];
        double[][] background = new double[d][d];
        double[] dev = new double[d];
        double[] dev0 = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                dev[j] = data.features[i * d + j] - means[labels[i] * d + j];
                dev0[j] = data.features[i * d + j] - all[j];
            }
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) {
                    tied[a][b] += dev[a] * dev[b];
                    background[a][b] += dev0[a] * dev0[b];
                }
            }
        }
        return new RelativeMahalanobis(
                means, pseudoInverse(tied, n), all, pseudoInverse(background, n), k);
    }

    /** The pseudo-inverse of the symmetric matrix whose upper triangle is sums / n. */
    private static double[] pseudoInverse(double[][] sums, int n) {
        int d = sums.length;
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                sums[a][b] /= n;
                sums[b][a] = sums[a][b];
            }
        }
        double[][] inverse =
                new SingularValueDecomposition(MatrixUtils.createRealMatrix(sums))
                        .getSolver()
                        .getInverse()
                        .getData();
        double[] flat = new double[d * d];
        for (int a = 0; a < d; a++) {
            System.arraycopy(inverse[a], 0, flat, a * d, d);
        }
        return flat;
    }

    @Override
    public NDArray score(Network network, NDArray x) {
        NDManager manager = x.getManager();
        NDArray h = network.features(x, false).toType(DataType.FLOAT64, false);
        NDArray mu = manager.create(classMeans, new Shape(numClasses, dimension));
        NDArray p = manager.create(precision, new Shape(dimension, dimension));
        NDArray mu0 = manager.create(mean, new Shape(1, dimension));
        NDArray p0 = manager.create(backgroundPrecision, new Shape(dimension, dimension));
        NDArray d = h.expandDims(1).sub(mu.expandDims(0)); // (N, K, D)
        NDArray md = d.matMul(p).mul(d).sum(new int[] {2}); // (N, K)
        NDArray d0 = h.sub(mu0);
        NDArray md0 = d0.matMul(p0).mul(d0).sum(new int[] {1}, true); // (N, 1)
        return md.sub(md0).min(new int[] {1}).neg().toType(DataType.FLOAT32, false);
    }

    @Override
    public String name() {
        return "RMD";
    }

    @Override
    public String toString() {
        return name() + "[" + numClasses + " classes, " + dimension + " features]";
    }
}

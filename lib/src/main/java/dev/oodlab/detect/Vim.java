package dev.oodlab.detect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.oodlab.data.ImageSet;
import dev.oodlab.nn.Network;
import java.util.Arrays;
import java.util.Comparator;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.SingularValueDecomposition;

/**
 * ViM, virtual-logit matching (Wang, Li, Feng, Zhang, "ViM: Out-Of-Distribution with Virtual-logit
 * Matching", CVPR 2022): the energy of the logits minus the scaled norm of the features' residual
 * outside their principal subspace,
 *
 * <pre>
 *   o = −W⁺ b                                   origin where the logits vanish (W⁺ pseudo-inverse)
 *   P = the D_p leading eigenvectors of (1/N) Σ_i (h_i − o)(h_i − o)ᵀ over the training set
 *   r(x) = ‖(I − P Pᵀ)(h(x) − o)‖₂              residual
 *   α = mean_train max_k f_k / mean_train r
 *   score(x) = logsumexp_k f_k(x) − α · r(x)
 * </pre>
 *
 * <p>The residual sees feature directions the classifier ignores, where OOD inputs often differ; α
 * puts it on the logits' scale (the paper's virtual logit). D_p follows the paper: 1000 for D ≥
 * 1500 features, 512 for D = 768, D/2 otherwise. The second moment about o is taken without
 * re-centring, as in the authors' code ({@code EmpiricalCovariance(assume_centered=True)}). Needs
 * the features and a linear last layer.
 */
public final class Vim implements OodScorer {

    private final int principalDimension;
    private final double[] origin;
    private final double[] residualBasis; // D × (D − D_p), row-major
    private final int dimension;
    private final double alpha;

    private Vim(int principalDimension, double[] origin, double[] residualBasis, double alpha) {
        this.principalDimension = principalDimension;
        this.origin = origin;
        this.residualBasis = residualBasis;
        this.dimension = origin.length;
        this.alpha = alpha;
    }

    /**
     * The paper's principal dimension for D features: 1000 if D ≥ 1500, 512 if D = 768, else D/2.
     */
    public static int defaultPrincipalDimension(int dimension) {
        if (dimension >= 1500) {
            return 1000;
        }
        return dimension == 768 ? 512 : dimension / 2;
    }

    /** Fits ViM with the paper's principal dimension. */
    public static Vim fit(Network network, ImageSet train, int batchSize) {
        return fit(
                network,
                train,
                batchSize,
                defaultPrincipalDimension(FittingData.featureDimension(network, "vim")));
    }

    /**
     * Fits the origin, the principal subspace and α.
     *
     * @param network a network with features and a linear last layer
     * @param train the training images
     * @param batchSize images per forward pass
     * @param principalDimension D_p in [0, D)
     * @return the fitted detector
     */
    public static Vim fit(Network network, ImageSet train, int batchSize, int principalDimension) {
        LastLayer layer = LastLayer.of(network, "vim");
        int d = layer.dimension;
        if (principalDimension < 0 || principalDimension >= d) {
            throw new IllegalArgumentException(
                    "vim principal dimension must be in [0, "
                            + d
                            + ") for "
                            + d
                            + " features, got "
                            + principalDimension);
        }
        FittingData data = FittingData.of(network, train, batchSize, "vim");
        RealMatrix w = MatrixUtils.createRealMatrix(layer.weightRows());
        double[] b = new double[layer.numClasses];
        for (int c = 0; c < b.length; c++) {
            b[c] = layer.bias[c];
        }
        double[] origin = new SingularValueDecomposition(w).getSolver().getInverse().operate(b);
        for (int j = 0; j < d; j++) {
            origin[j] = -origin[j];
        }
        double[][] moment = new double[d][d];
        double[] centred = new double[d];
        for (int i = 0; i < data.size; i++) {
            for (int j = 0; j < d; j++) {
                centred[j] = data.features[i * d + j] - origin[j];
            }
            for (int a = 0; a < d; a++) {
                for (int c = a; c < d; c++) {
                    moment[a][c] += centred[a] * centred[c];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int c = a; c < d; c++) {
                moment[a][c] /= data.size;
                moment[c][a] = moment[a][c];
            }
        }
        EigenDecompositionSymmetric eigen =
                new EigenDecompositionSymmetric(MatrixUtils.createRealMatrix(moment));
        double[] values = eigen.getEigenvalues();
        Integer[] order = new Integer[d];
        for (int j = 0; j < d; j++) {
            order[j] = j;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer j) -> values[j]).reversed());
        int rest = d - principalDimension;
        double[] basis = new double[d * rest];
        for (int col = 0; col < rest; col++) {
            double[] v = eigen.getEigenvector(order[principalDimension + col]).toArray();
            for (int j = 0; j < d; j++) {
                basis[j * rest + col] = v[j];
            }
        }
        double maxLogitSum = 0;
        double residualSum = 0;
        for (int i = 0; i < data.size; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < data.numClasses; c++) {
                max = Math.max(max, data.logits[i * data.numClasses + c]);
            }
            maxLogitSum += max;
            double squared = 0;
            for (int col = 0; col < rest; col++) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += (data.features[i * d + j] - origin[j]) * basis[j * rest + col];
                }
                squared += dot * dot;
            }
            residualSum += Math.sqrt(squared);
        }
        if (residualSum == 0) {
            throw new IllegalArgumentException(
                    "vim: the training features have no residual outside a principal space of "
                            + principalDimension
                            + " dimensions; choose a smaller one");
        }
        return new Vim(principalDimension, origin, basis, maxLogitSum / residualSum);
    }

    /** α, the scale of the residual. */
    public double alpha() {
        return alpha;
    }

    @Override
    public NDArray score(Network network, NDArray x) {
        NDManager manager = x.getManager();
        NDArray h = network.features(x, false);
        NDArray energy = Energy.logSumExp(network.head(h, false)).toType(DataType.FLOAT64, false);
        NDArray o = manager.create(origin);
        NDArray basis =
                manager.create(residualBasis, new Shape(dimension, dimension - principalDimension));
        NDArray residual =
                h.toType(DataType.FLOAT64, false).sub(o).matMul(basis).norm(new int[] {1});
        return energy.sub(residual.mul(alpha)).toType(DataType.FLOAT32, false);
    }

    @Override
    public String name() {
        return "ViM";
    }

    @Override
    public String toString() {
        return name() + "[D_p=" + principalDimension + ", alpha=" + alpha + "]";
    }
}

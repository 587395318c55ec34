package dev.oodlab.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Per-sample losses on logits, shared by the training methods, attacks and detectors.
 *
 * <p>Notation: f logits (N, K), p = softmax(f), u the uniform distribution over K classes, e_y the
 * one-hot vector of label y. Every function returns one value per sample, shape (N); callers take
 * the mean (a training loss) or the sum (an attack objective, so that a sample's gradient does not
 * depend on the batch size). All are computed from {@code log_softmax}, which is stable for large
 * logits.
 */
public final class Losses {

    private Losses() {}

    /**
     * Cross-entropy with soft targets, CE(p, t) = −Σ_k t_k log p_k.
     *
     * @param logits f, (N, K)
     * @param targets t, (N, K), rows summing to one
     * @return (N)
     */
    public static NDArray crossEntropy(NDArray logits, NDArray targets) {
        return logits.logSoftmax(1).mul(targets).sum(new int[] {1}).neg();
    }

    /**
     * Cross-entropy with hard labels, −log p_y.
     *
     * @param logits f, (N, K)
     * @param labels y, (N), integer class indices
     * @return (N)
     */
    public static NDArray crossEntropyWithLabels(NDArray logits, NDArray labels) {
        // −log p_y picked with one gather: no (N, K) one-hot, product and sum in the graph
        NDArray column = labels.toType(DataType.INT64, false).reshape(-1, 1);
        return logits.logSoftmax(1).gather(column, 1).reshape(-1).neg();
    }

    /**
     * Mixup's cross-entropy with two hard labels, −(λ log p_a + (1 − λ) log p_b): the cross-entropy
     * against the soft target λe_a + (1 − λ)e_b, picked with two gathers instead of one-hot rows.
     *
     * @param logits f, (N, K)
     * @param a the first labels, (N), integer class indices
     * @param b the second labels, (N)
     * @param lambda λ, the weight of {@code a}
     * @return (N)
     */
    public static NDArray mixedCrossEntropy(NDArray logits, NDArray a, NDArray b, double lambda) {
        // one gather of the two label columns, weighted by (λ, 1 − λ) and summed per row
        NDArray columns =
                NDArrays.stack(
                        new NDList(
                                a.toType(DataType.INT64, false), b.toType(DataType.INT64, false)),
                        1);
        NDArray weights =
                logits.getManager().create(new float[] {(float) lambda, (float) (1 - lambda)});
        return logits.logSoftmax(1).gather(columns, 1).mul(weights).sum(new int[] {1}).neg();
    }

    /**
     * The batch mean of {@link #crossEntropyWithLabels}, −(1/N) Σ_i log p_{y_i}, as a scalar: for
     * libtorch arrays one native operator ({@code aten::cross_entropy_loss}, i.e. log-softmax and
     * NLL), whose backward pass is two nodes instead of the six of the per-sample form.
     *
     * @param logits f, (N, K)
     * @param labels y, (N), int64 class indices
     * @return the mean loss, a scalar
     */
    public static NDArray meanCrossEntropyWithLabels(NDArray logits, NDArray labels) {
        if (TorchScriptFunction.accepts(logits, labels) && labels.getDataType() == DataType.INT64) {
            return MEAN_CROSS_ENTROPY.apply(logits, labels);
        }
        return crossEntropyWithLabels(logits, labels).mean();
    }

    /**
     * The batch mean of {@link #mixedCrossEntropy}, −(1/N) Σ_i (λ log p_{a_i} + (1 − λ) log
     * p_{b_i}), as a scalar: for libtorch arrays one scripted call (one log-softmax, two NLLs and
     * their {@code lerp}).
     *
     * @param logits f, (N, K)
     * @param a the first labels, (N), int64 class indices
     * @param b the second labels, (N), int64
     * @param lambda λ, the weight of {@code a}, as a scalar array (float32)
     * @return the mean loss, a scalar
     */
    public static NDArray meanMixedCrossEntropy(
            NDArray logits, NDArray a, NDArray b, NDArray lambda) {
        if (TorchScriptFunction.accepts(logits, a, b, lambda)
                && a.getDataType() == DataType.INT64
                && b.getDataType() == DataType.INT64) {
            return MEAN_MIXED_CROSS_ENTROPY.apply(logits, a, b, lambda);
        }
        return mixedCrossEntropy(logits, a, b, lambda.getFloat()).mean();
    }

    private static final TorchScriptFunction MEAN_CROSS_ENTROPY =
            TorchScriptFunction.of(
                    "MeanCrossEntropy",
                    """
                    def forward(self, logits: Tensor, labels: Tensor) -> Tensor:
                      return torch.cross_entropy_loss(logits, labels, None, 1, -100, 0.)
                    """);

    private static final TorchScriptFunction MEAN_MIXED_CROSS_ENTROPY =
            TorchScriptFunction.of(
                    "MeanMixedCrossEntropy",
                    """
                    def forward(self, logits: Tensor, a: Tensor, b: Tensor, lam: Tensor) -> Tensor:
                      logp = torch.log_softmax(logits, 1)
                      loss_a = torch.nll_loss(logp, a, None, 1, -100)
                      loss_b = torch.nll_loss(logp, b, None, 1, -100)
                      return torch.lerp(loss_b, loss_a, lam)
                    """);

    /**
     * KL(u ‖ p) = −log K − (1/K) Σ_k log p_k, the divergence of the prediction from the uniform
     * distribution (Lee et al., ICLR 2018). Zero exactly when p is uniform; for p = (0.7, 0.2, 0.1)
     * it is 0.324287.
     *
     * @param logits f, (N, K)
     * @return (N)
     */
    public static NDArray klFromUniform(NDArray logits) {
        long k = logits.getShape().get(1);
        return logits.logSoftmax(1).mean(new int[] {1}).neg().sub(Math.log(k));
    }

    /**
     * KL(t ‖ p) = Σ_k t_k (log t_k − log p_k), with 0·log 0 = 0.
     *
     * @param targets t, (N, K)
     * @param logits f, (N, K)
     * @return (N)
     */
    public static NDArray klDivergence(NDArray targets, NDArray logits) {
        // t log t with the convention 0 log 0 = 0: log of max(t, tiny) times t is exactly 0 at t =
        // 0.
        NDArray tLogT = targets.mul(targets.maximum(1e-38f).log());
        return tLogT.sub(targets.mul(logits.logSoftmax(1))).sum(new int[] {1});
    }

    /**
     * One-hot rows e_y as float32.
     *
     * @param labels (N) class indices
     * @param numClasses K
     * @return (N, K)
     */
    public static NDArray oneHot(NDArray labels, int numClasses) {
        return labels.toType(DataType.INT64, false)
                .oneHot(numClasses)
                .toType(DataType.FLOAT32, false);
    }

    /** Rows of the uniform distribution u, shape (n, K), in {@code manager}. */
    public static NDArray uniform(NDManager manager, long n, int numClasses) {
        return manager.full(new Shape(n, numClasses), 1f / numClasses);
    }

    /**
     * Per-sample Euclidean norms of a batch, shaped (N, 1, …, 1) so they broadcast against it.
     *
     * @param batch (N, …)
     * @return (N, 1, …, 1)
     */
    public static NDArray perSampleNorm(NDArray batch) {
        Shape shape = batch.getShape();
        long n = shape.get(0);
        long[] broadcast = new long[shape.dimension()];
        java.util.Arrays.fill(broadcast, 1);
        broadcast[0] = n;
        return batch.reshape(n, -1).norm(new int[] {1}).reshape(new Shape(broadcast));
    }
}

package dev.oodlab.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * 2×2 max-pooling with stride 2, as {@link Pool#maxPool2dBlock(Shape, Shape)} computes it, faster
 * outside training: while libtorch records gradients (training, attacks, input gradients) it is
 * libtorch's {@code max_pool2d} with its backward; otherwise it is the element-wise maximum of the
 * two row phases, then of the two column phases (four strided views of the input, no copy), one
 * native call. Maxima are exact, so both give the same values bit for bit (a test compares them).
 *
 * <p>Why: libtorch's channels-last {@code max_pool2d} kernel is slow on few channels (LeNet's 6,
 * the SmoothMix LeNet's 20); the two maxima over strided views run as two vectorised element-wise
 * passes. Measured on 2 cores for the SmoothMix LeNet's first pool (batch 200, 20 channels): 20–25
 * against 2.5–7.5 µs of CPU time per image (docs/benchmarks.md, "Certification"). Training keeps
 * {@code max_pool2d}: the same maxima through DJL's strided indexing have a slow backward.
 *
 * <p>The block is a {@link LambdaBlock} named {@code maxPool2d} like DJL's, so the block's child
 * names and the saved parameter format do not change.
 */
final class MaxPool2x2 {

    private static final Shape TWO = new Shape(2, 2);
    private static final Shape NONE = new Shape(0, 0);

    private static final TorchScriptFunction MAXIMA =
            TorchScriptFunction.of(
                    "MaxPool2x2",
                    """
                    def forward(self, x: Tensor) -> Tensor:
                      h = torch.size(x, 2) // 2 * 2
                      w = torch.size(x, 3) // 2 * 2
                      rows = torch.maximum(torch.slice(x, 2, 0, h, 2), torch.slice(x, 2, 1, h, 2))
                      return torch.maximum(torch.slice(rows, 3, 0, w, 2),
                                           torch.slice(rows, 3, 1, w, 2))
                    """);

    private MaxPool2x2() {}

    /** The block: (N, C, H, W) in, (N, C, ⌊H/2⌋, ⌊W/2⌋) out. */
    static Block block() {
        return LambdaBlock.singleton(MaxPool2x2::pool, "maxPool2d");
    }

    /** The pooling of one batch; see the class comment for which computation runs. */
    static NDArray pool(NDArray x) {
        if (x instanceof PtNDArray
                && x.getShape().dimension() == 4
                && x.getShape().get(2) >= 2
                && x.getShape().get(3) >= 2
                && !JniUtils.isGradMode()) {
            return MAXIMA.apply(x);
        }
        return Pool.maxPool2d(x, TWO, TWO, NONE, false);
    }
}

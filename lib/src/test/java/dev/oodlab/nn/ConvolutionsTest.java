package dev.oodlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.oodlab.OodLab;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ConvolutionsTest {

    /** in channels, filters, kernel, stride, padding, height = width of the input. */
    private static final int[][] SHAPES = {
        {1, 32, 4, 2, 1, 28}, // GAN discriminator
        {32, 64, 4, 2, 1, 14},
        {64, 32, 3, 1, 1, 14}, // GAN generator
        {32, 1, 3, 1, 1, 28}, // GAN generator's last layer: NaN from oneDNN
        {1, 6, 5, 1, 2, 28}, // the LeNets' first layers
        {1, 20, 5, 1, 0, 28},
        {20, 50, 5, 1, 0, 12}, // SmoothMix LeNet's second layer on an (N, C, H, W) batch
        {3, 64, 3, 1, 1, 32}, // ResNet / VGG
    };

    /**
     * The input gradient of every convolution shape the library's models use equals libtorch's
     * im2col convolution's (thnn_conv2d, no oneDNN), with the same bits in every call: for the
     * one-filter layer oneDNN returned NaN, for 6, 20 and 50 filters errors of 8–30 %.
     */
    @Test
    void everyShapesInputGradientIsTheIm2colReferencesAndTheSameInEveryCall() {
        OodLab.init();
        for (int[] c : SHAPES) {
            String label =
                    String.format(Locale.ROOT, "%d→%d k%d s%d p%d", c[0], c[1], c[2], c[3], c[4]);
            try (NDManager m = NDManager.newBaseManager("PyTorch")) {
                m.getEngine().setRandomSeed(7);
                int n = 64;
                Block conv = Convolutions.conv2d(c[1], c[2], c[3], c[4]);
                Shape in = new Shape(n, c[0], c[5], c[5]);
                conv.initialize(m, DataType.FLOAT32, in);
                NDArray w = conv.getParameters().get("weight").getArray();
                NDArray b = conv.getParameters().get("bias").getArray();
                NDArray x = m.randomNormal(in);
                int out = (c[5] + 2 * c[4] - c[2]) / c[3] + 1;
                NDArray g = m.randomNormal(new Shape(n, c[1], out, out));
                float[] expected;
                try (GradientScope scope = GradientScope.open()) {
                    expected = reference(c).apply(x, w, b, g).toFloatArray();
                }
                float scale = 0f;
                for (float v : expected) {
                    scale = Math.max(scale, Math.abs(v));
                }
                float[] first = null;
                for (int call = 0; call < 5; call++) {
                    NDArray xi = x.duplicate();
                    xi.setRequiresGradient(true);
                    try (GradientScope scope = GradientScope.open()) {
                        NDArray y =
                                conv.forward(new ParameterStore(m, false), new NDList(xi), true)
                                        .head();
                        scope.backward(y.mul(g).sum());
                    }
                    float[] got = xi.getGradient().toFloatArray();
                    if (first == null) {
                        first = got;
                        assertArrayEquals(expected, got, 1e-5f * scale, label);
                    } else {
                        assertArrayEquals(first, got, 0f, label + ", call " + call);
                    }
                }
            }
        }
    }

    @Test
    void badSizesAreRefusedWithTheirValues() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Convolutions.conv2d(0, 3, 1, 1));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("got 0, 3, 1, 1"));
        assertThrows(IllegalArgumentException.class, () -> Convolutions.conv2d(8, 3, 1, -1));
    }

    /** The input gradient of sum(conv(x) · g) through thnn_conv2d, written in TorchScript. */
    private static TorchScriptFunction reference(int[] c) {
        String k = c[2] + ", " + c[2];
        String s = c[3] + ", " + c[3];
        String p = c[4] + ", " + c[4];
        return TorchScriptFunction.of(
                String.format(
                        Locale.ROOT,
                        "Im2colInputGradient_%d_%d_%d_%d_%d",
                        c[0],
                        c[1],
                        c[2],
                        c[3],
                        c[4]),
                String.format(
                        Locale.ROOT,
                        """
                        def forward(self, x: Tensor, w: Tensor, b: Tensor, g: Tensor) -> Tensor:
                          x2 = torch.detach(x).requires_grad_(True)
                          y = torch.thnn_conv2d(x2, w, [%s], b, [%s], [%s])
                          r = torch.autograd.grad([torch.sum(torch.mul(y, g))], [x2])
                          o = r[0]
                          assert o is not None
                          return o
                        """,
                        k,
                        s,
                        p));
    }
}

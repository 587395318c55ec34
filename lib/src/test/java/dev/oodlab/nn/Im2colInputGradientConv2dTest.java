package dev.oodlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import dev.oodlab.OodLab;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Im2colInputGradientConv2dTest {

    /** The LeNet's first convolution (1 → 6, pad 2) and the SmoothMix LeNet's second (20 → 50). */
    private static final int[][] CONFIGS = {{1, 6, 2, 28}, {20, 50, 0, 12}};

    private record Result(
            float[] output, float[] inputGradient, float[] weightGradient, float[] biasGradient) {}

    /** Output and gradients of Σ y·g for the block or the plain DJL convolution. */
    private static Result run(
            Im2colInputGradientConv2d block,
            boolean plain,
            NDArray x0,
            NDArray g,
            boolean recordInput) {
        NDArray w = block.getParameters().get(0).getValue().getArray();
        NDArray b = block.getParameters().get(1).getValue().getArray();
        NDArray x = x0.duplicate();
        x.setRequiresGradient(recordInput);
        NDArray y;
        try (GradientScope scope = GradientScope.open()) {
            int pad = (int) block.getPadding().get(0);
            y =
                    plain
                            ? Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(pad, pad))
                                    .singletonOrThrow()
                            : block.forward(
                                            new ParameterStore(x.getManager(), false),
                                            new NDList(x),
                                            true)
                                    .singletonOrThrow();
            scope.backward(y.mul(g).sum());
        }
        Result r =
                new Result(
                        y.toFloatArray(),
                        recordInput ? x.getGradient().toFloatArray() : null,
                        w.getGradient().toFloatArray(),
                        b.getGradient().toFloatArray());
        for (NDArray p : new NDArray[] {w, b}) {
            NDArray grad = p.getGradient();
            grad.subi(grad);
        }
        return r;
    }

    private static Im2colInputGradientConv2d block(NDManager m, int[] config, int n) {
        Im2colInputGradientConv2d block = new Im2colInputGradientConv2d(config[1], 5, config[2]);
        block.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        block.initialize(m, DataType.FLOAT32, new Shape(n, config[0], config[3], config[3]));
        // a non-zero bias, so that a bias handled wrongly shows
        NDArray bias = block.getParameters().get(1).getValue().getArray();
        bias.addi(m.randomUniform(-0.5f, 0.5f, bias.getShape()));
        return block;
    }

    private static NDArray uniform(NDManager m, Random r, Shape shape) {
        float[] v = new float[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return m.create(v, shape);
    }

    @Test
    void outputAndParameterGradientsAreThePlainConvolutionsBitForBit() {
        OodLab.init();
        Random r = new Random(1);
        for (int[] c : CONFIGS) {
            try (NDManager m = NDManager.newBaseManager()) {
                int n = 8;
                int out = c[3] + 2 * c[2] - 4;
                Im2colInputGradientConv2d block = block(m, c, n);
                NDArray x = uniform(m, r, new Shape(n, c[0], c[3], c[3]));
                NDArray g = uniform(m, r, new Shape(n, c[1], out, out));
                for (boolean recordInput : new boolean[] {false, true}) {
                    Result ours = run(block, false, x, g, recordInput);
                    Result plain = run(block, true, x, g, recordInput);
                    String what =
                            "config " + c[0] + "->" + c[1] + ", input recorded " + recordInput;
                    assertArrayEquals(plain.output(), ours.output(), 0f, what + ": output");
                    assertArrayEquals(
                            plain.weightGradient(), ours.weightGradient(), 0f, what + ": weights");
                    assertArrayEquals(
                            plain.biasGradient(), ours.biasGradient(), 0f, what + ": bias");
                }
                // and outside gradient recording, the plain call itself
                NDArray y =
                        block.forward(new ParameterStore(m, false), new NDList(x), false)
                                .singletonOrThrow();
                assertArrayEquals(
                        run(block, true, x, g, false).output(), y.toFloatArray(), 0f, "inference");
            }
        }
    }

    /**
     * ∂Σ y·g / ∂x[n, c, i, j] = Σ over output channels o and kernel offsets (p, q) of g[n, o, i +
     * pad − p, j + pad − q] · w[o, c, p, q], summed in double precision here.
     */
    @Test
    void inputGradientIsTheOutputGradientCorrelatedWithTheFlippedKernel() {
        OodLab.init();
        Random r = new Random(2);
        for (int[] c : CONFIGS) {
            try (NDManager m = NDManager.newBaseManager()) {
                int n = 16;
                int ic = c[0];
                int oc = c[1];
                int pad = c[2];
                int h = c[3];
                int out = h + 2 * pad - 4;
                Im2colInputGradientConv2d block = block(m, c, n);
                NDArray x = uniform(m, r, new Shape(n, ic, h, h));
                NDArray g = uniform(m, r, new Shape(n, oc, out, out));
                float[] dx = run(block, false, x, g, true).inputGradient();
                float[] w = block.getParameters().get(0).getValue().getArray().toFloatArray();
                float[] gv = g.toFloatArray();
                float[] expected = new float[dx.length];
                double scale = 0;
                for (int s = 0; s < n; s++) {
                    for (int ch = 0; ch < ic; ch++) {
                        for (int i = 0; i < h; i++) {
                            for (int j = 0; j < h; j++) {
                                double sum = 0;
                                for (int o = 0; o < oc; o++) {
                                    for (int p = 0; p < 5; p++) {
                                        for (int q = 0; q < 5; q++) {
                                            int oi = i + pad - p;
                                            int oj = j + pad - q;
                                            if (oi >= 0 && oi < out && oj >= 0 && oj < out) {
                                                sum +=
                                                        (double)
                                                                        gv[
                                                                                ((s * oc + o) * out
                                                                                                        + oi)
                                                                                                * out
                                                                                        + oj]
                                                                * w[
                                                                        ((o * ic + ch) * 5 + p) * 5
                                                                                + q];
                                            }
                                        }
                                    }
                                }
                                expected[((s * ic + ch) * h + i) * h + j] = (float) sum;
                                scale = Math.max(scale, Math.abs(sum));
                            }
                        }
                    }
                }
                assertEquals(expected.length, dx.length);
                assertArrayEquals(expected, dx, (float) (1e-5 * scale), c[0] + "->" + c[1]);
            }
        }
    }
}

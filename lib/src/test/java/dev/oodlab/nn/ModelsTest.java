package dev.oodlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsTest {

    private static long parameterCount(Network net) {
        long count = 0;
        for (Parameter p : net.trainableParameters()) {
            count += p.getArray().size();
        }
        return count;
    }

    private static void checkShapes(Network net, Shape input, long features) {
        try (NDManager m = net.manager().newSubManager()) {
            NDArray x = m.zeros(new Shape(2).addAll(input));
            assertEquals(new Shape(2, 10), net.logits(x, false).getShape());
            assertEquals(new Shape(2, features), net.features(x, false).getShape());
        }
    }

    @Test
    void theMlpHasThePeersShapeAndParameterCount() {
        // 784·256 + 256 + 256·256 + 256 + 256·10 + 10 = 269,322 (peers/RESULTS.md)
        try (Network net = Network.create("mlp", new Shape(1, 28, 28), 10, 1)) {
            assertEquals(269_322, parameterCount(net));
            checkShapes(net, new Shape(1, 28, 28), 256);
        }
    }

    @Test
    void theLenetHasThePeersShapeAndParameterCount() {
        // conv 6·25+6, conv 16·6·25+16, fc 400·120+120, 120·84+84, 84·10+10 = 61,706
        try (Network net = Network.create("lenet", new Shape(1, 28, 28), 10, 1)) {
            assertEquals(61_706, parameterCount(net));
            checkShapes(net, new Shape(1, 28, 28), 84);
        }
    }

    @Test
    void theSmoothMixLenetIsConv20Conv50Fc500() {
        // 20·25+20, 50·20·25+50, 800·500+500, 500·10+10 = 431,080
        try (Network net = Network.create("smoothmix-lenet", new Shape(1, 28, 28), 10, 1)) {
            assertEquals(431_080, parameterCount(net));
            checkShapes(net, new Shape(1, 28, 28), 500);
        }
    }

    /**
     * The LeNet is the peer's layers in the peer's order: written out with the same weights (conv
     * pad 2, ReLU, pool; conv, ReLU, pool; fc 120, 84, 10 with ReLUs) and given the same
     * channels-last view of the batch, they give the same logits and weight gradients, bit for bit.
     * Given the plain (N, C, H, W) batch, as the peer does, they agree to float rounding: the
     * memory order changes the order of the sums, not the function, and not which element of a tied
     * window the pooling passes the gradient to (a different choice would move a whole gradient
     * entry). The input gradient is compared with the same layers on libtorch's im2col convolution,
     * to float rounding: oneDNN's backward-data kernel, which the written-out layers would use,
     * gets it wrong for the first convolution (see {@link Im2colInputGradientConv2d}). The input
     * has a zero border and flat patches, so that windows of equal values (ties) and all-negative
     * windows are exercised.
     */
    @Test
    void theLenetIsThePeersLayersInThePeersOrder() {
        try (Network net = Network.create("lenet", new Shape(1, 28, 28), 10, 3);
                NDManager m = net.manager().newSubManager()) {
            float[] pixels = new float[4 * 28 * 28];
            java.util.Random r = new java.util.Random(11);
            for (int i = 0; i < pixels.length; i++) {
                int row = (i / 28) % 28;
                int col = i % 28;
                boolean border = row < 4 || row >= 24 || col < 4 || col >= 24;
                boolean flat = row >= 10 && row < 14 && col >= 10 && col < 16;
                pixels[i] = border ? 0f : flat ? 0.5f : r.nextFloat();
            }
            NDArray x = m.create(pixels, new Shape(4, 1, 28, 28));
            NDArray weights = m.randomNormal(new Shape(4, 10));

            List<Parameter> params = net.trainableParameters();
            Run ours = run(x, weights, params, xi -> net.logits(xi, true));
            java.util.function.Function<NDArray, NDArray> layers =
                    xi -> {
                        NDArray h = convReluPool(xi, params.get(0), params.get(1), 2);
                        h = convReluPool(h, params.get(2), params.get(3), 0);
                        h = h.reshape(4, -1);
                        h = Activation.relu(linear(h, params.get(4), params.get(5)));
                        h = Activation.relu(linear(h, params.get(6), params.get(7)));
                        return linear(h, params.get(8), params.get(9));
                    };
            Run sameOrder =
                    run(
                            x,
                            weights,
                            params,
                            xi -> layers.apply(xi.reshape(4, 28, 28, 1).transpose(0, 3, 1, 2)));
            Run peers = run(x, weights, params, layers);
            Run im2col = run(x, weights, params, xi -> im2colReference("lenet", xi, params));
            assertArrayEquals(sameOrder.values.get(0), ours.values.get(0), 0f, "logits");
            // values: logits, input gradient, then the parameter gradients
            for (int i = 2; i < ours.values.size(); i++) {
                assertArrayEquals(sameOrder.values.get(i), ours.values.get(i), 0f, "gradient " + i);
            }
            for (int i = 0; i < ours.values.size(); i++) {
                Run reference = i == 1 ? im2col : peers;
                assertArrayEquals(
                        reference.values.get(i),
                        ours.values.get(i),
                        1e-5f * maxAbs(reference.values.get(i)),
                        "peer's order " + i);
            }
            // the test would not notice a wrong order if nothing were negative or tied
            assertTrue(ours.negativeConvOutputs > 0 && ours.tiedWindows > 0);
        }
    }

    private static float maxAbs(float[] values) {
        float scale = 0f;
        for (float v : values) {
            scale = Math.max(scale, Math.abs(v));
        }
        return scale;
    }

    /**
     * The two LeNets written out on libtorch's im2col convolution ({@code thnn_conv2d}), which does
     * not go through oneDNN, as TorchScript: logits from (x, the parameters in block order).
     */
    private static final java.util.Map<String, TorchScriptFunction> IM2COL_LENETS =
            java.util.Map.of(
                    "lenet",
                    TorchScriptFunction.of(
                            "Im2colLenet",
                            """
                            def forward(self, x: Tensor, w1: Tensor, b1: Tensor, w2: Tensor,
                                b2: Tensor, w3: Tensor, b3: Tensor, w4: Tensor, b4: Tensor,
                                w5: Tensor, b5: Tensor) -> Tensor:
                              h = torch.thnn_conv2d(x, w1, [5, 5], b1, [1, 1], [2, 2])
                              h = torch.max_pool2d(torch.relu(h), [2, 2], [2, 2], [0, 0], [1, 1], False)
                              h = torch.thnn_conv2d(h, w2, [5, 5], b2, [1, 1], [0, 0])
                              h = torch.max_pool2d(torch.relu(h), [2, 2], [2, 2], [0, 0], [1, 1], False)
                              h = torch.flatten(h, 1, -1)
                              h = torch.relu(torch.linear(h, w3, b3))
                              h = torch.relu(torch.linear(h, w4, b4))
                              return torch.linear(h, w5, b5)
                            """),
                    "smoothmix-lenet",
                    TorchScriptFunction.of(
                            "Im2colSmoothMixLenet",
                            """
                            def forward(self, x: Tensor, w1: Tensor, b1: Tensor, w2: Tensor,
                                b2: Tensor, w3: Tensor, b3: Tensor, w4: Tensor,
                                b4: Tensor) -> Tensor:
                              h = torch.thnn_conv2d(x, w1, [5, 5], b1, [1, 1], [0, 0])
                              h = torch.max_pool2d(torch.relu(h), [2, 2], [2, 2], [0, 0], [1, 1], False)
                              h = torch.thnn_conv2d(h, w2, [5, 5], b2, [1, 1], [0, 0])
                              h = torch.max_pool2d(torch.relu(h), [2, 2], [2, 2], [0, 0], [1, 1], False)
                              h = torch.flatten(h, 1, -1)
                              h = torch.relu(torch.linear(h, w3, b3))
                              return torch.linear(h, w4, b4)
                            """));

    private static NDArray im2colReference(String model, NDArray x, List<Parameter> params) {
        NDArray[] arguments = new NDArray[params.size() + 1];
        arguments[0] = x;
        for (int i = 0; i < params.size(); i++) {
            arguments[i + 1] = params.get(i).getArray();
        }
        return IM2COL_LENETS.get(model).apply(arguments);
    }

    /**
     * The input gradient of both LeNets, the base of every attack on them, is right (against the
     * im2col reference) and the same bits in every call, with two libtorch threads. Before the
     * first convolution moved to {@link Im2colInputGradientConv2d}, it was off by 15–30 % of its
     * largest entry and differed from call to call.
     */
    @Test
    void theLenetsInputGradientsAreRightAndTheSameInEveryCall() {
        for (String model : List.of("lenet", "smoothmix-lenet")) {
            try (Network net = Network.create(model, new Shape(1, 28, 28), 10, 5);
                    NDManager m = net.manager().newSubManager()) {
                int n = 128;
                java.util.Random r = new java.util.Random(3);
                float[] pixels = new float[n * 28 * 28];
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] = r.nextFloat();
                }
                NDArray x = m.create(pixels, new Shape(n, 1, 28, 28));
                NDArray weights = m.randomNormal(new Shape(n, 10));
                List<Parameter> params = net.trainableParameters();
                float[] expected =
                        net.inputGradient(
                                        x,
                                        z -> im2colReference(model, z, params).mul(weights).sum())
                                .toFloatArray();
                float[] first = null;
                for (int call = 0; call < 20; call++) {
                    float[] g =
                            net.inputGradient(x, z -> net.logits(z, false).mul(weights).sum())
                                    .toFloatArray();
                    if (first == null) {
                        first = g;
                        assertArrayEquals(expected, g, 1e-5f * maxAbs(expected), model);
                    } else {
                        assertArrayEquals(first, g, 0f, model + ", call " + call);
                    }
                }
            }
        }
    }

    private record Run(List<float[]> values, long negativeConvOutputs, long tiedWindows) {}

    private static Run run(
            NDArray x,
            NDArray weights,
            List<Parameter> params,
            java.util.function.Function<NDArray, NDArray> logits) {
        List<float[]> values = new ArrayList<>();
        NDArray xi = x.duplicate();
        xi.setRequiresGradient(true);
        long negative;
        long tied;
        try (GradientScope scope = GradientScope.open()) {
            NDArray f = logits.apply(xi);
            scope.backward(f.mul(weights).sum());
            values.add(f.toFloatArray());
            NDArray c =
                    Conv2d.conv2d(
                                    x,
                                    params.get(0).getArray(),
                                    params.get(1).getArray(),
                                    new Shape(1, 1),
                                    new Shape(2, 2))
                            .singletonOrThrow();
            negative = c.lt(0).sum().getLong();
            NDArray pooled =
                    Pool.maxPool2d(c, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
            // windows whose maximum occurs more than once
            NDArray up = pooled.repeat(2, 2).repeat(3, 2);
            NDArray hits = c.eq(up).toType(ai.djl.ndarray.types.DataType.INT32, false);
            NDArray perWindow =
                    Pool.avgPool2d(
                                    hits.toType(ai.djl.ndarray.types.DataType.FLOAT32, false),
                                    new Shape(2, 2),
                                    new Shape(2, 2),
                                    new Shape(0, 0),
                                    false,
                                    true)
                            .mul(4);
            tied = perWindow.gt(1.5f).sum().getLong();
        }
        values.add(xi.getGradient().toFloatArray());
        for (Parameter p : params) {
            NDArray g = p.getArray().getGradient();
            values.add(g.toFloatArray());
            g.subi(g);
        }
        return new Run(values, negative, tied);
    }

    private static NDArray convReluPool(NDArray x, Parameter w, Parameter b, int padding) {
        NDArray c =
                Conv2d.conv2d(
                                x,
                                w.getArray(),
                                b.getArray(),
                                new Shape(1, 1),
                                new Shape(padding, padding))
                        .singletonOrThrow();
        return Pool.maxPool2d(
                Activation.relu(c), new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
    }

    private static NDArray linear(NDArray x, Parameter w, Parameter b) {
        return Linear.linear(x, w.getArray(), b.getArray()).singletonOrThrow();
    }

    @Test
    void theToyMlpIs2x64x64x2() {
        try (Network net = Network.create("toy-mlp", new Shape(2), 2, 1);
                NDManager m = net.manager().newSubManager()) {
            assertEquals(2 * 64 + 64 + 64 * 64 + 64 + 64 * 2 + 2, parameterCount(net));
            assertEquals(new Shape(5, 2), net.logits(m.zeros(new Shape(5, 2)), false).getShape());
        }
    }

    @Test
    void colourModelsGive512FeaturesOn32PixelImages() {
        for (String name : new String[] {"resnet18", "vgg16"}) {
            try (Network net = Network.create(name, new Shape(3, 32, 32), 10, 1)) {
                checkShapes(net, new Shape(3, 32, 32), 512);
            }
        }
    }

    @Test
    void colourModelsRefuse28PixelImagesNamingTheShape() {
        for (String name : new String[] {"resnet18", "vgg16"}) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> Models.create(name, new Shape(1, 28, 28), 10));
            assertEquals(
                    "model "
                            + name
                            + " takes images of at least 32x32 pixels (CIFAR-style), not 1x28x28;"
                            + " use lenet or mlp for 28x28 images",
                    e.getMessage());
        }
    }

    @Test
    void theSameSeedGivesTheSameWeights() {
        try (Network a = Network.create("mlp", new Shape(1, 28, 28), 10, 4);
                Network b = Network.create("mlp", new Shape(1, 28, 28), 10, 4)) {
            assertArrayEquals(
                    a.trainableParameters().get(0).getArray().toFloatArray(),
                    b.trainableParameters().get(0).getArray().toFloatArray());
        }
    }

    @Test
    void savedParametersLoadBackAndStayTrainable(@TempDir Path dir) {
        Path file = dir.resolve("model.params");
        try (Network a = Network.create("lenet", new Shape(1, 28, 28), 10, 4);
                Network b = Network.create("lenet", new Shape(1, 28, 28), 10, 5)) {
            a.saveParameters(file);
            int before = b.manager().getManagedArrays().size();
            b.loadParameters(file);
            assertEquals(before, b.manager().getManagedArrays().size());
            for (int i = 0; i < a.trainableParameters().size(); i++) {
                assertArrayEquals(
                        a.trainableParameters().get(i).getArray().toFloatArray(),
                        b.trainableParameters().get(i).getArray().toFloatArray());
                assertTrue(b.trainableParameters().get(i).getArray().hasGradient());
            }
        }
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Models.create("alexnet", new Shape(1, 28, 28), 10));
        assertTrue(e.getMessage().contains("lenet"), e.getMessage());
    }

    @Test
    void featuresNeedAClassifier() {
        try (Network net =
                Network.of(
                        ai.djl.nn.core.Linear.builder().setUnits(2).build(), new Shape(3), 2, 1)) {
            assertThrows(IllegalStateException.class, net::classifier);
        }
    }
}

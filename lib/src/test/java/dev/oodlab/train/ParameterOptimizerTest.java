package dev.oodlab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.oodlab.OodLab;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Adam against PyTorch's update rule computed by hand in double precision. */
class ParameterOptimizerTest {

    private static final double B1 = 0.9;
    private static final double B2 = 0.999;
    private static final double EPS = 1e-8;

    /**
     * torch.optim.Adam for one weight with gradient 2·c·w (the loss sum(c·w²)): g = grad + wd·w; m
     * = β1 m + (1-β1) g; v = β2 v + (1-β2) g²; w -= lr/(1-β1^t) · m / (sqrt(v)/sqrt(1-β2^t) + eps).
     */
    private static double[] byHand(double w, double c, double lr, double wd, int steps) {
        double m = 0;
        double v = 0;
        for (int t = 1; t <= steps; t++) {
            double g = 2 * c * w + wd * w;
            m = B1 * m + (1 - B1) * g;
            v = B2 * v + (1 - B2) * g * g;
            double denominator = Math.sqrt(v) / Math.sqrt(1 - Math.pow(B2, t)) + EPS;
            w -= lr / (1 - Math.pow(B1, t)) * m / denominator;
        }
        return new double[] {w, m, v};
    }

    private static Parameter parameter(NDManager manager, String name, float[] start, Shape s) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
        NDArray w = manager.create(start, s);
        w.setRequiresGradient(true);
        p.setArray(w);
        return p;
    }

    @Test
    void adamFollowsPyTorchsRuleOverSeveralStepsForEveryParameter() {
        OodLab.init();
        // a matrix and a vector, updated together by the fused kernel, and a third weight that
        // no backward pass reaches: it must stay as it is, like a PyTorch parameter whose grad is
        // None
        float[] start = {0.5f, -1.25f, 2.0f, 0.0f, 0.75f, -0.1f};
        float[] c = {1.0f, 0.3f, -0.7f, 2.0f, 0.05f, -1.5f};
        float[] bias = {3.0f, -0.5f};
        float[] biasC = {0.2f, 0.9f};
        float[] idle = {1.5f, -2.5f};
        double lr = 0.01;
        double weightDecay = 0.05;
        int steps = 5;
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter w = parameter(manager, "w", start, new Shape(2, 3));
            Parameter b = parameter(manager, "b", bias, new Shape(2));
            Parameter unused = parameter(manager, "unused", idle, new Shape(2));
            NDArray wc = manager.create(c, new Shape(2, 3));
            NDArray bc = manager.create(biasC);
            ParameterOptimizer adam = ParameterOptimizer.adam(weightDecay);
            List<Parameter> all = List.of(w, unused, b);
            for (int t = 0; t < steps; t++) {
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = w.getArray().square().mul(wc).sum();
                    collector.backward(loss.add(b.getArray().square().mul(bc).sum()));
                }
                adam.step(all, lr);
            }
            float[] actualW = w.getArray().toFloatArray();
            float[] actualB = b.getArray().toFloatArray();
            List<NDArray> state = adam.state();
            for (int i = 0; i < start.length; i++) {
                double[] e = byHand(start[i], c[i], lr, weightDecay, steps);
                assertEquals(e[0], actualW[i], 1e-6, "w " + i);
                assertEquals(e[1], state.get(0).toFloatArray()[i], 1e-6, "m of w " + i);
                assertEquals(e[2], state.get(1).toFloatArray()[i], 1e-7, "v of w " + i);
            }
            for (int i = 0; i < bias.length; i++) {
                double[] e = byHand(bias[i], biasC[i], lr, weightDecay, steps);
                assertEquals(e[0], actualB[i], 1e-6, "b " + i);
                assertEquals(e[1], state.get(4).toFloatArray()[i], 1e-6, "m of b " + i);
            }
            assertArrayEquals(
                    idle, unused.getArray().toFloatArray(), "the weight without gradient");
            assertArrayEquals(new float[2], state.get(2).toFloatArray(), "its first moment");
            assertNull(ParameterOptimizer.gradientOrNull(unused.getArray()), "its gradient");
            assertEquals(steps, adam.steps());
            // The gradients are zeroed after the update.
            assertEquals(0f, w.getArray().getGradient().abs().sum().getFloat(), 0f);
            assertEquals(0f, b.getArray().getGradient().abs().sum().getFloat(), 0f);
        }
    }

    @Test
    void adamsPerWeightRuleForOtherEnginesIsTheSameRule() {
        OodLab.init();
        // update() is what an engine without the fused kernel would run; called here directly
        float[] start = {0.5f, -1.25f, 2.0f, 0.0f};
        float[] c = {1.0f, 0.3f, -0.7f, 2.0f};
        double lr = 0.01;
        double weightDecay = 0.05;
        int steps = 5;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.create(start);
            NDArray coefficients = manager.create(c);
            List<NDArray> slots = List.of(w.zerosLike(), w.zerosLike());
            ParameterOptimizer adam = ParameterOptimizer.adam(weightDecay);
            for (int t = 1; t <= steps; t++) {
                NDArray gradient = w.mul(coefficients).mul(2);
                adam.update(w, gradient, slots, lr, t);
            }
            float[] actual = w.toFloatArray();
            for (int i = 0; i < start.length; i++) {
                double[] e = byHand(start[i], c[i], lr, weightDecay, steps);
                assertEquals(e[0], actual[i], 1e-6, "weight " + i);
                assertEquals(e[1], slots.get(0).toFloatArray()[i], 1e-6, "m " + i);
            }
        }
    }
}

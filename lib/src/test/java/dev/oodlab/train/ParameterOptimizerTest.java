package dev.oodlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import dev.oodlab.OodLab;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Adam against PyTorch's update rule computed by hand in double precision. */
class ParameterOptimizerTest {

    @Test
    void adamFollowsPyTorchsRuleOverSeveralSteps() {
        OodLab.init();
        float[] start = {0.5f, -1.25f, 2.0f, 0.0f};
        // The loss sum(c * w²) has gradient 2·c·w, which changes as w moves.
        float[] c = {1.0f, 0.3f, -0.7f, 2.0f};
        double lr = 0.01;
        double weightDecay = 0.05;
        int steps = 5;
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            NDArray w = manager.create(start);
            w.setRequiresGradient(true);
            p.setArray(w);
            NDArray coefficients = manager.create(c);
            ParameterOptimizer adam = ParameterOptimizer.adam(weightDecay);
            for (int t = 0; t < steps; t++) {
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    collector.backward(p.getArray().square().mul(coefficients).sum());
                }
                adam.step(List.of(p), lr);
            }
            float[] actual = p.getArray().toFloatArray();

            // torch.optim.Adam: g = grad + wd·w; m = β1 m + (1-β1) g; v = β2 v + (1-β2) g²;
            // w -= lr/(1-β1^t) · m / (sqrt(v)/sqrt(1-β2^t) + eps).
            double b1 = 0.9;
            double b2 = 0.999;
            double eps = 1e-8;
            for (int i = 0; i < start.length; i++) {
                double x = start[i];
                double m = 0;
                double v = 0;
                for (int t = 1; t <= steps; t++) {
                    double g = 2 * c[i] * x + weightDecay * x;
                    m = b1 * m + (1 - b1) * g;
                    v = b2 * v + (1 - b2) * g * g;
                    double denominator = Math.sqrt(v) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
                    x -= lr / (1 - Math.pow(b1, t)) * m / denominator;
                }
                assertEquals(x, actual[i], 1e-6, "weight " + i);
            }
            assertEquals(steps, adam.steps());
            // The gradient is zeroed after the update.
            assertEquals(0f, p.getArray().getGradient().abs().sum().getFloat(), 0f);
        }
    }
}

package dev.oodlab.detect;

import ai.djl.ndarray.NDArray;
import dev.oodlab.nn.Losses;
import dev.oodlab.nn.Network;

/**
 * ODIN (Liang, Li, Srikant, "Enhancing The Reliability of Out-of-distribution Image Detection in
 * Neural Networks", ICLR 2018): temperature scaling plus a small input perturbation that raises the
 * maximum softmax, which helps in-distribution inputs more than OOD ones,
 *
 * <pre>
 *   ŷ = argmax f(x),   x̃ = x − ε·sign(∇ₓ CE(softmax(f(x)/T), ŷ)),   score = max_k softmax(f(x̃)/T)_k
 * </pre>
 *
 * Defaults T = 1000, ε = 0.0014 (in [0, 1] pixel units; the perturbed input is not clipped, as in
 * the paper). Costs one extra forward and backward pass per batch; T and ε are normally tuned on
 * validation OOD data.
 */
public final class Odin implements OodScorer {

    private final double temperature;
    private final double epsilon;

    /** ODIN with T = 1000 and ε = 0.0014. */
    public Odin() {
        this(1000, 0.0014);
    }

    /**
     * ODIN with the given temperature and perturbation size.
     *
     * @param temperature T > 0
     * @param epsilon ε ≥ 0 (0: temperature scaling only)
     */
    public Odin(double temperature, double epsilon) {
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be >= 0, got " + epsilon);
        }
        this.temperature = temperature;
        this.epsilon = epsilon;
    }

    @Override
    public NDArray score(Network network, NDArray x) {
        NDArray input = x;
        float t = (float) temperature;
        if (epsilon > 0) {
            NDArray predicted = network.logits(x, false).argMax(1);
            NDArray target = Losses.oneHot(predicted, network.numClasses());
            NDArray g =
                    network.inputGradient(
                            x,
                            z ->
                                    Losses.crossEntropy(network.logits(z, false).div(t), target)
                                            .sum());
            input = x.sub(g.sign().mul((float) epsilon));
        }
        return network.logits(input, false).div(t).softmax(1).max(new int[] {1});
    }

    @Override
    public String name() {
        return "ODIN(T=" + temperature + ", eps=" + epsilon + ")";
    }

    @Override
    public String toString() {
        return name();
    }
}

package dev.oodlab.attack;

import ai.djl.ndarray.NDArray;
import dev.oodlab.nn.Losses;

/** The norm that measures a perturbation's size, and with it the shape of an attack's steps. */
public enum Norm {
    /** max_i |δ_i| ≤ ε; steps move every pixel by ±α (the sign of the gradient). */
    LINF,
    /** ‖δ‖₂ ≤ ε per sample; steps move by α along the normalised gradient g/‖g‖₂. */
    L2;

    /** The steepest-ascent direction for a gradient under this norm (unit size). */
    NDArray direction(NDArray gradient) {
        if (this == LINF) {
            return gradient.sign();
        }
        return gradient.div(Losses.perSampleNorm(gradient).add(1e-12f));
    }

    /** Projects δ onto the ε-ball of this norm. */
    NDArray project(NDArray delta, double epsilon) {
        if (this == LINF) {
            return delta.clip(-epsilon, epsilon);
        }
        NDArray norm = Losses.perSampleNorm(delta);
        NDArray factor = norm.add(1e-12f).pow(-1).mul(epsilon).minimum(1f);
        return delta.mul(factor);
    }
}

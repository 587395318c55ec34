package dev.oodlab.attack;

import ai.djl.ndarray.NDArray;
import dev.oodlab.nn.Network;

/**
 * An adversarial attack: a perturbation of a batch of inputs, within a budget, that raises the
 * model's loss on the true labels (untargeted) or lowers it on chosen target labels (targeted).
 *
 * <p>Implementations leave the model untouched (no parameter gradients, no batch-norm statistics
 * updated unless asked) and return inputs inside the valid range [0, 1].
 */
public interface Attack {

    /**
     * Computes adversarial versions of {@code x}.
     *
     * @param network the model under attack
     * @param x inputs (N, …) in [0, 1]; not modified
     * @param labels (N) class indices: the true labels for an untargeted attack, the target classes
     *     for a targeted one
     * @return the adversarial inputs, same shape as x, in x's manager, not requiring a gradient
     */
    NDArray perturb(Network network, NDArray x, NDArray labels);
}

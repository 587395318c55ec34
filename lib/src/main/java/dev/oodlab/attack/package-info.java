/**
 * Adversarial attacks on any {@link dev.oodlab.nn.Network}: {@link dev.oodlab.attack.Fgsm} and
 * {@link dev.oodlab.attack.Pgd} under the L∞ or L2 norm, targeted or not, clipped to the valid
 * input range [0, 1].
 *
 * <p>Each attack computes its input gradients through {@link dev.oodlab.nn.Network#inputGradient}:
 * a fresh leaf per step, parameters frozen during the backward pass, so no gradient is left on the
 * model and no array outlives the call except the returned adversarial batch.
 */
package dev.oodlab.attack;

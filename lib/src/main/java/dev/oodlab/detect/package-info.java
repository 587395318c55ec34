/**
 * Post-hoc OOD detectors: scores computed from a trained classifier, higher = more in-distribution.
 *
 * <p>All behind one interface, {@link dev.oodlab.detect.OodScorer}. From the logits alone: {@link
 * dev.oodlab.detect.MaxSoftmax} (Hendrycks and Gimpel), {@link dev.oodlab.detect.Odin} (temperature
 * scaling and input perturbation), {@link dev.oodlab.detect.Energy} (Liu et al.), {@link
 * dev.oodlab.detect.MaxLogit}, {@link dev.oodlab.detect.KlMatching} (Hendrycks et al. 2022) and
 * {@link dev.oodlab.detect.GeneralizedEntropy} (GEN). From the penultimate features h: {@link
 * dev.oodlab.detect.Mahalanobis} and {@link dev.oodlab.detect.RelativeMahalanobis} (class
 * Gaussians), {@link dev.oodlab.detect.Knn} (nearest neighbours), {@link dev.oodlab.detect.Vim}
 * (residual outside the principal space), and the detectors that reshape h or the last layer before
 * taking the energy: {@link dev.oodlab.detect.React}, {@link dev.oodlab.detect.Ash}, {@link
 * dev.oodlab.detect.Scale}, {@link dev.oodlab.detect.Dice}; {@link dev.oodlab.detect.GradNorm}
 * reads the last layer's gradient in closed form. Detectors with training statistics are built by a
 * static {@code fit(network, train, batchSize)} and are then pure functions of the network's
 * outputs. The scores feed {@code dev.oodlab.metrics}.
 */
package dev.oodlab.detect;

/**
 * Post-hoc OOD detectors: scores computed from a trained classifier, higher = more in-distribution.
 *
 * <p>{@link dev.oodlab.detect.MaxSoftmax} (Hendrycks and Gimpel), {@link dev.oodlab.detect.Odin}
 * (temperature scaling and input perturbation), {@link dev.oodlab.detect.Energy} (Liu et al.) and
 * {@link dev.oodlab.detect.Mahalanobis} (class-conditional Gaussians on penultimate features), all
 * behind one interface, {@link dev.oodlab.detect.OodScorer}. The scores feed {@code
 * dev.oodlab.metrics}.
 */
package dev.oodlab.detect;

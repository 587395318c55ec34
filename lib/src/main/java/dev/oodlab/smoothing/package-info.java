/**
 * Randomized smoothing (Cohen, Rosenfeld, Kolter, "Certified Adversarial Robustness via Randomized
 * Smoothing", ICML 2019): turn any base classifier f into the smoothed classifier g(x) = argmax_c
 * P(f(x + ε) = c), ε ~ N(0, σ²I), and certify that g is constant within an L2 ball around x.
 *
 * <ul>
 *   <li>{@link dev.oodlab.smoothing.BaseClassifier}: the one-method extension point (a batch of
 *       images in, logits out); {@code BaseClassifier.of(block)} wraps any DJL block.
 *   <li>{@link dev.oodlab.smoothing.SmoothedClassifier}: Monte-Carlo {@code predict} and {@code
 *       certify}, with batched, seeded noise.
 *   <li>{@link dev.oodlab.smoothing.Prediction}, {@link dev.oodlab.smoothing.Certification}: the
 *       per-point results.
 *   <li>{@link dev.oodlab.smoothing.CertificationResults}: certified accuracy at a radius, the
 *       certified-accuracy curve, the average certified radius (ACR), the abstain rate.
 *   <li>{@link dev.oodlab.smoothing.CertificationLog}: the per-point TSV of the published
 *       certification logs ({@code idx label predict radius correct time}), written and read.
 * </ul>
 */
package dev.oodlab.smoothing;

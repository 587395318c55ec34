/**
 * Experiments end to end: train a model with a named method, measure its test accuracy, score OOD
 * sets with a detector, compute the metrics and write the results ({@code results.json}, CSV,
 * charts, the model folder) — the code behind {@code oodlab train}, {@code oodlab evaluate}, {@code
 * oodlab study} and the notebooks, so that all of them report the same numbers the same way.
 *
 * <p>{@link dev.oodlab.experiment.Experiment} configures and runs one training run; {@link
 * dev.oodlab.experiment.OodEvaluation} scores a trained model; {@link
 * dev.oodlab.experiment.ModelInfo} describes, saves and loads a model folder ({@link
 * dev.oodlab.nn.ModelFolder}); {@link dev.oodlab.experiment.RunFiles} writes a run's files into a
 * folder at once (all or nothing); {@link dev.oodlab.experiment.AdversarialMixupStudy} repeats the
 * Adversarial-Mixup comparison over methods and seeds.
 */
package dev.oodlab.experiment;

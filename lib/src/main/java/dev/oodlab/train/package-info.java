/**
 * Training: the methods (one {@link dev.oodlab.train.TrainingMethod} each: a batch in, a loss out),
 * the loop that runs them ({@link dev.oodlab.train.Fit}), its optimizers, learning-rate schedules,
 * checkpoints and progress bar.
 *
 * <p>Methods by name ({@link dev.oodlab.train.TrainingMethods#create}): {@code ce}, {@code
 * confidence-loss}, {@code mixup}, {@code mixup-confidence}, {@code adversarial-mixup}, {@code
 * adversarial-mixup-uniform} (the earlier reading of Adversarial-Mixup), {@code m-tlat}, {@code
 * gaussian}, {@code smoothmix}. Each method class declares a {@link
 * dev.oodlab.train.MethodDescriptor} (name, paper, options with range, default and help, whether it
 * needs outliers), and {@link dev.oodlab.train.TrainingMethods#ALL} lists them: the command line,
 * the experiment, the studies and the bench read that list. Every random draw of a method comes
 * from the step's {@link dev.oodlab.train.RandomSource}, which the loop seeds per epoch, so a run
 * is repeatable and a resumed run equals an uninterrupted one.
 */
package dev.oodlab.train;

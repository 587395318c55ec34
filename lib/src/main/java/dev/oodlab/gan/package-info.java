/**
 * The joint confidence loss of Lee, Lee, Lee and Shin (ICLR 2018): a small GAN whose generator is
 * pushed toward the boundary of the training data by the classifier's KL-to-uniform term, trained
 * together with a classifier that learns to be uncertain on the generated samples.
 *
 * <p>{@link dev.oodlab.gan.JointConfidenceTraining} runs the three alternating steps; {@link
 * dev.oodlab.gan.GanLosses} holds their losses and {@link dev.oodlab.gan.GanModels} the generator
 * and discriminator architectures (an MLP pair for the 2-D toy, a DCGAN-style pair for 28×28 grey
 * images). The steps, optimizers and schedule follow the authors' code
 * (alinlab/Confident_classifier): Adam 2e−4 for all three networks, ×0.1 after 60 % of the epochs,
 * separate forward passes for real and generated batches, the classifier in training mode
 * throughout.
 */
package dev.oodlab.gan;

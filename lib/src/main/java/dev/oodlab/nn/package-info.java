/**
 * Models: classifiers that expose their penultimate features, a factory by name, and {@link
 * dev.oodlab.nn.Network}, the handle that runs a model forward and computes input gradients.
 *
 * <p>Every model is a {@link dev.oodlab.nn.Classifier}: a {@code features} block that maps an image
 * batch (N, C, H, W) with pixels in [0, 1] to penultimate features (N, D), followed by a {@code
 * head} block that maps features to logits (N, K). The Mahalanobis detector needs the features;
 * everything else only needs the logits. {@link dev.oodlab.nn.Models#create} builds the
 * architectures used in the notebooks by name ({@code mlp}, {@code lenet}, {@code smoothmix-lenet},
 * {@code toy-mlp}, {@code resnet18}, {@code vgg16}).
 *
 * <p>{@link dev.oodlab.nn.Losses} holds the per-sample losses the training methods share, and
 * {@link dev.oodlab.nn.TorchScriptFunction} reaches libtorch operators that DJL binds no Java
 * method to (the fused Adam update, {@code cross_entropy_loss}, {@code lerp}), with autograd.
 */
package dev.oodlab.nn;

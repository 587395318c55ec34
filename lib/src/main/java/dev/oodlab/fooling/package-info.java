/**
 * Fooling images (Nguyen, Yosinski &amp; Clune, CVPR 2015): MAP-Elites evolution of images that a
 * classifier labels with high confidence although they show nothing of the class — with a direct
 * pixel encoding and a CPPN encoding. {@link dev.oodlab.fooling.FoolingSearch} is the entry point;
 * {@link dev.oodlab.fooling.ProbabilityModel} adapts any DJL block. The variation operators and
 * their rates are those of the authors' code (Evolving-AI-Lab/fooling on sferes2: {@code
 * evo_float}'s polynomial mutation and bounded SBX, nn2's feed-forward CPPN genotype with the MNIST
 * experiment's {@code Params::dnn}); each genome class says which part of that code it follows.
 */
package dev.oodlab.fooling;

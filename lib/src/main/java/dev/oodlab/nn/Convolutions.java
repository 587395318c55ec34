package dev.oodlab.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;

/**
 * Square 2-D convolutions whose input gradient is right on the machines this project runs on.
 *
 * <p>libtorch 2.7.1's oneDNN backward-data kernel returns wrong input gradients (off by 8–66 % of
 * their largest entry, sometimes NaN) for stride-1 convolutions on (N, C, H, W) batches whose
 * number of filters is not a multiple of 16, measured on AMD EPYC (Zen 5) for 1, 6, 20 and 50
 * filters; stride-2 convolutions and 16, 32 and 64 filters were right. {@link #conv2d} gives such a
 * convolution its input gradient from libtorch's im2col convolution (see {@code
 * Im2colInputGradientConv2d}) and every other one the plain {@link Conv2d}: the same function,
 * parameters and saved format either way. {@code ConvolutionsTest} checks every shape the models of
 * this library use against the im2col reference.
 */
public final class Convolutions {

    private Convolutions() {}

    /**
     * A convolution with square kernel, stride and padding.
     *
     * @param filters the output channels
     * @param kernel the kernel's height and width
     * @param stride the stride in both directions
     * @param padding zero padding on each side, in both directions
     * @return the block
     * @throws IllegalArgumentException if a size is not positive or the padding is negative
     */
    public static Block conv2d(int filters, int kernel, int stride, int padding) {
        if (filters < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException(
                    "a convolution needs filters, kernel and stride ≥ 1 and padding ≥ 0, got "
                            + filters
                            + ", "
                            + kernel
                            + ", "
                            + stride
                            + ", "
                            + padding);
        }
        if (needsIm2colInputGradient(filters, stride)) {
            return new Im2colInputGradientConv2d(filters, kernel, stride, padding);
        }
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .build();
    }

    /** Whether oneDNN's input gradient was measured wrong for such a convolution. */
    static boolean needsIm2colInputGradient(int filters, int stride) {
        return stride == 1 && filters % 16 != 0;
    }
}

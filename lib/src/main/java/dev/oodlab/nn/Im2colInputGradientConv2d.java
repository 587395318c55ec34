package dev.oodlab.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link Conv2d} whose gradient with respect to its input comes from libtorch's im2col
 * convolution ({@code aten::thnn_conv2d}: unfold, then one matrix product per image) instead of
 * oneDNN's backward-data kernel; its output and its weight and bias gradients are the plain
 * convolution's, bit for bit.
 *
 * <p>Why: for stride-1 convolutions whose number of filters is not a multiple of 16 (1, 6, 20 and
 * 50 filters measured) the oneDNN backward-data kernel of libtorch 2.7.1 returned input gradients
 * off by 8–66 % of their largest entry, different from call to call with two threads and wrong in
 * the same way with one (it reads memory it never wrote: freed memory filled with NaN came out as
 * NaN, and the 32 → 1 convolution of the GAN's generator returned NaN outright), with its AVX-512
 * and AVX2 kernels alike, measured on the AMD EPYC (Zen 5) machines this project runs on. Its
 * outputs and weight gradients agree with the im2col convolution to float rounding, and so do the
 * input gradients of stride-2 convolutions and of 16, 32 and 64 filters. Every attack, adversarial
 * training method and input-gradient detector depends on this gradient, and so does every weight
 * below such a convolution in a network (the GAN generator's upsampling layers).
 *
 * <p>How: when the input requires a gradient, the block computes the plain convolution y of the
 * detached input and t, the im2col convolution of the input with the detached weight, and returns y
 * + (t − detach(t)): that is y exactly (t − t is +0 for every finite t), its gradient to the weight
 * and bias is the plain convolution's, and its gradient to the input is the im2col convolution's.
 * The im2col convolution runs on the batch in (N, C, H, W) order (a channels-last input is copied
 * once: thnn_conv2d on channels-last strides was several times slower) and in chunks of images
 * whose unfolded columns take at most 8 MiB, so that its buffers stay in cache. Otherwise (training
 * on clean images, evaluation) it is the plain convolution. The operations run as one TorchScript
 * function, which asks libtorch whether the input requires a gradient. Parameters, their names and
 * the saved format are {@link Conv2d}'s.
 */
final class Im2colInputGradientConv2d extends Conv2d {

    /** The most bytes of unfolded columns one im2col call builds. */
    private static final long CHUNK_BYTES = 8L << 20;

    /** One compiled function per kernel, stride, padding and chunk, shared by all blocks. */
    private static final Map<String, TorchScriptFunction> FUNCTIONS = new ConcurrentHashMap<>();

    private volatile ShapedFunction lastFunction;

    /**
     * A convolution.
     *
     * @param filters the output channels
     * @param kernel the kernel's height and width
     * @param stride the stride, in both directions
     * @param padding zero padding on each side, in both directions
     */
    Im2colInputGradientConv2d(int filters, int kernel, int stride, int padding) {
        super(
                Conv2d.builder()
                        .setFilters(filters)
                        .setKernelShape(new Shape(kernel, kernel))
                        .optStride(new Shape(stride, stride))
                        .optPadding(new Shape(padding, padding)));
    }

    /** A convolution with stride 1. */
    Im2colInputGradientConv2d(int filters, int kernel, int padding) {
        this(filters, kernel, 1, padding);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.head();
        // Outside gradient recording nothing can need the input gradient: the plain call. Inside,
        // only libtorch knows whether x requires a gradient (DJL's hasGradient() is false for
        // every non-leaf array), so the function asks it.
        if (!(x instanceof PtNDArray) || !JniUtils.isGradMode()) {
            return super.forwardInternal(parameterStore, inputs, training, params);
        }
        NDArray w = parameterStore.getValue(weight, x.getDevice(), training);
        NDArray b = parameterStore.getValue(bias, x.getDevice(), training);
        return new NDList(function(x.getShape()).apply(x, w, b));
    }

    /** The function for an input shape; the last one is kept, since batches repeat their shape. */
    private TorchScriptFunction function(Shape input) {
        ShapedFunction last = lastFunction;
        if (last != null && last.input().equals(input)) {
            return last.function();
        }
        int chunk = chunk(input);
        String name = functionName(chunk);
        TorchScriptFunction function =
                FUNCTIONS.computeIfAbsent(name, n -> TorchScriptFunction.of(n, source(chunk)));
        lastFunction = new ShapedFunction(input, function);
        return function;
    }

    private record ShapedFunction(Shape input, TorchScriptFunction function) {}

    /** Images per im2col call: their unfolded columns take at most {@link #CHUNK_BYTES}. */
    private int chunk(Shape input) {
        long channels = input.get(1);
        long height = (input.get(2) + 2 * padding.get(0) - kernelShape.get(0)) / stride.get(0) + 1;
        long width = (input.get(3) + 2 * padding.get(1) - kernelShape.get(1)) / stride.get(1) + 1;
        long perImage =
                Math.max(1, channels * kernelShape.get(0) * kernelShape.get(1) * height * width)
                        * Float.BYTES;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, CHUNK_BYTES / perImage));
    }

    private String functionName(int chunk) {
        return String.format(
                Locale.ROOT,
                "Im2colInputGradientConv2d_k%dx%d_s%dx%d_p%dx%d_c%d",
                kernelShape.get(0),
                kernelShape.get(1),
                stride.get(0),
                stride.get(1),
                padding.get(0),
                padding.get(1),
                chunk);
    }

    private String source(int chunk) {
        String k = kernelShape.get(0) + ", " + kernelShape.get(1);
        String s = stride.get(0) + ", " + stride.get(1);
        String p = padding.get(0) + ", " + padding.get(1);
        return String.format(
                Locale.ROOT,
                """
                def forward(self, x: Tensor, w: Tensor, b: Tensor) -> Tensor:
                  if x.requires_grad:
                    y = torch.conv2d(torch.detach(x), w, b, [%2$s], [%3$s], [1, 1], 1)
                    wd = torch.detach(w)
                    parts: List[Tensor] = []
                    for part in torch.split(torch.contiguous(x), %4$d, 0):
                      parts.append(torch.thnn_conv2d(part, wd, [%1$s], None, [%2$s], [%3$s]))
                    t = torch.cat(parts, 0)
                    return torch.add(y, torch.sub(t, torch.detach(t)))
                  return torch.conv2d(x, w, b, [%2$s], [%3$s], [1, 1], 1)
                """,
                k,
                s,
                p,
                chunk);
    }
}

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
 * <p>Why: for the first convolution of both LeNets (1 → 6 channels, pad 2; 1 → 20) the oneDNN
 * backward-data kernel of libtorch 2.7.1 returned input gradients off by up to 10–30 % of their
 * largest entry, different from call to call with two threads and wrong in the same way with one
 * (it reads memory it never wrote: freed memory filled with NaN came out as NaN), with its AVX-512
 * and AVX2 kernels alike, measured on the AMD EPYC (Zen 5) machines this project runs on. Their
 * outputs and weight gradients agree with the im2col convolution to float rounding, and so do the
 * input gradients of the LeNets' second convolutions. Every attack, adversarial training method and
 * input-gradient detector on a LeNet depends on this gradient.
 *
 * <p>How: when the input requires a gradient (an attack, ODIN's pre-processing, adversarial
 * training), the block computes the plain convolution y of the detached input and t, the im2col
 * convolution of the input with the detached weight, and returns y + (t − detach(t)): that is y
 * exactly (t − t is +0 for every finite t), its gradient to the weight and bias is the plain
 * convolution's, and its gradient to the input is the im2col convolution's. Otherwise (training on
 * clean images, evaluation) it is the plain convolution. The three operations run as one
 * TorchScript function, which asks libtorch whether the input requires a gradient. Parameters,
 * their names and the saved format are {@link Conv2d}'s.
 */
final class Im2colInputGradientConv2d extends Conv2d {

    /** One compiled function per kernel, stride and padding, shared by all blocks. */
    private static final Map<String, TorchScriptFunction> FUNCTIONS = new ConcurrentHashMap<>();

    private final TorchScriptFunction function;

    /**
     * A convolution with stride 1.
     *
     * @param filters the output channels
     * @param kernel the kernel's height and width
     * @param padding zero padding on each side, in both directions
     */
    Im2colInputGradientConv2d(int filters, int kernel, int padding) {
        super(
                Conv2d.builder()
                        .setFilters(filters)
                        .setKernelShape(new Shape(kernel, kernel))
                        .optPadding(new Shape(padding, padding)));
        String name = functionName();
        this.function = FUNCTIONS.computeIfAbsent(name, n -> TorchScriptFunction.of(n, source()));
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
        return new NDList(function.apply(x, w, b));
    }

    private String functionName() {
        return String.format(
                Locale.ROOT,
                "Im2colInputGradientConv2d_k%dx%d_s%dx%d_p%dx%d",
                kernelShape.get(0),
                kernelShape.get(1),
                stride.get(0),
                stride.get(1),
                padding.get(0),
                padding.get(1));
    }

    private String source() {
        String k = kernelShape.get(0) + ", " + kernelShape.get(1);
        String s = stride.get(0) + ", " + stride.get(1);
        String p = padding.get(0) + ", " + padding.get(1);
        return String.format(
                Locale.ROOT,
                """
                def forward(self, x: Tensor, w: Tensor, b: Tensor) -> Tensor:
                  if x.requires_grad:
                    y = torch.conv2d(torch.detach(x), w, b, [%2$s], [%3$s], [1, 1], 1)
                    t = torch.thnn_conv2d(x, torch.detach(w), [%1$s], None, [%2$s], [%3$s])
                    return torch.add(y, torch.sub(t, torch.detach(t)))
                  return torch.conv2d(x, w, b, [%2$s], [%3$s], [1, 1], 1)
                """,
                k,
                s,
                p);
    }
}

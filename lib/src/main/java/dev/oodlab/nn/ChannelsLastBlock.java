package dev.oodlab.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A {@link SequentialBlock} that hands a batch of grey images to its first layer in channels-last
 * memory order, so that libtorch runs the convolutions, ReLUs and max-pools after it on its
 * channels-last kernels.
 *
 * <p>The batch stays logically (N, 1, H, W); only its strides change, and for one channel that is
 * free: the (N, H, W, 1) view of the same memory, transposed to (N, 1, H, W). A convolution given
 * channels-last input writes channels-last output, and the layers after it keep that order up to
 * the flatten, which reads in (C, H, W) order as before. So the function, the parameters, their
 * names and the saved parameter format are those of a plain {@link SequentialBlock}; only the speed
 * and the last bits of the floating-point sums differ. Measured on 2 cores (libtorch 2.7.1, LeNet,
 * batch 128): max-pooling of 16 channels 467 → 80 µs, of 6 channels 1,150 → 860 µs, one training
 * step 5.7 → 5.3 ms (docs/benchmarks.md, "Channels-last LeNet").
 *
 * <p>Inputs with more than one channel pass through unchanged: their channels-last copy would cost
 * a copy of the batch, and no model here has been measured to gain from it.
 */
final class ChannelsLastBlock extends SequentialBlock {

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        return super.forwardInternal(parameterStore, view(inputs), training, params);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList data,
            NDList labels,
            PairList<String, Object> params) {
        return super.forwardInternal(parameterStore, view(data), labels, params);
    }

    private static NDList view(NDList inputs) {
        NDArray x = inputs.head();
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) != 1) {
            return inputs;
        }
        NDArray cl = x.reshape(s.get(0), s.get(2), s.get(3), 1).transpose(0, 3, 1, 2);
        NDList out = new NDList(cl);
        for (int i = 1; i < inputs.size(); i++) {
            out.add(inputs.get(i));
        }
        return out;
    }
}

package dev.oodlab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Argument checks and small batch helpers shared by the training methods. */
final class Checks {

    private Checks() {}

    /** Throws an exception naming the option when {@code ok} is false. */
    static void option(boolean ok, String option, String requirement, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(
                    option + " must be " + requirement + ", got " + value);
        }
    }

    /** Rows of x in the given order, e.g. x[perm]. */
    static NDArray rows(NDArray x, int[] order) {
        return rows(x, index(x.getManager(), order));
    }

    /**
     * Rows of x picked by an int64 index array. An image batch is gathered as a 2-D (N, C·H·W) view
     * and shaped back: libtorch's index kernel takes 29 µs for 128 rows of 784 floats in 2-D
     * against 68 µs in 4-D.
     */
    static NDArray rows(NDArray x, NDArray index) {
        Shape shape = x.getShape();
        if (shape.dimension() <= 2) {
            return x.get(index);
        }
        return x.reshape(shape.get(0), -1)
                .get(index)
                .reshape(new Shape(index.getShape().get(0)).addAll(shape.slice(1)));
    }

    /** {@code order} as an int64 index array in {@code manager}, for {@code get}. */
    static NDArray index(NDManager manager, int[] order) {
        long[] index = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            index[i] = order[i];
        }
        return manager.create(index);
    }

    /** Rows of a followed by rows of b. */
    static NDArray concat(NDArray a, NDArray b) {
        return NDArrays.concat(new NDList(a, b));
    }

    /**
     * λ·a + (1 − λ)·b, computed as b + λ·(a − b): one new array and two in-place updates instead of
     * three new arrays (a batch of 128 images is 400 KB each). The in-place steps act on the fresh
     * difference only, which autograd allows: neither needs it for its backward.
     */
    static NDArray mix(NDArray a, NDArray b, double lambda) {
        return a.sub(b).muli((float) lambda).addi(b);
    }
}

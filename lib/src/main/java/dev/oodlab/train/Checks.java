package dev.oodlab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

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
        return x.get(index(x.getManager(), order));
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

    /** λ·a + (1 − λ)·b. */
    static NDArray mix(NDArray a, NDArray b, double lambda) {
        return a.mul((float) lambda).add(b.mul((float) (1 - lambda)));
    }
}

package dev.oodlab.data;

import java.util.SplittableRandom;
import java.util.function.IntUnaryOperator;

/**
 * Random permutations of 0..n−1 by the Fisher–Yates shuffle (Durstenfeld's form: for i from n − 1
 * down to 1, swap element i with a uniform j ≤ i), the one shuffle every sampler, training loop and
 * method of the library uses, so that a seed means the same order everywhere.
 */
public final class Permutation {

    private Permutation() {}

    /**
     * A permutation drawn from a generator.
     *
     * @param n the length, ≥ 0
     * @param random the generator
     * @return a permutation of 0..n−1
     */
    public static int[] random(int n, SplittableRandom random) {
        return random(n, random::nextInt);
    }

    /**
     * A permutation drawn from any source of uniform integers.
     *
     * @param n the length, ≥ 0
     * @param nextInt given a bound b, a uniform integer in [0, b); called with b = n, n − 1, …, 2
     * @return a permutation of 0..n−1
     */
    public static int[] random(int n, IntUnaryOperator nextInt) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt.applyAsInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}

package dev.oodlab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.oodlab.data.Permutation;
import org.hipparchus.random.RandomDataGenerator;
import org.hipparchus.random.Well19937c;

/**
 * The random draws of a training method: mixing weights, permutations, target classes and noise.
 *
 * <p>The training loop gives each step a source seeded from the run's seed and the epoch; a test
 * gives a scripted source that returns fixed values, so a method's loss can be checked against an
 * independent computation.
 */
public interface RandomSource {

    /** A draw from Beta(α, α) (mixup's λ). */
    double beta(double alpha);

    /** A draw from U[0, 1). */
    double uniform();

    /** A uniform integer in [0, bound). */
    int nextInt(int bound);

    /** A uniform random permutation of 0..n−1. */
    int[] permutation(int n);

    /**
     * Gaussian noise N(0, σ²) of the given shape, float32, in {@code manager}.
     *
     * @param manager where the array lives
     * @param shape its shape
     * @param sigma the standard deviation σ
     * @return the noise
     */
    NDArray normal(NDManager manager, Shape shape, double sigma);

    /**
     * The standard source: scalars and permutations from a Well19937c generator seeded with {@code
     * seed} (Beta via Hipparchus' Cheng sampler); noise arrays from libtorch's generator, which the
     * loop seeds through {@code Engine.setRandomSeed} (drawing millions of normals per step in Java
     * would cost more than the step).
     *
     * @param seed the seed
     * @return a new source
     */
    static RandomSource seeded(long seed) {
        return new Seeded(seed);
    }

    /** {@link RandomSource#seeded}. */
    final class Seeded implements RandomSource {
        private final RandomDataGenerator random;

        private Seeded(long seed) {
            this.random = RandomDataGenerator.of(new Well19937c(seed));
        }

        @Override
        public double beta(double alpha) {
            return random.nextBeta(alpha, alpha);
        }

        @Override
        public double uniform() {
            return random.nextDouble();
        }

        @Override
        public int nextInt(int bound) {
            return random.nextInt(bound);
        }

        @Override
        public int[] permutation(int n) {
            return Permutation.random(n, random::nextInt);
        }

        @Override
        public NDArray normal(NDManager manager, Shape shape, double sigma) {
            return manager.randomNormal(0f, (float) sigma, shape, DataType.FLOAT32);
        }
    }
}

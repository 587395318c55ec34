package dev.oodlab.fooling;

import java.util.SplittableRandom;

/**
 * The random draws of the variation operators, in the order each operator documents, so that a test
 * can replay fixed draws and check an operator against a hand computation.
 */
interface Draws {

    /** A uniform draw in [0, 1). */
    double uniform();

    /** A uniform index in [0, bound), bound ≥ 1. */
    int index(int bound);

    /** The draws of a seeded generator. */
    static Draws of(SplittableRandom random) {
        return new Draws() {
            @Override
            public double uniform() {
                return random.nextDouble();
            }

            @Override
            public int index(int bound) {
                return random.nextInt(bound);
            }
        };
    }
}

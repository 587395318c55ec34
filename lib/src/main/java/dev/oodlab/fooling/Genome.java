package dev.oodlab.fooling;

import java.util.SplittableRandom;

/**
 * An encoding of an image that evolution can vary: it renders to pixels, mutates, and (where the
 * encoding supports it) crosses over. Genomes are immutable: variation returns new genomes.
 *
 * @param <G> the genome type itself
 */
public interface Genome<G extends Genome<G>> {

    /** The image this genome encodes: a flat channels × height × width array in [0, 1]. */
    float[] render();

    /** A mutated copy. */
    G mutate(SplittableRandom random);

    /**
     * A child of this genome and {@code other}; encodings without crossover return a copy of this
     * genome.
     */
    G crossover(G other, SplittableRandom random);
}

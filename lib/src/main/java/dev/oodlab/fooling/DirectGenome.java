package dev.oodlab.fooling;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Direct encoding of Nguyen, Yosinski &amp; Clune (CVPR 2015): one gene per pixel, each in [0, 1],
 * varied as sferes2's {@code evo_float} varies a real-valued genome, with the parameters of the
 * authors' {@code Params::evo_float} (Evolving-AI-Lab/fooling, {@code sferes/exp/images}):
 * polynomial mutation, rate 0.1, η<sub>m</sub> = 15; SBX, η<sub>c</sub> = 10, applied to a pair
 * with probability 0.5 ({@link FoolingSearch} decides that).
 *
 * <ul>
 *   <li>Initialisation: every gene uniform in [0, 1].
 *   <li>Mutation: each gene, with probability {@code mutationRate} (0.1), is moved by polynomial
 *       mutation ({@code GeneOperators.polynomialMutation}: δ = (2r)<sup>1/16</sup> − 1 or 1 − (2(1
 *       − r))<sup>1/16</sup>, the gene clipped to [0, 1]). Draws per gene: the rate test, then r.
 *   <li>Crossover: bounded SBX on <em>every</em> gene whose parent values differ by more than the
 *       float epsilon ({@code GeneOperators.sbx}: the two children values c₁ &lt; c₂ from one draw
 *       r, then a coin, draw &lt; ½, gives this child c₁, else c₂); a gene equal in both parents is
 *       copied. (sferes2 before April 2018, on which the authors' 2014 code builds, left such a
 *       gene at the child's default value 0; sferes2 commit bae2272 copies it, as here.)
 * </ul>
 */
public final class DirectGenome implements Genome<DirectGenome> {

    /** Mutation distribution index η_m. */
    public static final double MUTATION_ETA = 15;

    /** Crossover distribution index η_c. */
    public static final double CROSSOVER_ETA = 10;

    /** Per-gene mutation probability. */
    public static final double MUTATION_RATE = 0.1;

    private final float[] genes;

    private DirectGenome(float[] genes) {
        this.genes = genes;
    }

    /** A genome of {@code size} genes, each uniform in [0, 1]. */
    public static DirectGenome random(int size, SplittableRandom random) {
        if (size <= 0) {
            throw new IllegalArgumentException("genome size must be > 0, got " + size);
        }
        float[] g = new float[size];
        for (int i = 0; i < size; i++) {
            g[i] = (float) random.nextDouble();
        }
        return new DirectGenome(g);
    }

    /** A genome with these genes (copied; each must be in [0, 1]). */
    public static DirectGenome of(float[] genes) {
        for (int i = 0; i < genes.length; i++) {
            if (!(genes[i] >= 0 && genes[i] <= 1)) {
                throw new IllegalArgumentException(
                        "gene " + i + " = " + genes[i] + " outside [0, 1]");
            }
        }
        return new DirectGenome(genes.clone());
    }

    @Override
    public float[] render() {
        return genes.clone();
    }

    @Override
    public DirectGenome mutate(SplittableRandom random) {
        return mutate(Draws.of(random));
    }

    /** Mutation with the given draws: per gene the rate test, and r when it passes. */
    DirectGenome mutate(Draws draws) {
        float[] g = genes.clone();
        for (int i = 0; i < g.length; i++) {
            if (draws.uniform() < MUTATION_RATE) {
                g[i] =
                        (float)
                                GeneOperators.polynomialMutation(
                                        g[i], draws.uniform(), MUTATION_ETA);
            }
        }
        return new DirectGenome(g);
    }

    @Override
    public DirectGenome crossover(DirectGenome other, SplittableRandom random) {
        return crossover(other, Draws.of(random));
    }

    /** SBX with the given draws: per gene whose parents differ, r, then the coin. */
    DirectGenome crossover(DirectGenome other, Draws draws) {
        if (other.genes.length != genes.length) {
            throw new IllegalArgumentException(
                    "crossover of genomes of "
                            + genes.length
                            + " and "
                            + other.genes.length
                            + " genes");
        }
        float[] child = genes.clone();
        for (int i = 0; i < child.length; i++) {
            if (Math.abs(genes[i] - other.genes[i]) > GeneOperators.SBX_EPSILON) {
                double[] c =
                        GeneOperators.sbx(genes[i], other.genes[i], draws.uniform(), CROSSOVER_ETA);
                child[i] = (float) (draws.uniform() < 0.5 ? c[0] : c[1]);
            }
        }
        return new DirectGenome(child);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DirectGenome d && Arrays.equals(genes, d.genes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(genes);
    }
}

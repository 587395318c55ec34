package dev.oodlab.fooling;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Direct encoding of Nguyen, Yosinski &amp; Clune (CVPR 2015): one gene per pixel, each in [0, 1].
 *
 * <ul>
 *   <li>Initialisation: every gene uniform in [0, 1].
 *   <li>Mutation: each gene, with probability {@code mutationRate} (0.1), is moved by Deb's bounded
 *       polynomial mutation with distribution index η<sub>m</sub> = 15.
 *   <li>Crossover: simulated binary crossover (SBX, Deb &amp; Agrawal 1995) with distribution index
 *       η<sub>c</sub> = 10, applied gene by gene with probability ½; the search applies crossover
 *       to half of the offspring.
 * </ul>
 *
 * Polynomial mutation of x ∈ [0, 1] with u ~ U[0, 1): for u &lt; ½, δ = (2u + (1 − 2u)(1 −
 * x)<sup>η+1</sup>)<sup>1/(η+1)</sup> − 1; otherwise δ = 1 − (2(1 − u) + 2(u − ½) x<sup>η+1</sup>)
 * <sup>1/(η+1)</sup>; x' = x + δ. SBX: β = (2u)<sup>1/(η+1)</sup> for u ≤ ½, else (1/(2(1 −
 * u)))<sup>1/(η+1)</sup>; children ½[(1 ± β)x₁ + (1 ∓ β)x₂], clipped to [0, 1].
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
        float[] g = genes.clone();
        for (int i = 0; i < g.length; i++) {
            if (random.nextDouble() < MUTATION_RATE) {
                g[i] = (float) polynomialMutation(g[i], random.nextDouble(), MUTATION_ETA);
            }
        }
        return new DirectGenome(g);
    }

    @Override
    public DirectGenome crossover(DirectGenome other, SplittableRandom random) {
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
            if (random.nextDouble() < 0.5) {
                double[] c = sbx(genes[i], other.genes[i], random.nextDouble(), CROSSOVER_ETA);
                child[i] = (float) c[random.nextDouble() < 0.5 ? 0 : 1];
            }
        }
        return new DirectGenome(child);
    }

    /** Deb's bounded polynomial mutation of x ∈ [0, 1] for the uniform draw u. */
    static double polynomialMutation(double x, double u, double eta) {
        double power = 1.0 / (eta + 1);
        double delta;
        if (u < 0.5) {
            double val = 2 * u + (1 - 2 * u) * Math.pow(1 - x, eta + 1);
            delta = Math.pow(val, power) - 1;
        } else {
            double val = 2 * (1 - u) + 2 * (u - 0.5) * Math.pow(x, eta + 1);
            delta = 1 - Math.pow(val, power);
        }
        return Math.min(1, Math.max(0, x + delta));
    }

    /** Simulated binary crossover of two genes for the uniform draw u: the two children. */
    static double[] sbx(double x1, double x2, double u, double eta) {
        double beta =
                u <= 0.5
                        ? Math.pow(2 * u, 1.0 / (eta + 1))
                        : Math.pow(1.0 / (2 * (1 - u)), 1.0 / (eta + 1));
        double c1 = 0.5 * ((1 + beta) * x1 + (1 - beta) * x2);
        double c2 = 0.5 * ((1 - beta) * x1 + (1 + beta) * x2);
        return new double[] {Math.min(1, Math.max(0, c1)), Math.min(1, Math.max(0, c2))};
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

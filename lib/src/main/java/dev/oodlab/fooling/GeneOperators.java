package dev.oodlab.fooling;

/**
 * The real-valued gene operators of sferes2's {@code evo_float} (sferes/gen/evo_float.hpp), the
 * framework the fooling-images code is built on, for genes in [0, 1]: polynomial mutation and
 * bounded simulated binary crossover. Both encodings use them: {@link DirectGenome} on its pixel
 * genes, {@link CppnGenome} on its connection weights (a weight w ∈ [−10, 10] is the gene (w +
 * 10)/20, as sferes' {@code phen::Parameters} maps genes to [min, max]).
 */
final class GeneOperators {

    /**
     * sferes2 leaves a gene alone in SBX when the parents' values differ by at most this, {@code
     * std::numeric_limits<float>::epsilon()}.
     */
    static final double SBX_EPSILON = Math.ulp(1.0f);

    private GeneOperators() {}

    /**
     * Polynomial mutation as {@code evo_float} computes it (Deb 2001, p. 124, in its unbounded
     * form, then clipped): for the draw r, δ = (2r)<sup>1/(η+1)</sup> − 1 if r &lt; ½, else 1 −
     * (2(1 − r))<sup>1/(η+1)</sup>; x' = clip₀¹(x + δ). (Deb's bounded variant, which scales δ by
     * the distance to the bounds, is not what the authors' code runs.)
     *
     * @param x the gene, in [0, 1]
     * @param r the uniform draw in [0, 1)
     * @param eta the distribution index η_m
     * @return the mutated gene
     */
    static double polynomialMutation(double x, double r, double eta) {
        double power = 1.0 / (eta + 1);
        double delta = r < 0.5 ? Math.pow(2 * r, power) - 1 : 1 - Math.pow(2 * (1 - r), power);
        return clip(x + delta);
    }

    /**
     * Bounded simulated binary crossover of one gene as {@code evo_float}'s {@code sbx} (taken from
     * Deb's code, bounds [0, 1]): with y₁ ≤ y₂ the parents' values and one draw r,
     *
     * <pre>
     *   β = 1 + 2(y₁ − 0)/(y₂ − y₁),  α = 2 − β^−(η+1),
     *   β_q = (rα)^1/(η+1) if r ≤ 1/α, else (1/(2 − rα))^1/(η+1),   c₁ = ½((y₁ + y₂) − β_q(y₂ − y₁))
     *   β = 1 + 2(1 − y₂)/(y₂ − y₁),  α and β_q as above with the same r,  c₂ = ½((y₁ + y₂) + β_q(y₂ − y₁))
     * </pre>
     *
     * both clipped to [0, 1]. Call it only when |y₁ − y₂| &gt; {@link #SBX_EPSILON}.
     *
     * @param a one parent's value
     * @param b the other parent's value
     * @param r the uniform draw in [0, 1)
     * @param eta the distribution index η_c
     * @return {c₁, c₂}, the child below and the child above the parents' mean
     */
    static double[] sbx(double a, double b, double r, double eta) {
        double y1 = Math.min(a, b);
        double y2 = Math.max(a, b);
        double spread = y2 - y1;
        double betaLow = 1 + 2 * y1 / spread;
        double c1 = 0.5 * ((y1 + y2) - spreadFactor(betaLow, r, eta) * spread);
        double betaHigh = 1 + 2 * (1 - y2) / spread;
        double c2 = 0.5 * ((y1 + y2) + spreadFactor(betaHigh, r, eta) * spread);
        return new double[] {clip(c1), clip(c2)};
    }

    /** β_q for the bound-dependent β of one side. */
    private static double spreadFactor(double beta, double r, double eta) {
        double alpha = 2 - Math.pow(beta, -(eta + 1));
        double power = 1.0 / (eta + 1);
        return r <= 1 / alpha ? Math.pow(r * alpha, power) : Math.pow(1 / (2 - r * alpha), power);
    }

    private static double clip(double x) {
        return Math.min(1, Math.max(0, x));
    }
}

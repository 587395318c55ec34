package dev.oodlab.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Two methods compared seed by seed: the per-seed differences A − B, their mean ± sample sd, and on
 * how many seeds A is above, level with or below B. The evidence behind a sentence such as
 * "Adversarial-Mixup beats Mixup": a claim holds on k of n seeds, with a mean difference and its
 * spread, not on a difference of two means.
 *
 * <p>The pairs are formed by position: entry i of A and entry i of B come from the same seed (same
 * data order, same initialisation). A pair with a NaN on either side is left out and not counted.
 *
 * <pre>{@code
 * PairedComparison d = PairedComparison.of("SmoothMix", smoothMixAcr, "Gaussian", gaussianAcr);
 * d.toString();   // "SmoothMix − Gaussian: +0.031 ± 0.012 over 3 seeds; SmoothMix > Gaussian on 3 of 3"
 * d.aAboveOnEverySeed();
 * }</pre>
 *
 * @param a the name of method A
 * @param b the name of method B
 * @param differences A − B per counted seed, in seed order
 * @param difference mean ± sample sd of the differences
 * @param aAbove the number of seeds where A &gt; B
 * @param ties the number of seeds where A = B
 * @param aBelow the number of seeds where A &lt; B
 */
public record PairedComparison(
        String a,
        String b,
        double[] differences,
        MeanSd difference,
        int aAbove,
        int ties,
        int aBelow) {

    /**
     * Checks the names and copies the differences.
     *
     * @param a see the record description
     * @param b see the record description
     * @param differences see the record description
     * @param difference see the record description
     * @param aAbove see the record description
     * @param ties see the record description
     * @param aBelow see the record description
     */
    public PairedComparison {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        differences = differences.clone();
        Objects.requireNonNull(difference, "difference");
    }

    /**
     * Pairs two methods' per-seed values.
     *
     * @param a the name of method A
     * @param aValues A's value per seed
     * @param b the name of method B
     * @param bValues B's value per seed, in the same seed order
     * @return the comparison
     * @throws IllegalArgumentException if the arrays differ in length or no pair is complete
     */
    public static PairedComparison of(String a, double[] aValues, String b, double[] bValues) {
        if (aValues.length != bValues.length) {
            throw new IllegalArgumentException(
                    a
                            + " has "
                            + aValues.length
                            + " per-seed values but "
                            + b
                            + " has "
                            + bValues.length
                            + ": pairs need one value of each per seed");
        }
        List<Double> d = new ArrayList<>();
        int above = 0;
        int ties = 0;
        int below = 0;
        for (int i = 0; i < aValues.length; i++) {
            if (Double.isNaN(aValues[i]) || Double.isNaN(bValues[i])) {
                continue;
            }
            double diff = aValues[i] - bValues[i];
            d.add(diff);
            if (aValues[i] > bValues[i]) {
                above++;
            } else if (aValues[i] < bValues[i]) {
                below++;
            } else {
                ties++;
            }
        }
        if (d.isEmpty()) {
            throw new IllegalArgumentException("no seed has a value for both " + a + " and " + b);
        }
        double[] differences = d.stream().mapToDouble(Double::doubleValue).toArray();
        return new PairedComparison(a, b, differences, MeanSd.of(differences), above, ties, below);
    }

    /**
     * Pairs two rows of per-seed results tables: the value of one column for method A and method B
     * on one OOD set, seed by seed.
     *
     * @param perSeed one table per seed, in seed order (e.g. a study's {@code table(seed)})
     * @param a method A's row label
     * @param b method B's row label
     * @param oodSet the OOD set
     * @param column the column, e.g. {@code OodMetric.AUROC.label()}
     * @return the comparison
     * @throws IllegalArgumentException if a table lacks the rows or the column
     */
    public static PairedComparison of(
            List<ResultsTable> perSeed, String a, String b, String oodSet, String column) {
        double[] av = new double[perSeed.size()];
        double[] bv = new double[perSeed.size()];
        for (int i = 0; i < perSeed.size(); i++) {
            av[i] = perSeed.get(i).value(a, oodSet, column);
            bv[i] = perSeed.get(i).value(b, oodSet, column);
        }
        return of(a, av, b, bv);
    }

    /** The number of seeds compared (pairs with a value on both sides). */
    public int seeds() {
        return differences.length;
    }

    /** Whether A is strictly above B on every seed compared. */
    public boolean aAboveOnEverySeed() {
        return aAbove == seeds();
    }

    /** Whether A is strictly below B on every seed compared. */
    public boolean aBelowOnEverySeed() {
        return aBelow == seeds();
    }

    /**
     * On how many seeds A is better than B, for a metric where higher or lower is better.
     *
     * @param better which direction is better
     * @return the number of seeds where A is strictly better
     */
    public int aBetter(ResultsTable.Better better) {
        return better == ResultsTable.Better.HIGHER ? aAbove : aBelow;
    }

    /**
     * The comparison in one line, with a number pattern for the difference, e.g. {@code "%+.3f"}.
     *
     * @param pattern a {@link String#format} pattern for one number
     * @return e.g. "A − B: +0.031 ± 0.012 over 3 seeds; A &gt; B on 3 of 3"
     */
    public String format(String pattern) {
        String sd =
                Double.isNaN(difference.sd())
                        ? ""
                        : " ± "
                                + String.format(
                                        Locale.ROOT, pattern.replace("+", ""), difference.sd());
        return String.format(Locale.ROOT, "%s − %s: ", a, b)
                + String.format(Locale.ROOT, pattern, difference.mean())
                + sd
                + " over "
                + seeds()
                + (seeds() == 1 ? " seed" : " seeds")
                + "; "
                + a
                + " > "
                + b
                + " on "
                + aAbove
                + " of "
                + seeds()
                + (ties > 0 ? " (" + ties + " level)" : "");
    }

    /** The comparison in one line, differences with three decimals and a sign. */
    @Override
    public String toString() {
        return format("%+.3f");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PairedComparison p
                && a.equals(p.a)
                && b.equals(p.b)
                && Arrays.equals(differences, p.differences)
                && difference.equals(p.difference)
                && aAbove == p.aAbove
                && ties == p.ties
                && aBelow == p.aBelow;
    }

    @Override
    public int hashCode() {
        return Objects.hash(a, b, Arrays.hashCode(differences), aAbove, ties, aBelow);
    }

    /**
     * The differences A − B per counted seed (a copy).
     *
     * @return the differences
     */
    @Override
    public double[] differences() {
        return differences.clone();
    }
}

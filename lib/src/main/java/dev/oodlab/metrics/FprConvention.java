package dev.oodlab.metrics;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which computation of "FPR at 95 % TPR" a number follows. Papers' tables differ not only in their
 * detectors but in how their evaluation code reads this operating point, and the differences reach
 * several points on the same scores; {@link Metrics#fprAt95Tpr(FprConvention)} computes each, so a
 * table can be compared with the paper it sits next to.
 *
 * <p>Every convention but {@link #OOD_POSITIVE} takes the in-distribution set as positive: TPR is
 * the share of in-distribution scores accepted, FPR the share of OOD scores accepted. The three
 * reference repositories accept differently for the two sets: an in-distribution score s counts at
 * threshold δ when s ≥ δ, an OOD score when s &gt; δ. Their grid is δ_i for i = 0, 1, …, L − 1 as
 * {@code numpy.arange(start, end, gap)} makes it: start = the smallest score of both sets, end =
 * the largest, gap = (end − start)/N, L = ⌈(end − start)/gap⌉, δ_0 = start, δ_1 = start + gap, δ_i
 * = start + i·((start + gap) − start) for i ≥ 2 (numpy's rounding can leave one point more than N,
 * a hair below or above the end). {@link #ODIN} and {@link #LEE} average the FPR over the grid
 * thresholds whose TPR lies in a band, both ends included. When every score is equal the grid is
 * undefined (the repositories' {@code arange} fails on a step of 0) and both give NaN.
 */
public enum FprConvention {
    /**
     * The exact operating point (the default): FPR(t*) with t* the largest score threshold whose
     * TPR is at least 0.95, "accept iff s ≥ t" for both sets, tied scores one threshold; equal to
     * scikit-learn's {@code fpr[argmax(tpr >= 0.95)]} on {@code roc_curve(..., drop_intermediate=
     * False)}. No reference repository of these papers computes exactly this; it is the ROC curve's
     * own point, independent of any grid.
     */
    EXACT("exact"),
    /**
     * The ODIN authors' {@code tpr95} (facebookresearch/odin, {@code code/calMetric.py}; Liang, Li
     * &amp; Srikant, ICLR 2018): the mean FPR over the grid thresholds with 0.9495 ≤ TPR ≤ 0.9505,
     * N = 100,000 steps. Their code fixes start and end per score type (0.1 to 1 for CIFAR-10
     * softmax scores); a general library cannot, so start and end are the smallest and the largest
     * score as in the Lee et al. code. When no grid threshold has a TPR in the band (a set of fewer
     * than 1,000 in-distribution scores, whose TPR steps are wider than the band, often has none),
     * their code divides 0.0 by 0.0 and stops with an error: the result is NaN.
     */
    ODIN("odin"),
    /**
     * The confidence-loss authors' {@code tpr95} (alinlab/Confident_classifier, {@code
     * src/calculate_log.py}; Lee, Lee, Lee &amp; Shin, ICLR 2018): the mean FPR over the grid
     * thresholds with 0.94 ≤ TPR ≤ 0.96, N = 200,000 steps from the smallest to the largest score.
     * When no grid threshold has a TPR in the band their code prints "corner case" and returns 1.
     */
    LEE("lee"),
    /**
     * The Mahalanobis authors' TNR at TPR 95 % (pokaxpoka/deep_Mahalanobis_detector, {@code
     * calculate_log.py}, {@code get_curve}; Lee, Lee, Lee &amp; Shin, NeurIPS 2018), as an FPR (= 1
     * − their TNR). No grid: both sets are sorted and walked from the bottom, one score leaving per
     * step (the in-distribution one first when two are equal); the point whose TPR is nearest 0.95,
     * the first one when several are (argmin |TPR − 0.95|, computed in doubles as their numpy code
     * does), gives the FPR. In terms of scores: with c the in-distribution count chosen that way
     * and v the (c + 1)-th largest in-distribution score, FPR = #{out ≥ v}/n_out (1 when c = n_in).
     */
    MAHALANOBIS("mahalanobis"),
    /**
     * The OOD-positive "FPR@95" of OpenOOD v1.5 and pytorch-ood: with the OOD set positive and the
     * scores negated, the share of in-distribution inputs rejected when 95 % of OOD inputs are
     * caught ({@link Metrics#fprAt95TprOodPositive()}). A different quantity, not a different
     * reading of the same one.
     */
    OOD_POSITIVE("ood-positive");

    private final String key;

    FprConvention(String key) {
        this.key = key;
    }

    /**
     * The name on the command line ({@code --fpr-convention}) and in files: {@code exact}, {@code
     * odin}, {@code lee}, {@code mahalanobis}, {@code ood-positive}.
     *
     * @return the key
     */
    public String key() {
        return key;
    }

    /**
     * The convention with this key.
     *
     * @param key one of {@code exact}, {@code odin}, {@code lee}, {@code mahalanobis}, {@code
     *     ood-positive} (case ignored)
     * @return the convention
     * @throws IllegalArgumentException naming the key and the valid ones if there is none
     */
    public static FprConvention fromKey(String key) {
        String wanted = key == null ? "" : key.strip().toLowerCase(Locale.ROOT);
        for (FprConvention convention : values()) {
            if (convention.key.equals(wanted)) {
                return convention;
            }
        }
        throw new IllegalArgumentException(
                "unknown FPR convention '"
                        + key
                        + "' (expected one of "
                        + Arrays.stream(values())
                                .map(FprConvention::key)
                                .collect(Collectors.joining(", "))
                        + ")");
    }

    /** The key, e.g. {@code ood-positive}. */
    @Override
    public String toString() {
        return key;
    }
}

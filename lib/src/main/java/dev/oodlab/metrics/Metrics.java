package dev.oodlab.metrics;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Exact OOD-detection metrics from two score arrays, computed from one sort.
 *
 * <p>A detector gives each input a score, higher meaning "more in-distribution"; it is evaluated on
 * a set of in-distribution inputs (the <em>positive</em> class) and a set of OOD inputs. For a
 * threshold t the detector accepts an input as in-distribution iff its score is ≥ t, and
 *
 * <pre>
 *   TPR(t) = #{in ≥ t} / n_in        FPR(t) = #{out ≥ t} / n_out
 * </pre>
 *
 * <p>The thresholds are the distinct scores (tied scores are <em>one</em> threshold, as in
 * scikit-learn) plus +∞. From these points:
 *
 * <ul>
 *   <li><b>FPR@95TPR</b> = FPR(t*), t* the largest threshold with TPR(t*) ≥ 0.95: the share of OOD
 *       inputs still accepted when 95 % of in-distribution inputs are: the exact point of the ROC
 *       curve. Equal to scikit-learn's {@code fpr[argmax(tpr >= 0.95)]} on {@code roc_curve(...,
 *       drop_intermediate=False)}; the default {@code drop_intermediate=True} drops points inside
 *       straight runs of the curve and can report a larger value when tied scores put the 95 %
 *       point inside such a run. The papers' evaluation code computes this operating point
 *       differently (ODIN's and Lee et al.'s average over a grid of thresholds, the Mahalanobis
 *       code takes the nearest point): {@link #fprAt95Tpr(FprConvention)} offers each reading,
 *       {@link FprConvention} says what each one does and where it comes from.
 *   <li><b>AUROC</b> = area under the ROC curve = P(s_in &gt; s_out) + ½ P(s_in = s_out) (Hendrycks
 *       &amp; Gimpel, ICLR 2017); = {@code roc_auc_score}.
 *   <li><b>AUPR-In</b> = average precision with the in-distribution set positive, Σ_k (R_k −
 *       R_{k−1}) P_k over the thresholds, step-wise without interpolation; = {@code
 *       average_precision_score}. <b>AUPR-Out</b> = the same with the OOD set positive and the
 *       scores negated. (OpenOOD integrates the PR curve with the trapezoidal rule instead: its
 *       numbers differ slightly.)
 *   <li><b>Detection error</b> = min over thresholds of ½ (1 − TPR(t)) + ½ FPR(t): the error of the
 *       best threshold when both sets are equally likely (Liang et al. 2018).
 * </ul>
 *
 * <p>OpenOOD and pytorch-ood report a different "FPR@95": with the OOD set positive, the share of
 * in-distribution inputs rejected when 95 % of OOD inputs are caught. It is offered as {@link
 * #fprAt95TprOodPositive()} ({@link FprConvention#OOD_POSITIVE}) and never mixed into {@link
 * #summary()}; on the same scores the two can differ a lot (in the worked example below 0.5 versus
 * 0.6).
 *
 * <p>Worked example: in = {0.9, 0.8, 0.7, 0.7, 0.6}, out = {0.75, 0.7, 0.5, 0.4} gives FPR@95TPR
 * 0.5, AUROC 0.75, AUPR-In 0.809524, AUPR-Out 0.767857, detection error 0.25 (OOD-positive FPR@95:
 * 0.6).
 *
 * <p>Use: {@code Metrics.of(inScores, outScores).summary()}, or keep the {@code Metrics} to ask for
 * curves, other operating points and F1 without sorting again. {@code of} copies and sorts each set
 * (the two sorts run in parallel), then merges them into the list of distinct thresholds with
 * cumulative counts; everything else reads that list in O(number of distinct scores). Scores must
 * be finite; −0.0 and 0.0 are one score. An instance is immutable and thread-safe.
 */
public final class Metrics {

    /** The TPR of the standard operating point, 95 %. */
    public static final double TPR_95 = 0.95;

    private static final String IN_SET = "in-distribution set";
    private static final String OUT_SET = "OOD set";

    /** Grid steps of the ODIN code's {@code tpr95}. */
    private static final int ODIN_GRID_STEPS = 100_000;

    /** Grid steps of the Lee et al. (ICLR 2018) code's {@code tpr95}. */
    private static final int LEE_GRID_STEPS = 200_000;

    /** Below this many scores in total the two sorts run one after the other. */
    private static final int PARALLEL_SORT_MIN = 1 << 16;

    private final int inCount;
    private final int outCount;
    private final int size;
    // Point k: threshold thresholds[k] (decreasing in k), inAtOrAbove[k] = #{in >= threshold},
    // outAtOrAbove[k] = #{out >= threshold}. The point at +infinity (0, 0) is implicit.
    private final double[] thresholds;
    private final int[] inAtOrAbove;
    private final int[] outAtOrAbove;
    private final OodMetrics summary;

    private Metrics(
            int inCount,
            int outCount,
            int size,
            double[] thresholds,
            int[] inAtOrAbove,
            int[] outAtOrAbove) {
        this.inCount = inCount;
        this.outCount = outCount;
        this.size = size;
        this.thresholds = thresholds;
        this.inAtOrAbove = inAtOrAbove;
        this.outAtOrAbove = outAtOrAbove;
        this.summary = summarise(inCount, outCount, inAtOrAbove, outAtOrAbove, size);
    }

    /**
     * Sorts the two score sets once and prepares every metric.
     *
     * @param inScores scores of the in-distribution inputs (higher = more in-distribution); not
     *     modified
     * @param outScores scores of the OOD inputs; not modified
     * @return the evaluation
     * @throws IllegalArgumentException if a set is empty or holds NaN or ±∞, naming the set and the
     *     index, e.g. {@code scores for the OOD set contain NaN at index 4123}
     */
    public static Metrics of(double[] inScores, double[] outScores) {
        double[] in = checkedCopy(inScores, IN_SET);
        double[] out = checkedCopy(outScores, OUT_SET);
        return fromCopies(in, out);
    }

    /**
     * Sorts the two score sets once and prepares every metric; float scores (as a float32 network
     * produces them) are widened to double exactly.
     *
     * @param inScores scores of the in-distribution inputs; not modified
     * @param outScores scores of the OOD inputs; not modified
     * @return the evaluation
     * @throws IllegalArgumentException if a set is empty or holds NaN or ±∞, naming the set and the
     *     index
     */
    public static Metrics of(float[] inScores, float[] outScores) {
        double[] in = checkedCopy(inScores, IN_SET);
        double[] out = checkedCopy(outScores, OUT_SET);
        return fromCopies(in, out);
    }

    /**
     * The five standard metrics in one call: {@code of(inScores, outScores).summary()}.
     *
     * @param inScores scores of the in-distribution inputs
     * @param outScores scores of the OOD inputs
     * @return FPR@95TPR, AUROC, AUPR-In, AUPR-Out and detection error
     * @throws IllegalArgumentException if a set is empty or holds NaN or ±∞
     */
    public static OodMetrics evaluate(double[] inScores, double[] outScores) {
        return of(inScores, outScores).summary();
    }

    /**
     * The five standard metrics in one call, for float scores.
     *
     * @param inScores scores of the in-distribution inputs
     * @param outScores scores of the OOD inputs
     * @return FPR@95TPR, AUROC, AUPR-In, AUPR-Out and detection error
     * @throws IllegalArgumentException if a set is empty or holds NaN or ±∞
     */
    public static OodMetrics evaluate(float[] inScores, float[] outScores) {
        return of(inScores, outScores).summary();
    }

    /**
     * The number of in-distribution scores.
     *
     * @return n_in
     */
    public int inCount() {
        return inCount;
    }

    /**
     * The number of OOD scores.
     *
     * @return n_out
     */
    public int outCount() {
        return outCount;
    }

    /**
     * The number of distinct scores, i.e. of finite thresholds.
     *
     * @return the number of distinct values among all scores
     */
    public int distinctScores() {
        return size;
    }

    /**
     * FPR@95TPR, AUROC, AUPR-In, AUPR-Out and detection error, computed in one pass over the
     * thresholds when this object was made.
     *
     * @return the five standard metrics
     */
    public OodMetrics summary() {
        return summary;
    }

    /**
     * The five standard metrics with FPR@95TPR computed by the given convention; AUROC, AUPR-In,
     * AUPR-Out and detection error are the exact ones of {@link #summary()} whatever the
     * convention.
     *
     * @param convention how FPR@95TPR is computed
     * @return the five metrics
     */
    public OodMetrics summary(FprConvention convention) {
        return new OodMetrics(
                fprAt95Tpr(convention),
                summary.auroc(),
                summary.auprIn(),
                summary.auprOut(),
                summary.detectionError());
    }

    /**
     * The false-positive rate at 95 % true-positive rate, in-distribution positive, exactly ({@link
     * FprConvention#EXACT}): the share of OOD scores ≥ the largest threshold that keeps at least 95
     * % of the in-distribution scores.
     *
     * @return FPR@95TPR
     */
    public double fprAt95Tpr() {
        return fprAtTpr(TPR_95);
    }

    /**
     * FPR@95TPR as the named convention computes it; see {@link FprConvention} for each one's
     * definition and source.
     *
     * @param convention which computation
     * @return the FPR in [0, 1]; NaN for {@link FprConvention#ODIN} when no grid threshold has a
     *     TPR in [0.9495, 0.9505], and for {@link FprConvention#ODIN} and {@link FprConvention#LEE}
     *     when every score is equal
     */
    public double fprAt95Tpr(FprConvention convention) {
        Objects.requireNonNull(convention, "convention");
        return switch (convention) {
            case EXACT -> fprAt95Tpr();
            case ODIN -> gridAverageFpr(ODIN_GRID_STEPS, 0.9495, 0.9505, Double.NaN);
            case LEE -> gridAverageFpr(LEE_GRID_STEPS, 0.94, 0.96, 1.0);
            case MAHALANOBIS -> nearestTo95Fpr();
            case OOD_POSITIVE -> fprAt95TprOodPositive();
        };
    }

    /**
     * The false-positive rate at the largest threshold whose true-positive rate reaches {@code
     * tpr}, in-distribution positive: {@code fpr[argmax(tpr_curve >= tpr)]} of the full ROC curve.
     * A target of 0 gives 0 (the threshold +∞).
     *
     * @param tpr the target true-positive rate, in [0, 1]
     * @return the FPR at that operating point
     * @throws IllegalArgumentException if {@code tpr} is outside [0, 1]
     */
    public double fprAtTpr(double tpr) {
        checkRate(tpr, "tpr");
        if (tpr <= 0) {
            return 0;
        }
        // TPR grows with k: find the first point whose TPR reaches the target.
        int lo = 0;
        int hi = size - 1; // the last point has TPR 1 >= tpr
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if ((double) inAtOrAbove[mid] / inCount >= tpr) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return (double) outAtOrAbove[lo] / outCount;
    }

    /**
     * The OOD-positive "FPR@95" that OpenOOD and pytorch-ood report: with the OOD set as the
     * positive class and the scores negated, the share of in-distribution scores flagged as OOD at
     * the threshold that first catches 95 % of the OOD scores. Not the same number as {@link
     * #fprAt95Tpr()}; say which one a table shows.
     *
     * @return the share of in-distribution inputs rejected when 95 % of OOD inputs are caught
     */
    public double fprAt95TprOodPositive() {
        return fprAtTprOodPositive(TPR_95);
    }

    /**
     * The OOD-positive FPR at a given OOD true-positive rate: with "OOD iff score ≤ t", the share
     * of in-distribution scores ≤ t at the largest negated threshold (the smallest t) that catches
     * at least {@code tpr} of the OOD scores; as scikit-learn's {@code fpr[argmax(tpr_curve >=
     * tpr)]} on {@code roc_curve(is_ood, -scores, drop_intermediate=False)}.
     *
     * @param tpr the target share of OOD scores caught, in [0, 1]
     * @return the share of in-distribution scores rejected at that operating point
     * @throws IllegalArgumentException if {@code tpr} is outside [0, 1]
     */
    public double fprAtTprOodPositive(double tpr) {
        checkRate(tpr, "tpr");
        // Point k flags "OOD iff score < thresholds[k]"; going down in k, fewer OOD are caught.
        for (int k = size - 1; k >= 0; k--) {
            if ((double) (outCount - outAtOrAbove[k]) / outCount >= tpr) {
                return (double) (inCount - inAtOrAbove[k]) / inCount;
            }
        }
        return 1.0; // the point at +infinity flags everything: OOD TPR 1, FPR 1
    }

    /**
     * The area under the ROC curve, P(s_in &gt; s_out) + ½ P(s_in = s_out), computed exactly in
     * integer arithmetic and divided once.
     *
     * @return AUROC
     */
    public double auroc() {
        return summary.auroc();
    }

    /**
     * Average precision with the in-distribution set positive (step-wise, as scikit-learn's {@code
     * average_precision_score}).
     *
     * @return AUPR-In
     */
    public double auprIn() {
        return summary.auprIn();
    }

    /**
     * Average precision with the OOD set positive and the scores negated.
     *
     * @return AUPR-Out
     */
    public double auprOut() {
        return summary.auprOut();
    }

    /**
     * The detection error min_t ½ (1 − TPR(t)) + ½ FPR(t).
     *
     * @return the detection error
     */
    public double detectionError() {
        return summary.detectionError();
    }

    /**
     * The full ROC curve: the point (0, 0) at +∞, then one point per distinct score.
     *
     * @return the curve, for plotting or further analysis
     */
    public RocCurve rocCurve() {
        double[] t = new double[size + 1];
        double[] fpr = new double[size + 1];
        double[] tpr = new double[size + 1];
        t[0] = Double.POSITIVE_INFINITY;
        for (int k = 0; k < size; k++) {
            t[k + 1] = thresholds[k];
            fpr[k + 1] = (double) outAtOrAbove[k] / outCount;
            tpr[k + 1] = (double) inAtOrAbove[k] / inCount;
        }
        return new RocCurve(t, fpr, tpr);
    }

    /**
     * The precision–recall curve with the chosen positive class, recall growing from 0.
     *
     * @param positive {@link PositiveClass#IN} for the curve behind AUPR-In, {@link
     *     PositiveClass#OUT} for AUPR-Out
     * @return the curve
     */
    public PrecisionRecallCurve precisionRecallCurve(PositiveClass positive) {
        Objects.requireNonNull(positive, "positive");
        double[] t = new double[size + 1];
        double[] recall = new double[size + 1];
        double[] precision = new double[size + 1];
        precision[0] = 1;
        if (positive == PositiveClass.IN) {
            t[0] = Double.POSITIVE_INFINITY;
            for (int k = 0; k < size; k++) {
                double tp = inAtOrAbove[k];
                t[k + 1] = thresholds[k];
                recall[k + 1] = tp / inCount;
                precision[k + 1] = tp / (tp + outAtOrAbove[k]);
            }
        } else {
            t[0] = Double.NEGATIVE_INFINITY;
            for (int i = 1; i <= size; i++) {
                int k = size - i; // increasing thresholds: "OOD iff score <= thresholds[k]"
                double tp = outCount - (k == 0 ? 0 : outAtOrAbove[k - 1]);
                double fp = inCount - (k == 0 ? 0 : inAtOrAbove[k - 1]);
                t[i] = thresholds[k];
                recall[i] = tp / outCount;
                precision[i] = tp / (tp + fp);
            }
        }
        return new PrecisionRecallCurve(positive, t, recall, precision);
    }

    /**
     * F1 score of the detector "in-distribution iff score &gt; δ" (strictly greater, as in Kim
     * &amp; Chung's 2-D study with max-softmax &gt; 0.8), F1 = 2 TP / (2 TP + FP + FN).
     *
     * <p>With {@link PositiveClass#IN}: TP = #{in &gt; δ}, FP = #{out &gt; δ}, FN = #{in ≤ δ}. With
     * {@link PositiveClass#OUT}: TP = #{out ≤ δ}, FP = #{in ≤ δ}, FN = #{out &gt; δ}. The two can
     * differ a lot: a classifier that accepts everything has a high in-positive F1 and an
     * out-positive F1 of 0.
     *
     * @param delta the threshold δ; any value but NaN
     * @param positive which set is the positive class
     * @return F1 in [0, 1]
     * @throws IllegalArgumentException if {@code delta} is NaN
     */
    public double f1AtThreshold(double delta, PositiveClass positive) {
        Objects.requireNonNull(positive, "positive");
        if (Double.isNaN(delta)) {
            throw new IllegalArgumentException("threshold delta must not be NaN");
        }
        int above = countAbove(delta);
        long inAbove = above == 0 ? 0 : inAtOrAbove[above - 1];
        long outAbove = above == 0 ? 0 : outAtOrAbove[above - 1];
        long tp;
        long fp;
        long fn;
        if (positive == PositiveClass.IN) {
            tp = inAbove;
            fp = outAbove;
            fn = inCount - inAbove;
        } else {
            tp = outCount - outAbove;
            fp = inCount - inAbove;
            fn = outAbove;
        }
        return 2.0 * tp / (2.0 * tp + fp + fn);
    }

    /**
     * The five metrics from a coarse threshold sweep, the evaluation scheme the Adversarial-Mixup
     * paper describes (Gwon &amp; Yoo, J. IEMEK 16(1), 2021; the same scheme as the ODIN authors'
     * evaluation code); kept to reproduce that paper's numbers, not for new results ({@link
     * #summary()} is exact).
     *
     * <p>The thresholds are δ_j = start + j (end − start) / gap for j = 0..gap, start = the
     * smallest score, end = the largest; at each the detector says "in" iff s &gt; δ_j, giving
     * TPR_j = #{in &gt; δ_j}/n_in and FPR_j = #{out &gt; δ_j}/n_out. The curve through these
     * points, closed by (0, 0) and by (1, 1) (everything accepted), is then measured like the exact
     * one: FPR at the first point (from the top) with TPR ≥ 0.95, trapezoidal AUROC, step-wise
     * AUPR-In and AUPR-Out, and the smallest ½ (1 − TPR) + ½ FPR. Each sampled point is a point of
     * the exact curve, so the sweep's values converge to the exact ones as {@code gap} grows, and
     * equal them once the step (end − start)/gap is smaller than the smallest gap between two
     * distinct scores. (The ODIN code counts "in" as s ≥ δ for TPR but s &gt; δ for FPR and
     * averages FPR over TPR ∈ [0.9495, 0.9505]; this sweep uses one rule throughout. The ODIN
     * code's own FPR@95TPR is {@link FprConvention#ODIN}.)
     *
     * @param gap the number of equal divisions of [start, end], at least 1
     * @return the five metrics of the sampled curve
     * @throws IllegalArgumentException if {@code gap} &lt; 1
     */
    public OodMetrics thresholdSweep(int gap) {
        if (gap < 1) {
            throw new IllegalArgumentException("gap must be at least 1, got " + gap);
        }
        double start = thresholds[size - 1];
        double end = thresholds[0];
        int[] tp = new int[gap + 2];
        int[] fp = new int[gap + 2];
        int above = 0; // number of distinct scores > delta; grows as delta falls
        int count = 0;
        for (int j = gap; j >= 0; j--) {
            double delta = j == gap ? end : start + j * ((end - start) / gap);
            while (above < size && thresholds[above] > delta) {
                above++;
            }
            tp[count] = above == 0 ? 0 : inAtOrAbove[above - 1];
            fp[count] = above == 0 ? 0 : outAtOrAbove[above - 1];
            count++;
        }
        tp[count] = inCount;
        fp[count] = outCount;
        count++;
        return summarise(inCount, outCount, tp, fp, count);
    }

    /** A short description: the set sizes and the number of distinct scores. */
    @Override
    public String toString() {
        return "Metrics[n_in="
                + inCount
                + ", n_out="
                + outCount
                + ", distinct scores="
                + size
                + "]";
    }

    /**
     * The five metrics from the points (tp[k], fp[k]) of a ROC curve in order of decreasing
     * threshold, with the point (0, 0) at +infinity implicit before them. Repeated points add
     * nothing, so a sampled curve (the threshold sweep) goes through the same code.
     */
    private static OodMetrics summarise(int nIn, int nOut, int[] tp, int[] fp, int count) {
        long twiceArea = 0; // sum of dFp * (tp_k + tp_{k-1}): 2 * n_in * n_out * AUROC, exact
        double weightedPrecisionIn = 0; // sum of dTp * precision_in
        double weightedPrecisionOut = 0; // sum of dFp * precision_out
        double fprAt95 = Double.NaN;
        double detectionError = 0.5; // the point at +infinity: TPR 0, FPR 0
        int prevTp = 0;
        int prevFp = 0;
        for (int k = 0; k < count; k++) {
            int t = tp[k];
            int f = fp[k];
            int dTp = t - prevTp;
            int dFp = f - prevFp;
            twiceArea += (long) dFp * ((long) t + prevTp);
            if (dTp > 0) {
                weightedPrecisionIn += dTp * ((double) t / ((double) t + f));
            }
            if (dFp > 0) {
                // OOD positive, scores negated: the dFp OOD scores of this step are caught at the
                // threshold where everything below the previous point is flagged.
                double outCaught = nOut - prevFp;
                double inFlagged = nIn - prevTp;
                weightedPrecisionOut += dFp * (outCaught / (outCaught + inFlagged));
            }
            double tpr = (double) t / nIn;
            double fpr = (double) f / nOut;
            if (Double.isNaN(fprAt95) && tpr >= TPR_95) {
                fprAt95 = fpr;
            }
            detectionError = Math.min(detectionError, 0.5 * (1 - tpr) + 0.5 * fpr);
            prevTp = t;
            prevFp = f;
        }
        double auroc = twiceArea / (2.0 * nIn * nOut);
        return new OodMetrics(
                fprAt95,
                auroc,
                weightedPrecisionIn / nIn,
                weightedPrecisionOut / nOut,
                detectionError);
    }

    /**
     * The mean FPR over the grid thresholds whose TPR lies in [low, high] ({@link
     * FprConvention#ODIN}, {@link FprConvention#LEE}): δ runs over numpy's {@code arange(start,
     * end, (end − start)/steps)} element by element, TPR = #{in ≥ δ}/n_in, FPR = #{out &gt;
     * δ}/n_out, the sum taken in grid order as the reference loops take it.
     */
    private double gridAverageFpr(int steps, double low, double high, double noneInBand) {
        double start = thresholds[size - 1];
        double end = thresholds[0];
        if (start == end) {
            return Double.NaN; // numpy.arange(start, end, 0.0) fails: no grid
        }
        double gap = (end - start) / steps;
        long length = (long) Math.ceil((end - start) / gap);
        // numpy fills arange as start + i * (second - first) from the third element on.
        double step = (start + gap) - start;
        int atOrAbove = size; // distinct scores >= delta; falls as delta rises
        int above = size; // distinct scores > delta
        double fprSum = 0;
        double count = 0;
        for (long i = 0; i < length; i++) {
            double delta = i == 0 ? start : i == 1 ? start + gap : start + i * step;
            while (atOrAbove > 0 && thresholds[atOrAbove - 1] < delta) {
                atOrAbove--;
            }
            while (above > 0 && thresholds[above - 1] <= delta) {
                above--;
            }
            double tpr = (atOrAbove == 0 ? 0 : inAtOrAbove[atOrAbove - 1]) / (double) inCount;
            if (tpr <= high && tpr >= low) {
                fprSum += (above == 0 ? 0 : outAtOrAbove[above - 1]) / (double) outCount;
                count += 1;
            }
        }
        return count == 0 ? noneInBand : fprSum / count;
    }

    /**
     * {@link FprConvention#MAHALANOBIS}: the first point of the bottom-up walk whose TPR is nearest
     * 0.95. The walk's TPR takes every value c/n_in, c = n_in down to 0; the first point with c
     * in-distribution scores left is reached when the (c + 1)-th largest one, v, has just left, and
     * every OOD score below v has left before it: FPR = #{out ≥ v}/n_out.
     */
    private double nearestTo95Fpr() {
        int best = inCount;
        double bestDistance = Math.abs((double) inCount / inCount - TPR_95);
        for (int c = inCount - 1; c >= 0; c--) {
            double distance = Math.abs((double) c / inCount - TPR_95);
            if (distance < bestDistance) { // strict: argmin keeps the first, the larger c
                best = c;
                bestDistance = distance;
            }
        }
        if (best == inCount) {
            return 1.0; // the walk's first point: nothing has left
        }
        int k = 0; // the threshold of v: the first point with more than best in-scores at or above
        while (inAtOrAbove[k] <= best) {
            k++;
        }
        return (double) outAtOrAbove[k] / outCount;
    }

    /** The number of distinct scores strictly greater than delta (thresholds decrease). */
    private int countAbove(double delta) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (thresholds[mid] > delta) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static void checkRate(double rate, String name) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + rate);
        }
    }

    private static Metrics fromCopies(double[] in, double[] out) {
        if ((long) in.length + out.length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    "too many scores for one evaluation: "
                            + in.length
                            + " in-distribution and "
                            + out.length
                            + " OOD (at most 2^31 - 9 together)");
        }
        sortBoth(in, out);
        int capacity = in.length + out.length;
        double[] thresholds = new double[capacity];
        int[] inAtOrAbove = new int[capacity];
        int[] outAtOrAbove = new int[capacity];
        // Merge the two ascending arrays from the top; each distinct value is one threshold.
        int i = in.length - 1;
        int j = out.length - 1;
        int tp = 0;
        int fp = 0;
        int size = 0;
        while (i >= 0 || j >= 0) {
            double t;
            if (i < 0) {
                t = out[j];
            } else if (j < 0) {
                t = in[i];
            } else {
                t = Math.max(in[i], out[j]);
            }
            while (i >= 0 && in[i] == t) {
                i--;
                tp++;
            }
            while (j >= 0 && out[j] == t) {
                j--;
                fp++;
            }
            thresholds[size] = t;
            inAtOrAbove[size] = tp;
            outAtOrAbove[size] = fp;
            size++;
        }
        if (size <= capacity / 2) { // many ties: give the unused half back
            thresholds = Arrays.copyOf(thresholds, size);
            inAtOrAbove = Arrays.copyOf(inAtOrAbove, size);
            outAtOrAbove = Arrays.copyOf(outAtOrAbove, size);
        }
        return new Metrics(in.length, out.length, size, thresholds, inAtOrAbove, outAtOrAbove);
    }

    /** Sorts both arrays ascending; large ones on two threads at once. */
    private static void sortBoth(double[] a, double[] b) {
        if (a.length + b.length < PARALLEL_SORT_MIN
                || ForkJoinPool.getCommonPoolParallelism() < 1) {
            Arrays.sort(a);
            Arrays.sort(b);
            return;
        }
        double[] larger = a.length >= b.length ? a : b;
        double[] smaller = larger == a ? b : a;
        ForkJoinTask<?> task = ForkJoinPool.commonPool().submit(() -> Arrays.sort(smaller));
        Arrays.sort(larger);
        task.join();
    }

    private static double[] checkedCopy(double[] scores, String set) {
        Objects.requireNonNull(scores, () -> "scores for the " + set);
        if (scores.length == 0) {
            throw new IllegalArgumentException("scores for the " + set + " are empty");
        }
        double[] copy = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            double v = scores[i];
            if (!Double.isFinite(v)) {
                throw notFinite(set, v, i);
            }
            copy[i] = v + 0.0; // -0.0 + 0.0 == +0.0: one value for the sort
        }
        return copy;
    }

    private static double[] checkedCopy(float[] scores, String set) {
        Objects.requireNonNull(scores, () -> "scores for the " + set);
        if (scores.length == 0) {
            throw new IllegalArgumentException("scores for the " + set + " are empty");
        }
        double[] copy = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            float v = scores[i];
            if (!Float.isFinite(v)) {
                throw notFinite(set, v, i);
            }
            copy[i] = v + 0.0;
        }
        return copy;
    }

    private static IllegalArgumentException notFinite(String set, double value, int index) {
        return new IllegalArgumentException(
                "scores for the " + set + " contain " + value + " at index " + index);
    }
}

package dev.oodlab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import dev.oodlab.nn.BatchRows;
import dev.oodlab.nn.Losses;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Mixup combined with the calibrated confidence loss, as in Kim and Chung's 2-D study: the
 * in-distribution batch is mixed within itself (labels mixed), the outlier batch is mixed within
 * itself (target uniform), and the confidence loss of {@link CalibratedConfidenceLoss} is applied
 * to the clean batches <em>and</em> to the mixed ones,
 *
 * <pre>
 *   λ ~ Beta(α, α) once per batch;  π, ρ random permutations of the in and outlier batches
 *   x̃ = λx + (1−λ)x_π,  ỹ = λe_y + (1−λ)e_{y_π},  õ = λo + (1−λ)o_ρ
 *   L = CE(p(x), y) + β·KL(u ‖ p(o))                   (the clean batch)
 *     + CE(p(x̃), ỹ) + β·KL(u ‖ p(õ))                   (the mixed pairs)          (means over each batch)
 * </pre>
 *
 * with all four batches in one forward pass (for batch norm: one set of batch statistics).
 *
 * <p><b>Readings.</b> {@link Form#ADDITIVE} (the default) is the study's: the mixed samples are
 * trained <em>in addition to</em> the clean ones ("추가로 학습": mixing increases the amount of training
 * data). {@link Form#REPLACING} keeps only the mixed terms, {@code L = CE(p(x̃), ỹ) + β·KL(u ‖
 * p(õ))}, as in Zhang et al.'s Mixup, where the mixed batch replaces the clean one; it is a
 * variant, not the study. Not spelled out by the study, and ours in both forms: one λ for the
 * in-distribution and the outlier batch.
 *
 * <p>Draws: {@code beta(α)}, {@code permutation(N)}, {@code permutation(M)} (the same in both
 * forms).
 */
public final class MixupConfidenceLoss implements TrainingMethod {

    /** The descriptor of {@code mixup-confidence}. */
    public static final MethodDescriptor DESCRIPTOR =
            MethodDescriptor.builder("mixup-confidence")
                    .summary(
                            "mixup of the in-distribution and of the outlier batch, with the"
                                    + " confidence loss")
                    .paper(
                            "Kim and Chung's 2-D study (mixup with the confidence loss of Lee et al.)")
                    .options(
                            SharedOptions.ALPHA,
                            SharedOptions.BETA,
                            MethodOption.choice(
                                    "mixup-form",
                                    Form.class,
                                    "additive",
                                    "additive (the confidence loss on the clean"
                                            + " batch plus on the mixed pairs, Kim & Chung) or"
                                            + " replacing (the mixed pairs alone)"))
                    .needsOutliers()
                    .factory(
                            values -> {
                                var b = builder();
                                values.ifReal("alpha", b::optAlpha)
                                        .ifReal("beta", b::optBeta)
                                        .ifChoice("mixup-form", Form.class, b::optForm);
                                return b.build();
                            })
                    .build();

    /** Whether the mixed samples come in addition to the clean ones or replace them. */
    public enum Form {
        /** Clean and mixed terms, summed (default; Kim and Chung's "추가로 학습"). */
        ADDITIVE,
        /** The mixed terms alone (the mixed batch replaces the clean one). */
        REPLACING;

        /** The name on the command line and in {@code results.json}: {@code additive}, … */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final double alpha;
    private final double beta;
    private final Form form;

    private MixupConfidenceLoss(Builder b) {
        this.alpha = b.alpha;
        this.beta = b.beta;
        this.form = b.form;
    }

    /** A builder with α = 1, β = 1, the additive form. */
    public static Builder builder() {
        return new Builder();
    }

    /** The Beta parameter α. */
    public double alpha() {
        return alpha;
    }

    /** The weight β of the outlier term. */
    public double beta() {
        return beta;
    }

    /** Whether the mixed terms come in addition to the clean ones or replace them. */
    public Form form() {
        return form;
    }

    @Override
    public NDArray loss(TrainingStep step) {
        NDArray outliers = step.requireOutliers(name());
        double lambda = step.random().beta(alpha);
        int n = step.batchSize();
        int m = (int) outliers.getShape().get(0);
        int[] perm = step.random().permutation(n);
        int[] outPerm = step.random().permutation(m);
        NDArray x = BatchRows.mix(step.x(), BatchRows.rows(step.x(), perm), lambda);
        NDArray o = BatchRows.mix(outliers, BatchRows.rows(outliers, outPerm), lambda);
        NDArray onehot = step.oneHotLabels();
        NDArray target = BatchRows.mix(onehot, BatchRows.rows(onehot, perm), lambda);
        if (form == Form.REPLACING) {
            NDArray logits = step.logits(BatchRows.concat(x, o));
            return confidenceLoss(logits, 0, n, m, target);
        }
        // rows: clean in (n), clean outliers (m), mixed in (n), mixed outliers (m)
        NDArray logits = step.logits(NDArrays.concat(new NDList(step.x(), outliers, x, o)));
        step.reportCleanLogits(logits.get(new NDIndex(":" + n)));
        return confidenceLoss(logits, 0, n, m, onehot)
                .add(confidenceLoss(logits, n + m, n, m, target));
    }

    /** CE on n rows from {@code from}, plus β·KL(u ‖ p) on the m rows after them. */
    private NDArray confidenceLoss(NDArray logits, int from, int n, int m, NDArray target) {
        NDArray in = logits.get(new NDIndex(from + ":" + (from + n)));
        NDArray out = logits.get(new NDIndex((from + n) + ":" + (from + n + m)));
        NDArray ce = Losses.crossEntropy(in, target).mean();
        return ce.add(Losses.klFromUniform(out).mean().mul((float) beta));
    }

    @Override
    public String name() {
        return "mixup-confidence";
    }

    @Override
    public Map<String, Object> recordedOptions() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("alpha", alpha);
        map.put("beta", beta);
        map.put("mixup_form", form.key());
        return map;
    }

    @Override
    public String toString() {
        return "MixupConfidenceLoss[alpha="
                + alpha
                + ", beta="
                + beta
                + ", form="
                + form.key()
                + "]";
    }

    /** Builds a {@link MixupConfidenceLoss}. */
    public static final class Builder {
        private double alpha = 1.0;
        private double beta = 1.0;
        private Form form = Form.ADDITIVE;

        private Builder() {}

        /** The Beta(α, α) parameter, α > 0 (default 1). */
        public Builder optAlpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** The weight β ≥ 0 of the outlier term (default 1). */
        public Builder optBeta(double beta) {
            this.beta = beta;
            return this;
        }

        /** Clean and mixed terms, or the mixed ones alone (default {@link Form#ADDITIVE}). */
        public Builder optForm(Form form) {
            this.form = Objects.requireNonNull(form, "form");
            return this;
        }

        /**
         * Checks the options and builds the method.
         *
         * @throws IllegalArgumentException naming the first invalid option
         */
        public MixupConfidenceLoss build() {
            Checks.option(alpha > 0 && Double.isFinite(alpha), "alpha", "> 0", alpha);
            Checks.option(beta >= 0 && Double.isFinite(beta), "beta", ">= 0", beta);
            return new MixupConfidenceLoss(this);
        }
    }
}

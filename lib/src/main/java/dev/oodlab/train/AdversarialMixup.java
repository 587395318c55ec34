package dev.oodlab.train;

import ai.djl.ndarray.NDArray;
import dev.oodlab.attack.Fgsm;
import dev.oodlab.nn.BatchRows;
import dev.oodlab.nn.GradientScope;
import dev.oodlab.nn.Losses;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Adversarial-Mixup (Gwon and Yoo, "Adversarial-Mixup: Increasing Robustness to Out-of-Distribution
 * Data and Reliability of Inference", J. IEMEK 16(1), 2021): mix an input with an FGSM adversarial
 * example and train on the mixed input with the λ-weighted labels of both,
 *
 * <pre>
 *   x^adv = clip₀¹(x + ε·sign(∇ₓ CE(p(x), y)))                  (FGSM, model in training mode)
 *   λ ~ Beta(α, α) once per batch;  j = π(i) for a random permutation π (or j = i)
 *   x̃ = λ·x_i + (1 − λ)·x_j^adv
 *   L_mix = λ·CE(p(x̃), y_i) + (1 − λ)·CE(p(x̃), t_j) = CE(p(x̃), λ·e_{y_i} + (1 − λ)·t_j)
 *   L = w·CE(p(x), y) + (1 − w)·L_mix                            (clean weight w, default 0)
 * </pre>
 *
 * <p><b>Readings.</b> Each choice the paper leaves open is an option; the defaults are its
 * equations read literally:
 *
 * <ul>
 *   <li><b>Partner</b> ({@link Partner}). Eq. (2) mixes x_i, "the randomly selected i-th original
 *       data", with x_j^adv, "the j-th original data with the attack applied": two indices, so by
 *       default j is a random permutation of the batch ({@link Partner#SHUFFLED}), as in Mixup. The
 *       prose before eq. (2) calls the attacked data "that data's" attack, which reads as j = i
 *       ({@link Partner#SAME}).
 *   <li><b>Adversarial target</b> ({@link Target}). Loss (3) is the λ-weighted sum of "(a) the loss
 *       of x_i" and "(b) the loss of x_j^adv"; the loss of x_j^adv is taken with its label y_j
 *       ({@link Target#LABEL}, default). {@link Target#UNIFORM} (t_j = u) is our earlier reading,
 *       not the paper's: no uniform target appears in its text. It lowers the confidence on OOD
 *       inputs, but with ε = 0 it is label smoothing towards u (a control worth measuring).
 *   <li><b>Clean weight</b> w. The paper's loss has no clean term (w = 0, default). w = ½ is the
 *       clean term of FGSM adversarial training as Goodfellow, Shlens and Szegedy (ICLR 2015)
 *       introduced it, a variant.
 * </ul>
 *
 * With the partner {@link Partner#SAME} and the target {@link Target#LABEL} the two labels are the
 * same and L_mix is plain FGSM adversarial training on the mixed input. {@link #uniformPreset()}
 * (same partner, uniform target, w = ½) is the method this library called Adversarial-Mixup before;
 * its loss and gradients are the earlier ones bit for bit. Defaults α = 1, ε = 0.1 for 28×28 data
 * (8/255 is usual for CIFAR).
 *
 * <p>Inside the training loop with w > 0 the clean pass costs nothing extra: its backward pass
 * gives both the parameters' share of the clean term and the input gradient of the attack ({@link
 * Fgsm#fromGradient}). The attack of the whole batch is computed once and its rows permuted, which
 * is the attack of each x_j (FGSM treats the samples of a batch independently).
 *
 * <p>Draws: {@code beta(α)} after the attack, then {@code permutation(N)} for the shuffled partner.
 */
public final class AdversarialMixup implements TrainingMethod {

    /** The default weight of the clean term: none, as in the paper's loss. */
    public static final double DEFAULT_CLEAN_WEIGHT = 0;

    /** The name of {@link #uniformPreset()} in {@link TrainingMethods}. */
    public static final String UNIFORM_PRESET = "adversarial-mixup-uniform";

    private static final String PAPER =
            "Gwon and Yoo, Adversarial-Mixup: Increasing Robustness to Out-of-Distribution Data"
                    + " and Reliability of Inference, J. IEMEK 16(1), 2021";

    /**
     * The descriptor of {@code adversarial-mixup}: the paper's reading, every reading an option.
     */
    public static final MethodDescriptor DESCRIPTOR =
            MethodDescriptor.builder("adversarial-mixup")
                    .summary("mixup of each input with an FGSM adversarial example")
                    .paper(PAPER)
                    .options(
                            SharedOptions.ALPHA,
                            SharedOptions.EPSILON,
                            MethodOption.real(
                                    "clean-weight",
                                    MethodOption.Range.UNIT_INTERVAL,
                                    "0: the paper's loss has none; 0.5 as in FGSM training",
                                    "Weight of the clean cross-entropy term"),
                            MethodOption.choice(
                                    "partner",
                                    Partner.class,
                                    "shuffled",
                                    "Whose FGSM example x_i is mixed with: shuffled (x_j, j a"
                                            + " random permutation, the paper's eq. 2) or same"
                                            + " (x_i's own)"),
                            MethodOption.choice(
                                    "adversarial-target",
                                    Target.class,
                                    "label",
                                    "Label of the attacked part: label (y_j, the paper's loss 3)"
                                            + " or uniform (u, the earlier reading; the preset "
                                            + UNIFORM_PRESET
                                            + " is same + uniform + clean weight 0.5)"))
                    .factory(values -> configure(builder(), values))
                    .forwardPasses(5)
                    .build();

    /** The descriptor of {@value #UNIFORM_PRESET} ({@link #uniformPreset()}): α and ε only. */
    public static final MethodDescriptor UNIFORM_DESCRIPTOR =
            MethodDescriptor.builder(UNIFORM_PRESET)
                    .summary(
                            "adversarial-mixup with the earlier reading: own partner, uniform"
                                    + " target, clean weight 0.5")
                    .paper(PAPER)
                    .options(SharedOptions.ALPHA, SharedOptions.EPSILON)
                    .factory(values -> configure(uniformPreset(), values))
                    .build();

    private static AdversarialMixup configure(Builder b, MethodDescriptor.Values values) {
        values.ifReal("alpha", b::optAlpha)
                .ifReal("epsilon", b::optEpsilon)
                .ifReal("clean-weight", b::optCleanWeight)
                .ifChoice("partner", Partner.class, b::optPartner)
                .ifChoice("adversarial-target", Target.class, b::optTarget);
        return b.build();
    }

    /** Whose adversarial example x_i is mixed with. */
    public enum Partner {
        /** x_j^adv with j = π(i), π a random permutation of the batch (default; eq. (2)). */
        SHUFFLED,
        /** x_i^adv, the sample's own adversarial example ("that data's" attack). */
        SAME;

        /** The name on the command line and in {@code results.json}: {@code shuffled}, … */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The target t_j of the adversarial part of the mixed label. */
    public enum Target {
        /** t_j = e_{y_j}, the label of the attacked sample (default; loss (3)). */
        LABEL,
        /** t_j = u, the uniform distribution (our earlier reading). */
        UNIFORM;

        /** The name on the command line and in {@code results.json}: {@code label}, … */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final double alpha;
    private final double epsilon;
    private final Partner partner;
    private final Target target;
    private final double cleanWeight;
    private final Fgsm attack;

    private AdversarialMixup(Builder b) {
        this.alpha = b.alpha;
        this.epsilon = b.epsilon;
        this.partner = b.partner;
        this.target = b.target;
        this.cleanWeight = b.cleanWeight;
        this.attack = Fgsm.builder().optEpsilon(epsilon).optTrainingMode(true).build();
    }

    /**
     * A builder with the paper's reading: α = 1, ε = 0.1, shuffled partner, label target, w = 0.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder with the earlier reading of this library ({@value #UNIFORM_PRESET}): the partner
     * {@link Partner#SAME}, the target {@link Target#UNIFORM}, clean weight ½; α = 1, ε = 0.1.
     */
    public static Builder uniformPreset() {
        return new Builder().optPartner(Partner.SAME).optTarget(Target.UNIFORM).optCleanWeight(0.5);
    }

    /** The Beta parameter α. */
    public double alpha() {
        return alpha;
    }

    /** The FGSM step ε (pixel units). */
    public double epsilon() {
        return epsilon;
    }

    /** Whose adversarial example is mixed in. */
    public Partner partner() {
        return partner;
    }

    /** The target of the adversarial part of the label. */
    public Target target() {
        return target;
    }

    /** The weight w of the clean cross-entropy term, 0 ≤ w < 1 (0: the paper's loss). */
    public double cleanWeight() {
        return cleanWeight;
    }

    @Override
    public NDArray loss(TrainingStep step) {
        NDArray x = step.x();
        NDArray onehot = step.oneHotLabels();
        NDArray clean = null;
        NDArray adv;
        GradientScope scope = GradientScope.current();
        if (cleanWeight > 0 && scope != null) {
            // One clean pass serves both the clean term and the attack: back-propagating w·CE
            // gives the parameters their share and x a gradient whose sign is FGSM's (w > 0).
            NDArray leaf = x.stopGradient();
            leaf.setRequiresGradient(true);
            NDArray cleanLogits = step.logits(leaf);
            step.reportCleanLogits(cleanLogits);
            clean = Losses.crossEntropy(cleanLogits, onehot).mean();
            scope.backward(clean.mul((float) cleanWeight));
            adv = attack.fromGradient(x, leaf.getGradient());
            clean = clean.stopGradient();
        } else {
            adv = attack.perturb(step.network(), x, step.labels());
        }
        double lambda = step.random().beta(alpha);
        NDArray partnerLabels = onehot;
        if (partner == Partner.SHUFFLED) {
            int[] perm = step.random().permutation(step.batchSize());
            adv = BatchRows.rows(adv, perm);
            partnerLabels = BatchRows.rows(onehot, perm);
        }
        NDArray mixed = BatchRows.mix(x, adv, lambda);
        NDArray other =
                target == Target.UNIFORM
                        ? Losses.uniform(step.manager(), step.batchSize(), step.numClasses())
                        : partnerLabels;
        NDArray soft = BatchRows.mix(onehot, other, lambda);
        NDArray mixedLoss = Losses.crossEntropy(step.logits(mixed), soft).mean();
        if (cleanWeight == 0) {
            return mixedLoss;
        }
        if (clean == null) {
            // No open gradient scope (a loss computed outside the training loop): the clean
            // term through a forward pass of its own.
            NDArray cleanLogits = step.logits(x);
            step.reportCleanLogits(cleanLogits);
            clean = Losses.crossEntropy(cleanLogits, onehot).mean();
        }
        return clean.mul((float) cleanWeight).add(mixedLoss.mul((float) (1 - cleanWeight)));
    }

    /**
     * {@code adversarial-mixup}, or {@value #UNIFORM_PRESET} for the configuration of {@link
     * #uniformPreset()} (same partner, uniform target, w = ½), whatever α and ε.
     */
    @Override
    public String name() {
        return partner == Partner.SAME && target == Target.UNIFORM && cleanWeight == 0.5
                ? UNIFORM_PRESET
                : "adversarial-mixup";
    }

    @Override
    public Map<String, Object> recordedOptions() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("alpha", alpha);
        map.put("epsilon", epsilon);
        map.put("partner", partner.key());
        map.put("adversarial_target", target.key());
        map.put("clean_weight", cleanWeight);
        return map;
    }

    @Override
    public String toString() {
        return "AdversarialMixup[alpha="
                + alpha
                + ", eps="
                + epsilon
                + ", partner="
                + partner.key()
                + ", target="
                + target.key()
                + ", cleanWeight="
                + cleanWeight
                + "]";
    }

    /** Builds an {@link AdversarialMixup}. */
    public static final class Builder {
        private double alpha = 1.0;
        private double epsilon = 0.1;
        private Partner partner = Partner.SHUFFLED;
        private Target target = Target.LABEL;
        private double cleanWeight = DEFAULT_CLEAN_WEIGHT;

        private Builder() {}

        /** The Beta(α, α) parameter, α > 0 (default 1). */
        public Builder optAlpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** The FGSM step ε ≥ 0 in pixel units (default 0.1). */
        public Builder optEpsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** Whose adversarial example is mixed in (default {@link Partner#SHUFFLED}). */
        public Builder optPartner(Partner partner) {
            this.partner = Objects.requireNonNull(partner, "partner");
            return this;
        }

        /** The adversarial target (default {@link Target#LABEL}). */
        public Builder optTarget(Target target) {
            this.target = Objects.requireNonNull(target, "target");
            return this;
        }

        /**
         * The weight w of the clean term, 0 ≤ w < 1 (default 0, the paper's loss): L = w·CE(p(x),
         * y) + (1 − w)·L_mix.
         */
        public Builder optCleanWeight(double cleanWeight) {
            this.cleanWeight = cleanWeight;
            return this;
        }

        /**
         * Checks the options and builds the method.
         *
         * @throws IllegalArgumentException naming the first invalid option
         */
        public AdversarialMixup build() {
            Checks.option(alpha > 0 && Double.isFinite(alpha), "alpha", "> 0", alpha);
            Checks.option(epsilon >= 0 && Double.isFinite(epsilon), "epsilon", ">= 0", epsilon);
            Checks.option(
                    cleanWeight >= 0 && cleanWeight < 1, "clean-weight", "in [0, 1)", cleanWeight);
            return new AdversarialMixup(this);
        }
    }
}

package dev.oodlab.experiment;

import dev.oodlab.train.AdversarialMixup;
import dev.oodlab.train.CalibratedConfidenceLoss;
import dev.oodlab.train.CrossEntropy;
import dev.oodlab.train.GaussianAugmentation;
import dev.oodlab.train.Mixup;
import dev.oodlab.train.MixupConfidenceLoss;
import dev.oodlab.train.MixupTargetedLabelingAdversarialTraining;
import dev.oodlab.train.SmoothMix;
import dev.oodlab.train.TrainingMethod;
import dev.oodlab.train.TrainingMethods;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The options a command line or notebook sets on a named training method: α (Beta(α, α) of the
 * mixing methods), ε (the FGSM step of Adversarial-Mixup and M-TLAT), β (the outlier weight of the
 * confidence losses), σ (the noise of Gaussian augmentation and SmoothMix) and SmoothMix's own
 * options (SPEC §3.9; Jeong et al., NeurIPS 2021): the number m of noise draws, the number T of
 * attack steps, the step size α of the attack (called {@code step-size} here so that it is not
 * confused with the mixing α), the weight η of the mixup term, the one-step-adversary variant and
 * the warm-up of η in epochs. The readings of the methods named after papers are options too:
 * mixup-confidence's form (the mixed terms added to the clean ones or replacing them),
 * Adversarial-Mixup's partner, adversarial target and clean weight, M-TLAT's target class. {@code
 * null} means the method's default. An option the method does not have is an error, not silently
 * ignored; so is any option of the reading on {@code adversarial-mixup-uniform}, a preset of all
 * three.
 *
 * <p>SmoothMix's defaults are the authors' MNIST settings: m = 4, α = 1, η = 5, warm-up 10 epochs,
 * mixing from x, σ = 0.25 and T = {@link SmoothMix#mnistSteps}(σ) — T follows σ when it is not set
 * (σ = 0.25 → 2, 0.5 → 4, 1.0 → 8).
 *
 * <p>Options are named in messages as on the command line ({@code noise-draws}, {@code step-size},
 * …) and recorded in {@code results.json} and {@code model.json} in snake case ({@code
 * noise_draws}, {@code step_size}, …; {@link #recorded}).
 *
 * @param alpha α > 0, or null
 * @param epsilon ε ≥ 0, or null
 * @param beta β ≥ 0, or null
 * @param sigma σ > 0, or null
 * @param noiseDraws SmoothMix's m ≥ 1, or null
 * @param steps SmoothMix's T ≥ 1, or null
 * @param stepSize SmoothMix's attack step size α > 0, or null
 * @param eta SmoothMix's η ≥ 0, or null
 * @param oneStep SmoothMix's one-step-adversary variant (mix from the first attack iterate), or
 *     null
 * @param warmupEpochs SmoothMix's warm-up of η in epochs ≥ 1, or null
 * @param cleanWeight Adversarial-Mixup's weight of the clean cross-entropy term, in [0, 1), or null
 * @param mixupForm mixup-confidence's form, {@code additive} or {@code replacing} ({@link
 *     MixupConfidenceLoss.Form}), or null
 * @param partner Adversarial-Mixup's partner, {@code shuffled} or {@code same} ({@link
 *     AdversarialMixup.Partner}), or null
 * @param adversarialTarget Adversarial-Mixup's adversarial target, {@code label} or {@code uniform}
 *     ({@link AdversarialMixup.Target}), or null
 * @param targetClass M-TLAT's target class, {@code any} or {@code other} ({@link
 *     MixupTargetedLabelingAdversarialTraining.TargetClass}), or null
 */
public record MethodOptions(
        Double alpha,
        Double epsilon,
        Double beta,
        Double sigma,
        Integer noiseDraws,
        Integer steps,
        Double stepSize,
        Double eta,
        Boolean oneStep,
        Integer warmupEpochs,
        Double cleanWeight,
        String mixupForm,
        String partner,
        String adversarialTarget,
        String targetClass) {

    private static final List<String> SMOOTHMIX_OPTIONS =
            List.of(
                    "sigma",
                    "noise-draws",
                    "steps",
                    "step-size",
                    "eta",
                    "one-step",
                    "warmup-epochs");

    private static final Map<String, Set<String>> ACCEPTS =
            Map.of(
                    "ce",
                    Set.of(),
                    "confidence-loss",
                    Set.of("beta"),
                    "mixup",
                    Set.of("alpha"),
                    "mixup-confidence",
                    Set.of("alpha", "beta", "mixup-form"),
                    "adversarial-mixup",
                    Set.of("alpha", "epsilon", "clean-weight", "partner", "adversarial-target"),
                    AdversarialMixup.UNIFORM_PRESET,
                    Set.of("alpha", "epsilon"),
                    "m-tlat",
                    Set.of("alpha", "epsilon", "target-class"),
                    "gaussian",
                    Set.of("sigma"),
                    "smoothmix",
                    Set.copyOf(SMOOTHMIX_OPTIONS));

    /**
     * The options of the methods other than SmoothMix; SmoothMix's at their defaults.
     *
     * @param alpha α > 0, or null
     * @param epsilon ε ≥ 0, or null
     * @param beta β ≥ 0, or null
     * @param sigma σ > 0, or null
     */
    public MethodOptions(Double alpha, Double epsilon, Double beta, Double sigma) {
        this(
                alpha, epsilon, beta, sigma, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    /**
     * These options with α and ε replaced.
     *
     * @param alphaValue the new α
     * @param epsilonValue the new ε
     * @return a copy with {@code alpha = alphaValue, epsilon = epsilonValue}
     */
    public MethodOptions withAlphaAndEpsilon(Double alphaValue, Double epsilonValue) {
        return new MethodOptions(
                        alphaValue,
                        epsilon,
                        beta,
                        sigma,
                        noiseDraws,
                        steps,
                        stepSize,
                        eta,
                        oneStep,
                        warmupEpochs,
                        cleanWeight,
                        mixupForm,
                        partner,
                        adversarialTarget,
                        targetClass)
                .withEpsilon(epsilonValue);
    }

    /**
     * These options with ε replaced.
     *
     * @param value the new ε
     * @return a copy with {@code epsilon = value}
     */
    public MethodOptions withEpsilon(Double value) {
        return new MethodOptions(
                alpha,
                value,
                beta,
                sigma,
                noiseDraws,
                steps,
                stepSize,
                eta,
                oneStep,
                warmupEpochs,
                cleanWeight,
                mixupForm,
                partner,
                adversarialTarget,
                targetClass);
    }

    /** Every option at the method's default. */
    public static MethodOptions defaults() {
        return new MethodOptions(null, null, null, null);
    }

    /**
     * Whether a named method has an option.
     *
     * @param method a name of {@link TrainingMethods#NAMES}
     * @param option an option name as {@link #create} reports it: {@code alpha}, {@code epsilon},
     *     {@code beta}, {@code sigma}, or a SmoothMix option such as {@code noise-draws}
     * @return true if {@link #create} accepts that option for the method
     */
    public static boolean accepts(String method, String option) {
        Set<String> accepted = ACCEPTS.get(method.toLowerCase(Locale.ROOT));
        return accepted != null && accepted.contains(option);
    }

    /**
     * Whether the named method trains on an outlier set (the confidence losses).
     *
     * @param method a name of {@link TrainingMethods#NAMES}
     * @return true for {@code confidence-loss} and {@code mixup-confidence}
     */
    public static boolean needsOutliers(String method) {
        String key = method.toLowerCase(Locale.ROOT);
        return key.equals("confidence-loss") || key.equals("mixup-confidence");
    }

    /**
     * Builds the named method with these options.
     *
     * @param method a name of {@link TrainingMethods#NAMES}
     * @return the configured method
     * @throws IllegalArgumentException for an unknown method, an option the method does not have,
     *     or a value out of range (the message names the option)
     */
    public TrainingMethod create(String method) {
        String key = method.toLowerCase(Locale.ROOT);
        if (!ACCEPTS.containsKey(key)) {
            TrainingMethods.create(method); // throws, listing the known names
        }
        check(key);
        return switch (key) {
            case "ce" -> new CrossEntropy();
            case "confidence-loss" -> {
                var b = CalibratedConfidenceLoss.builder();
                if (beta != null) {
                    b.optBeta(beta);
                }
                yield b.build();
            }
            case "mixup" -> {
                var b = Mixup.builder();
                if (alpha != null) {
                    b.optAlpha(alpha);
                }
                yield b.build();
            }
            case "mixup-confidence" -> {
                var b = MixupConfidenceLoss.builder();
                if (alpha != null) {
                    b.optAlpha(alpha);
                }
                if (beta != null) {
                    b.optBeta(beta);
                }
                if (mixupForm != null) {
                    b.optForm(choice("mixup-form", mixupForm, MixupConfidenceLoss.Form.class));
                }
                yield b.build();
            }
            case "adversarial-mixup", AdversarialMixup.UNIFORM_PRESET -> {
                var b =
                        key.equals(AdversarialMixup.UNIFORM_PRESET)
                                ? AdversarialMixup.uniformPreset()
                                : AdversarialMixup.builder();
                if (alpha != null) {
                    b.optAlpha(alpha);
                }
                if (epsilon != null) {
                    b.optEpsilon(epsilon);
                }
                if (cleanWeight != null) {
                    b.optCleanWeight(cleanWeight);
                }
                if (partner != null) {
                    b.optPartner(choice("partner", partner, AdversarialMixup.Partner.class));
                }
                if (adversarialTarget != null) {
                    b.optTarget(
                            choice(
                                    "adversarial-target",
                                    adversarialTarget,
                                    AdversarialMixup.Target.class));
                }
                yield b.build();
            }
            case "m-tlat" -> {
                var b = MixupTargetedLabelingAdversarialTraining.builder();
                if (alpha != null) {
                    b.optAlpha(alpha);
                }
                if (epsilon != null) {
                    b.optEpsilon(epsilon);
                }
                if (targetClass != null) {
                    b.optTargetClass(
                            choice(
                                    "target-class",
                                    targetClass,
                                    MixupTargetedLabelingAdversarialTraining.TargetClass.class));
                }
                yield b.build();
            }
            case "gaussian" -> {
                var b = GaussianAugmentation.builder();
                if (sigma != null) {
                    b.optSigma(sigma);
                }
                yield b.build();
            }
            case "smoothmix" -> {
                var b = SmoothMix.builder();
                double s = sigma != null ? sigma : b.build().sigma();
                b.optSigma(s).optSteps(steps != null ? steps : SmoothMix.mnistSteps(s));
                if (noiseDraws != null) {
                    b.optNoiseSamples(noiseDraws);
                }
                if (stepSize != null) {
                    b.optStepSize(stepSize);
                }
                if (eta != null) {
                    b.optEta(eta);
                }
                if (oneStep != null) {
                    b.optOneStepAdversary(oneStep);
                }
                if (warmupEpochs != null) {
                    b.optWarmupEpochs(warmupEpochs);
                }
                yield b.build();
            }
            default -> throw new IllegalStateException(key);
        };
    }

    /**
     * The options that were set, by their recorded (snake-case) names.
     *
     * @return e.g. {@code {"alpha": 1.0, "epsilon": 0.05}} or {@code {"sigma": 0.5, "steps": 4}}
     */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        set().forEach((name, value) -> map.put(name.replace('-', '_'), value));
        return map;
    }

    /**
     * Every option the named method has, at the value it trains with (the ones set here, the
     * method's defaults for the others), by recorded name — what {@code results.json} and {@code
     * model.json} record under {@code options}, so that a run says how it was made even where a
     * default depends on another option (SmoothMix's T on σ).
     *
     * @param method a name of {@link TrainingMethods#NAMES}
     * @return e.g. {@code {}} for {@code ce}, {@code {"sigma": 0.25}} for {@code gaussian}, {@code
     *     {"sigma": 0.5, "noise_draws": 4, "steps": 4, "step_size": 1.0, "eta": 5.0, "one_step":
     *     false, "warmup_epochs": 10, "chunks_per_batch": 4}} for {@code smoothmix} with σ = 0.5
     *     (its batches split into m chunks with one optimizer step each, as the authors' code)
     * @throws IllegalArgumentException as {@link #create} does
     */
    public Map<String, Object> recorded(String method) {
        TrainingMethod built = create(method);
        Map<String, Object> map = new LinkedHashMap<>();
        if (built instanceof Mixup m) {
            map.put("alpha", m.alpha());
        } else if (built instanceof CalibratedConfidenceLoss c) {
            map.put("beta", c.beta());
        } else if (built instanceof MixupConfidenceLoss m) {
            map.put("alpha", m.alpha());
            map.put("beta", m.beta());
            map.put("mixup_form", m.form().key());
        } else if (built instanceof AdversarialMixup a) {
            map.put("alpha", a.alpha());
            map.put("epsilon", a.epsilon());
            map.put("partner", a.partner().key());
            map.put("adversarial_target", a.target().key());
            map.put("clean_weight", a.cleanWeight());
        } else if (built instanceof MixupTargetedLabelingAdversarialTraining t) {
            map.put("alpha", t.alpha());
            map.put("epsilon", t.epsilon());
            map.put("target_class", t.targetClass().key());
        } else if (built instanceof GaussianAugmentation g) {
            map.put("sigma", g.sigma());
        } else if (built instanceof SmoothMix m) {
            map.put("sigma", m.sigma());
            map.put("noise_draws", m.noiseSamples());
            map.put("steps", m.steps());
            map.put("step_size", m.stepSize());
            map.put("eta", m.eta());
            map.put("one_step", m.oneStepAdversary());
            map.put("warmup_epochs", m.warmupEpochs());
            map.put("chunks_per_batch", m.chunksPerBatch());
        }
        return map;
    }

    /** The options that were set, by their command-line names, in declaration order. */
    private Map<String, Object> set() {
        Map<String, Object> map = new LinkedHashMap<>();
        Object[][] all = {
            {"alpha", alpha},
            {"epsilon", epsilon},
            {"beta", beta},
            {"sigma", sigma},
            {"noise-draws", noiseDraws},
            {"steps", steps},
            {"step-size", stepSize},
            {"eta", eta},
            {"one-step", oneStep},
            {"warmup-epochs", warmupEpochs},
            {"clean-weight", cleanWeight},
            {"mixup-form", mixupForm},
            {"partner", partner},
            {"adversarial-target", adversarialTarget},
            {"target-class", targetClass}
        };
        for (Object[] option : all) {
            if (option[1] != null) {
                map.put((String) option[0], option[1]);
            }
        }
        return map;
    }

    private void check(String method) {
        Set<String> accepted = ACCEPTS.get(method);
        List<String> refused = new ArrayList<>();
        for (String option : set().keySet()) {
            if (!accepted.contains(option)) {
                refused.add(option);
            }
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException(
                    "method "
                            + method
                            + " has no option "
                            + String.join(", ", refused)
                            + (accepted.isEmpty()
                                    ? " (it has no options)"
                                    : " (it has: "
                                            + String.join(", ", accepted.stream().sorted().toList())
                                            + ")"));
        }
        // The builders check the ranges too; these messages name the option as the user wrote it.
        positive("alpha", alpha);
        nonNegative("epsilon", epsilon);
        nonNegative("beta", beta);
        positive("sigma", sigma);
        atLeastOne("noise-draws", noiseDraws);
        atLeastOne("steps", steps);
        positive("step-size", stepSize);
        nonNegative("eta", eta);
        atLeastOne("warmup-epochs", warmupEpochs);
        nonNegative("clean-weight", cleanWeight);
        if (cleanWeight != null && !(cleanWeight < 1)) {
            throw new IllegalArgumentException("clean-weight must be < 1, got " + cleanWeight);
        }
        if (mixupForm != null) {
            choice("mixup-form", mixupForm, MixupConfidenceLoss.Form.class);
        }
        if (partner != null) {
            choice("partner", partner, AdversarialMixup.Partner.class);
        }
        if (adversarialTarget != null) {
            choice("adversarial-target", adversarialTarget, AdversarialMixup.Target.class);
        }
        if (targetClass != null) {
            choice(
                    "target-class",
                    targetClass,
                    MixupTargetedLabelingAdversarialTraining.TargetClass.class);
        }
    }

    /**
     * The constant of an option's enum whose lower-case name is the value, e.g. {@code additive}
     * for {@link MixupConfidenceLoss.Form#ADDITIVE}.
     *
     * @throws IllegalArgumentException naming the option and the values it takes
     */
    private static <E extends Enum<E>> E choice(String option, String value, Class<E> type) {
        List<String> keys = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            String key = e.name().toLowerCase(Locale.ROOT);
            if (key.equals(value.toLowerCase(Locale.ROOT))) {
                return e;
            }
            keys.add(key);
        }
        throw new IllegalArgumentException(
                option + " must be " + String.join(" or ", keys) + ", got '" + value + "'");
    }

    private static void positive(String name, Double value) {
        finite(name, value);
        if (value != null && !(value > 0)) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }

    private static void nonNegative(String name, Double value) {
        finite(name, value);
        if (value != null && !(value >= 0)) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
    }

    private static void atLeastOne(String name, Integer value) {
        if (value != null && value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }

    private static void finite(String name, Double value) {
        if (value != null && !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number, got " + value);
        }
    }
}

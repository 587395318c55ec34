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
 * confidence losses) and σ (the noise of Gaussian augmentation and SmoothMix). {@code null} means
 * the method's default. An option the method does not have is an error, not silently ignored.
 *
 * @param alpha α > 0, or null
 * @param epsilon ε ≥ 0, or null
 * @param beta β ≥ 0, or null
 * @param sigma σ > 0, or null
 */
public record MethodOptions(Double alpha, Double epsilon, Double beta, Double sigma) {

    private static final Map<String, Set<String>> ACCEPTS =
            Map.of(
                    "ce", Set.of(),
                    "confidence-loss", Set.of("beta"),
                    "mixup", Set.of("alpha"),
                    "mixup-confidence", Set.of("alpha", "beta"),
                    "adversarial-mixup", Set.of("alpha", "epsilon"),
                    "m-tlat", Set.of("alpha", "epsilon"),
                    "gaussian", Set.of("sigma"),
                    "smoothmix", Set.of("sigma"));

    /** Every option at the method's default. */
    public static MethodOptions defaults() {
        return new MethodOptions(null, null, null, null);
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
                yield b.build();
            }
            case "adversarial-mixup" -> {
                var b = AdversarialMixup.builder();
                if (alpha != null) {
                    b.optAlpha(alpha);
                }
                if (epsilon != null) {
                    b.optEpsilon(epsilon);
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
                if (sigma != null) {
                    b.optSigma(sigma);
                }
                yield b.build();
            }
            default -> throw new IllegalStateException(key);
        };
    }

    /**
     * The options that were set, by name, for the results record.
     *
     * @return e.g. {@code {"alpha": 1.0, "epsilon": 0.05}}
     */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        if (alpha != null) {
            map.put("alpha", alpha);
        }
        if (epsilon != null) {
            map.put("epsilon", epsilon);
        }
        if (beta != null) {
            map.put("beta", beta);
        }
        if (sigma != null) {
            map.put("sigma", sigma);
        }
        return map;
    }

    private void check(String method) {
        Set<String> accepted = ACCEPTS.get(method);
        List<String> refused = new ArrayList<>();
        for (String option : asMap().keySet()) {
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

    private static void finite(String name, Double value) {
        if (value != null && !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number, got " + value);
        }
    }
}

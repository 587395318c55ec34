package dev.oodlab.train;

import java.util.List;
import java.util.Locale;

/** The training methods by name, with their default options. */
public final class TrainingMethods {

    /** The names {@link #create} accepts. */
    public static final List<String> NAMES =
            List.of(
                    "ce",
                    "confidence-loss",
                    "mixup",
                    "mixup-confidence",
                    "adversarial-mixup",
                    AdversarialMixup.UNIFORM_PRESET,
                    "m-tlat",
                    "gaussian",
                    "smoothmix");

    private TrainingMethods() {}

    /**
     * The named method with its default options (use the method's builder to change them).
     *
     * @param name one of {@link #NAMES}
     * @return the method
     * @throws IllegalArgumentException for an unknown name
     */
    public static TrainingMethod create(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "ce" -> new CrossEntropy();
            case "confidence-loss" -> CalibratedConfidenceLoss.builder().build();
            case "mixup" -> Mixup.builder().build();
            case "mixup-confidence" -> MixupConfidenceLoss.builder().build();
            case "adversarial-mixup" -> AdversarialMixup.builder().build();
            case AdversarialMixup.UNIFORM_PRESET -> AdversarialMixup.uniformPreset().build();
            case "m-tlat" -> MixupTargetedLabelingAdversarialTraining.builder().build();
            case "gaussian" -> GaussianAugmentation.builder().build();
            case "smoothmix" -> SmoothMix.builder().build();
            default ->
                    throw new IllegalArgumentException(
                            "unknown training method '"
                                    + name
                                    + "'; known: "
                                    + String.join(", ", NAMES));
        };
    }
}

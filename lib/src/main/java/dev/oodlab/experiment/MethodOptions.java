package dev.oodlab.experiment;

import dev.oodlab.train.MethodDescriptor;
import dev.oodlab.train.TrainingMethod;
import dev.oodlab.train.TrainingMethods;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The options a command line or notebook sets on a named training method, by their command-line
 * names ({@code alpha}, {@code epsilon}, {@code noise-draws}, …); an option not set takes the
 * method's default. What each method accepts, with its type, range, default and help, is the
 * method's {@link MethodDescriptor} in {@link TrainingMethods#ALL}; {@link #create} checks these
 * values against it: an option the method does not have is an error ({@code "method mixup has no
 * option beta (it has: alpha)"}), not silently ignored, and so is a value out of range.
 *
 * <p>SmoothMix's defaults are the authors' MNIST settings: m = 4, α = 1, η = 5, warm-up 10 epochs,
 * mixing from x, σ = 0.25 and T = {@link dev.oodlab.train.SmoothMix#mnistSteps}(σ) — T follows σ
 * when it is not set (σ = 0.25 → 2, 0.5 → 4, 1.0 → 8).
 *
 * <p>Options are named in messages as on the command line ({@code noise-draws}, {@code step-size},
 * …) and recorded in {@code results.json} and {@code model.json} in snake case ({@code
 * noise_draws}, {@code step_size}, …; {@link #recorded}).
 *
 * <pre>{@code
 * MethodOptions o = MethodOptions.of(Map.of("alpha", 0.4)).with("epsilon", 0.05);
 * TrainingMethod m = o.create("adversarial-mixup");
 * }</pre>
 */
public final class MethodOptions {

    private static final MethodOptions DEFAULTS = new MethodOptions(new LinkedHashMap<>());

    private final Map<String, Object> values;

    private MethodOptions(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * Options by command-line name, in the order given (null values count as not set).
     *
     * @param values e.g. {@code {"alpha": 0.4, "epsilon": 0.05}}
     * @return the options
     */
    public static MethodOptions of(Map<String, ?> values) {
        Map<String, Object> set = new LinkedHashMap<>();
        values.forEach(
                (name, value) -> {
                    if (value != null) {
                        set.put(Objects.requireNonNull(name, "option name"), value);
                    }
                });
        return new MethodOptions(set);
    }

    /** Every option at the method's default. */
    public static MethodOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The options of the methods other than SmoothMix; SmoothMix's at their defaults.
     *
     * @param alpha α > 0, or null
     * @param epsilon ε ≥ 0, or null
     * @param beta β ≥ 0, or null
     * @param sigma σ > 0, or null
     * @deprecated use {@link #of(Map)} with the options by name
     */
    @Deprecated
    public MethodOptions(Double alpha, Double epsilon, Double beta, Double sigma) {
        this(
                alpha, epsilon, beta, sigma, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    /**
     * Every option by position, as the earlier record had them.
     *
     * @param alpha α > 0, or null
     * @param epsilon ε ≥ 0, or null
     * @param beta β ≥ 0, or null
     * @param sigma σ > 0, or null
     * @param noiseDraws SmoothMix's m ≥ 1, or null
     * @param steps SmoothMix's T ≥ 1, or null
     * @param stepSize SmoothMix's attack step size α > 0, or null
     * @param eta SmoothMix's η ≥ 0, or null
     * @param oneStep SmoothMix's one-step-adversary variant, or null
     * @param warmupEpochs SmoothMix's warm-up of η in epochs ≥ 1, or null
     * @param cleanWeight Adversarial-Mixup's weight of the clean term, in [0, 1), or null
     * @param mixupForm mixup-confidence's form, or null
     * @param partner Adversarial-Mixup's partner, or null
     * @param adversarialTarget Adversarial-Mixup's adversarial target, or null
     * @param targetClass M-TLAT's target class, or null
     * @deprecated use {@link #of(Map)} with the options by name
     */
    @Deprecated
    public MethodOptions(
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
        this(
                of(ordered(
                                "alpha", alpha,
                                "epsilon", epsilon,
                                "beta", beta,
                                "sigma", sigma,
                                "noise-draws", noiseDraws,
                                "steps", steps,
                                "step-size", stepSize,
                                "eta", eta,
                                "one-step", oneStep,
                                "warmup-epochs", warmupEpochs,
                                "clean-weight", cleanWeight,
                                "mixup-form", mixupForm,
                                "partner", partner,
                                "adversarial-target", adversarialTarget,
                                "target-class", targetClass))
                        .values);
    }

    private static Map<String, Object> ordered(Object... namesAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    /**
     * These options with one replaced (or removed, for a null value).
     *
     * @param option a command-line option name
     * @param value the new value, or null to fall back to the method's default
     * @return a copy
     */
    public MethodOptions with(String option, Object value) {
        Map<String, Object> map = new LinkedHashMap<>(values);
        if (value == null) {
            map.remove(option);
        } else {
            map.put(option, value);
        }
        return new MethodOptions(map);
    }

    /**
     * These options with α and ε replaced.
     *
     * @param alphaValue the new α
     * @param epsilonValue the new ε
     * @return a copy with {@code alpha = alphaValue, epsilon = epsilonValue}
     */
    public MethodOptions withAlphaAndEpsilon(Double alphaValue, Double epsilonValue) {
        return with("alpha", alphaValue).with("epsilon", epsilonValue);
    }

    /**
     * These options with ε replaced.
     *
     * @param value the new ε
     * @return a copy with {@code epsilon = value}
     */
    public MethodOptions withEpsilon(Double value) {
        return with("epsilon", value);
    }

    /**
     * The value of an option, or null if it is not set.
     *
     * @param option a command-line option name
     * @return the value as given
     */
    public Object get(String option) {
        return values.get(option);
    }

    /** α, or null. */
    public Double alpha() {
        return real("alpha");
    }

    /** ε, or null. */
    public Double epsilon() {
        return real("epsilon");
    }

    /** β, or null. */
    public Double beta() {
        return real("beta");
    }

    /** σ, or null. */
    public Double sigma() {
        return real("sigma");
    }

    private Double real(String option) {
        return get(option) instanceof Number n ? n.doubleValue() : null;
    }

    /**
     * Whether a named method has an option.
     *
     * @param method a name of {@link TrainingMethods#NAMES}
     * @param option an option's command-line name, e.g. {@code alpha} or {@code noise-draws}
     * @return true if the method has that option (false for an unknown method)
     */
    public static boolean accepts(String method, String option) {
        return TrainingMethods.NAMES.contains(method.toLowerCase(java.util.Locale.ROOT))
                && TrainingMethods.descriptor(method).hasOption(option);
    }

    /**
     * Whether the named method trains on an outlier set ({@link MethodDescriptor#needsOutliers}).
     *
     * @param method a name of {@link TrainingMethods#NAMES}
     * @return true for {@code confidence-loss} and {@code mixup-confidence}
     * @throws IllegalArgumentException for an unknown method
     */
    public static boolean needsOutliers(String method) {
        return TrainingMethods.descriptor(method).needsOutliers();
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
        return TrainingMethods.create(method, values);
    }

    /**
     * The options that were set, by their recorded (snake-case) names.
     *
     * @return e.g. {@code {"alpha": 1.0, "epsilon": 0.05}} or {@code {"sigma": 0.5, "steps": 4}}
     */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        values.forEach((name, value) -> map.put(name.replace('-', '_'), value));
        return map;
    }

    /**
     * Every option the named method has, at the value it trains with (the ones set here, the
     * method's defaults for the others), by recorded name — what {@code results.json} and {@code
     * model.json} record under {@code options}: the built method's {@link
     * TrainingMethod#recordedOptions()}.
     *
     * @param method a name of {@link TrainingMethods#NAMES}
     * @return e.g. {@code {}} for {@code ce}, {@code {"sigma": 0.25}} for {@code gaussian}
     * @throws IllegalArgumentException as {@link #create} does
     */
    public Map<String, Object> recorded(String method) {
        return new LinkedHashMap<>(create(method).recordedOptions());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MethodOptions other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "MethodOptions" + values;
    }
}

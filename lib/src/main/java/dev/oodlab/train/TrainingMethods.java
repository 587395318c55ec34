package dev.oodlab.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The training methods, one {@link MethodDescriptor} each, in the order help lists them. The
 * command line (names, option help, "method X has no option Y"), the experiment ({@code
 * results.json}'s options, outliers), the studies and the bench read this list: a new method is its
 * class with a {@code DESCRIPTOR}, one line here, and its test.
 */
public final class TrainingMethods {

    /** Every training method. */
    public static final List<MethodDescriptor> ALL =
            List.of(
                    CrossEntropy.DESCRIPTOR,
                    CalibratedConfidenceLoss.DESCRIPTOR,
                    Mixup.DESCRIPTOR,
                    MixupConfidenceLoss.DESCRIPTOR,
                    AdversarialMixup.DESCRIPTOR,
                    AdversarialMixup.UNIFORM_DESCRIPTOR,
                    MixupTargetedLabelingAdversarialTraining.DESCRIPTOR,
                    GaussianAugmentation.DESCRIPTOR,
                    SmoothMix.DESCRIPTOR);

    /** The names {@link #create} accepts, in the order of {@link #ALL}. */
    public static final List<String> NAMES = ALL.stream().map(MethodDescriptor::name).toList();

    private TrainingMethods() {}

    /**
     * The descriptor of a name.
     *
     * @param name one of {@link #NAMES}, in any case
     * @return the descriptor
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static MethodDescriptor descriptor(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        for (MethodDescriptor d : ALL) {
            if (d.name().equals(key)) {
                return d;
            }
        }
        throw new IllegalArgumentException(
                "unknown training method '" + name + "'; known: " + String.join(", ", NAMES));
    }

    /**
     * The named method with its default options (use the method's builder, or {@link
     * #create(String, Map)}, to change them).
     *
     * @param name one of {@link #NAMES}
     * @return the method
     * @throws IllegalArgumentException for an unknown name
     */
    public static TrainingMethod create(String name) {
        return descriptor(name).create();
    }

    /**
     * The named method with some options set ({@link MethodDescriptor#create(Map)}).
     *
     * @param name one of {@link #NAMES}
     * @param options option values by command-line name; null values count as not set
     * @return the method
     * @throws IllegalArgumentException for an unknown name, an option the method does not have or a
     *     value out of range
     */
    public static TrainingMethod create(String name, Map<String, ?> options) {
        return descriptor(name).create(options);
    }

    /**
     * Every option of any method, once each by name, in the order of first appearance in {@link
     * #ALL} (what the command line offers).
     *
     * @return the options
     */
    public static List<MethodOption> allOptions() {
        Map<String, MethodOption> options = new LinkedHashMap<>();
        for (MethodDescriptor d : ALL) {
            for (MethodOption o : d.options()) {
                options.putIfAbsent(o.name(), o);
            }
        }
        return List.copyOf(options.values());
    }

    /**
     * The names of the methods that have an option.
     *
     * @param option a command-line option name, e.g. {@code epsilon}
     * @return e.g. {@code [adversarial-mixup, adversarial-mixup-uniform, m-tlat]}
     */
    public static List<String> methodsWith(String option) {
        List<String> names = new ArrayList<>();
        for (MethodDescriptor d : ALL) {
            if (d.hasOption(option)) {
                names.add(d.name());
            }
        }
        return names;
    }
}

package dev.oodlab.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * What the command line, the experiment, the studies and the bench know about a training method:
 * its name, a one-line summary, its paper, its options ({@link MethodOption}: name, type, range,
 * default, help), whether it trains on an outlier set, and how to build it from option values. Each
 * method class declares its descriptor as a constant ({@code Mixup.DESCRIPTOR}) and {@link
 * TrainingMethods#ALL} lists them: adding a method is its class, one line in that list, and its
 * test.
 *
 * <p>A built method records its own options ({@link TrainingMethod#recordedOptions()}), so what
 * {@code results.json} says is read from the object that trained, not from what was asked for.
 *
 * <pre>{@code
 * MethodDescriptor mixup = TrainingMethods.descriptor("mixup");
 * TrainingMethod m = mixup.create(Map.of("alpha", 0.4));   // checked: name, type, range
 * m.recordedOptions();                                       // {alpha=0.4}
 * }</pre>
 */
public final class MethodDescriptor {

    private final String name;
    private final String summary;
    private final String paper;
    private final List<MethodOption> options;
    private final boolean needsOutliers;
    private final Function<Values, TrainingMethod> factory;
    private final ToIntFunction<TrainingMethod> forwardPasses;

    private MethodDescriptor(Builder b) {
        this.name = b.name;
        this.summary = b.summary;
        this.paper = b.paper;
        this.options = List.copyOf(b.options);
        this.needsOutliers = b.needsOutliers;
        this.factory = b.factory;
        this.forwardPasses = b.forwardPasses;
    }

    /**
     * A builder.
     *
     * @param name the method's name, lower case, e.g. {@code "mixup"}
     * @return the builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The name, e.g. {@code "mixup"}. */
    public String name() {
        return name;
    }

    /** One line saying what the method does. */
    public String summary() {
        return summary;
    }

    /** The paper the method follows (authors, title, venue), or the empty string. */
    public String paper() {
        return paper;
    }

    /** The options, in the order the method declares them. */
    public List<MethodOption> options() {
        return options;
    }

    /** Whether the method trains on an outlier set besides the in-distribution batches. */
    public boolean needsOutliers() {
        return needsOutliers;
    }

    /**
     * The option of a name.
     *
     * @param optionName a command-line name, e.g. {@code step-size}
     * @return the option, or empty if the method has none of that name
     */
    public Optional<MethodOption> option(String optionName) {
        return options.stream().filter(o -> o.name().equals(optionName)).findFirst();
    }

    /** Whether the method has an option of this command-line name. */
    public boolean hasOption(String optionName) {
        return option(optionName).isPresent();
    }

    /**
     * The cost of one training step per image in forward passes (a backward pass counted as two),
     * as the bench's FLOPs accounting reads it: 3 for cross-entropy (forward and backward), 5 for
     * Adversarial-Mixup (the FGSM forward and input backward, then the step), 2·m·T + 6·m for
     * SmoothMix with m noise draws and T attack steps.
     *
     * @param values option values by command-line name, as {@link #create(Map)} takes them
     * @return the factor, or empty for a method whose cost has not been worked out
     * @throws IllegalArgumentException as {@link #create(Map)}
     */
    public OptionalInt forwardPasses(Map<String, ?> values) {
        return forwardPasses == null
                ? OptionalInt.empty()
                : OptionalInt.of(forwardPasses.applyAsInt(create(values)));
    }

    /** The method with every option at its default. */
    public TrainingMethod create() {
        return create(Map.of());
    }

    /**
     * The method with some options set, the others at their defaults.
     *
     * @param values option values by command-line name (a null value counts as not set)
     * @return the configured method
     * @throws IllegalArgumentException for an option the method does not have ({@code "method mixup
     *     has no option beta (it has: alpha)"}) or a value out of its range (naming the option)
     */
    public TrainingMethod create(Map<String, ?> values) {
        return factory.apply(check(values));
    }

    /**
     * Checks option values against this method's options.
     *
     * @param values option values by command-line name (a null value counts as not set)
     * @return the checked values
     * @throws IllegalArgumentException as {@link #create(Map)}
     */
    public Values check(Map<String, ?> values) {
        List<String> refused = new ArrayList<>();
        for (Map.Entry<String, ?> e : values.entrySet()) {
            if (e.getValue() != null && !hasOption(e.getKey())) {
                refused.add(e.getKey());
            }
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException(
                    "method "
                            + name
                            + " has no option "
                            + String.join(", ", refused)
                            + (options.isEmpty()
                                    ? " (it has no options)"
                                    : " (it has: "
                                            + String.join(
                                                    ", ",
                                                    options.stream()
                                                            .map(MethodOption::name)
                                                            .sorted()
                                                            .toList())
                                            + ")"));
        }
        Map<String, Object> checked = new LinkedHashMap<>();
        for (MethodOption option : options) {
            Object value = values.get(option.name());
            if (value != null) {
                checked.put(option.name(), option.check(value));
            }
        }
        return new Values(checked);
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * Checked option values, as a method's factory reads them: each getter runs its setter only
     * when the option was set, so that the method's builder keeps its own defaults.
     */
    public static final class Values {
        private final Map<String, Object> values;

        private Values(Map<String, Object> values) {
            this.values = values;
        }

        /** The set values by command-line name, in the method's declaration order. */
        public Map<String, Object> asMap() {
            return Map.copyOf(values);
        }

        /** Whether the option was set. */
        public boolean isSet(String option) {
            return values.containsKey(option);
        }

        /** A real option's value, or null if not set. */
        public Double real(String option) {
            return (Double) values.get(option);
        }

        /** A whole-number option's value, or null if not set. */
        public Integer integer(String option) {
            return (Integer) values.get(option);
        }

        /** Passes a real option's value on, if set. */
        public Values ifReal(String option, Consumer<Double> setter) {
            if (values.containsKey(option)) {
                setter.accept((Double) values.get(option));
            }
            return this;
        }

        /** Passes a whole-number option's value on, if set. */
        public Values ifInteger(String option, Consumer<Integer> setter) {
            if (values.containsKey(option)) {
                setter.accept((Integer) values.get(option));
            }
            return this;
        }

        /** Passes a flag's value on, if set. */
        public Values ifFlag(String option, Consumer<Boolean> setter) {
            if (values.containsKey(option)) {
                setter.accept((Boolean) values.get(option));
            }
            return this;
        }

        /** Passes a choice on as the enum constant of that (lower-case) name, if set. */
        public <E extends Enum<E>> Values ifChoice(
                String option, Class<E> type, Consumer<E> setter) {
            if (values.containsKey(option)) {
                String key = (String) values.get(option);
                setter.accept(Enum.valueOf(type, key.toUpperCase(Locale.ROOT)));
            }
            return this;
        }
    }

    /** Builds a {@link MethodDescriptor}. */
    public static final class Builder {
        private final String name;
        private String summary = "";
        private String paper = "";
        private final List<MethodOption> options = new ArrayList<>();
        private boolean needsOutliers;
        private Function<Values, TrainingMethod> factory;
        private ToIntFunction<TrainingMethod> forwardPasses;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** One line saying what the method does. */
        public Builder summary(String text) {
            this.summary = Objects.requireNonNull(text, "summary");
            return this;
        }

        /** The paper the method follows. */
        public Builder paper(String citation) {
            this.paper = Objects.requireNonNull(citation, "paper");
            return this;
        }

        /** Adds options, in the order help and records list them. */
        public Builder options(MethodOption... added) {
            options.addAll(List.of(added));
            return this;
        }

        /** The method trains on an outlier set. */
        public Builder needsOutliers() {
            this.needsOutliers = true;
            return this;
        }

        /** One training step costs this many forward passes per image ({@link #forwardPasses}). */
        public Builder forwardPasses(int passes) {
            return forwardPasses(method -> passes);
        }

        /**
         * The cost of one training step in forward passes per image, from the built method (e.g.
         * its number of noise draws); default: not worked out.
         */
        public Builder forwardPasses(ToIntFunction<TrainingMethod> rule) {
            this.forwardPasses = Objects.requireNonNull(rule, "rule");
            return this;
        }

        /** How the method is built from checked option values (required). */
        public Builder factory(Function<Values, TrainingMethod> create) {
            this.factory = Objects.requireNonNull(create, "factory");
            return this;
        }

        /**
         * Builds the descriptor.
         *
         * @throws IllegalStateException without a factory, or with an option named twice
         */
        public MethodDescriptor build() {
            if (factory == null) {
                throw new IllegalStateException("method " + name + " needs a factory");
            }
            if (options.stream().map(MethodOption::name).distinct().count() != options.size()) {
                throw new IllegalStateException("method " + name + " names an option twice");
            }
            return new MethodDescriptor(this);
        }
    }
}

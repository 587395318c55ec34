package dev.oodlab.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One option of a training method, as its {@link MethodDescriptor} declares it: the name the
 * command line and messages use ({@code noise-draws}), the type, the range of allowed values, the
 * default (as text: a default may depend on another option, as SmoothMix's T on σ) and a line of
 * help. The recorded name ({@code noise_draws}, {@link #recordedName()}) is what {@code
 * results.json} and {@code model.json} use.
 *
 * <p>{@link #check} is the one place where a value is checked against the option: a message names
 * the option as the user wrote it ({@code "step-size must be > 0, got -1.0"}).
 *
 * @param name the option's name on the command line, without the dashes, e.g. {@code alpha}
 * @param type what kind of value it takes
 * @param range the values a number may take ({@link Range#ANY} for flags and choices)
 * @param choices the values of a {@link Type#CHOICE} option in lower case (empty for the others)
 * @param defaultText the default, as help text, e.g. {@code "1"} or {@code "8*sigma rounded"}
 * @param help one sentence of help, without the range and the default
 */
public record MethodOption(
        String name,
        Type type,
        Range range,
        List<String> choices,
        String defaultText,
        String help) {

    /** The kind of value an option takes. */
    public enum Type {
        /** A finite real number ({@link Double}). */
        REAL,
        /** A whole number ({@link Integer}). */
        INTEGER,
        /** On or off ({@link Boolean}). */
        FLAG,
        /** One of a few words ({@link String}), the lower-case names of an enum's constants. */
        CHOICE
    }

    /** The values a number may take. */
    public enum Range {
        /** Any value of the type. */
        ANY(""),
        /** A number greater than 0. */
        POSITIVE("> 0"),
        /** A number of at least 0. */
        NON_NEGATIVE(">= 0"),
        /** A whole number of at least 1. */
        AT_LEAST_ONE(">= 1"),
        /** A number in [0, 1). */
        UNIT_INTERVAL("in [0, 1)");

        private final String text;

        Range(String text) {
            this.text = text;
        }

        /** The range as help text, e.g. {@code "> 0"}; empty for {@link #ANY}. */
        public String text() {
            return text;
        }
    }

    /** Checks the parts: a name, a type, and choices exactly for a choice. */
    public MethodOption {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(range, "range");
        choices = List.copyOf(choices);
        Objects.requireNonNull(defaultText, "defaultText");
        Objects.requireNonNull(help, "help");
        if ((type == Type.CHOICE) == choices.isEmpty()) {
            throw new IllegalArgumentException(
                    "option " + name + ": choices are given for a choice and only for it");
        }
    }

    /**
     * A real-valued option.
     *
     * @param name the command-line name
     * @param range its range
     * @param defaultText the default, as text
     * @param help one sentence
     * @return the option
     */
    public static MethodOption real(String name, Range range, String defaultText, String help) {
        return new MethodOption(name, Type.REAL, range, List.of(), defaultText, help);
    }

    /**
     * A whole-number option.
     *
     * @param name the command-line name
     * @param range its range
     * @param defaultText the default, as text
     * @param help one sentence
     * @return the option
     */
    public static MethodOption integer(String name, Range range, String defaultText, String help) {
        return new MethodOption(name, Type.INTEGER, range, List.of(), defaultText, help);
    }

    /**
     * An on/off option.
     *
     * @param name the command-line name
     * @param defaultText the default, as text
     * @param help one sentence
     * @return the option
     */
    public static MethodOption flag(String name, String defaultText, String help) {
        return new MethodOption(name, Type.FLAG, Range.ANY, List.of(), defaultText, help);
    }

    /**
     * An option whose values are the lower-case names of an enum's constants.
     *
     * @param name the command-line name
     * @param values the enum
     * @param defaultText the default, as text
     * @param help one sentence
     * @return the option
     */
    public static MethodOption choice(
            String name, Class<? extends Enum<?>> values, String defaultText, String help) {
        List<String> keys = new ArrayList<>();
        for (Enum<?> e : values.getEnumConstants()) {
            keys.add(e.name().toLowerCase(Locale.ROOT));
        }
        return new MethodOption(name, Type.CHOICE, Range.ANY, keys, defaultText, help);
    }

    /**
     * The name in {@code results.json} and {@code model.json}: snake case, e.g. {@code step_size}.
     */
    public String recordedName() {
        return name.replace('-', '_');
    }

    /** The Java type of the option's values: Double, Integer, Boolean or String. */
    public Class<?> valueType() {
        return switch (type) {
            case REAL -> Double.class;
            case INTEGER -> Integer.class;
            case FLAG -> Boolean.class;
            case CHOICE -> String.class;
        };
    }

    /**
     * The help line with the range and the default, e.g. {@code "Beta(alpha, alpha) of the mixing
     * weight (> 0; default 1)"} or {@code "... (additive or replacing; default additive)"}.
     */
    public String helpText() {
        String values = type == Type.CHOICE ? String.join(" or ", choices) : range.text();
        String tail = (values.isEmpty() ? "" : values + "; ") + "default " + defaultText;
        return help + " (" + tail + ")";
    }

    /**
     * Checks a value of this option.
     *
     * @param value the value (a Number for a number, a Boolean for a flag, a String for a choice)
     * @return the value as {@link #valueType()}; a choice in lower case
     * @throws IllegalArgumentException naming the option, for a value of the wrong type, a number
     *     that is not finite or out of range, or a word that is not one of the choices
     */
    public Object check(Object value) {
        Objects.requireNonNull(value, name);
        return switch (type) {
            case REAL -> checkRange(realValue(value));
            case INTEGER -> {
                if (!(value instanceof Integer
                        || value instanceof Long
                        || value instanceof Short)) {
                    throw new IllegalArgumentException(
                            name + " must be a whole number, got " + value);
                }
                int v = Math.toIntExact(((Number) value).longValue());
                checkRange((double) v);
                yield v;
            }
            case FLAG -> {
                if (!(value instanceof Boolean b)) {
                    throw new IllegalArgumentException(
                            name + " must be true or false, got " + value);
                }
                yield b;
            }
            case CHOICE -> {
                String key = value.toString().toLowerCase(Locale.ROOT);
                if (!choices.contains(key)) {
                    throw new IllegalArgumentException(
                            name
                                    + " must be "
                                    + String.join(" or ", choices)
                                    + ", got '"
                                    + value
                                    + "'");
                }
                yield key;
            }
        };
    }

    private double realValue(Object value) {
        if (!(value instanceof Number n)) {
            throw new IllegalArgumentException(name + " must be a number, got " + value);
        }
        double v = n.doubleValue();
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite number, got " + v);
        }
        return v;
    }

    private double checkRange(double v) {
        boolean ok =
                switch (range) {
                    case ANY -> true;
                    case POSITIVE -> v > 0;
                    case NON_NEGATIVE, UNIT_INTERVAL -> v >= 0;
                    case AT_LEAST_ONE -> v >= 1;
                };
        if (!ok) {
            String bound = range == Range.UNIT_INTERVAL ? ">= 0" : range.text();
            throw new IllegalArgumentException(name + " must be " + bound + ", got " + show(v));
        }
        if (range == Range.UNIT_INTERVAL && !(v < 1)) {
            throw new IllegalArgumentException(name + " must be < 1, got " + v);
        }
        return v;
    }

    private String show(double v) {
        return type == Type.INTEGER ? Integer.toString((int) v) : Double.toString(v);
    }
}

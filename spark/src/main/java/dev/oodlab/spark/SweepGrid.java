package dev.oodlab.spark;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.oodlab.cli.Main;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;

/**
 * A sweep's grid: the {@code oodlab train} options every cell shares and the options that vary, one
 * cell per point of the product of the varied values. Read from JSON:
 *
 * <pre>{@code
 * {"options": {"method": "adversarial-mixup", "model": "mlp", "epochs": 1, "subset": 500},
 *  "vary": {"seed": [1, 2], "epsilon": [0, 0.1]}}
 * }</pre>
 *
 * Options are named as on the {@code train} command line without the dashes; a value is a string, a
 * number, {@code true} (a flag given) or {@code false} (a flag left out), or a list (the option
 * given once per element, e.g. {@code "ood": ["mnist", "noise"]}). {@code out}, {@code resume},
 * {@code quiet}, {@code help} and {@code version} are the sweep's own. The names are checked
 * against the {@code train} command's options when the grid is read; the values are checked by each
 * cell's run, so that a bad value fails its cell only.
 *
 * <p>Cells are ordered with the last varied option changing fastest; a cell's id joins {@code
 * name-value} for each varied option with {@code _}, e.g. {@code seed-1_epsilon-0.1}.
 *
 * @param options the shared options, in file order
 * @param vary the varied options and their values, in file order
 */
public record SweepGrid(Map<String, Object> options, Map<String, List<Object>> vary)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Options the sweep sets itself. */
    static final Set<String> RESERVED = Set.of("out", "resume", "quiet", "help", "version");

    /**
     * One point of the grid.
     *
     * @param id the folder name under {@code cells/}
     * @param varied the varied options' values of this cell, in the grid's order
     * @param args the {@code train} arguments (without {@code --out})
     */
    public record Cell(String id, Map<String, Object> varied, List<String> args)
            implements Serializable {

        private static final long serialVersionUID = 1L;

        /** Copies the collections. */
        public Cell {
            varied = Collections.unmodifiableMap(new LinkedHashMap<>(varied));
            args = List.copyOf(args);
        }
    }

    /** Copies the maps and checks the names. */
    public SweepGrid {
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        Map<String, List<Object>> copy = new LinkedHashMap<>();
        vary.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        vary = Collections.unmodifiableMap(copy);
        CommandLine.Model.CommandSpec train = trainSpec();
        List<String> names = new ArrayList<>(options.keySet());
        names.addAll(vary.keySet());
        for (String name : names) {
            if (RESERVED.contains(name)) {
                throw new IllegalArgumentException(
                        "the grid sets '" + name + "', which the sweep sets itself for each cell");
            }
            if (train.findOption("--" + name) == null) {
                throw new IllegalArgumentException(
                        "the grid names '" + name + "', which is no option of 'oodlab train'");
            }
        }
        for (String name : vary.keySet()) {
            if (options.containsKey(name)) {
                throw new IllegalArgumentException(
                        "the grid both sets and varies '" + name + "'; keep one");
            }
            if (vary.get(name).isEmpty()) {
                throw new IllegalArgumentException("the grid varies '" + name + "' over no value");
            }
        }
        if (!options.containsKey("method") && !vary.containsKey("method")) {
            throw new IllegalArgumentException(
                    "the grid names no method: set \"method\" in \"options\" or vary it");
        }
    }

    /**
     * Reads a grid file.
     *
     * @param file the JSON file
     * @return the grid
     * @throws IllegalArgumentException naming the file and what is wrong with it
     * @throws IOException if it cannot be read
     */
    public static SweepGrid read(Path file) throws IOException {
        try {
            return parse(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a grid's JSON text.
     *
     * @param json the text
     * @return the grid
     * @throws IllegalArgumentException if it is not a grid
     */
    public static SweepGrid parse(String json) {
        JsonObject root;
        try {
            JsonElement element = JsonParser.parseString(json);
            if (!element.isJsonObject()) {
                throw new IllegalArgumentException(
                        "a grid is a JSON object with \"options\" and \"vary\"");
            }
            root = element.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        for (String key : root.keySet()) {
            if (!key.equals("options") && !key.equals("vary")) {
                throw new IllegalArgumentException(
                        "unknown key '" + key + "'; a grid has \"options\" and \"vary\"");
            }
        }
        Map<String, Object> options = new LinkedHashMap<>();
        if (root.has("options")) {
            for (Map.Entry<String, JsonElement> e : object(root, "options").entrySet()) {
                options.put(e.getKey(), value(e.getKey(), e.getValue(), true));
            }
        }
        Map<String, List<Object>> vary = new LinkedHashMap<>();
        if (!root.has("vary")) {
            throw new IllegalArgumentException("the grid has no \"vary\" object");
        }
        for (Map.Entry<String, JsonElement> e : object(root, "vary").entrySet()) {
            if (!e.getValue().isJsonArray()) {
                throw new IllegalArgumentException(
                        "\"vary\": '" + e.getKey() + "' must be a list of values");
            }
            List<Object> values = new ArrayList<>();
            for (JsonElement v : e.getValue().getAsJsonArray()) {
                values.add(value(e.getKey(), v, false));
            }
            vary.put(e.getKey(), values);
        }
        return new SweepGrid(options, vary);
    }

    private static JsonObject object(JsonObject root, String key) {
        if (!root.get(key).isJsonObject()) {
            throw new IllegalArgumentException("\"" + key + "\" must be a JSON object");
        }
        return root.getAsJsonObject(key);
    }

    /** A JSON value as a String, Long, Double, Boolean or (where allowed) a list of them. */
    private static Object value(String name, JsonElement v, boolean listAllowed) {
        if (v.isJsonArray() && listAllowed) {
            List<Object> list = new ArrayList<>();
            for (JsonElement e : (JsonArray) v) {
                list.add(value(name, e, false));
            }
            return List.copyOf(list);
        }
        if (!v.isJsonPrimitive()) {
            throw new IllegalArgumentException(
                    "option '" + name + "': " + v + " is not a string, number or boolean");
        }
        JsonPrimitive p = v.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        } else if (p.isString()) {
            return p.getAsString();
        }
        BigDecimal number = p.getAsBigDecimal();
        try {
            return number.longValueExact();
        } catch (ArithmeticException notIntegral) {
            return number.doubleValue();
        }
    }

    /**
     * The cells, the last varied option changing fastest.
     *
     * @return one cell per point of the product of the varied values
     * @throws IllegalArgumentException if two cells would get the same id
     */
    public List<Cell> cells() {
        List<Map<String, Object>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<Object>> e : vary.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> point : points) {
                for (Object value : e.getValue()) {
                    Map<String, Object> p = new LinkedHashMap<>(point);
                    p.put(e.getKey(), value);
                    next.add(p);
                }
            }
            points = next;
        }
        List<Cell> cells = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Map<String, Object> point : points) {
            String id = id(point);
            if (!ids.add(id)) {
                throw new IllegalArgumentException(
                        "two cells get the id '" + id + "'; the varied values must differ");
            }
            Map<String, Object> all = new LinkedHashMap<>(options);
            all.putAll(point);
            cells.add(new Cell(id, point, arguments(all)));
        }
        return cells;
    }

    /** The folder name of a point: {@code name-value} joined with {@code _}. */
    static String id(Map<String, Object> point) {
        List<String> parts = new ArrayList<>();
        point.forEach((k, v) -> parts.add(k + "-" + text(v).replaceAll("[^A-Za-z0-9.+-]", "-")));
        return String.join("_", parts);
    }

    /** The {@code train} arguments for option values. */
    static List<String> arguments(Map<String, Object> values) {
        List<String> args = new ArrayList<>();
        values.forEach(
                (name, value) -> {
                    if (value instanceof Boolean flag) {
                        if (flag) {
                            args.add("--" + name);
                        }
                    } else if (value instanceof List<?> list) {
                        for (Object element : list) {
                            args.add("--" + name);
                            args.add(text(element));
                        }
                    } else {
                        args.add("--" + name);
                        args.add(text(value));
                    }
                });
        return args;
    }

    /** A value as the command line spells it (numbers without a trailing {@code .0}). */
    static String text(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return new BigDecimal(d).toPlainString();
        }
        return String.valueOf(value);
    }

    private static CommandLine.Model.CommandSpec trainSpec() {
        return Main.commandLine().getSubcommands().get("train").getCommandSpec();
    }
}

package dev.oodlab.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import dev.oodlab.io.AtomicFile;
import dev.oodlab.metrics.OodMetric;
import dev.oodlab.metrics.OodMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What one training-and-evaluation run produced: the model's test accuracy and mean confidence on
 * the in-distribution test set, and for each OOD set the detector's five metrics and the model's
 * mean confidence there. Written as {@code results.json} (and {@code results.csv}) by {@code oodlab
 * train}, {@code oodlab evaluate} and {@code oodlab study}:
 *
 * <pre>{@code
 * {"method": "ce", "dataset": "fashion-mnist", "model": "lenet", "seed": 42, "epochs": 5,
 *  "test_accuracy": 0.89, "mean_confidence_in": 0.93,
 *  "ood": {"mnist": {"detector": "msp", "fpr_at_95_tpr": 0.61, "auroc": 0.87, "aupr_in": 0.88,
 *                    "aupr_out": 0.85, "detection_error": 0.2, "mean_confidence": 0.71}, ...},
 *  ...extra keys}
 * }</pre>
 *
 * <p>Confidence is the maximum softmax probability, whatever the detector. {@code extra} holds
 * further keys (options, training history, resident memory per epoch, …) as JSON-compatible values
 * (strings, numbers, booleans, lists and maps of them); they follow the fixed keys in the JSON.
 *
 * @param method the training method, e.g. {@code "adversarial-mixup"}
 * @param dataset the in-distribution data set
 * @param model the architecture, e.g. {@code "lenet"}
 * @param seed the run's seed
 * @param epochs the number of training epochs
 * @param testAccuracy the share of test images classified correctly
 * @param meanConfidenceIn the mean maximum softmax probability on the test images
 * @param ood per OOD set name, the detection result, in insertion order
 * @param extra further keys for the JSON, in insertion order
 */
public record RunResult(
        String method,
        String dataset,
        String model,
        long seed,
        int epochs,
        double testAccuracy,
        double meanConfidenceIn,
        Map<String, OodSet> ood,
        Map<String, Object> extra) {

    /** The keys of the fixed part of the JSON object, in order. */
    public static final List<String> KEYS =
            List.of(
                    "method",
                    "dataset",
                    "model",
                    "seed",
                    "epochs",
                    "test_accuracy",
                    "mean_confidence_in",
                    "ood");

    /** The CSV header of {@link #toCsv()}. */
    public static final String CSV_HEADER =
            "method,dataset,model,seed,epochs,test_accuracy,mean_confidence_in,ood_set,detector,"
                    + "fpr_at_95_tpr,auroc,aupr_in,aupr_out,detection_error,mean_confidence";

    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /**
     * The result on one OOD set.
     *
     * @param detector the detector's name, e.g. {@code "msp"}, {@code "odin"}
     * @param metrics the five metrics, in-distribution positive
     * @param meanConfidence the mean maximum softmax probability on the OOD set
     */
    public record OodSet(String detector, OodMetrics metrics, double meanConfidence) {

        /** Checks that nothing is missing. */
        public OodSet {
            Objects.requireNonNull(detector, "detector");
            Objects.requireNonNull(metrics, "metrics");
        }
    }

    /** Copies the maps (keeping their order) and checks that nothing required is missing. */
    public RunResult {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(model, "model");
        ood = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(ood, "ood")));
        extra =
                Collections.unmodifiableMap(
                        new LinkedHashMap<>(Objects.requireNonNull(extra, "extra")));
        for (String key : extra.keySet()) {
            if (KEYS.contains(key)) {
                throw new IllegalArgumentException("extra key '" + key + "' is a fixed key");
            }
        }
    }

    /**
     * The same result with one more extra key (replacing an earlier value).
     *
     * @param key the key, not one of {@link #KEYS}
     * @param value a JSON-compatible value
     * @return the new result
     */
    public RunResult withExtra(String key, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extra);
        more.put(key, value);
        return new RunResult(
                method, dataset, model, seed, epochs, testAccuracy, meanConfidenceIn, ood, more);
    }

    /**
     * The result as a pretty-printed JSON object with the keys of {@link #KEYS} first.
     *
     * @return the JSON text, ending with a newline
     */
    public String toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("method", method);
        json.addProperty("dataset", dataset);
        json.addProperty("model", model);
        json.addProperty("seed", seed);
        json.addProperty("epochs", epochs);
        json.addProperty("test_accuracy", testAccuracy);
        json.addProperty("mean_confidence_in", meanConfidenceIn);
        JsonObject sets = new JsonObject();
        for (Map.Entry<String, OodSet> e : ood.entrySet()) {
            JsonObject set = new JsonObject();
            set.addProperty("detector", e.getValue().detector());
            for (OodMetric metric : OodMetric.values()) {
                set.addProperty(metric.key(), e.getValue().metrics().get(metric));
            }
            set.addProperty("mean_confidence", e.getValue().meanConfidence());
            sets.add(e.getKey(), set);
        }
        json.add("ood", sets);
        for (Map.Entry<String, Object> e : extra.entrySet()) {
            json.add(e.getKey(), GSON.toJsonTree(e.getValue()));
        }
        return GSON.toJson(json) + "\n";
    }

    /**
     * Reads a result from its JSON (extra keys come back as Gson's plain values: strings, doubles,
     * booleans, lists and maps).
     *
     * @param text the JSON text
     * @return the result
     * @throws IllegalArgumentException if the text is not such an object or a key is missing
     */
    public static RunResult fromJson(String text) {
        try {
            JsonObject json = JsonParser.parseString(text).getAsJsonObject();
            for (String key : KEYS) {
                if (!json.has(key)) {
                    throw new IllegalArgumentException("results JSON lacks the key '" + key + "'");
                }
            }
            Map<String, OodSet> sets = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : json.getAsJsonObject("ood").entrySet()) {
                JsonObject set = e.getValue().getAsJsonObject();
                double[] v = new double[OodMetric.values().length];
                for (OodMetric metric : OodMetric.values()) {
                    v[metric.ordinal()] = set.get(metric.key()).getAsDouble();
                }
                sets.put(
                        e.getKey(),
                        new OodSet(
                                set.get("detector").getAsString(),
                                new OodMetrics(v[0], v[1], v[2], v[3], v[4]),
                                set.get("mean_confidence").getAsDouble()));
            }
            Map<String, Object> extra = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : json.entrySet()) {
                if (!KEYS.contains(e.getKey())) {
                    extra.put(
                            e.getKey(),
                            GSON.fromJson(e.getValue(), new TypeToken<Object>() {}.getType()));
                }
            }
            return new RunResult(
                    json.get("method").getAsString(),
                    json.get("dataset").getAsString(),
                    json.get("model").getAsString(),
                    json.get("seed").getAsLong(),
                    json.get("epochs").getAsInt(),
                    json.get("test_accuracy").getAsDouble(),
                    json.get("mean_confidence_in").getAsDouble(),
                    sets,
                    extra);
        } catch (JsonParseException | IllegalStateException | NullPointerException e) {
            throw new IllegalArgumentException("not a results JSON object: " + e.getMessage(), e);
        }
    }

    /**
     * The result as CSV: {@link #CSV_HEADER}, then one row per OOD set (full precision).
     *
     * @return the CSV text, ending with a newline
     */
    public String toCsv() {
        StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        for (Map.Entry<String, OodSet> e : ood.entrySet()) {
            OodSet set = e.getValue();
            csv.append(String.join(",", csvField(method), csvField(dataset), csvField(model)))
                    .append(',')
                    .append(seed)
                    .append(',')
                    .append(epochs)
                    .append(',')
                    .append(number(testAccuracy))
                    .append(',')
                    .append(number(meanConfidenceIn))
                    .append(',')
                    .append(csvField(e.getKey()))
                    .append(',')
                    .append(csvField(set.detector()));
            for (OodMetric metric : OodMetric.values()) {
                csv.append(',').append(number(set.metrics().get(metric)));
            }
            csv.append(',').append(number(set.meanConfidence())).append('\n');
        }
        return csv.toString();
    }

    /**
     * Writes {@link #toJson()} to a file (temporary file, then rename).
     *
     * @param file the target, conventionally {@code results.json}
     * @throws IOException if it cannot be written
     */
    public void writeJson(Path file) throws IOException {
        AtomicFile.writeString(file, toJson());
    }

    /**
     * Writes {@link #toCsv()} to a file (temporary file, then rename).
     *
     * @param file the target, conventionally {@code results.csv}
     * @throws IOException if it cannot be written
     */
    public void writeCsv(Path file) throws IOException {
        AtomicFile.writeString(file, toCsv());
    }

    /**
     * Reads a {@code results.json}.
     *
     * @param file the file
     * @return the result
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException if it holds no results object, naming the file
     */
    public static RunResult read(Path file) throws IOException {
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no results file " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Adds this run's rows (one per OOD set) to a results table under the given method label.
     *
     * @param table the table builder
     * @param label the method column, e.g. {@code "ODIN (ce)"}
     * @return the builder
     */
    public ResultsTable.Builder addTo(ResultsTable.Builder table, String label) {
        for (Map.Entry<String, OodSet> e : ood.entrySet()) {
            table.add(label, e.getKey(), e.getValue().metrics());
        }
        return table;
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "" : Double.toString(value);
    }

    private static String csvField(String text) {
        if (text.contains(",") || text.contains("\"") || text.contains("\n")) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }

    @Override
    public String toString() {
        StringBuilder text =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "%s on %s (%s, seed %d, %d epochs): test accuracy %.2f%%, mean"
                                        + " confidence %.3f",
                                method,
                                dataset,
                                model,
                                seed,
                                epochs,
                                100 * testAccuracy,
                                meanConfidenceIn));
        for (Map.Entry<String, OodSet> e : ood.entrySet()) {
            text.append(
                    String.format(
                            Locale.ROOT,
                            "%n  %s [%s]: %s, mean confidence %.3f",
                            e.getKey(),
                            e.getValue().detector(),
                            e.getValue().metrics(),
                            e.getValue().meanConfidence()));
        }
        return text.toString();
    }
}

package dev.oodlab.metrics;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The reference values written by the scripts beside them in {@code src/test/resources/metrics/}:
 * {@code make_reference.py} (scikit-learn and numpy) → {@code reference.json}, {@code
 * make_fpr_conventions.py} (the reference repositories' FPR@95TPR loops, in numpy) → {@code
 * fpr_conventions.json}; read from the test class path.
 */
final class ReferenceData {

    private static final Map<String, JsonObject> FILES = new HashMap<>();

    private ReferenceData() {}

    /** The contents of {@code metrics/reference.json}. */
    static JsonObject root() {
        return file("reference.json");
    }

    /** The contents of {@code metrics/fpr_conventions.json}. */
    static JsonObject fprConventions() {
        return file("fpr_conventions.json");
    }

    private static synchronized JsonObject file(String name) {
        JsonObject root = FILES.get(name);
        if (root == null) {
            try (InputStream stream = ReferenceData.class.getResourceAsStream("/metrics/" + name)) {
                if (stream == null) {
                    throw new IllegalStateException(
                            "metrics/" + name + " is not on the class path");
                }
                root =
                        JsonParser.parseReader(
                                        new InputStreamReader(stream, StandardCharsets.UTF_8))
                                .getAsJsonObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            FILES.put(name, root);
        }
        return root;
    }

    static double[] doubles(JsonElement array) {
        JsonArray a = array.getAsJsonArray();
        double[] values = new double[a.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = a.get(i).isJsonNull() ? Double.NaN : a.get(i).getAsDouble();
        }
        return values;
    }

    static int[] ints(JsonElement array) {
        JsonArray a = array.getAsJsonArray();
        int[] values = new int[a.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = a.get(i).getAsInt();
        }
        return values;
    }
}

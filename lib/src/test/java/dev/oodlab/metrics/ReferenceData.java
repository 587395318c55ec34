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

/**
 * The reference values written by {@code src/test/resources/metrics/make_reference.py} (scikit-
 * learn and numpy), read from the test class path.
 */
final class ReferenceData {

    private static JsonObject root;

    private ReferenceData() {}

    static synchronized JsonObject root() {
        if (root == null) {
            try (InputStream stream =
                    ReferenceData.class.getResourceAsStream("/metrics/reference.json")) {
                if (stream == null) {
                    throw new IllegalStateException(
                            "metrics/reference.json is not on the class path");
                }
                root =
                        JsonParser.parseReader(
                                        new InputStreamReader(stream, StandardCharsets.UTF_8))
                                .getAsJsonObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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

package dev.oodlab.experiment;

import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import dev.oodlab.nn.ModelFolder;
import dev.oodlab.nn.Network;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A trained model on disk: {@code model.params} (the parameters, DJL's block format) and {@code
 * model.json} (a {@link ModelInfo}: architecture, input shape, classes, and how it was trained), so
 * that {@code oodlab evaluate} and the notebooks can rebuild it.
 *
 * <pre>{@code
 * {"format": "oodlab-model/1", "model": "lenet", "input_shape": [1, 28, 28], "classes": 10,
 *  "dataset": "fashion-mnist", "method": "ce", "seed": 42, "epochs": 5, "batch_size": 128,
 *  "subset": 60000, "options": {}, "outliers": null}
 * }</pre>
 */
public final class ModelDirectory {

    /** The parameters file ({@link ModelFolder#PARAMETERS}). */
    public static final String PARAMETERS = ModelFolder.PARAMETERS;

    /** The description file ({@link ModelFolder#METADATA}). */
    public static final String DESCRIPTION = ModelFolder.METADATA;

    /** The value of the {@code format} key ({@link ModelFolder#FORMAT}). */
    public static final String FORMAT = ModelFolder.FORMAT;

    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().serializeNulls().create();

    private ModelDirectory() {}

    /** A model loaded from its folder; closing it frees the parameters. */
    public record Loaded(Network network, ModelInfo info) implements AutoCloseable {
        @Override
        public void close() {
            network.close();
        }
    }

    /**
     * Writes {@code model.params} and {@code model.json} into a folder (each file through a
     * temporary file and a rename).
     *
     * @param directory the folder, created if needed
     * @param network the trained network
     * @param info its description
     * @throws IOException if a file cannot be written
     */
    public static void save(Path directory, Network network, ModelInfo info) throws IOException {
        ModelFolder.write(directory, network, toJson(info));
    }

    /**
     * The description as JSON.
     *
     * @param info the description
     * @return pretty-printed JSON ending with a newline
     */
    public static String toJson(ModelInfo info) {
        JsonObject json = new JsonObject();
        json.addProperty("format", FORMAT);
        json.addProperty("model", info.model());
        JsonArray shape = new JsonArray();
        for (long d : info.inputShape()) {
            shape.add(d);
        }
        json.add("input_shape", shape);
        json.addProperty("classes", info.numClasses());
        // The keys nn.SavedModel reads too, so that `oodlab certify` takes a model trained by
        // `oodlab train`: the class count under its name there, the noise level, the MNIST split.
        json.addProperty("num_classes", info.numClasses());
        Object sigma = info.options() == null ? null : info.options().get("sigma");
        if (sigma instanceof Number n) {
            json.addProperty("sigma", n.doubleValue());
        }
        if ("mnist".equals(info.dataset())) {
            json.addProperty("split_seed", Experiment.MNIST_SPLIT_SEED);
        }
        json.addProperty("dataset", info.dataset());
        json.addProperty("method", info.method());
        json.addProperty("seed", info.seed());
        json.addProperty("epochs", info.epochs());
        json.addProperty("batch_size", info.batchSize());
        json.addProperty("subset", info.subset());
        json.add("options", GSON.toJsonTree(info.options()));
        json.addProperty("outliers", info.outliers());
        return GSON.toJson(json) + "\n";
    }

    /**
     * Reads {@code model.json} of a model folder.
     *
     * @param directory the folder
     * @return the description
     * @throws IllegalArgumentException if the folder does not exist or holds no model, naming what
     *     is missing or wrong
     */
    public static ModelInfo readInfo(Path directory) {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new IllegalArgumentException(
                    directory + " is a file, not a model folder (model.json and model.params)");
        }
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("model folder not found: " + directory);
        }
        Path file = directory.resolve(DESCRIPTION);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    directory
                            + " holds no model (no "
                            + DESCRIPTION
                            + "; train one with oodlab"
                            + " train)");
        }
        if (!Files.isRegularFile(directory.resolve(PARAMETERS))) {
            throw new IllegalArgumentException(directory + " holds no " + PARAMETERS);
        }
        try {
            JsonElement parsed =
                    ModelFolder.parse(file, Files.readString(file, StandardCharsets.UTF_8));
            if (!parsed.isJsonObject()
                    || !parsed.getAsJsonObject().has("format")
                    || !FORMAT.equals(parsed.getAsJsonObject().get("format").getAsString())) {
                throw new IllegalArgumentException(
                        file + ": not an oodlab model description (format " + FORMAT + ")");
            }
            JsonObject json = parsed.getAsJsonObject();
            for (String key :
                    new String[] {
                        "model",
                        "input_shape",
                        "classes",
                        "dataset",
                        "method",
                        "seed",
                        "epochs",
                        "batch_size",
                        "subset"
                    }) {
                if (!json.has(key) || json.get(key).isJsonNull()) {
                    throw new IllegalArgumentException(file + ": missing key '" + key + "'");
                }
            }
            if (!json.get("input_shape").isJsonArray()) {
                throw new IllegalArgumentException(
                        file + ": key 'input_shape' must be an array of sizes");
            }
            JsonArray shapeJson = json.getAsJsonArray("input_shape");
            long[] shape = new long[shapeJson.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = (long) number(file, "input_shape", shapeJson.get(i));
            }
            Map<String, Object> options =
                    json.has("options") && json.get("options").isJsonObject()
                            ? GSON.fromJson(
                                    json.get("options"),
                                    new TypeToken<Map<String, Object>>() {}.getType())
                            : Map.of();
            JsonElement outliers = json.get("outliers");
            return new ModelInfo(
                    json.get("model").getAsString(),
                    shape,
                    (int) number(file, "classes", json.get("classes")),
                    json.get("dataset").getAsString(),
                    json.get("method").getAsString(),
                    (long) number(file, "seed", json.get("seed")),
                    (int) number(file, "epochs", json.get("epochs")),
                    (int) number(file, "batch_size", json.get("batch_size")),
                    (int) number(file, "subset", json.get("subset")),
                    options,
                    outliers == null || outliers.isJsonNull() ? null : outliers.getAsString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
                throw e;
            }
            throw new IllegalArgumentException(
                    file + ": malformed model description (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            // Gson's getters on a value of another type (a string for input_shape, ...)
            throw new IllegalArgumentException(
                    file + ": malformed model description (a key holds a value of the wrong type)",
                    e);
        }
    }

    /** A whole number of model.json, or a message naming the key and what it holds instead. */
    private static double number(Path file, String key, JsonElement value) {
        try {
            return ModelFolder.number(key, value, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Rebuilds the model of a folder and loads its parameters.
     *
     * @param directory the folder written by {@link #save}
     * @return the network and its description; close it when done
     * @throws IllegalArgumentException if the folder holds no model or the parameters do not fit
     */
    public static Loaded load(Path directory) {
        ModelInfo info = readInfo(directory);
        Network network =
                Network.create(info.model(), new Shape(info.inputShape()), info.numClasses(), 0);
        try {
            network.loadParameters(directory.resolve(PARAMETERS));
        } catch (RuntimeException e) {
            network.close();
            if (e instanceof IllegalArgumentException
                    && e.getMessage() != null
                    && e.getMessage().startsWith(directory.resolve(PARAMETERS) + " does not fit")) {
                throw e; // says it already
            }
            throw new IllegalArgumentException(
                    directory.resolve(PARAMETERS)
                            + " does not fit a "
                            + info.model()
                            + " model: "
                            + e.getMessage(),
                    e);
        }
        return new Loaded(network, info);
    }
}

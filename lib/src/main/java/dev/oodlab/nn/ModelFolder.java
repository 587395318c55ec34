package dev.oodlab.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.oodlab.io.AtomicFile;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A trained model as a folder, format {@value #FORMAT}: {@value #PARAMETERS} (the parameters, DJL's
 * block format) and {@value #METADATA} (a JSON object with {@code "format": "oodlab-model/1"}, the
 * architecture, input shape and class count, and how the model was trained). The one class that
 * writes and reads the files of a model folder.
 *
 * <p>Two descriptions are written into {@value #METADATA}, each by its owner through {@link
 * #write}: {@link SavedModel} (what {@code oodlab certify} needs: {@code num_classes}, {@code
 * sigma}, {@code split_seed}, a description) and {@code experiment.ModelInfo} (what {@code oodlab
 * train} records: also {@code classes}, {@code batch_size}, {@code subset}, the method's {@code
 * options}, the {@code outliers}). The keys {@link SavedModel} reads are in both, so either kind of
 * folder can be certified.
 *
 * <p>Both files are written to temporary files and renamed into place, the parameters first: a
 * folder with a {@value #METADATA} always has complete parameters.
 */
public final class ModelFolder {

    /** The value of the {@code format} key this version writes and reads. */
    public static final String FORMAT = "oodlab-model/1";

    /** The parameters file in a model folder. */
    public static final String PARAMETERS = "model.params";

    /** The metadata file in a model folder. */
    public static final String METADATA = "model.json";

    private ModelFolder() {}

    /**
     * Writes {@value #PARAMETERS} and then {@value #METADATA} into a folder (created if missing),
     * each through a temporary file and a rename.
     *
     * @param directory the model folder
     * @param network the network whose parameters to save
     * @param metadata the text of {@value #METADATA}, as its description writes it
     * @throws IOException if a file cannot be written
     */
    public static void write(Path directory, Network network, String metadata) throws IOException {
        Files.createDirectories(directory);
        AtomicFile.write(
                directory.resolve(PARAMETERS),
                out -> {
                    DataOutputStream data = new DataOutputStream(out);
                    network.block().saveParameters(data);
                    data.flush();
                });
        AtomicFile.writeString(directory.resolve(METADATA), metadata);
    }

    /**
     * Parses the text of a {@value #METADATA} file.
     *
     * @param file the file, for the message
     * @param text its text
     * @return the JSON
     * @throws IllegalArgumentException "FILE: not valid JSON (what the parser found)"
     */
    public static JsonElement parse(Path file, String text) {
        try {
            return JsonParser.parseString(text);
        } catch (JsonParseException e) {
            // Gson's message starts with its exception's class name; say what it found instead.
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            String why = cause.getMessage() == null ? "" : cause.getMessage().strip();
            throw new IllegalArgumentException(
                    file + ": not valid JSON (" + why.lines().findFirst().orElse("") + ")", e);
        }
    }

    /**
     * A number of {@value #METADATA}.
     *
     * @param key its key, for the message
     * @param value its value
     * @param whole whether it must be a whole number
     * @return the number
     * @throws IllegalArgumentException "key 'K' must be a whole number, got V"
     */
    public static double number(String key, JsonElement value, boolean whole) {
        double d;
        try {
            d = value.getAsDouble();
        } catch (RuntimeException e) { // a string that is no number, an object, ...
            d = Double.NaN;
        }
        if (!Double.isFinite(d) || (whole && d != Math.rint(d))) {
            throw new IllegalArgumentException(
                    "key '"
                            + key
                            + "' must be a"
                            + (whole ? " whole" : "")
                            + " number, got "
                            + value);
        }
        return d;
    }

    /**
     * The shapes of a network's parameters, in order: what {@link Network#loadParameters} does not
     * check (DJL's loader takes arrays of any shape), compared before and after a load.
     *
     * @param network the network
     * @return the shapes
     */
    public static List<Shape> parameterShapes(Network network) {
        List<Shape> shapes = new ArrayList<>();
        for (Pair<String, Parameter> p : network.block().getParameters()) {
            shapes.add(p.getValue().getArray().getShape());
        }
        return shapes;
    }
}

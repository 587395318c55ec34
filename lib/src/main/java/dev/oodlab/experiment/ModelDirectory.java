package dev.oodlab.experiment;

import dev.oodlab.nn.ModelFolder;
import dev.oodlab.nn.Network;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The model folder of an experiment's model, as {@link ModelInfo} now saves, reads and loads it
 * (the files through {@link ModelFolder}).
 *
 * @deprecated use {@link ModelInfo#save}, {@link ModelInfo#read}, {@link ModelInfo#load} and {@link
 *     ModelFolder}'s constants
 */
@Deprecated
public final class ModelDirectory {

    /** The parameters file ({@link ModelFolder#PARAMETERS}). */
    public static final String PARAMETERS = ModelFolder.PARAMETERS;

    /** The description file ({@link ModelFolder#METADATA}). */
    public static final String DESCRIPTION = ModelFolder.METADATA;

    /** The value of the {@code format} key ({@link ModelFolder#FORMAT}). */
    public static final String FORMAT = ModelFolder.FORMAT;

    private ModelDirectory() {}

    /**
     * A model loaded from its folder; closing it frees the parameters.
     *
     * @param network the network
     * @param info its description
     */
    public record Loaded(Network network, ModelInfo info) implements AutoCloseable {
        @Override
        public void close() {
            network.close();
        }
    }

    /** {@link ModelInfo#save}. */
    public static void save(Path directory, Network network, ModelInfo info) throws IOException {
        info.save(directory, network);
    }

    /** {@link ModelInfo#toJson}. */
    public static String toJson(ModelInfo info) {
        return info.toJson();
    }

    /** {@link ModelInfo#read}. */
    public static ModelInfo readInfo(Path directory) {
        return ModelInfo.read(directory);
    }

    /** {@link ModelInfo#load}. */
    public static Loaded load(Path directory) {
        ModelInfo.Loaded loaded = ModelInfo.load(directory);
        return new Loaded(loaded.network(), loaded.info());
    }
}

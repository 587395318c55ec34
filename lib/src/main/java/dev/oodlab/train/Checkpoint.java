package dev.oodlab.train;

import ai.djl.ndarray.NDList;
import ai.djl.util.JsonUtils;
import dev.oodlab.nn.Network;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * What a training run writes after each epoch so that it can be resumed: {@code model.params} (the
 * parameters, DJL's block format), {@code optimizer.state} (the optimizer's moment arrays, DJL's
 * NDList encoding) and {@code checkpoint.json} (this record).
 *
 * <p>No generator state needs saving: the loop derives every epoch's generators (shuffle, the
 * method's draws, libtorch's seed) from the run's seed and the epoch number, so resuming after
 * epoch e replays exactly what an uninterrupted run does from e on.
 *
 * @param epochsDone the number of completed epochs
 * @param optimizerSteps the optimizer's update count
 * @param seed the run's seed
 * @param method the training method's name
 * @param history one result per completed epoch
 */
public record Checkpoint(
        int epochsDone, long optimizerSteps, long seed, String method, List<EpochResult> history) {

    /** The parameters file. */
    public static final String PARAMETERS = "model.params";

    /** The optimizer state file. */
    public static final String OPTIMIZER = "optimizer.state";

    /** The metadata file. */
    public static final String METADATA = "checkpoint.json";

    /**
     * Writes a checkpoint into {@code directory} (created if needed; files replaced atomically).
     *
     * @param directory the checkpoint directory
     * @param network the model
     * @param optimizer its optimizer
     */
    public void write(Path directory, Network network, ParameterOptimizer optimizer) {
        try {
            Files.createDirectories(directory);
            Path params = directory.resolve(PARAMETERS + ".tmp");
            network.saveParameters(params);
            NDList state = optimizer.state();
            Path stateFile = directory.resolve(OPTIMIZER + ".tmp");
            Files.write(stateFile, state.encode());
            Path json = directory.resolve(METADATA + ".tmp");
            Files.writeString(json, JsonUtils.GSON_PRETTY.toJson(this), StandardCharsets.UTF_8);
            move(params, directory.resolve(PARAMETERS));
            move(stateFile, directory.resolve(OPTIMIZER));
            move(json, directory.resolve(METADATA));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint to " + directory, e);
        }
    }

    /**
     * Reads the metadata of a checkpoint.
     *
     * @param directory the checkpoint directory
     * @return the checkpoint record
     * @throws IllegalArgumentException if the directory holds no checkpoint
     */
    public static Checkpoint read(Path directory) {
        Path json = directory.resolve(METADATA);
        try {
            Checkpoint c =
                    JsonUtils.GSON.fromJson(
                            Files.readString(json, StandardCharsets.UTF_8), Checkpoint.class);
            if (c == null || c.history() == null) {
                throw new IllegalArgumentException(json + ": not a checkpoint");
            }
            return c;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(
                    "no checkpoint in " + directory + " (missing " + METADATA + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + json, e);
        }
    }

    /**
     * Loads the parameters and optimizer state of this checkpoint.
     *
     * @param directory the checkpoint directory
     * @param network the model to load into (same architecture)
     * @param optimizer the optimizer to restore (same kind)
     */
    public void restore(Path directory, Network network, ParameterOptimizer optimizer) {
        network.loadParameters(directory.resolve(PARAMETERS));
        try {
            byte[] bytes = Files.readAllBytes(directory.resolve(OPTIMIZER));
            try (NDList state = NDList.decode(network.manager(), bytes)) {
                if (!state.isEmpty()) {
                    optimizer.loadState(network.trainableParameters(), state, optimizerSteps);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + directory.resolve(OPTIMIZER), e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

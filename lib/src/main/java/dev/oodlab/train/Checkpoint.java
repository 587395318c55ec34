package dev.oodlab.train;

import ai.djl.ndarray.NDList;
import ai.djl.util.JsonUtils;
import dev.oodlab.nn.Network;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a training run writes after each epoch so that it can be resumed: {@code model.params} (the
 * parameters, DJL's block format), {@code optimizer.state} (the optimizer's moment arrays, DJL's
 * NDList encoding) and {@code checkpoint.json} (this record).
 *
 * <p><b>Layout.</b> A checkpoint directory holds one folder per checkpoint, {@code epoch-0003/}
 * after the third epoch. Each is written as a hidden temporary folder ({@code .epoch-0003.<random>
 * .tmp}) and renamed into place once its three files are complete; then the other epochs' folders
 * are removed. A run killed at any moment therefore leaves its last complete checkpoint readable,
 * never a mix of two epochs' files ({@link #latest} ignores temporary folders).
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

    private static final Pattern EPOCH_FOLDER = Pattern.compile("epoch-(\\d+)");

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The folder name of the checkpoint after {@code epochsDone} epochs.
     *
     * @param epochsDone completed epochs
     * @return e.g. {@code epoch-0003}
     */
    public static String folderName(int epochsDone) {
        return String.format(Locale.ROOT, "epoch-%04d", epochsDone);
    }

    /**
     * Writes this checkpoint into {@code directory} (created if needed) as the folder {@link
     * #folderName}({@code epochsDone}), all at once: the files go into a temporary folder that is
     * renamed into place; afterwards every other epoch's folder is removed.
     *
     * @param directory the checkpoint directory
     * @param network the model
     * @param optimizer its optimizer
     */
    public void write(Path directory, Network network, ParameterOptimizer optimizer) {
        Path target = directory.resolve(folderName(epochsDone));
        Path staging =
                directory.resolve(
                        "."
                                + folderName(epochsDone)
                                + "."
                                + Long.toUnsignedString(RANDOM.nextLong(), 36)
                                + ".tmp");
        try {
            Files.createDirectories(directory);
            Files.createDirectory(staging);
            network.saveParameters(staging.resolve(PARAMETERS));
            NDList state = optimizer.state();
            Files.write(staging.resolve(OPTIMIZER), state.encode());
            Files.writeString(
                    staging.resolve(METADATA),
                    JsonUtils.GSON_PRETTY.toJson(this),
                    StandardCharsets.UTF_8);
            if (Files.exists(target)) { // the same epoch again: move the old one aside first
                Path old =
                        directory.resolve(
                                "." + folderName(epochsDone) + ".old." + RANDOM.nextInt(1 << 30));
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(old);
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            try (Stream<Path> list = Files.list(directory)) {
                for (Path other : list.toList()) {
                    String name = other.getFileName().toString();
                    boolean epoch = EPOCH_FOLDER.matcher(name).matches();
                    boolean stale = name.startsWith(".epoch-"); // a folder of a killed write
                    if ((epoch || stale) && !other.equals(target)) {
                        deleteTree(other);
                    }
                }
            }
        } catch (IOException e) {
            try {
                deleteTree(staging);
            } catch (IOException ignored) {
                // the write failed already; report that
            }
            throw new UncheckedIOException(
                    "cannot write checkpoint to " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * The folder of the newest complete checkpoint in a checkpoint directory.
     *
     * @param directory the checkpoint directory (need not exist)
     * @return the folder {@code epoch-NNNN} with the most epochs that holds {@value #METADATA}, or
     *     empty
     */
    public static Optional<Path> latest(Path directory) {
        if (!Files.isDirectory(directory)) {
            return Optional.empty();
        }
        Path best = null;
        long bestEpochs = -1;
        try (Stream<Path> list = Files.list(directory)) {
            for (Path folder : list.toList()) {
                Matcher m = EPOCH_FOLDER.matcher(folder.getFileName().toString());
                if (m.matches()
                        && Files.isRegularFile(folder.resolve(METADATA))
                        && Long.parseLong(m.group(1)) > bestEpochs) {
                    best = folder;
                    bestEpochs = Long.parseLong(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory + ": " + e.getMessage(), e);
        }
        return Optional.ofNullable(best);
    }

    /**
     * Reads the metadata of the newest complete checkpoint in a checkpoint directory.
     *
     * @param directory the checkpoint directory
     * @return the checkpoint record
     * @throws IllegalArgumentException if the directory holds no complete checkpoint, or its
     *     metadata cannot be read
     */
    public static Checkpoint read(Path directory) {
        Path folder =
                latest(directory)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "no complete checkpoint in " + directory));
        Path json = folder.resolve(METADATA);
        try {
            Checkpoint c =
                    JsonUtils.GSON.fromJson(
                            Files.readString(json, StandardCharsets.UTF_8), Checkpoint.class);
            if (c == null || c.history() == null || c.history().size() != c.epochsDone()) {
                throw new IllegalArgumentException(json + ": not a checkpoint");
            }
            if (!folder.getFileName().toString().equals(folderName(c.epochsDone()))) {
                throw new IllegalArgumentException(
                        json
                                + ": records "
                                + c.epochsDone()
                                + " epochs but lies in "
                                + folder.getFileName());
            }
            return c;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + json + ": " + e.getMessage(), e);
        } catch (com.google.gson.JsonParseException e) {
            throw new IllegalArgumentException(json + ": not a checkpoint (malformed JSON)", e);
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
        Path folder = directory.resolve(folderName(epochsDone));
        network.loadParameters(folder.resolve(PARAMETERS));
        try {
            byte[] bytes = Files.readAllBytes(folder.resolve(OPTIMIZER));
            try (NDList state = NDList.decode(network.manager(), bytes)) {
                if (!state.isEmpty()) {
                    optimizer.loadState(network.trainableParameters(), state, optimizerSteps);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder.resolve(OPTIMIZER), e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}

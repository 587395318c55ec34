package dev.oodlab.train;

import ai.djl.ndarray.NDList;
import ai.djl.util.JsonUtils;
import dev.oodlab.io.AtomicFile;
import dev.oodlab.nn.Network;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a training run writes after each epoch so that it can be resumed: {@code model.params} (the
 * parameters, DJL's block format), {@code optimizer.state} (the optimizer's moment arrays, DJL's
 * NDList encoding), {@code checkpoint.json} (this record) and {@code checksums.sha256} (the SHA-256
 * of the other three, in the format of {@code sha256sum}).
 *
 * <p><b>Layout.</b> A checkpoint directory holds one folder per checkpoint, {@code epoch-0003/}
 * after the third epoch. Each is written as a hidden temporary folder ({@code .epoch-0003.<random>
 * .tmp}); its files and the folder are flushed to the disk ({@code fsync}) and only then is it
 * renamed into place; then the epochs' folders older than the previous one are removed. A run
 * killed at any moment therefore leaves its last complete checkpoint readable, never a mix of two
 * epochs' files ({@link #latest} ignores temporary folders).
 *
 * <p><b>Verification.</b> {@link #read} checks every file of a checkpoint against its checksums
 * before it is used: a file damaged on the disk (zeros left by a power loss, a flipped bit) is
 * refused, naming the file. Where the newest checkpoint is damaged and the previous epoch's is
 * intact, that one is used instead, and the log says so.
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

    /** The checksums of the other files, one line {@code <sha-256 hex> <name>} each. */
    public static final String CHECKSUMS = "checksums.sha256";

    private static final List<String> CHECKED = List.of(PARAMETERS, OPTIMIZER, METADATA);

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
            StringBuilder checksums = new StringBuilder();
            for (String name : CHECKED) {
                checksums.append(sha256(staging.resolve(name))).append("  ").append(name);
                checksums.append('\n');
            }
            Files.writeString(
                    staging.resolve(CHECKSUMS), checksums.toString(), StandardCharsets.UTF_8);
            for (String name : CHECKED) {
                AtomicFile.force(staging.resolve(name));
            }
            AtomicFile.force(staging.resolve(CHECKSUMS));
            AtomicFile.force(staging);
            if (Files.exists(target)) { // the same epoch again: move the old one aside first
                Path old =
                        directory.resolve(
                                "." + folderName(epochsDone) + ".old." + RANDOM.nextInt(1 << 30));
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(old);
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            AtomicFile.force(directory);
            // Keep the previous epoch's checkpoint, to fall back on if this one is found damaged.
            Path previous = directory.resolve(folderName(epochsDone - 1));
            try (Stream<Path> list = Files.list(directory)) {
                for (Path other : list.toList()) {
                    String name = other.getFileName().toString();
                    boolean epoch = EPOCH_FOLDER.matcher(name).matches();
                    boolean stale = name.startsWith(".epoch-"); // a folder of a killed write
                    if ((epoch || stale) && !other.equals(target) && !other.equals(previous)) {
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
     * The folder of the newest complete checkpoint in a checkpoint directory (not yet verified).
     *
     * @param directory the checkpoint directory (need not exist)
     * @return the folder {@code epoch-NNNN} with the most epochs that holds {@value #METADATA}, or
     *     empty
     */
    public static Optional<Path> latest(Path directory) {
        List<Path> folders = complete(directory);
        return folders.isEmpty() ? Optional.empty() : Optional.of(folders.get(0));
    }

    /** The folders {@code epoch-NNNN} that hold {@value #METADATA}, newest first. */
    private static List<Path> complete(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(directory)) {
            return list.filter(
                            folder ->
                                    EPOCH_FOLDER.matcher(folder.getFileName().toString()).matches()
                                            && Files.isRegularFile(folder.resolve(METADATA)))
                    .sorted(Comparator.comparing(Checkpoint::epochOf).reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * The epoch count in a checkpoint folder's name.
     *
     * @param folder a folder {@code epoch-NNNN}
     * @return NNNN, or -1 for another name
     */
    public static int epochOf(Path folder) {
        Matcher m = EPOCH_FOLDER.matcher(folder.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /**
     * Reads the newest intact checkpoint in a checkpoint directory, silently.
     *
     * @param directory the checkpoint directory
     * @return the checkpoint record
     * @throws IllegalArgumentException as {@link #read(Path, PrintStream)}
     */
    public static Checkpoint read(Path directory) {
        return read(directory, null);
    }

    /**
     * Reads the newest intact checkpoint in a checkpoint directory: the newest complete one whose
     * files match their checksums ({@link #verify}); if it does not, the one before it, if there is
     * one and it does, after a line on {@code log} that names the damaged file.
     *
     * @param directory the checkpoint directory
     * @param log where to say that a damaged checkpoint was passed over, or null
     * @return the checkpoint record
     * @throws IllegalArgumentException if the directory holds no complete checkpoint, or none that
     *     is intact (naming the newest one's damaged file), or its metadata cannot be read
     */
    public static Checkpoint read(Path directory, PrintStream log) {
        List<Path> folders = complete(directory);
        if (folders.isEmpty()) {
            throw new IllegalArgumentException("no complete checkpoint in " + directory);
        }
        IllegalArgumentException damage = null;
        for (Path folder : folders) {
            try {
                verify(folder);
                Checkpoint c = readMetadata(folder);
                if (damage != null && log != null) {
                    log.println(
                            "checkpoint: "
                                    + damage.getMessage()
                                    + "; resuming from "
                                    + folder.getFileName()
                                    + " instead");
                    log.flush();
                }
                return c;
            } catch (IllegalArgumentException e) {
                if (damage == null) {
                    damage = e;
                }
            }
        }
        throw damage;
    }

    /**
     * Checks the files of one checkpoint folder against its {@value #CHECKSUMS}.
     *
     * @param folder an {@code epoch-NNNN} folder
     * @throws IllegalArgumentException naming the first file that is missing or does not match, or
     *     a missing or malformed checksum file
     */
    public static void verify(Path folder) {
        Path manifest = folder.resolve(CHECKSUMS);
        List<String> lines;
        try {
            lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(
                    "the checkpoint " + folder + " has no " + CHECKSUMS + ": it cannot be verified",
                    e);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read " + manifest + ": " + e.getMessage(), e);
        }
        java.util.Map<String, String> expected = new java.util.HashMap<>();
        for (String line : lines) {
            Matcher m = CHECKSUM_LINE.matcher(line);
            if (m.matches()) {
                expected.put(m.group(2), m.group(1).toLowerCase(Locale.ROOT));
            } else if (!line.isBlank()) {
                throw new IllegalArgumentException(manifest + ": malformed line '" + line + "'");
            }
        }
        for (String name : CHECKED) {
            Path file = folder.resolve(name);
            String want = expected.get(name);
            if (want == null) {
                throw new IllegalArgumentException(manifest + " lists no checksum of " + name);
            }
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(file + " is missing from the checkpoint");
            }
            String got;
            try {
                got = sha256(file);
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "cannot read " + file + ": " + e.getMessage(), e);
            }
            if (!got.equals(want)) {
                throw new IllegalArgumentException(
                        file + " does not match its checksum in " + CHECKSUMS + ": it is damaged");
            }
        }
    }

    private static final Pattern CHECKSUM_LINE = Pattern.compile("([0-9a-fA-F]{64}) [ *](.+)");

    /** The SHA-256 of a file, in lower-case hex. */
    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static Checkpoint readMetadata(Path folder) {
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
        Path file = folder.resolve(OPTIMIZER);
        try {
            byte[] bytes = Files.readAllBytes(file);
            try (NDList state = NDList.decode(network.manager(), bytes)) {
                if (!state.isEmpty()) {
                    optimizer.loadState(network.trainableParameters(), state, optimizerSteps);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // DJL's decoder reports a short or garbled file by buffer errors that name no file
            throw new IllegalArgumentException(
                    file
                            + " is not a readable optimizer state ("
                            + (e.getMessage() == null
                                    ? e.getClass().getSimpleName()
                                    : e.getMessage())
                            + ")",
                    e);
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

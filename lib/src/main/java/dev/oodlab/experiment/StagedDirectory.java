package dev.oodlab.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Fills an output folder all at once: files are written into a hidden temporary folder next to the
 * target, and {@link #commit()} moves them into place. If the target does not exist yet, the whole
 * temporary folder is renamed to it (one atomic step); otherwise each file is moved in by an atomic
 * rename, replacing older files of the same name. If anything fails before the commit — training, a
 * missing data set, a full disk — {@link #close()} removes the temporary folder and the target is
 * as it was: nothing half-written.
 *
 * <pre>{@code
 * try (StagedDirectory staged = StagedDirectory.create(out)) {
 *     write(staged.path().resolve("results.json"));
 *     staged.commit();
 * }
 * }</pre>
 */
public final class StagedDirectory implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path target;
    private final Path staging;
    private boolean committed;

    private StagedDirectory(Path target, Path staging) {
        this.target = target;
        this.staging = staging;
    }

    /**
     * Creates the temporary folder for a target folder.
     *
     * @param target the output folder (may exist; must not be a file)
     * @return the staged folder
     * @throws IOException if the temporary folder cannot be created
     * @throws IllegalArgumentException if the target is an existing file
     */
    public static StagedDirectory create(Path target) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
            throw new IllegalArgumentException(target + " exists and is not a folder");
        }
        Path parent = absolute.getParent();
        Files.createDirectories(parent);
        Path staging =
                parent.resolve(
                        "."
                                + absolute.getFileName()
                                + "."
                                + Long.toUnsignedString(RANDOM.nextLong(), 36)
                                + ".tmp");
        Files.createDirectory(staging);
        return new StagedDirectory(absolute, staging);
    }

    /**
     * Deletes the temporary folders of earlier writes of a target that never reached their commit
     * (a process killed just before the final rename leaves its hidden {@code .<name>.<random>.tmp}
     * beside the target). Call it only while no other process writes the same target, e.g. under
     * the {@link CheckpointLock} of a training run.
     *
     * @param target the output folder
     * @throws IOException if a leftover cannot be removed
     */
    public static void removeStale(Path target) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return;
        }
        Pattern stale =
                Pattern.compile(
                        "\\."
                                + Pattern.quote(absolute.getFileName().toString())
                                + "\\.[0-9a-z]+\\.tmp");
        try (Stream<Path> list = Files.list(parent)) {
            for (Path p : list.toList()) {
                if (stale.matcher(p.getFileName().toString()).matches()) {
                    deleteTree(p);
                }
            }
        }
    }

    /** The temporary folder to write into. */
    public Path path() {
        return staging;
    }

    /** The final folder. */
    public Path target() {
        return target;
    }

    /**
     * Moves the written files into the target folder.
     *
     * @throws IOException if a move fails
     */
    public void commit() throws IOException {
        if (committed) {
            throw new IllegalStateException("already committed");
        }
        if (!Files.exists(target)) {
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                committed = true;
                return;
            } catch (AtomicMoveNotSupportedException | java.nio.file.FileAlreadyExistsException e) {
                // fall through: move file by file
            }
        }
        Files.createDirectories(target);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(staging)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            Path to = target.resolve(staging.relativize(file).toString());
            Files.createDirectories(to.getParent());
            try {
                Files.move(
                        file,
                        to,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(file, to, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        committed = true;
        deleteTree(staging);
    }

    /** Removes the temporary folder (after a commit: whatever is left of it). */
    @Override
    public void close() {
        try {
            deleteTree(staging);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + staging, e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}

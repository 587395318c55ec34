package dev.oodlab.io;

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
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Fills an output folder all at once: files are written into a hidden temporary folder next to the
 * target, and {@link #commit()} renames that folder to the target. A target that exists already is
 * replaced whole, never merged into (files of an earlier run that this one does not write would
 * otherwise stay beside the new ones): it is renamed aside, the new folder renamed into place, and
 * the old one deleted. If anything fails before the commit — training, a missing data set, a full
 * disk — {@link #close()} removes the temporary folder and the target is as it was: nothing
 * half-written.
 *
 * <p>Since the old folder is deleted, only a folder that holds nothing but output of ours may be
 * replaced: {@link #create(Path, Predicate)} takes the names the writer owns and refuses a target
 * that holds anything else.
 *
 * <pre>{@code
 * try (StagedDirectory staged = StagedDirectory.create(out, RunFiles::isOutputName)) {
 *     write(staged.path().resolve("results.json"));
 *     staged.commit();
 * }
 * }</pre>
 */
public final class StagedDirectory implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The end of the name an existing target is renamed to while it is replaced. */
    private static final String OLD = ".old";

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
     * @param ownName which names in an existing target are output of the writer's, to be replaced
     * @return the staged folder
     * @throws IOException if the temporary folder cannot be created
     * @throws IllegalArgumentException if the target is an existing file, or a folder that holds an
     *     entry the writer does not own
     */
    public static StagedDirectory create(Path target, Predicate<String> ownName)
            throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        checkReplaceable(target, ownName);
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
     * Checks that a target folder may be replaced: it does not exist, or it is a folder whose every
     * entry has a name the writer owns.
     *
     * @param target the output folder
     * @param ownName the names the writer owns
     * @throws IllegalArgumentException naming the target and the first foreign entry
     * @throws IOException if the folder cannot be listed
     */
    public static void checkReplaceable(Path target, Predicate<String> ownName) throws IOException {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new IllegalArgumentException(target + " exists and is not a folder");
        }
        try (Stream<Path> list = Files.list(target)) {
            for (Path entry : list.sorted().toList()) {
                String name = entry.getFileName().toString();
                if (!ownName.test(name)) {
                    throw new IllegalArgumentException(
                            target
                                    + " holds "
                                    + name
                                    + ", which oodlab did not write, and an output folder is"
                                    + " replaced whole; choose another folder or move it away");
                }
            }
        }
    }

    /**
     * Deletes the temporary folders of earlier writes of a target that never reached their commit
     * (a process killed just before the final rename leaves its hidden {@code .<name>.<random>.tmp}
     * beside the target, one killed while replacing it a {@code .<name>.<random>.old}). Call it
     * only while no other process writes the same target, e.g. under the {@link CheckpointLock} of
     * a training run.
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
                                + "\\.[0-9a-z]+\\.(tmp|old)");
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
     * Renames the written folder to the target, replacing an existing target whole.
     *
     * @throws IOException if a rename fails (the target is then as it was)
     */
    public void commit() throws IOException {
        if (committed) {
            throw new IllegalStateException("already committed");
        }
        AtomicFile.force(staging);
        if (!Files.exists(target)) {
            move(staging, target);
        } else {
            Path old =
                    target.resolveSibling(
                            "."
                                    + target.getFileName()
                                    + "."
                                    + Long.toUnsignedString(RANDOM.nextLong(), 36)
                                    + OLD);
            move(target, old);
            try {
                move(staging, target);
            } catch (IOException e) {
                move(old, target); // put the old one back
                throw e;
            }
            committed = true;
            AtomicFile.force(target.getParent());
            deleteTree(old);
            return;
        }
        committed = true;
        AtomicFile.force(target.getParent());
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
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

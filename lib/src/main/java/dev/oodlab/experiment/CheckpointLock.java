package dev.oodlab.experiment;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The exclusive lock of a {@link CheckpointFolder}: one training run at a time writes a checkpoint
 * folder and its output folder. The lock is the file {@value CheckpointFolder#LOCK} in the folder,
 * locked with {@link FileChannel#tryLock()} (an operating-system lock, released when the process
 * ends, however it ends) and holding the owner's process id, host and start time, so that a run
 * that finds the folder locked names the one that holds it.
 *
 * <p>A lock file left by a process that was killed is no longer locked by anyone: the next run
 * takes it over and says so on its log. A run that ends normally empties the file before it
 * releases it (or removes it with the folder), so that only a killed run leaves its name behind.
 *
 * <p>The owner never opens the lock file a second time: on POSIX systems closing any descriptor of
 * a file drops the process's locks on it, so the file is read and written through the one locked
 * channel only; and a second run in the same process is refused from a registry of the lock files
 * this process holds, before it opens the file at all.
 *
 * <p>Where the file system does not support locks ({@code tryLock} fails with an I/O error), the
 * file's content decides: a lock naming a live process of this host is held, any other is taken
 * over.
 */
final class CheckpointLock implements AutoCloseable {

    private final Path folder;
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private CheckpointLock(Path folder, Path file, FileChannel channel, FileLock lock) {
        this.folder = folder;
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of a checkpoint folder, creating the folder if needed.
     *
     * @param folder the checkpoint folder
     * @param log where to say that a stale lock was taken over, or null
     * @return the lock; close it to release it
     * @throws IllegalArgumentException naming the process that holds the lock
     * @throws UncheckedIOException if the lock file cannot be created
     */
    static CheckpointLock acquire(Path folder, PrintStream log) {
        Path file = folder.resolve(CheckpointFolder.LOCK).toAbsolutePath().normalize();
        if (!HELD.add(file)) {
            throw new IllegalArgumentException(
                    folder
                            + " is in use by another run, process "
                            + ProcessHandle.current().pid()
                            + " on host "
                            + host()
                            + " (this process); wait for it to end or stop it");
        }
        try {
            return acquireFile(folder, file, log);
        } catch (RuntimeException e) {
            HELD.remove(file);
            throw e;
        }
    }

    /** The lock files this process holds. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private static CheckpointLock acquireFile(Path folder, Path file, PrintStream log) {
        // A run that removes the folder as this one opens its lock file makes this one lock a
        // file that is gone: try again then.
        for (int attempt = 0; ; attempt++) {
            FileChannel channel = null;
            FileLock lock = null;
            try {
                Files.createDirectories(folder);
                channel =
                        FileChannel.open(
                                file,
                                StandardOpenOption.CREATE,
                                StandardOpenOption.READ,
                                StandardOpenOption.WRITE);
                boolean locked;
                try {
                    lock = channel.tryLock();
                    locked = lock != null;
                } catch (OverlappingFileLockException e) {
                    locked = false; // held by another run in this very process
                } catch (IOException e) {
                    if (e.getMessage() == null || !e.getMessage().contains("No locks available")) {
                        throw e;
                    }
                    locked = !ownerIsAlive(read(channel)); // no locks here: the content decides
                }
                String before = read(channel);
                if (!locked) {
                    throw new IllegalArgumentException(
                            folder
                                    + " is in use by another run, "
                                    + owner(before)
                                    + "; wait for it to end or stop it");
                }
                if (!Files.exists(file) || Files.size(file) != channel.size()) {
                    release(channel, lock);
                    if (attempt < 5) {
                        continue;
                    }
                    throw new IllegalArgumentException(
                            "cannot lock " + file + ": it is removed and created again as we go");
                }
                if (!before.isEmpty() && log != null) {
                    log.println(
                            "lock: took over the lock of "
                                    + folder
                                    + " left by "
                                    + owner(before)
                                    + ", which ended without releasing it");
                    log.flush();
                }
                byte[] content = ownContent().getBytes(StandardCharsets.UTF_8);
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(content), 0);
                channel.force(true);
                CheckpointLock result = new CheckpointLock(folder, file, channel, lock);
                channel = null;
                return result;
            } catch (NoSuchFileException e) {
                release(channel, lock);
                if (attempt >= 5) {
                    throw new UncheckedIOException("cannot lock " + file + ": " + e, e);
                }
            } catch (IOException e) {
                release(channel, lock);
                throw new UncheckedIOException(
                        "cannot create the lock file " + file + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                release(channel, lock);
                throw e;
            }
        }
    }

    /**
     * Releases the lock. Before that, while still holding it: empties the lock file (unless it went
     * with the folder), and removes the folder if the lock file is all it holds (a run that failed
     * before its first checkpoint leaves nothing behind).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (Files.exists(file) && Files.size(file) == channel.size()) {
                channel.truncate(0);
                channel.force(true);
                boolean onlyTheLock;
                try (Stream<Path> list = Files.list(folder)) {
                    onlyTheLock = list.allMatch(file::equals);
                }
                if (onlyTheLock) {
                    Files.deleteIfExists(file);
                    Files.deleteIfExists(folder);
                }
            }
        } catch (IOException e) {
            // the lock is released below all the same
        } finally {
            release(channel, lock);
            HELD.remove(file);
        }
    }

    private static void release(FileChannel channel, FileLock lock) {
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            // closing the channel releases it as well
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing more to do
            }
        }
    }

    /** The lock file's content, read through the channel (never reopened: see the class). */
    private static String read(FileChannel channel) throws IOException {
        long size = Math.min(channel.size(), 64 * 1024);
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
            // keep reading
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
    }

    private static String ownContent() {
        JsonObject json = new JsonObject();
        json.addProperty("pid", ProcessHandle.current().pid());
        json.addProperty("host", host());
        json.addProperty("started", Instant.now().toString());
        return json + "\n";
    }

    /** Whether a lock file's content names a process of this host that is still running. */
    private static boolean ownerIsAlive(String content) {
        Optional<JsonObject> json = parse(content);
        if (json.isEmpty() || !json.get().has("pid") || !json.get().has("host")) {
            return false;
        }
        if (!host().equals(json.get().get("host").getAsString())) {
            return true; // another host's process: it cannot be checked, so it counts as alive
        }
        return ProcessHandle.of(json.get().get("pid").getAsLong())
                .map(ProcessHandle::isAlive)
                .orElse(false);
    }

    /** "process 1234 on host h (started ...)" from a lock file's content. */
    static String owner(String content) {
        Optional<JsonObject> json = parse(content);
        if (json.isEmpty() || !json.get().has("pid")) {
            return "a process that left no name in the lock file";
        }
        JsonObject j = json.get();
        return "process "
                + j.get("pid").getAsString()
                + (j.has("host") ? " on host " + j.get("host").getAsString() : "")
                + (j.has("started") ? " (started " + j.get("started").getAsString() + ")" : "");
    }

    private static Optional<JsonObject> parse(String content) {
        try {
            var parsed = JsonParser.parseString(content);
            return parsed.isJsonObject() ? Optional.of(parsed.getAsJsonObject()) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** This machine's name: the kernel's, else the environment's, else the resolver's. */
    static String host() {
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                String name = Files.readString(kernel, StandardCharsets.UTF_8).strip();
                if (!name.isEmpty()) {
                    return name;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        for (String key : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
            String name = System.getenv(key);
            if (name != null && !name.isBlank()) {
                return name.strip();
            }
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}

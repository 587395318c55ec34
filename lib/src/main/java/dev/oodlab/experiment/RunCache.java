package dev.oodlab.experiment;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.ToNumberPolicy;
import com.google.gson.reflect.TypeToken;
import dev.oodlab.OodLab;
import dev.oodlab.data.ImageSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A cache of finished training runs. Training is deterministic: the same settings, the same library
 * code and the same data give the same model, bit for bit. So a run's result (the trained model and
 * its epoch log) is stored under a digest of exactly those three things, its {@link Key}, and a
 * later run with the same key loads it instead of training again.
 *
 * <p><b>Where.</b> {@code <data directory>/run-cache/<key digest>/} ({@link OodLab#dataDirectory}).
 * Each entry holds the caller's files, {@code key.json} (the key in full) and {@code
 * manifest.sha256} (a SHA-256 of every file). {@link #find} returns an entry only if its {@code
 * key.json} is the key asked for and every checksum matches; a damaged entry is removed and counts
 * as a miss.
 *
 * <p><b>Never stale.</b> A change of any setting, of any class or resource of the library (the
 * {@link #libraryDigest}), or of any pixel or label of the data ({@link #dataDigest}) gives another
 * key, so a cached result is never used for a run that would train differently.
 *
 * <p><b>Atomic.</b> An entry is written into a hidden folder next to its place, its files synced to
 * disk, then renamed into place in one step: readers see a complete entry or none. Two processes
 * storing the same key at once both succeed; the first rename wins and the other's copy (the same
 * result) is discarded. Hidden folders left by killed writers are removed by the next store after
 * an hour.
 *
 * <p><b>Off, or elsewhere.</b> {@code OODLAB_CACHE=off} (or the system property {@code
 * oodlab.cache=off}) turns the cache off for a process, {@code OODLAB_CACHE=<folder>} moves it;
 * {@code oodlab train --no-cache} and {@code Experiment.Builder.optRunCache(null)} turn it off for
 * one run. Removing the folder empties it.
 */
public final class RunCache {

    /** The environment variable that turns the cache off ({@code off}) or moves it (a folder). */
    public static final String ENVIRONMENT = "OODLAB_CACHE";

    /** The system property that does the same, and takes precedence. */
    public static final String PROPERTY = "oodlab.cache";

    /** The cache's folder name under the data directory. */
    public static final String FOLDER = "run-cache";

    /** The full key of an entry. */
    public static final String KEY_FILE = "key.json";

    /** The checksums of an entry's files, {@code sha256sum} style. */
    public static final String MANIFEST = "manifest.sha256";

    private static final Duration STALE_STAGING = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Gson CANONICAL = new GsonBuilder().serializeNulls().create();

    /** The record file of an entry ({@link #writeRecord}): what the run said besides its model. */
    public static final String RECORD = "run.json";

    private static final Gson RECORD_JSON =
            new GsonBuilder()
                    .serializeNulls()
                    .serializeSpecialFloatingPointValues()
                    .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
                    .create();
    private static volatile String library;

    private final Path folder;

    private RunCache(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    /**
     * What decides a training run's result: its settings, the library that trains it and the data
     * it trains on. Two keys are the same entry exactly when their {@link #toJson} texts are equal.
     *
     * @param settings every setting that changes the trained model, by name (values: strings,
     *     numbers, booleans, null, lists and maps of these); include a name for the kind of run
     * @param library {@link #libraryDigest()}
     * @param data {@link #dataDigest} of every data set the training reads, by role ({@code train},
     *     {@code outliers}, ...)
     */
    public record Key(Map<String, Object> settings, String library, Map<String, String> data) {

        /** Copies the maps (keys sorted, so that the order they were built in does not matter). */
        public Key {
            Objects.requireNonNull(library, "library");
            settings = Collections.unmodifiableMap(new TreeMap<>(settings));
            data = Collections.unmodifiableMap(new TreeMap<>(data));
        }

        /** The key as one line of JSON, maps with sorted keys: what the digest is taken of. */
        public String toJson() {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("settings", sorted(settings));
            all.put("library", library);
            all.put("data", data);
            return CANONICAL.toJson(all);
        }

        /** The SHA-256 of {@link #toJson()}, in hex: the entry's folder name. */
        public String digest() {
            return HexFormat.of()
                    .formatHex(sha256().digest(toJson().getBytes(StandardCharsets.UTF_8)));
        }

        private static Object sorted(Object value) {
            if (value instanceof Map<?, ?> m) {
                Map<String, Object> out = new TreeMap<>();
                m.forEach((k, v) -> out.put(String.valueOf(k), sorted(v)));
                return out;
            }
            if (value instanceof List<?> l) {
                List<Object> out = new ArrayList<>();
                l.forEach(v -> out.add(sorted(v)));
                return out;
            }
            return value;
        }
    }

    /** Writes an entry's files into a folder. */
    @FunctionalInterface
    public interface EntryWriter {
        /**
         * @param folder the entry's (staging) folder
         * @throws IOException if a file cannot be written
         */
        void write(Path folder) throws IOException;
    }

    /**
     * The cache in a folder (created when the first entry is stored).
     *
     * @param folder the cache folder
     * @return the cache
     */
    public static RunCache at(Path folder) {
        return new RunCache(Objects.requireNonNull(folder, "folder"));
    }

    /**
     * The cache of this process, as {@link #PROPERTY} or else {@link #ENVIRONMENT} says: unset,
     * empty or {@code on}: {@code <data directory>/run-cache}; {@code off} (or {@code 0}, {@code
     * false}, {@code no}): none; anything else: that folder.
     *
     * @return the cache, or empty when it is off
     */
    public static Optional<RunCache> standard() {
        String value = System.getProperty(PROPERTY, System.getenv(ENVIRONMENT));
        String v = value == null ? "" : value.trim();
        if (List.of("off", "0", "false", "no").contains(v.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        if (v.isEmpty() || v.equalsIgnoreCase("on")) {
            return Optional.of(at(OodLab.dataDirectory().resolve(FOLDER)));
        }
        return Optional.of(at(Path.of(v)));
    }

    /** The cache folder. */
    public Path folder() {
        return folder;
    }

    /**
     * A key with this library's digest.
     *
     * @param settings the run's settings
     * @param data the data sets the training reads, by role
     * @return the key
     */
    public static Key key(Map<String, Object> settings, Map<String, ImageSet> data) {
        Map<String, String> digests = new TreeMap<>();
        data.forEach((role, set) -> digests.put(role, dataDigest(set)));
        return new Key(settings, libraryDigest(), digests);
    }

    /**
     * The folder of the entry of a key, if the cache holds it complete and undamaged.
     *
     * @param key the key
     * @param warn told (one line) when an entry was there but damaged, and removed
     * @return the entry folder, or empty on a miss
     */
    public Optional<Path> find(Key key, Consumer<String> warn) {
        Path entry = folder.resolve(key.digest());
        if (!Files.isDirectory(entry)) {
            return Optional.empty();
        }
        String problem = check(entry, key);
        if (problem == null) {
            return Optional.of(entry);
        }
        warn.accept(
                "run cache: entry "
                        + label(entry)
                        + " "
                        + problem
                        + "; removed it, training again");
        remove(entry);
        return Optional.empty();
    }

    /**
     * Stores an entry: the writer fills a hidden folder, which is then checksummed, synced and
     * renamed into place. If another process stored the same key meanwhile, its entry stays.
     *
     * @param key the key
     * @param writer writes the result's files
     * @return the entry folder
     * @throws IOException if the entry cannot be written (nothing is left behind)
     */
    public Path store(Key key, EntryWriter writer) throws IOException {
        String digest = key.digest();
        Path entry = folder.resolve(digest);
        Files.createDirectories(folder);
        removeStaleStaging();
        Path staging =
                folder.resolve(
                        "." + digest + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
        Files.createDirectory(staging);
        try {
            writer.write(staging);
            Files.writeString(staging.resolve(KEY_FILE), key.toJson() + "\n");
            StringBuilder manifest = new StringBuilder();
            for (Path file : files(staging)) {
                manifest.append(fileDigest(file))
                        .append("  ")
                        .append(staging.relativize(file).toString().replace('\\', '/'))
                        .append('\n');
            }
            Files.writeString(staging.resolve(MANIFEST), manifest);
            for (Path file : files(staging)) {
                sync(file, false);
            }
            sync(staging, true);
            try {
                Files.move(staging, entry, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(
                        "cannot rename " + staging + " to " + entry + " atomically", e);
            } catch (FileSystemException e) {
                // Another process stored the same result first (Linux reports "Directory not
                // empty" as a plain FileSystemException); anything else is a failure.
                if (!Files.isDirectory(entry)) {
                    throw e;
                }
            }
            sync(folder, true);
            return entry;
        } finally {
            deleteTree(staging);
        }
    }

    /**
     * The digest of the library code that trains: of the jar (or class folder) this class was
     * loaded from. In a jar, the content of every {@code dev/oodlab/} entry and the name, size and
     * CRC-32 of every other entry (the bundled dependencies and natives; reading their CRCs from
     * the jar's directory costs no decompression), so that a rebuild of unchanged code keeps the
     * digest although the jar's timestamps change. From a class folder (tests, an IDE): the content
     * of every file there, and the same for each jar or folder on the class path. Computed once per
     * process.
     *
     * @return hex SHA-256
     * @throws IllegalStateException if the code's location cannot be read
     */
    public static String libraryDigest() {
        String d = library;
        if (d == null) {
            synchronized (RunCache.class) {
                d = library;
                if (d == null) {
                    d = computeLibraryDigest();
                    library = d;
                }
            }
        }
        return d;
    }

    /**
     * The digest of a data set's content: its shape, class count, every pixel (as float bits) and
     * every label. The name is left out; two sets with the same images and labels are the same
     * data.
     *
     * @param set the set
     * @return hex SHA-256
     */
    public static String dataDigest(ImageSet set) {
        MessageDigest md = sha256();
        ByteBuffer head = ByteBuffer.allocate(6 * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(set.size())
                .putInt(set.channels())
                .putInt(set.height())
                .putInt(set.width())
                .putInt(set.numClasses())
                .putInt(set.labels() == null ? 0 : 1);
        md.update(head.flip());
        float[] pixels = set.pixels();
        ByteBuffer chunk = ByteBuffer.allocate(1 << 18).order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = chunk.capacity() / Float.BYTES;
        for (int i = 0; i < pixels.length; i += perChunk) {
            chunk.clear();
            chunk.asFloatBuffer().put(pixels, i, Math.min(perChunk, pixels.length - i));
            chunk.limit(Math.min(perChunk, pixels.length - i) * Float.BYTES);
            md.update(chunk);
        }
        if (set.labels() != null) {
            int[] labels = set.labels();
            perChunk = chunk.capacity() / Integer.BYTES;
            for (int i = 0; i < labels.length; i += perChunk) {
                chunk.clear();
                chunk.asIntBuffer().put(labels, i, Math.min(perChunk, labels.length - i));
                chunk.limit(Math.min(perChunk, labels.length - i) * Integer.BYTES);
                md.update(chunk);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * How logs name an entry: the first 12 hex digits of its key digest (its folder is {@code
     * <cache>/<digest>}); no machine path, so that notebook outputs can be published.
     *
     * @param entry the entry folder
     * @return the short name
     */
    public static String label(Path entry) {
        String name = entry.getFileName().toString();
        return name.substring(0, Math.min(12, name.length()));
    }

    /**
     * Writes an entry's {@value #RECORD}: plain values (numbers, strings, booleans, null, lists and
     * maps of these; NaN and infinities allowed).
     *
     * @param folder the entry's (staging) folder
     * @param record the values
     * @throws IOException if the file cannot be written
     */
    public static void writeRecord(Path folder, Map<String, Object> record) throws IOException {
        Files.writeString(folder.resolve(RECORD), RECORD_JSON.toJson(record) + "\n");
    }

    /**
     * Reads an entry's {@value #RECORD} as {@link #writeRecord} wrote it: whole numbers come back
     * as {@code Long}, the others as {@code Double}.
     *
     * @param entry the entry folder
     * @return the values
     * @throws UncheckedIOException if the file cannot be read
     */
    public static Map<String, Object> readRecord(Path entry) {
        try {
            return RECORD_JSON.fromJson(
                    Files.readString(entry.resolve(RECORD)),
                    new TypeToken<Map<String, Object>>() {}.getType());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + entry.resolve(RECORD), e);
        }
    }

    /** Why an entry cannot be used, or null if it can. */
    private static String check(Path entry, Key key) {
        try {
            String stored = Files.readString(entry.resolve(KEY_FILE)).strip();
            if (!stored.equals(key.toJson())) {
                return "holds another key";
            }
            List<String> lines = Files.readAllLines(entry.resolve(MANIFEST));
            int listed = 0;
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                int gap = line.indexOf("  ");
                if (gap != 64) {
                    return "has a malformed " + MANIFEST;
                }
                String name = line.substring(gap + 2);
                Path file = entry.resolve(name).normalize();
                if (!file.startsWith(entry) || !Files.isRegularFile(file)) {
                    return "lacks " + name;
                }
                if (!fileDigest(file).equals(line.substring(0, gap))) {
                    return "has a damaged " + name + " (checksum mismatch)";
                }
                listed++;
            }
            if (listed != files(entry).size() - 1) {
                return "holds files its " + MANIFEST + " does not list";
            }
            return null;
        } catch (NoSuchFileException e) {
            return "lacks " + entry.relativize(Path.of(e.getFile())).toString();
        } catch (IOException e) {
            return "cannot be read (" + e.getMessage() + ")";
        }
    }

    /** Renames a damaged entry away (so that a reader never sees it half-deleted), then deletes. */
    private void remove(Path entry) {
        Path away =
                folder.resolve(
                        "."
                                + entry.getFileName()
                                + "."
                                + Long.toUnsignedString(RANDOM.nextLong(), 36)
                                + ".tmp");
        try {
            Files.move(entry, away, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(away);
        } catch (NoSuchFileException e) {
            // another process removed it first
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the damaged cache entry " + entry, e);
        }
    }

    private void removeStaleStaging() {
        Instant before = Instant.now().minus(STALE_STAGING);
        try (Stream<Path> list = Files.list(folder)) {
            for (Path p : list.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".")
                        && name.endsWith(".tmp")
                        && Files.getLastModifiedTime(p).compareTo(FileTime.from(before)) < 0) {
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            // best effort: a stale folder costs only space
        }
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static String fileDigest(Path file) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void sync(Path path, boolean folder) throws IOException {
        try (FileChannel c =
                FileChannel.open(
                        path, folder ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            c.force(true);
        } catch (IOException e) {
            if (!folder) {
                throw e;
            }
            // some platforms cannot open a folder to sync it; the files themselves are synced
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

    private static String computeLibraryDigest() {
        CodeSource source = RunCache.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalStateException("the location of the oodlab classes is unknown");
        }
        Path code;
        try {
            code = Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "the location of the oodlab classes is not a file: " + source.getLocation(), e);
        }
        MessageDigest md = sha256();
        try {
            digestElement(md, code);
            if (Files.isDirectory(code)) {
                String classPath = System.getProperty("java.class.path", "");
                for (String element : classPath.split(java.io.File.pathSeparator)) {
                    Path p = Path.of(element).toAbsolutePath().normalize();
                    if (!element.isEmpty() && Files.exists(p) && !p.equals(code)) {
                        digestElement(md, p);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the oodlab classes at " + code, e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The digest {@link #libraryDigest} takes of one jar or class folder, alone. */
    static String elementDigest(Path element) throws IOException {
        MessageDigest md = sha256();
        digestElement(md, element);
        return HexFormat.of().formatHex(md.digest());
    }

    private static void digestElement(MessageDigest md, Path element) throws IOException {
        md.update((element.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
        if (Files.isDirectory(element)) {
            for (Path file : files(element)) {
                md.update(
                        (element.relativize(file).toString().replace('\\', '/') + "\n")
                                .getBytes(StandardCharsets.UTF_8));
                md.update(fileDigest(file).getBytes(StandardCharsets.US_ASCII));
            }
            return;
        }
        try (ZipFile jar = new ZipFile(element.toFile())) {
            List<? extends ZipEntry> entries =
                    jar.stream()
                            .filter(e -> !e.isDirectory())
                            .sorted(Comparator.comparing(ZipEntry::getName))
                            .toList();
            for (ZipEntry e : entries) {
                StringBuilder line = new StringBuilder(e.getName()).append(' ');
                if (e.getName().startsWith("dev/oodlab/")) {
                    MessageDigest content = sha256();
                    try (InputStream in = jar.getInputStream(e)) {
                        byte[] buffer = new byte[1 << 16];
                        for (int n; (n = in.read(buffer)) > 0; ) {
                            content.update(buffer, 0, n);
                        }
                    }
                    line.append(HexFormat.of().formatHex(content.digest()));
                } else {
                    line.append(e.getSize()).append(' ').append(Long.toHexString(e.getCrc()));
                }
                md.update(line.append('\n').toString().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}

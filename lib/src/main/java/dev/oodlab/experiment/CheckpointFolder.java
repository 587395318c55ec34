package dev.oodlab.experiment;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.oodlab.io.AtomicFile;
import dev.oodlab.train.Checkpoint;
import dev.oodlab.train.EpochResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoint folder of an {@link Experiment}: what a training run leaves behind while it runs,
 * so that an interrupted run can be resumed ({@code oodlab train --resume}).
 *
 * <ul>
 *   <li>{@code settings.json} — the experiment's settings ({@link Experiment#settings()}), written
 *       when training starts; a resumed run must have the same ones;
 *   <li>{@code history.json} — the per-epoch log that ends up in {@code results.json} (loss, time,
 *       resident memory), rewritten after every epoch;
 *   <li>{@code epoch-NNNN/} — the newest complete {@link Checkpoint} (parameters, optimizer state,
 *       {@code checkpoint.json}), written as a temporary folder and renamed into place;
 *   <li>{@value #LOCK} — the lock of the run that writes the folder ({@link CheckpointLock}): a
 *       second run into the same output fails at once, naming the first.
 * </ul>
 *
 * Every file is written through a temporary file or folder and a rename, so a run killed at any
 * moment leaves the last complete checkpoint readable. {@code oodlab train --out DIR} uses the
 * sibling folder {@code DIR.checkpoint} ({@link #forOutput}); the run removes it once {@code DIR}
 * is written.
 */
public final class CheckpointFolder {

    /** What {@link #forOutput} appends to the output folder's name. */
    public static final String SUFFIX = ".checkpoint";

    /** The settings file. */
    public static final String SETTINGS = "settings.json";

    /** The per-epoch log. */
    public static final String HISTORY = "history.json";

    /**
     * The lock file ({@link CheckpointLock}): the process id, host and start time of the run that
     * holds the folder.
     */
    public static final String LOCK = "run.lock";

    /** The end of the name a checkpoint folder is renamed to while it is removed. */
    static final String REMOVED = ".removed";

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The value of the settings' {@code format} key. */
    public static final String FORMAT = "oodlab-train-checkpoint/1";

    private static final Gson GSON =
            new GsonBuilder()
                    .setPrettyPrinting()
                    .serializeNulls()
                    .serializeSpecialFloatingPointValues()
                    .create();

    private CheckpointFolder() {}

    /**
     * The checkpoint folder of an output folder: its sibling {@code <name>.checkpoint}, outside the
     * output folder so that the output is still written all at once.
     *
     * @param out the output folder
     * @return {@code out} with {@value #SUFFIX} appended to its name
     */
    public static Path forOutput(Path out) {
        Path absolute = out.toAbsolutePath().normalize();
        if (absolute.getFileName() == null) {
            throw new IllegalArgumentException("--out " + out + " names no folder");
        }
        return absolute.resolveSibling(absolute.getFileName() + SUFFIX);
    }

    /**
     * Whether a folder holds a complete checkpoint.
     *
     * @param folder the checkpoint folder (need not exist)
     * @return true if it has an {@code epoch-NNNN} folder with its metadata
     */
    public static boolean hasCheckpoint(Path folder) {
        return Checkpoint.latest(folder).isPresent();
    }

    /**
     * Removes a checkpoint folder (nothing if it does not exist), at once: it is renamed to a
     * hidden sibling {@code .<name>.<random>.removed} first and deleted there, so that a run killed
     * during the removal leaves no half-removed checkpoint folder (one that could neither be
     * resumed nor replaced), only the hidden folder, which {@link #removeLeftovers} deletes on the
     * next run.
     *
     * @param folder the folder
     * @throws UncheckedIOException if it cannot be renamed or something in it cannot be removed
     */
    public static void delete(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        Path absolute = folder.toAbsolutePath().normalize();
        Path away =
                absolute.resolveSibling(
                        "."
                                + absolute.getFileName()
                                + "."
                                + Long.toUnsignedString(RANDOM.nextLong(), 36)
                                + REMOVED);
        try {
            Files.move(absolute, away, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + folder + ": " + e.getMessage(), e);
        }
        deleteTree(away);
    }

    /**
     * Deletes what a killed {@link #delete} left of a checkpoint folder: its hidden siblings {@code
     * .<name>.<random>.removed}.
     *
     * @param folder the checkpoint folder (need not exist)
     */
    static void removeLeftovers(Path folder) {
        Path absolute = folder.toAbsolutePath().normalize();
        Pattern leftover =
                Pattern.compile(
                        "\\."
                                + Pattern.quote(absolute.getFileName().toString())
                                + "\\.[0-9a-z]+"
                                + Pattern.quote(REMOVED));
        try (Stream<Path> list = Files.list(absolute.getParent())) {
            for (Path p : list.toList()) {
                if (leftover.matcher(p.getFileName().toString()).matches()) {
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot list " + absolute.getParent() + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Empties a checkpoint folder but for its {@value #LOCK} file: what a run that stopped in its
     * first epoch left, removed by the next run that holds the lock.
     *
     * @param folder the folder
     * @throws UncheckedIOException if something in it cannot be removed
     */
    static void clear(Path folder) {
        try (Stream<Path> list = Files.list(folder)) {
            for (Path p : list.toList()) {
                if (!p.getFileName().toString().equals(LOCK)) {
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether a folder holds nothing but what a checkpoint folder holds (so that it may be removed
     * as the leftover of a run that stopped before its first checkpoint).
     *
     * @param folder an existing folder
     * @return true if every entry is {@value #SETTINGS}, {@value #HISTORY}, or an {@code epoch-…}
     *     folder or a temporary file or folder of ours
     */
    static boolean looksLikeCheckpointFolder(Path folder) {
        try (Stream<Path> list = Files.list(folder)) {
            return list.map(p -> p.getFileName().toString())
                    .allMatch(
                            name ->
                                    name.equals(SETTINGS)
                                            || name.equals(HISTORY)
                                            || name.equals(LOCK)
                                            || name.startsWith("epoch-")
                                            || name.startsWith(".epoch-")
                                            || (name.startsWith(".") && name.endsWith(".tmp")));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Writes the settings (atomically).
     *
     * @param folder the checkpoint folder, created if needed
     * @param settings the experiment's settings
     */
    static void writeSettings(Path folder, Map<String, Object> settings) {
        JsonObject json = new JsonObject();
        json.addProperty("format", FORMAT);
        GSON.toJsonTree(settings)
                .getAsJsonObject()
                .entrySet()
                .forEach(e -> json.add(e.getKey(), e.getValue()));
        write(folder.resolve(SETTINGS), GSON.toJson(json) + "\n");
    }

    /**
     * Checks that a run's settings are those the checkpoint was made with.
     *
     * @param folder the checkpoint folder
     * @param settings this run's settings
     * @throws IllegalArgumentException naming the first setting that differs, as its option ({@code
     *     --epochs}), with both values
     */
    static void checkSettings(Path folder, Map<String, Object> settings) {
        Path file = folder.resolve(SETTINGS);
        JsonObject stored = readObject(file);
        if (!stored.has("format") || !FORMAT.equals(text(stored.get("format")))) {
            throw new IllegalArgumentException(
                    file + ": not an oodlab checkpoint (" + FORMAT + ")");
        }
        // Through JSON text and back, so that numbers compare as the stored ones do.
        JsonObject given = JsonParser.parseString(GSON.toJson(settings)).getAsJsonObject();
        for (Map.Entry<String, JsonElement> e : given.entrySet()) {
            JsonElement before = stored.get(e.getKey());
            if (before == null || !before.equals(e.getValue())) {
                throw new IllegalArgumentException(
                        "cannot resume: --"
                                + e.getKey().replace('_', '-')
                                + " is "
                                + text(e.getValue())
                                + " here but "
                                + (before == null ? "not recorded" : text(before))
                                + " in the checkpoint "
                                + folder
                                + "; give the interrupted run's options, or delete the folder");
            }
        }
    }

    /**
     * Writes the per-epoch log (atomically).
     *
     * @param folder the checkpoint folder
     * @param history one entry per epoch so far
     */
    static void writeHistory(Path folder, List<Map<String, Object>> history) {
        write(folder.resolve(HISTORY), GSON.toJson(history) + "\n");
    }

    /**
     * The per-epoch log of the epochs a checkpoint holds: the entries of {@value #HISTORY} for
     * epochs 1 … {@code epochsDone}; an epoch missing there (a file lost or damaged) is rebuilt
     * from the checkpoint's own record, without the resident memory.
     *
     * @param folder the checkpoint folder
     * @param checkpoint the checkpoint resumed from
     * @return one entry per completed epoch, in order
     */
    static List<Map<String, Object>> readHistory(Path folder, Checkpoint checkpoint) {
        Map<Integer, Map<String, Object>> byEpoch = new LinkedHashMap<>();
        Path file = folder.resolve(HISTORY);
        if (Files.isRegularFile(file)) {
            try {
                JsonElement parsed =
                        JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
                JsonArray entries =
                        parsed.isJsonArray() ? parsed.getAsJsonArray() : new JsonArray();
                for (JsonElement element : entries) {
                    JsonObject entry = element.getAsJsonObject();
                    Map<String, Object> map = new LinkedHashMap<>();
                    int epoch = entry.get("epoch").getAsInt();
                    map.put("epoch", epoch);
                    for (Map.Entry<String, JsonElement> e : entry.entrySet()) {
                        if (!e.getKey().equals("epoch")) {
                            map.put(e.getKey(), e.getValue().getAsDouble());
                        }
                    }
                    byEpoch.put(epoch, map);
                }
            } catch (IOException | RuntimeException e) {
                byEpoch.clear(); // damaged: rebuild every entry from the checkpoint
            }
        }
        List<Map<String, Object>> history = new ArrayList<>();
        for (EpochResult r : checkpoint.history()) {
            Map<String, Object> entry = byEpoch.get(r.epoch() + 1);
            if (entry == null) {
                entry = new LinkedHashMap<>();
                entry.put("epoch", r.epoch() + 1);
                entry.put("loss", r.loss());
                entry.put("seconds", r.seconds());
                entry.put("images_per_second", r.imagesPerSecond());
                entry.put("rss_mb", Double.NaN);
            }
            history.add(entry);
        }
        return history;
    }

    private static JsonObject readObject(Path file) {
        try {
            JsonElement parsed =
                    JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!parsed.isJsonObject()) {
                throw new IllegalArgumentException(file + ": expected a JSON object");
            }
            return parsed.getAsJsonObject();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(
                    "cannot resume: " + file.getParent() + " holds no " + SETTINGS, e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(file + ": malformed JSON", e);
        }
    }

    private static String text(JsonElement value) {
        if (value == null || value.isJsonNull()) {
            return "unset";
        }
        if (value.isJsonPrimitive()) {
            return value.getAsString();
        }
        if (value.isJsonArray()) {
            List<String> parts = new ArrayList<>();
            value.getAsJsonArray().forEach(v -> parts.add(text(v)));
            return String.join(",", parts);
        }
        return value.toString();
    }

    private static void write(Path file, String text) {
        try {
            AtomicFile.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}

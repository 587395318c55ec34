package dev.oodlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oodlab.OodLab;
import dev.oodlab.data.ImageSet;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RunCache}: every part of the key makes a miss, entries are verified, written atomically
 * and safely by concurrent writers. No training here; {@code ExperimentRunCacheTest} trains.
 */
class RunCacheTest {

    @TempDir Path tmp;

    private static Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("run", "test");
        s.put("method", "mixup");
        s.put("alpha", 1.0);
        s.put("epochs", 5);
        s.put("ood", List.of("mnist", "uniform"));
        s.put("outliers", null);
        return s;
    }

    private static final String LIBRARY = "a".repeat(64);

    private static RunCache.Key key() {
        return new RunCache.Key(settings(), LIBRARY, Map.of("train", "b".repeat(64)));
    }

    /** Stores an entry with one file, {@code result.txt}, holding the text. */
    private static Path store(RunCache cache, RunCache.Key key, String text) throws IOException {
        return cache.store(key, folder -> Files.writeString(folder.resolve("result.txt"), text));
    }

    private static Optional<Path> find(RunCache cache, RunCache.Key key, List<String> warnings) {
        return cache.find(key, warnings::add);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(
                        MessageDigest.getInstance("SHA-256")
                                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theDigestIsTheSha256OfTheCanonicalJson() throws Exception {
        RunCache.Key key = new RunCache.Key(Map.of("b", 2, "a", "x"), "lib", Map.of("train", "d"));
        String json =
                "{\"settings\":{\"a\":\"x\",\"b\":2},\"library\":\"lib\",\"data\":{\"train\":\"d\"}}";
        assertEquals(json, key.toJson());
        assertEquals(sha256(json), key.digest());
    }

    @Test
    void settingsInAnotherOrderAreTheSameKey() {
        Map<String, Object> reversed = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(settings().keySet());
        for (int i = names.size() - 1; i >= 0; i--) {
            reversed.put(names.get(i), settings().get(names.get(i)));
        }
        assertEquals(
                key().digest(),
                new RunCache.Key(reversed, LIBRARY, Map.of("train", "b".repeat(64))).digest());
    }

    @Test
    void aStoredEntryIsFoundAndEachPartOfTheKeyMakesAMiss() throws Exception {
        RunCache cache = RunCache.at(tmp.resolve("cache"));
        Path entry = store(cache, key(), "trained");
        assertEquals(tmp.resolve("cache").resolve(key().digest()), entry);
        List<String> warnings = new ArrayList<>();
        assertEquals(Optional.of(entry), find(cache, key(), warnings));
        assertEquals("trained", Files.readString(entry.resolve("result.txt")));

        // a setting: another value, a new setting, one dropped, a list element
        Map<String, Object> s = settings();
        s.put("alpha", 0.5);
        assertMiss(cache, new RunCache.Key(s, LIBRARY, key().data()));
        s = settings();
        s.put("epochs", 5L + 1);
        assertMiss(cache, new RunCache.Key(s, LIBRARY, key().data()));
        s = settings();
        s.put("warmup", 3);
        assertMiss(cache, new RunCache.Key(s, LIBRARY, key().data()));
        s = settings();
        s.remove("outliers");
        assertMiss(cache, new RunCache.Key(s, LIBRARY, key().data()));
        s = settings();
        s.put("ood", List.of("mnist", "gaussian"));
        assertMiss(cache, new RunCache.Key(s, LIBRARY, key().data()));
        // the library (jar) digest
        assertMiss(cache, new RunCache.Key(settings(), "c".repeat(64), key().data()));
        // a data digest, and an added data set
        assertMiss(cache, new RunCache.Key(settings(), LIBRARY, Map.of("train", "d".repeat(64))));
        assertMiss(
                cache,
                new RunCache.Key(
                        settings(),
                        LIBRARY,
                        Map.of("train", "b".repeat(64), "outliers", "e".repeat(64))));
        assertEquals(List.of(), warnings);
        // and the original key still hits
        assertTrue(find(cache, key(), warnings).isPresent());
    }

    private static void assertMiss(RunCache cache, RunCache.Key key) {
        assertNotEquals(key().digest(), key.digest(), key.toJson());
        List<String> warnings = new ArrayList<>();
        assertEquals(Optional.empty(), cache.find(key, warnings::add), key.toJson());
        assertEquals(List.of(), warnings);
    }

    @Test
    void theDataDigestChangesWithAnyPixelOrLabelButNotTheName() {
        float[] pixels = new float[3 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i / 16f;
        }
        ImageSet set = new ImageSet("a", pixels, new int[] {0, 1, 2}, 3, 1, 2, 2);
        String digest = RunCache.dataDigest(set);
        assertEquals(digest, RunCache.dataDigest(set.withName("b")));
        float[] onePixel = pixels.clone();
        onePixel[7] = Math.nextUp(onePixel[7]);
        assertNotEquals(
                digest, RunCache.dataDigest(new ImageSet("a", onePixel, set.labels(), 3, 1, 2, 2)));
        assertNotEquals(
                digest,
                RunCache.dataDigest(new ImageSet("a", pixels, new int[] {0, 2, 2}, 3, 1, 2, 2)));
        // the same numbers in another shape, or unlabelled, are other data
        assertNotEquals(
                digest, RunCache.dataDigest(new ImageSet("a", pixels, set.labels(), 3, 1, 4, 1)));
        assertNotEquals(digest, RunCache.dataDigest(new ImageSet("a", pixels, null, 0, 1, 2, 2)));
    }

    @Test
    void theDataDigestCoversEveryPixelOfALargeSet() {
        // more pixels than one hashing chunk (65,536 floats): a change in the last one counts
        float[] pixels = new float[200_000];
        ImageSet set = new ImageSet("big", pixels, null, 0, 1, 1, 1);
        String digest = RunCache.dataDigest(set);
        float[] last = pixels.clone();
        last[last.length - 1] = 1f;
        assertNotEquals(digest, RunCache.dataDigest(new ImageSet("big", last, null, 0, 1, 1, 1)));
    }

    @Test
    void aDamagedEntryIsAMissAndIsRemoved() throws Exception {
        RunCache cache = RunCache.at(tmp.resolve("cache"));
        Path entry = store(cache, key(), "trained");
        // the same length, other bytes: what a lost write leaves
        Files.writeString(entry.resolve("result.txt"), "\0\0\0\0\0\0\0");
        List<String> warnings = new ArrayList<>();
        assertEquals(Optional.empty(), find(cache, key(), warnings));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("damaged result.txt"), warnings.get(0));
        assertFalse(Files.exists(entry));
        assertEquals(List.of(), leftovers(cache));
        // stored again, it is found again
        store(cache, key(), "trained");
        assertTrue(find(cache, key(), warnings).isPresent());
    }

    @Test
    void anEntryWithAMissingOrExtraFileOrAnotherKeyIsAMiss() throws Exception {
        RunCache cache = RunCache.at(tmp.resolve("cache"));
        List<String> warnings = new ArrayList<>();

        Files.delete(store(cache, key(), "x").resolve("result.txt"));
        assertEquals(Optional.empty(), find(cache, key(), warnings));
        assertTrue(warnings.get(0).contains("lacks result.txt"), warnings.toString());

        Files.writeString(store(cache, key(), "x").resolve("extra.txt"), "?");
        assertEquals(Optional.empty(), find(cache, key(), warnings));
        assertTrue(warnings.get(1).contains("does not list"), warnings.toString());

        Path entry = store(cache, key(), "x");
        Files.writeString(entry.resolve(RunCache.KEY_FILE), "{}\n");
        assertEquals(Optional.empty(), find(cache, key(), warnings));
        assertTrue(warnings.get(2).contains("holds another key"), warnings.toString());
    }

    @Test
    void aFailingWriterLeavesNothing() throws Exception {
        RunCache cache = RunCache.at(tmp.resolve("cache"));
        IOException e =
                assertThrows(
                        IOException.class,
                        () ->
                                cache.store(
                                        key(),
                                        folder -> {
                                            Files.writeString(folder.resolve("half"), "x");
                                            throw new IOException("No space left on device");
                                        }));
        assertEquals("No space left on device", e.getMessage());
        assertEquals(Optional.empty(), find(cache, key(), new ArrayList<>()));
        assertEquals(List.of(), leftovers(cache));
        try (Stream<Path> list = Files.list(cache.folder())) {
            assertEquals(0, list.count());
        }
    }

    @Test
    void concurrentWritersOfOneKeyAllSucceedAndLeaveOneCompleteEntry() throws Exception {
        RunCache cache = RunCache.at(tmp.resolve("cache"));
        int writers = 8;
        CountDownLatch allWriting = new CountDownLatch(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Path>> done = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                done.add(
                        pool.submit(
                                () ->
                                        cache.store(
                                                key(),
                                                folder -> {
                                                    Files.writeString(
                                                            folder.resolve("result.txt"),
                                                            "trained");
                                                    // every writer is inside store at once
                                                    allWriting.countDown();
                                                    try {
                                                        allWriting.await(30, TimeUnit.SECONDS);
                                                    } catch (InterruptedException e) {
                                                        Thread.currentThread().interrupt();
                                                    }
                                                })));
            }
            for (Future<Path> f : done) {
                assertEquals(cache.folder().resolve(key().digest()), f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> warnings = new ArrayList<>();
        assertTrue(find(cache, key(), warnings).isPresent());
        assertEquals(List.of(), warnings);
        assertEquals(List.of(), leftovers(cache));
    }

    @Test
    void stagingFoldersOfKilledWritersAreRemovedAfterAnHour() throws Exception {
        RunCache cache = RunCache.at(tmp.resolve("cache"));
        Files.createDirectories(cache.folder());
        Path old = Files.createDirectory(cache.folder().resolve(".dead.1.tmp"));
        Files.writeString(old.resolve("model.params"), "half");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path young = Files.createDirectory(cache.folder().resolve(".busy.2.tmp"));
        store(cache, key(), "x");
        assertFalse(Files.exists(old));
        assertTrue(Files.exists(young), "a writer still at work keeps its folder");
    }

    @Test
    void theStandardCacheFollowsThePropertyThenTheEnvironment() {
        String before = System.getProperty(RunCache.PROPERTY);
        String data = System.getProperty(OodLab.DATA_DIRECTORY_PROPERTY);
        try {
            System.setProperty(OodLab.DATA_DIRECTORY_PROPERTY, tmp.toString());
            for (String off : List.of("off", "OFF", "0", "false", "no")) {
                System.setProperty(RunCache.PROPERTY, off);
                assertEquals(Optional.empty(), RunCache.standard(), off);
            }
            System.setProperty(RunCache.PROPERTY, "on");
            assertEquals(tmp.resolve("run-cache"), RunCache.standard().orElseThrow().folder());
            System.setProperty(RunCache.PROPERTY, tmp.resolve("elsewhere").toString());
            assertEquals(tmp.resolve("elsewhere"), RunCache.standard().orElseThrow().folder());
            // the tests run with OODLAB_CACHE=off (lib/pom.xml): without the property, off
            System.clearProperty(RunCache.PROPERTY);
            assertEquals("off", System.getenv(RunCache.ENVIRONMENT));
            assertEquals(Optional.empty(), RunCache.standard());
        } finally {
            restore(RunCache.PROPERTY, before);
            restore(OodLab.DATA_DIRECTORY_PROPERTY, data);
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }

    @Test
    void theJarDigestIgnoresTimestampsButNotContent() throws Exception {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("dev/oodlab/A.class", "code of A");
        entries.put("ai/djl/B.class", "code of B");
        Path one = jar(tmp.resolve("one.jar"), entries, 1_000_000_000_000L);
        Path two = jar(tmp.resolve("two/one.jar"), entries, 1_700_000_000_000L);
        assertEquals(RunCache.elementDigest(one), RunCache.elementDigest(two));

        Map<String, String> ours = new LinkedHashMap<>(entries);
        ours.put("dev/oodlab/A.class", "code of a");
        assertNotEquals(
                RunCache.elementDigest(one),
                RunCache.elementDigest(jar(tmp.resolve("three/one.jar"), ours, 0)));
        Map<String, String> theirs = new LinkedHashMap<>(entries);
        theirs.put("ai/djl/B.class", "code of b");
        assertNotEquals(
                RunCache.elementDigest(one),
                RunCache.elementDigest(jar(tmp.resolve("four/one.jar"), theirs, 0)));
    }

    @Test
    void theLibraryDigestIsStableInAProcess() {
        String digest = RunCache.libraryDigest();
        assertTrue(digest.matches("[0-9a-f]{64}"), digest);
        assertEquals(digest, RunCache.libraryDigest());
    }

    private static Path jar(Path file, Map<String, String> entries, long time) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream f = Files.newOutputStream(file);
                JarOutputStream jar = new JarOutputStream(f)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                JarEntry entry = new JarEntry(e.getKey());
                entry.setTime(time);
                jar.putNextEntry(entry);
                jar.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
        }
        return file;
    }

    /** Hidden (staging or removed) folders left in the cache. */
    private static List<String> leftovers(RunCache cache) throws IOException {
        if (!Files.isDirectory(cache.folder())) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(cache.folder())) {
            return list.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("."))
                    .toList();
        }
    }
}

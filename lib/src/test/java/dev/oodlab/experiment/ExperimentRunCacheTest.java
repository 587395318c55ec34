package dev.oodlab.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oodlab.report.RunResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Experiment} with a {@link RunCache}: a second run with the same settings and data loads
 * the first's model (the same parameters, bit for bit, and the same metrics) instead of training; a
 * changed training setting or changed data trains again; evaluation settings do not count. On the
 * tiny IDX data set of {@link TinyData} (200 training images, one epoch).
 */
class ExperimentRunCacheTest {

    @TempDir Path tmp;
    private Path data;
    private RunCache cache;

    @BeforeEach
    void setUp() throws IOException {
        data = TinyData.write(tmp.resolve("tiny"), 200, 50);
        cache = RunCache.at(tmp.resolve("cache"));
    }

    private Experiment.Builder base() {
        return Experiment.builder()
                .setMethod("mixup")
                .optDataset(data.toString())
                .optEpochs(1)
                .optOodSets(List.of("uniform"))
                .optOodCount(30)
                .optRunCache(cache);
    }

    /** A finished run: its parameters file, record, cache entry and log. */
    private record Done(byte[] parameters, RunResult result, String cacheEntry, String log) {}

    private Done run(Experiment.Builder builder) throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        builder.optLog(new PrintStream(log, true, StandardCharsets.UTF_8));
        try (Experiment.Run run = builder.build().run()) {
            Path params = Files.createTempFile(tmp, "model", ".params");
            run.network().saveParameters(params);
            RunResult result = run.result(run.evaluate("msp"));
            return new Done(
                    Files.readAllBytes(params),
                    result,
                    run.cacheEntry(),
                    log.toString(StandardCharsets.UTF_8));
        }
    }

    private long entries() throws IOException {
        if (!Files.isDirectory(cache.folder())) {
            return 0;
        }
        try (Stream<Path> list = Files.list(cache.folder())) {
            return list.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }

    @Test
    void theSecondRunLoadsTheFirstsModelAndGivesTheSameResults() throws IOException {
        Done first = run(base());
        assertNull(first.cacheEntry());
        assertTrue(first.log().contains("run cache: stored (entry "), first.log());
        assertEquals(1, entries());

        Done second = run(base());
        assertNotNull(second.cacheEntry(), second.log());
        assertTrue(second.log().contains("loaded from the run cache"), second.log());
        assertFalse(second.log().contains("epoch 1/1"), "not trained again: " + second.log());
        assertArrayEquals(first.parameters(), second.parameters());
        assertEquals(first.result().testAccuracy(), second.result().testAccuracy());
        assertEquals(first.result().ood(), second.result().ood());
        Map<String, Object> a = first.result().extra(), b = second.result().extra();
        assertEquals(a.get("history").toString(), b.get("history").toString());
        assertEquals(a.get("training_seconds"), b.get("training_seconds"));
        assertEquals(second.cacheEntry(), b.get("run_cache"));
        assertFalse(a.containsKey("run_cache"));
        assertEquals(1, entries());
    }

    @Test
    void aChangedTrainingSettingTrainsAgainAnEvaluationSettingDoesNot() throws IOException {
        run(base());
        Done seed = run(base().optSeed(7));
        assertNull(seed.cacheEntry(), "another seed: " + seed.log());
        Done alpha = run(base().optMethodOptions(new MethodOptions(0.5, null, null, null)));
        assertNull(alpha.cacheEntry(), "another alpha: " + alpha.log());
        assertEquals(3, entries());

        Done evaluation = run(base().optOodCount(20).optOodSets(List.of("gaussian")));
        assertNotNull(evaluation.cacheEntry(), "OOD sets are not part of training");
    }

    @Test
    void changedDataTrainsAgain() throws IOException {
        Done first = run(base());
        // the same folder and settings, other training images
        TinyData.writeNoiseImages(data.resolve("train-images-idx3-ubyte.gz"), 200, 9);
        Done second = run(base());
        assertNull(second.cacheEntry(), second.log());
        assertFalse(java.util.Arrays.equals(first.parameters(), second.parameters()));
        assertEquals(2, entries());
    }

    @Test
    void withoutACacheNothingIsReadOrStored() throws IOException {
        run(base());
        Done off = run(base().optRunCache(null));
        assertNull(off.cacheEntry());
        assertFalse(off.log().contains("run cache"), off.log());
        assertEquals(1, entries());
    }
}

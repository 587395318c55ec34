package dev.oodlab.smoothing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.oodlab.data.ImageSet;
import dev.oodlab.experiment.RunCache;
import dev.oodlab.nn.Network;
import dev.oodlab.nn.SavedModel;
import dev.oodlab.train.EpochResult;
import dev.oodlab.train.ProgressBar;
import dev.oodlab.train.SmoothMix;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmoothingTrainingTest {

    @TempDir Path dir;

    /** 24 random 1×4×4 images in 3 classes. */
    private static ImageSet tiny() {
        SplittableRandom random = new SplittableRandom(5);
        float[] pixels = new float[24 * 16];
        int[] labels = new int[24];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble();
        }
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 3;
        }
        return new ImageSet("tiny", pixels, labels, 3, 1, 4, 4);
    }

    @Test
    void smoothMixStepsFollowTheAuthorsMnistSettings() {
        // the SmoothMix code's MNIST runs: σ = 0.25 → T = 2, σ = 0.5 → T = 4, σ = 1.0 → T = 8
        assertEquals(2, SmoothingTraining.smoothMixSteps(0.25));
        assertEquals(4, SmoothingTraining.smoothMixSteps(0.5));
        assertEquals(8, SmoothingTraining.smoothMixSteps(1.0));
        assertEquals(1, SmoothingTraining.smoothMixSteps(0.05));
    }

    @Test
    void theNamedMethodsCarryTheirOptions() {
        assertEquals(
                "SmoothMix[sigma=0.5, m=4, T=4, alpha=1.0, eta=5.0]",
                SmoothingTraining.method("smoothmix", 0.5).toString());
        assertEquals(
                "SmoothMix[sigma=1.0, m=4, T=8, alpha=1.0, eta=5.0, one-step]",
                SmoothingTraining.method("smoothmix-one-step", 1.0).toString());
        assertEquals(
                "GaussianAugmentation[sigma=0.25]",
                SmoothingTraining.method("gaussian", 0.25).toString());
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> SmoothingTraining.method("mixup", 0.25));
        assertEquals(
                "unknown smoothing method 'mixup'; known: gaussian, smoothmix, smoothmix-one-step",
                e.getMessage());
    }

    @Test
    void theBuilderNamesWhatIsMissingOrWrong() {
        assertThrows(IllegalArgumentException.class, () -> SmoothingTraining.builder().build());
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                SmoothingTraining.builder()
                                        .setMethod("gaussian", 0.25)
                                        .optDataset("svhn", 1)
                                        .build());
        assertEquals("unknown data set 'svhn'; known: mnist, fashion-mnist", e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> SmoothingTraining.builder().setMethod("gaussian", -1).build());
    }

    @Test
    void aCustomSmoothMixIsTrainedAsConfigured() {
        SmoothMix custom =
                SmoothMix.builder()
                        .optSigma(0.5)
                        .optNoiseSamples(2)
                        .optSteps(3)
                        .optStepSize(0.5)
                        .optEta(1)
                        .optOneStepAdversary(true)
                        .build();
        SmoothingTraining run =
                SmoothingTraining.builder().setMethod(custom, 0.5).optModel("mlp").build();
        assertEquals(custom, run.method());
    }

    @Test
    void trainsDescribesAndSavesAModel() {
        ImageSet train = tiny();
        SmoothingTraining run =
                SmoothingTraining.builder()
                        .setMethod("smoothmix", 0.25)
                        .optModel("mlp")
                        .optEpochs(2)
                        .optBatchSize(8)
                        .optSeed(3)
                        .optDataset("mnist", 9)
                        .optProgress(ProgressBar.Mode.OFF)
                        .build();
        Path folder = dir.resolve("m");
        float[] before;
        try (SmoothingTraining.Trained trained = run.train(train)) {
            assertEquals(2, trained.history().size());
            SavedModel info = trained.info();
            assertEquals("mlp", info.model());
            assertEquals("smoothmix", info.method());
            assertEquals(0.25, info.sigma());
            assertEquals("mnist", info.dataset());
            assertEquals(9, info.splitSeed());
            assertEquals(3, info.seed());
            assertEquals(2, info.epochs());
            assertEquals(new Shape(1, 4, 4), info.inputShape());
            assertTrue(info.description().contains("24 images of tiny"), info.description());
            trained.save(folder);
            before = logits(trained.network());
        }
        assertEquals("smoothmix", SavedModel.read(folder).method());
        try (Network loaded = SavedModel.load(folder)) {
            assertArrayEquals(before, logits(loaded), 0f);
        }
    }

    @Test
    void aSecondIdenticalTrainingLoadsTheRunCacheAndAnyChangeTrainsAgain() throws Exception {
        RunCache cache = RunCache.at(dir.resolve("cache"));
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(said, true, StandardCharsets.UTF_8);
        java.util.function.Function<Long, SmoothingTraining> run =
                seed ->
                        SmoothingTraining.builder()
                                .setMethod("gaussian", 0.25)
                                .optModel("mlp")
                                .optEpochs(2)
                                .optBatchSize(8)
                                .optSeed(seed)
                                .optProgress(ProgressBar.Mode.OFF)
                                .optProgressStream(out)
                                .optRunCache(cache)
                                .build();
        float[] first;
        List<EpochResult> history;
        double seconds;
        try (SmoothingTraining.Trained t = run.apply(3L).train(tiny())) {
            first = logits(t.network());
            history = t.history();
            seconds = t.seconds();
        }
        assertFalse(said.toString(StandardCharsets.UTF_8).contains("loaded from the run cache"));
        said.reset();
        try (SmoothingTraining.Trained t = run.apply(3L).train(tiny())) {
            assertTrue(
                    said.toString(StandardCharsets.UTF_8).contains("loaded from the run cache"),
                    said.toString(StandardCharsets.UTF_8));
            assertArrayEquals(first, logits(t.network()), 0f);
            assertEquals(history, t.history());
            assertEquals(seconds, t.seconds());
            assertEquals("gaussian", t.info().method());
        }
        // another seed, other training images: trained
        said.reset();
        try (SmoothingTraining.Trained t = run.apply(4L).train(tiny())) {
            assertFalse(
                    said.toString(StandardCharsets.UTF_8).contains("loaded from the run cache"));
        }
        ImageSet other = tiny();
        other.pixels()[0] = 1 - other.pixels()[0];
        said.reset();
        try (SmoothingTraining.Trained t = run.apply(3L).train(other)) {
            assertFalse(
                    said.toString(StandardCharsets.UTF_8).contains("loaded from the run cache"));
        }
        try (var entries = Files.list(cache.folder())) {
            assertEquals(
                    3, entries.filter(p -> !p.getFileName().toString().startsWith(".")).count());
        }
    }

    private static float[] logits(Network net) {
        try (NDManager m = net.manager().newSubManager()) {
            NDArray x = m.create(tiny().pixels()).reshape(24, 1, 4, 4);
            return net.logits(x, false).toFloatArray();
        }
    }
}

package dev.oodlab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.oodlab.data.ImageSet;
import dev.oodlab.nn.Network;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FitTest {

    /** Two separable 2-D blobs in [0,1]², stored as 1×1×2 images. */
    static ImageSet blobs(int n, long seed) {
        Random r = new Random(seed);
        float[] px = new float[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            double centre = labels[i] == 0 ? 0.25 : 0.75;
            px[2 * i] = (float) Math.min(1, Math.max(0, centre + 0.1 * r.nextGaussian()));
            px[2 * i + 1] = (float) Math.min(1, Math.max(0, centre + 0.1 * r.nextGaussian()));
        }
        return new ImageSet("blobs", px, labels, 2, 1, 1, 2);
    }

    static Network toy(long seed) {
        return Network.create("toy-mlp", new Shape(2), 2, seed);
    }

    static Fit.Builder quiet(TrainingMethod method, int epochs) {
        return Fit.builder()
                .setMethod(method)
                .optEpochs(epochs)
                .optBatchSize(32)
                .optLearningRate(LearningRateSchedule.constant(1e-2))
                .optSeed(7)
                .optProgress(ProgressBar.Mode.OFF);
    }

    private static float[] parameters(Network net) {
        List<Float> all = new ArrayList<>();
        net.trainableParameters()
                .forEach(
                        p -> {
                            for (float v : p.getArray().toFloatArray()) {
                                all.add(v);
                            }
                        });
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    @Test
    void trainingOnSeparableBlobsLowersTheLossAndClassifiesThem() {
        ImageSet train = blobs(256, 1);
        try (Network net = toy(3)) {
            List<EpochResult> history = quiet(new CrossEntropy(), 5).build().run(net, train);
            assertEquals(5, history.size());
            assertTrue(history.get(4).loss() < history.get(0).loss() * 0.5, history.toString());
            assertTrue(Evaluation.of(net, blobs(200, 2), 64).accuracy() > 0.95);
        }
    }

    @Test
    void trainingAccuracyIsCountedOnlyWhenAsked() {
        ImageSet train = blobs(256, 1);
        try (Network net = toy(3)) {
            List<EpochResult> counted = quiet(new CrossEntropy(), 3).build().run(net, train);
            assertTrue(counted.get(2).accuracy() > 0.9, counted.toString());
            List<EpochResult> skipped =
                    quiet(new CrossEntropy(), 1).optTrainingAccuracy(false).build().run(net, train);
            assertTrue(Double.isNaN(skipped.get(0).accuracy()), skipped.toString());
            assertTrue(skipped.get(0).loss() < counted.get(0).loss(), "training went on");
        }
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        ImageSet train = blobs(128, 1);
        TrainingMethod method = Mixup.builder().build();
        try (Network a = toy(3);
                Network b = toy(3)) {
            List<EpochResult> ha = quiet(method, 2).build().run(a, train);
            List<EpochResult> hb = quiet(method, 2).build().run(b, train);
            for (int e = 0; e < 2; e++) {
                assertEquals(ha.get(e).loss(), hb.get(e).loss(), 0.0);
                assertEquals(ha.get(e).accuracy(), hb.get(e).accuracy(), 0.0);
            }
            assertArrayEquals(parameters(a), parameters(b));
        }
    }

    @Test
    void aResumedRunEqualsAnUninterruptedOne(@TempDir Path dir) {
        ImageSet train = blobs(128, 1);
        TrainingMethod method = GaussianAugmentation.builder().optSigma(0.1).build();
        float[] uninterrupted;
        List<EpochResult> full;
        try (Network net = toy(3)) {
            full = quiet(method, 3).build().run(net, train);
            uninterrupted = parameters(net);
        }
        try (Network net = toy(3)) {
            quiet(method, 2).optCheckpointDirectory(dir).build().run(net, train);
        }
        assertEquals(2, Checkpoint.read(dir).epochsDone());
        try (Network other = toy(99)) { // different weights: the checkpoint must overwrite them
            List<EpochResult> resumed = quiet(method, 3).build().resume(other, train, dir);
            assertEquals(3, resumed.size());
            assertEquals(full.get(2).loss(), resumed.get(2).loss(), 0.0);
            assertArrayEquals(uninterrupted, parameters(other));
        }
    }

    /** Cross-entropy whose loss becomes NaN at one call (0-based), or fails there. */
    private static TrainingMethod breaksAt(int call, boolean nan) {
        CrossEntropy ce = new CrossEntropy();
        int[] calls = {0};
        return new TrainingMethod() {
            @Override
            public ai.djl.ndarray.NDArray loss(TrainingStep step) {
                ai.djl.ndarray.NDArray loss = ce.loss(step);
                if (calls[0]++ == call) {
                    if (!nan) {
                        throw new IllegalStateException("stopped");
                    }
                    return loss.mul(Float.NaN);
                }
                return loss;
            }

            @Override
            public String name() {
                return "ce";
            }
        };
    }

    @Test
    void aNonFiniteLossStopsTheRunBeforeItsUpdateNamingEpochStepAndRate(@TempDir Path dir) {
        ImageSet train = blobs(128, 1); // 4 steps of 32 per epoch
        float[] stoppedBefore;
        try (Network net = toy(3)) {
            assertThrows(
                    IllegalStateException.class,
                    () -> quiet(breaksAt(6, false), 3).build().run(net, train));
            stoppedBefore = parameters(net);
        }
        try (Network net = toy(3)) {
            DivergedException e =
                    assertThrows(
                            DivergedException.class,
                            () ->
                                    quiet(breaksAt(6, true), 3)
                                            .optCheckpointDirectory(dir)
                                            .build()
                                            .run(net, train));
            assertEquals(
                    "training diverged: the loss is NaN at epoch 2, step 3 of 4 (learning rate"
                            + " 0.01); try a learning rate 10 times lower",
                    e.getMessage());
            assertEquals(1, e.epoch());
            assertEquals(2, e.step());
            // The NaN step changed nothing: the weights are those before it.
            assertArrayEquals(stoppedBefore, parameters(net));
        }
        // The checkpoint of the last good epoch stays, intact.
        assertEquals(1, Checkpoint.read(dir).epochsDone());
    }

    @Test
    void learningRatesAreWrittenExactly() {
        assertEquals("0.001", LearningRateSchedule.format(1e-3));
        assertEquals("1e-10", LearningRateSchedule.format(1e-10));
        assertEquals("2.5e-7", LearningRateSchedule.format(2.5e-7));
        assertEquals("1000000", LearningRateSchedule.format(1e6));
        assertEquals("1e10", LearningRateSchedule.format(1e10));
        assertEquals("0.5", LearningRateSchedule.format(0.5));
    }

    @Test
    void nativeResourcesStayFlatAcrossEpochs() {
        ImageSet train = blobs(128, 1);
        List<Integer> counts = new ArrayList<>();
        try (Network net = toy(3)) {
            int before = net.manager().getManagedArrays().size();
            Fit fit =
                    quiet(AdversarialMixup.builder().build(), 4)
                            .optEpochListener(
                                    r -> counts.add(net.manager().getManagedArrays().size()))
                            .build();
            fit.run(net, train);
            // epoch 1 adds the data arrays and Adam's moments; afterwards nothing may grow
            assertEquals(counts.get(0), counts.get(3), counts.toString());
            // after the run: the parameters and the optimizer's moments, nothing else
            assertEquals(
                    before + fit.optimizer().state().size(),
                    net.manager().getManagedArrays().size());
        }
    }

    @Test
    void methodsThatNeedOutliersTrainWithAnOutlierSet() {
        ImageSet train = blobs(64, 1);
        float[] noise = new float[2 * 64];
        Random r = new Random(5);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = r.nextFloat();
        }
        ImageSet out = new ImageSet("noise", noise, null, 0, 1, 1, 2);
        try (Network net = toy(3)) {
            List<EpochResult> h =
                    quiet(TrainingMethods.create("mixup-confidence"), 2)
                            .optOutliers(out)
                            .optOutlierBatchSize(16)
                            .build()
                            .run(net, train);
            assertTrue(Double.isFinite(h.get(1).loss()));
        }
    }

    /** Cross-entropy that asks for chunks and records the first pixel of every sample it sees. */
    static final class ChunkRecorder implements TrainingMethod {
        final int chunks;
        final List<float[]> steps = new ArrayList<>();

        ChunkRecorder(int chunks) {
            this.chunks = chunks;
        }

        @Override
        public ai.djl.ndarray.NDArray loss(TrainingStep step) {
            float[] pixels = step.x().toFloatArray();
            float[] first = new float[step.batchSize()];
            for (int i = 0; i < first.length; i++) {
                first[i] = pixels[2 * i];
            }
            steps.add(first);
            return new CrossEntropy().loss(step);
        }

        @Override
        public int chunksPerBatch() {
            return chunks;
        }

        @Override
        public String name() {
            return "ce";
        }
    }

    @Test
    void chunkedBatchesTakeOneOptimizerStepPerChunkAndDropTheRemainder() {
        ImageSet train = blobs(12, 1);
        try (Network whole = toy(3);
                Network chunked = toy(3)) {
            // The same seed gives the same shuffle: one batch of 12 shows the epoch's order.
            ChunkRecorder order = new ChunkRecorder(1);
            quiet(order, 1).optBatchSize(12).build().run(whole, train);
            float[] o = order.steps.get(0);
            // Batches of 5, 5, 2 in 2 chunks: samples 0-1, 2-3 | 5-6, 7-8 | 10, 11; 4 and 9 left
            // out.
            ChunkRecorder recorder = new ChunkRecorder(2);
            Fit fit = quiet(recorder, 1).optBatchSize(5).build();
            List<EpochResult> history = fit.run(chunked, train);
            float[][] expected = {
                {o[0], o[1]}, {o[2], o[3]}, {o[5], o[6]}, {o[7], o[8]}, {o[10]}, {o[11]}
            };
            assertEquals(expected.length, recorder.steps.size());
            for (int i = 0; i < expected.length; i++) {
                assertArrayEquals(expected[i], recorder.steps.get(i), 0f, "step " + i);
            }
            assertEquals(6, fit.optimizer().steps());
            assertTrue(Double.isFinite(history.get(0).loss()));
        }
    }

    @Test
    void aBatchSmallerThanTheChunksIsRejected() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> quiet(SmoothMix.builder().build(), 1).optBatchSize(3).build());
        assertEquals(
                "batchSize 3 is smaller than the 4 chunks per batch of smoothmix (one optimizer"
                        + " step per chunk)",
                e.getMessage());
    }

    @Test
    void invalidOptionsAreRejectedByName() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Fit.builder().setMethod(new CrossEntropy()).optBatchSize(0).build());
        assertTrue(e.getMessage().startsWith("batch size"), e.getMessage());
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> Fit.builder().build())
                        .getMessage()
                        .contains("method"));
    }
}

package dev.oodlab.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.oodlab.data.ImageSet;
import dev.oodlab.data.Toy2d;
import dev.oodlab.nn.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The joint confidence loss's steps on the 2-D toy at tiny sizes. */
class JointConfidenceTrainingTest {

    private Network classifier;
    private Network generator;
    private Network discriminator;

    @BeforeEach
    void networks() {
        classifier = Network.create("toy-mlp", new Shape(2), 2, 1);
        generator = Network.of(GanModels.toyGenerator(), new Shape(4), 2, 2);
        discriminator = Network.of(GanModels.toyDiscriminator(), new Shape(2), 1, 3);
    }

    @AfterEach
    void close() {
        classifier.close();
        generator.close();
        discriminator.close();
    }

    private JointConfidenceTraining joint(double ganRate, long seed) {
        return JointConfidenceTraining.builder()
                .setClassifier(classifier)
                .setGenerator(generator)
                .setDiscriminator(discriminator)
                .optGanLearningRate(ganRate)
                .optClassifierLearningRate(1e-2)
                .optBatchSize(32)
                .optEpochs(2)
                .optSeed(seed)
                .build();
    }

    private static List<float[]> weights(Network network) {
        List<float[]> out = new ArrayList<>();
        network.trainableParameters().forEach(p -> out.add(p.getArray().toFloatArray()));
        return out;
    }

    private static boolean same(List<float[]> a, List<float[]> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static double gradientMagnitude(Network network) {
        double sum = 0;
        for (var p : network.trainableParameters()) {
            try (NDArray g = p.getArray().getGradient()) {
                sum += g.abs().sum().getFloat();
            }
        }
        return sum;
    }

    /** A fixed batch of 32 disc points, their labels, and two latent batches. */
    private record Batch(NDArray x, NDArray y, NDArray z, NDArray z2) {}

    private Batch batch(NDManager m, JointConfidenceTraining joint) {
        ImageSet discs = Toy2d.discs(16, 5);
        NDArray x = discs.images(m).reshape(32, 2);
        NDArray y = discs.labelArray(m);
        SplittableRandom r = new SplittableRandom(9);
        return new Batch(x, y, joint.latent(m, 32, r), joint.latent(m, 32, r));
    }

    @Test
    void discriminatorStepMovesOnlyTheDiscriminator() {
        JointConfidenceTraining joint = joint(2e-4, 1);
        try (NDManager m = classifier.manager().newSubManager()) {
            Batch b = batch(m, joint);
            List<float[]> c = weights(classifier);
            List<float[]> g = weights(generator);
            List<float[]> d = weights(discriminator);
            joint.discriminatorStep(b.x(), b.z());
            assertTrue(same(c, weights(classifier)), "classifier unchanged");
            assertTrue(same(g, weights(generator)), "generator unchanged");
            assertFalse(same(d, weights(discriminator)), "discriminator updated");
        }
    }

    @Test
    void generatorStepMovesOnlyTheGeneratorAndLeavesNoGradientBehind() {
        JointConfidenceTraining joint = joint(2e-4, 1);
        try (NDManager m = classifier.manager().newSubManager()) {
            Batch b = batch(m, joint);
            List<float[]> c = weights(classifier);
            List<float[]> g = weights(generator);
            List<float[]> d = weights(discriminator);
            joint.generatorStep(b.z());
            assertTrue(same(c, weights(classifier)), "classifier unchanged");
            assertTrue(same(d, weights(discriminator)), "discriminator unchanged");
            assertFalse(same(g, weights(generator)), "generator updated");
            // The backward pass went through D and the classifier: their gradients must be zeroed,
            // or PyTorch would add them to the next step's.
            assertEquals(0.0, gradientMagnitude(discriminator));
            assertEquals(0.0, gradientMagnitude(classifier));
        }
    }

    @Test
    void classifierStepMovesOnlyTheClassifier() {
        JointConfidenceTraining joint = joint(2e-4, 1);
        try (NDManager m = classifier.manager().newSubManager()) {
            Batch b = batch(m, joint);
            List<float[]> c = weights(classifier);
            List<float[]> g = weights(generator);
            List<float[]> d = weights(discriminator);
            joint.classifierStep(b.x(), b.y(), b.z2());
            assertFalse(same(c, weights(classifier)), "classifier updated");
            assertTrue(same(d, weights(discriminator)), "discriminator unchanged");
            assertTrue(same(g, weights(generator)), "generator unchanged");
        }
    }

    @Test
    void eachStepLowersItsOwnLossOnAFixedBatch() {
        JointConfidenceTraining joint = joint(1e-2, 1);
        try (NDManager m = classifier.manager().newSubManager()) {
            Batch b = batch(m, joint);
            double d0 = joint.discriminatorStep(b.x(), b.z());
            double d = d0;
            for (int i = 0; i < 30; i++) {
                d = joint.discriminatorStep(b.x(), b.z());
            }
            assertTrue(d < d0, "discriminator loss " + d0 + " -> " + d);
            double g0 = joint.generatorStep(b.z());
            double g = g0;
            for (int i = 0; i < 30; i++) {
                g = joint.generatorStep(b.z());
            }
            assertTrue(g < g0, "generator loss " + g0 + " -> " + g);
            double c0 = joint.classifierStep(b.x(), b.y(), b.z2());
            double c = c0;
            for (int i = 0; i < 30; i++) {
                c = joint.classifierStep(b.x(), b.y(), b.z2());
            }
            assertTrue(c < c0, "classifier loss " + c0 + " -> " + c);
        }
    }

    @Test
    void sameSeedGivesTheSameRunAndSamples() {
        ImageSet train = Toy2d.discs(32, 11);
        List<JointConfidenceTraining.EpochLosses> first = joint(2e-4, 7).run(train);
        float[] samples = joint(2e-4, 7).sample(10, 3);
        close();
        networks();
        List<JointConfidenceTraining.EpochLosses> second = joint(2e-4, 7).run(train);
        assertEquals(2, first.size());
        for (int e = 0; e < 2; e++) {
            assertEquals(first.get(e).discriminator(), second.get(e).discriminator());
            assertEquals(first.get(e).generator(), second.get(e).generator());
            assertEquals(first.get(e).classifier(), second.get(e).classifier());
        }
        assertArrayEquals(samples, joint(2e-4, 7).sample(10, 3));
        close();
        networks();
        List<JointConfidenceTraining.EpochLosses> other = joint(2e-4, 8).run(train);
        assertTrue(other.get(1).classifier() != first.get(1).classifier(), "another seed differs");
    }

    @Test
    void aNonFiniteLossStopsTheRunNamingTheNetworkEpochAndStep() {
        ImageSet clean = Toy2d.discs(32, 11);
        float[] pixels = clean.pixels().clone();
        pixels[0] = Float.NaN; // the first point: in some batch of the first epoch
        ImageSet poisoned =
                new ImageSet("poisoned", pixels, clean.labels(), 2, clean.channels(), 1, 2);
        dev.oodlab.train.DivergedException e =
                assertThrows(
                        dev.oodlab.train.DivergedException.class,
                        () -> joint(2e-4, 7).run(poisoned));
        assertEquals(0, e.epoch());
        assertTrue(e.getMessage().startsWith("joint confidence training, "), e.getMessage());
        assertTrue(e.getMessage().contains("is NaN at epoch 1, step "), e.getMessage());
        assertTrue(e.getMessage().contains(" of 2 "), e.getMessage());
    }

    @Test
    void learningRatesDropToATenthAfterSixtyPercentOfTheEpochs() {
        // The authors' code: 100 epochs, all three rates x0.1 after epoch 60 (1-based).
        JointConfidenceTraining hundred = withEpochs(100).build();
        assertEquals(1.0, hundred.learningRateScale(0));
        assertEquals(1.0, hundred.learningRateScale(59));
        assertEquals(0.1, hundred.learningRateScale(60));
        assertEquals(0.1, hundred.learningRateScale(99));
        // ⌈0.6·5⌉ = 3 epochs at the full rates, ⌈0.6·4⌉ = 3 (2.4 rounded up), ⌈0.6·1⌉ = 1
        JointConfidenceTraining five = withEpochs(5).build();
        assertEquals(1.0, five.learningRateScale(2));
        assertEquals(0.1, five.learningRateScale(3));
        JointConfidenceTraining four = withEpochs(4).build();
        assertEquals(1.0, four.learningRateScale(2));
        assertEquals(0.1, four.learningRateScale(3));
        assertEquals(1.0, withEpochs(1).build().learningRateScale(0));
        JointConfidenceTraining custom = withEpochs(10).optLearningRateDecay(2, 0.5).build();
        assertEquals(1.0, custom.learningRateScale(1));
        assertEquals(0.5, custom.learningRateScale(2));
    }

    @Test
    void theClassifiersDefaultLearningRateIsTheGans() {
        assertEquals(2e-4, JointConfidenceTraining.CLASSIFIER_LEARNING_RATE);
        assertTrue(withClassifier(classifier).build().toString().contains("classifier lr=2.0E-4"));
    }

    @Test
    void aDecayedEpochTrainsAllThreeNetworksAtTheLowerRates() {
        ImageSet train = Toy2d.discs(32, 11);
        // decayed from epoch 0 by 0.1 ...
        withEpochs(1).optLearningRateDecay(0, 0.1).build().run(train);
        List<float[]> c = weights(classifier);
        List<float[]> g = weights(generator);
        List<float[]> d = weights(discriminator);
        close();
        networks();
        // ... equals the same run at a tenth of the rates, no decay
        withEpochs(1)
                .optGanLearningRate(2e-4 * 0.1)
                .optClassifierLearningRate(1e-2 * 0.1)
                .optLearningRateDecay(1, 1.0)
                .build()
                .run(train);
        assertTrue(same(c, weights(classifier)), "classifier");
        assertTrue(same(g, weights(generator)), "generator");
        assertTrue(same(d, weights(discriminator)), "discriminator");
    }

    /** A classifier with batch norm: its training-mode output depends on the batch it sees. */
    private static Network batchNormClassifier() {
        return Network.of(
                new ai.djl.nn.SequentialBlock()
                        .add(ai.djl.nn.core.Linear.builder().setUnits(8).build())
                        .add(ai.djl.nn.norm.BatchNorm.builder().build())
                        .add(ai.djl.nn.Activation.reluBlock())
                        .add(ai.djl.nn.core.Linear.builder().setUnits(2).build()),
                new Shape(2),
                2,
                4);
    }

    @Test
    void classifierStepPassesRealAndGeneratedBatchesSeparately() {
        try (Network bn = batchNormClassifier();
                NDManager m = bn.manager().newSubManager()) {
            JointConfidenceTraining joint = withClassifier(bn).build();
            Batch b = batch(m, joint);
            NDArray fake = generator.logits(b.z2(), true);
            // CE on the real batch and KL(u ‖ p) on the generated one, each through its own pass
            double expected =
                    crossEntropy(bn.logits(b.x(), true).toFloatArray(), labels(b.y()))
                            + klFromUniform(bn.logits(fake, true).toFloatArray());
            float[] together =
                    bn.logits(
                                    ai.djl.ndarray.NDArrays.concat(
                                            new ai.djl.ndarray.NDList(b.x(), fake)),
                                    true)
                            .toFloatArray();
            double oneBatch =
                    crossEntropy(java.util.Arrays.copyOfRange(together, 0, 64), labels(b.y()))
                            + klFromUniform(java.util.Arrays.copyOfRange(together, 64, 128));
            assertTrue(Math.abs(expected - oneBatch) > 1e-3, expected + " vs " + oneBatch);
            assertEquals(expected, joint.classifierStep(b.x(), b.y(), b.z2()), 1e-5);
        }
    }

    @Test
    void generatorStepSeesTheClassifierInTrainingMode() {
        try (Network bn = batchNormClassifier();
                NDManager m = bn.manager().newSubManager()) {
            JointConfidenceTraining joint = withClassifier(bn).build();
            Batch b = batch(m, joint);
            NDArray fake = generator.logits(b.z(), true);
            double adversarial = 0;
            float[] d = discriminator.logits(fake, true).toFloatArray();
            for (float v : d) {
                adversarial += Math.log1p(Math.exp(-v)) / d.length; // BCE(σ(d), 1)
            }
            double training = adversarial + klFromUniform(bn.logits(fake, true).toFloatArray());
            double inference = adversarial + klFromUniform(bn.logits(fake, false).toFloatArray());
            assertTrue(Math.abs(training - inference) > 1e-3, training + " vs " + inference);
            assertEquals(training, joint.generatorStep(b.z()), 1e-5);
        }
    }

    private JointConfidenceTraining.Builder withEpochs(int epochs) {
        return JointConfidenceTraining.builder()
                .setClassifier(classifier)
                .setGenerator(generator)
                .setDiscriminator(discriminator)
                .optClassifierLearningRate(1e-2)
                .optBatchSize(32)
                .optEpochs(epochs)
                .optSeed(7);
    }

    private JointConfidenceTraining.Builder withClassifier(Network network) {
        return JointConfidenceTraining.builder()
                .setClassifier(network)
                .setGenerator(generator)
                .setDiscriminator(discriminator);
    }

    private static float[] labels(NDArray y) {
        return y.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
    }

    /** mean −log softmax(logits)_y over rows of two logits. */
    private static double crossEntropy(float[] logits, float[] labels) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            double a = logits[2 * i];
            double b = logits[2 * i + 1];
            double lse = Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
            sum += lse - (labels[i] == 0 ? a : b);
        }
        return sum / labels.length;
    }

    /** mean KL(u ‖ softmax) = −log 2 − ½ Σ_k log p_k over rows of two logits (β = 1). */
    private static double klFromUniform(float[] logits) {
        int rows = logits.length / 2;
        double sum = 0;
        for (int i = 0; i < rows; i++) {
            double a = logits[2 * i];
            double b = logits[2 * i + 1];
            double lse = Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
            sum += -Math.log(2) - 0.5 * ((a - lse) + (b - lse));
        }
        return sum / rows;
    }

    @Test
    void samplesHaveTheClassifiersInputShape() {
        ImageSet s = joint(2e-4, 1).samples(5, 1);
        assertEquals(5, s.size());
        assertEquals(2, s.imageSize());
    }

    @Test
    void imageGeneratorMakes28x28ImagesInTheUnitRangeAndTheDiscriminatorOneLogit() {
        try (Network g = Network.of(GanModels.imageGenerator(), new Shape(16), 784, 1);
                Network d = Network.of(GanModels.imageDiscriminator(), new Shape(1, 28, 28), 1, 2);
                NDManager m = g.manager().newSubManager()) {
            NDArray z = m.randomNormal(new Shape(3, 16));
            NDArray images = g.logits(z, true);
            assertEquals(new Shape(3, 1, 28, 28), images.getShape());
            assertTrue(images.min().getFloat() >= 0 && images.max().getFloat() <= 1);
            assertEquals(new Shape(3, 1), d.logits(images, true).getShape());
        }
    }

    @Test
    void builderNamesWhatIsMissingOrWrong() {
        IllegalArgumentException missing =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> JointConfidenceTraining.builder().setClassifier(classifier).build());
        assertTrue(missing.getMessage().contains("generator"), missing.getMessage());
        IllegalArgumentException width =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                JointConfidenceTraining.builder()
                                        .setClassifier(classifier)
                                        .setGenerator(generator)
                                        .setDiscriminator(classifier)
                                        .build());
        assertTrue(width.getMessage().contains("one logit"), width.getMessage());
        IllegalArgumentException beta =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                JointConfidenceTraining.builder()
                                        .setClassifier(classifier)
                                        .setGenerator(generator)
                                        .setDiscriminator(discriminator)
                                        .optBeta(-1)
                                        .build());
        assertEquals("beta must be >= 0, got -1.0", beta.getMessage());
    }
}

package dev.oodlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.oodlab.nn.Network;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each method's loss on the tiny fixed network and batch equals the value computed independently
 * with PyTorch by {@code src/test/resources/reference/training_losses.py} (float64 there, float32
 * here, hence the tolerance).
 */
class TrainingMethodLossTest {

    private static final double TOLERANCE = 2e-5;
    private static ReferenceFixture ref;
    private static Network network;

    @BeforeAll
    static void setUp() {
        ref = new ReferenceFixture();
        network = ref.network();
    }

    @AfterAll
    static void tearDown() {
        network.close();
    }

    private double loss(
            TrainingMethod method, ReferenceFixture.Scripted random, boolean outliers, int epoch) {
        try (NDManager m = network.manager().newSubManager()) {
            NDArray x = ref.images(m, "X");
            NDArray o = outliers ? ref.images(m, "OUT") : null;
            TrainingStep step = new TrainingStep(network, x, ref.labels(m), o, epoch, random);
            double value = method.loss(step).getFloat();
            assertTrue(random.exhausted(), "the method took fewer draws than scripted");
            return value;
        }
    }

    private ReferenceFixture.Scripted mixupDraws() {
        ReferenceFixture.Scripted r = new ReferenceFixture.Scripted();
        r.betas.add(ref.scalar("LAMBDA"));
        r.permutations.add(ref.ints("PERM"));
        return r;
    }

    @Test
    void crossEntropyMatchesPyTorch() {
        assertEquals(
                ref.scalar("loss.ce"),
                loss(new CrossEntropy(), new ReferenceFixture.Scripted(), false, 0),
                TOLERANCE);
    }

    @Test
    void calibratedConfidenceLossMatchesPyTorch() {
        TrainingMethod method =
                CalibratedConfidenceLoss.builder().optBeta(ref.scalar("BETA")).build();
        assertEquals(
                ref.scalar("loss.confidence-loss"),
                loss(method, new ReferenceFixture.Scripted(), true, 0),
                TOLERANCE);
    }

    @Test
    void mixupMatchesPyTorch() {
        assertEquals(
                ref.scalar("loss.mixup"),
                loss(Mixup.builder().build(), mixupDraws(), false, 0),
                TOLERANCE);
    }

    @Test
    void mixupConfidenceLossMatchesPyTorch() {
        ReferenceFixture.Scripted r = mixupDraws();
        r.permutations.add(ref.ints("OUT_PERM"));
        TrainingMethod method = MixupConfidenceLoss.builder().optBeta(ref.scalar("BETA")).build();
        assertEquals(ref.scalar("loss.mixup-confidence"), loss(method, r, true, 0), TOLERANCE);
    }

    @Test
    void adversarialMixupWithUniformTargetMatchesPyTorch() {
        ReferenceFixture.Scripted r = new ReferenceFixture.Scripted();
        r.betas.add(ref.scalar("LAMBDA"));
        TrainingMethod method = AdversarialMixup.builder().optEpsilon(ref.scalar("EPS")).build();
        assertEquals(ref.scalar("loss.adversarial-mixup"), loss(method, r, false, 0), TOLERANCE);
    }

    @Test
    void adversarialMixupWithTrueLabelTargetMatchesPyTorch() {
        ReferenceFixture.Scripted r = new ReferenceFixture.Scripted();
        r.betas.add(ref.scalar("LAMBDA"));
        TrainingMethod method =
                AdversarialMixup.builder()
                        .optEpsilon(ref.scalar("EPS"))
                        .optTarget(AdversarialMixup.Target.TRUE_LABEL)
                        .build();
        assertEquals(
                ref.scalar("loss.adversarial-mixup-true-label"),
                loss(method, r, false, 0),
                TOLERANCE);
    }

    private ReferenceFixture.Scripted mtlatDraws() {
        ReferenceFixture.Scripted r = mixupDraws();
        for (int t : ref.ints("TARGETS")) {
            r.ints.add(t);
        }
        return r;
    }

    @Test
    void mtlatMatchesPyTorch() {
        TrainingMethod method =
                MixupTargetedLabelingAdversarialTraining.builder()
                        .optEpsilon(ref.scalar("EPS"))
                        .build();
        assertEquals(ref.scalar("loss.m-tlat"), loss(method, mtlatDraws(), false, 0), TOLERANCE);
    }

    @Test
    void mtlatWithCleanTermMatchesPyTorch() {
        TrainingMethod method =
                MixupTargetedLabelingAdversarialTraining.builder()
                        .optEpsilon(ref.scalar("EPS"))
                        .optCleanTerm(true)
                        .build();
        assertEquals(
                ref.scalar("loss.m-tlat-clean"), loss(method, mtlatDraws(), false, 0), TOLERANCE);
    }

    @Test
    void gaussianAugmentationMatchesPyTorch() {
        ReferenceFixture.Scripted r = new ReferenceFixture.Scripted();
        r.normals.add(ref.floats("NOISE_G"));
        TrainingMethod method =
                GaussianAugmentation.builder().optSigma(ref.scalar("SIGMA")).build();
        assertEquals(ref.scalar("loss.gaussian"), loss(method, r, false, 0), TOLERANCE);
    }

    private double smoothMix(boolean oneStep) {
        double[] sm = ref.get("SM");
        ReferenceFixture.Scripted r = new ReferenceFixture.Scripted();
        r.normals.add(ref.floats("NOISE_S"));
        for (double lambda : ref.get("SM_LAMBDAS")) {
            r.uniforms.add(2 * lambda); // λ = U[0,1)/2
        }
        TrainingMethod method =
                SmoothMix.builder()
                        .optSigma(ref.scalar("SIGMA"))
                        .optNoiseSamples((int) sm[0])
                        .optSteps((int) sm[1])
                        .optStepSize(sm[2])
                        .optEta(sm[3])
                        .optWarmupEpochs((int) sm[5])
                        .optOneStepAdversary(oneStep)
                        .build();
        return loss(method, r, false, (int) sm[4]);
    }

    @Test
    void smoothMixMatchesPyTorch() {
        assertEquals(ref.scalar("loss.smoothmix"), smoothMix(false), TOLERANCE);
    }

    @Test
    void smoothMixOneStepAdversaryMatchesPyTorch() {
        assertEquals(ref.scalar("loss.smoothmix-one-step"), smoothMix(true), TOLERANCE);
    }

    @Test
    void confidenceLossWithoutOutliersSaysWhatIsMissing() {
        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                loss(
                                        CalibratedConfidenceLoss.builder().build(),
                                        new ReferenceFixture.Scripted(),
                                        false,
                                        0));
        assertTrue(e.getMessage().contains("outlier"), e.getMessage());
    }
}

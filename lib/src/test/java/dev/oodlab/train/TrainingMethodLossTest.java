package dev.oodlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.oodlab.experiment.MethodOptions;
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

    /**
     * SmoothMix as the command line builds it, through {@link MethodOptions}, with the reference's
     * options (σ = 0.5, m = 2, T = 2, α = 0.5, η = 2, warm-up 10): the PyTorch loss, so every
     * option reaches the loss. T = 2 must be set: σ = 0.5 would default to T = 4.
     */
    private double smoothMixFromOptions(boolean oneStep, double eta, int warmup) {
        double[] sm = ref.get("SM");
        ReferenceFixture.Scripted r = new ReferenceFixture.Scripted();
        r.normals.add(ref.floats("NOISE_S"));
        for (double lambda : ref.get("SM_LAMBDAS")) {
            r.uniforms.add(2 * lambda);
        }
        TrainingMethod method =
                new MethodOptions(
                                null,
                                null,
                                null,
                                ref.scalar("SIGMA"),
                                (int) sm[0],
                                (int) sm[1],
                                sm[2],
                                eta,
                                oneStep ? Boolean.TRUE : null,
                                warmup)
                        .create("smoothmix");
        return loss(method, r, false, (int) sm[4]);
    }

    @Test
    void smoothMixBuiltFromMethodOptionsMatchesPyTorch() {
        double eta = ref.get("SM")[3];
        int warmup = (int) ref.get("SM")[5];
        assertEquals(
                ref.scalar("loss.smoothmix"), smoothMixFromOptions(false, eta, warmup), TOLERANCE);
        assertEquals(
                ref.scalar("loss.smoothmix-one-step"),
                smoothMixFromOptions(true, eta, warmup),
                TOLERANCE);
    }

    @Test
    void etaAndWarmupFromMethodOptionsScaleTheMixupTerm() {
        // L = L_CE + η·w·L_mix with w = min(1, (epoch + 1)/warm-up); the reference has η = 2,
        // epoch 2, warm-up 10, so η·w = 0.6. η = 0 leaves L_CE; warm-up 5 doubles w to 0.6 and
        // η·w to 1.2, so L = L_CE + 2·(L_ref − L_CE).
        double reference = ref.scalar("loss.smoothmix");
        double ce = smoothMixFromOptions(false, 0.0, 10);
        assertTrue(reference - ce > 1e-3, "the reference's mixup term is not zero: " + ce);
        assertEquals(ce + 2 * (reference - ce), smoothMixFromOptions(false, 2.0, 5), TOLERANCE);
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

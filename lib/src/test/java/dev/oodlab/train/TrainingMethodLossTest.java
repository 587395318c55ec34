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

    private double mixupConfidence(MixupConfidenceLoss.Form form) {
        ReferenceFixture.Scripted r = mixupDraws();
        r.permutations.add(ref.ints("OUT_PERM"));
        MixupConfidenceLoss.Builder b = MixupConfidenceLoss.builder().optBeta(ref.scalar("BETA"));
        if (form != null) {
            b.optForm(form);
        }
        return loss(b.build(), r, true, 0);
    }

    @Test
    void mixupConfidenceLossByDefaultAddsTheMixedTermsToTheCleanOnesAsPyTorch() {
        assertEquals(ref.scalar("loss.mixup-confidence"), mixupConfidence(null), TOLERANCE);
        assertEquals(
                ref.scalar("loss.mixup-confidence"),
                mixupConfidence(MixupConfidenceLoss.Form.ADDITIVE),
                TOLERANCE);
    }

    @Test
    void mixupConfidenceLossReplacingFormKeepsTheMixedTermsAloneAsPyTorch() {
        assertEquals(
                ref.scalar("loss.mixup-confidence-replacing"),
                mixupConfidence(MixupConfidenceLoss.Form.REPLACING),
                TOLERANCE);
    }

    @Test
    void mixupConfidenceLossAdditiveIsTheConfidenceLossPlusTheReplacingForm() {
        // The two reference values of the fixture that do not involve mixing: the clean part of
        // the additive form is exactly the calibrated confidence loss on the same batches.
        assertEquals(
                ref.scalar("loss.confidence-loss") + ref.scalar("loss.mixup-confidence-replacing"),
                mixupConfidence(MixupConfidenceLoss.Form.ADDITIVE),
                TOLERANCE);
    }

    @Test
    void adversarialMixupWithUniformTargetMatchesPyTorch() {
        ReferenceFixture.Scripted r = new ReferenceFixture.Scripted();
        r.betas.add(ref.scalar("LAMBDA"));
        TrainingMethod method =
                AdversarialMixup.builder().optEpsilon(ref.scalar("EPS")).optCleanWeight(0).build();
        assertEquals(ref.scalar("loss.adversarial-mixup"), loss(method, r, false, 0), TOLERANCE);
    }

    @Test
    void adversarialMixupCleanTermWeighsTheTwoReferenceLosses() {
        // L = w·CE(p(x), y) + (1 − w)·L_mix: the two PyTorch values of the fixture, weighted.
        for (double w : new double[] {0.5, 0.25}) {
            ReferenceFixture.Scripted r = new ReferenceFixture.Scripted();
            r.betas.add(ref.scalar("LAMBDA"));
            AdversarialMixup.Builder b = AdversarialMixup.builder().optEpsilon(ref.scalar("EPS"));
            if (w != AdversarialMixup.DEFAULT_CLEAN_WEIGHT) {
                b.optCleanWeight(w);
            }
            double expected =
                    w * ref.scalar("loss.ce") + (1 - w) * ref.scalar("loss.adversarial-mixup");
            assertEquals(expected, loss(b.build(), r, false, 0), TOLERANCE, "w = " + w);
        }
    }

    @Test
    void adversarialMixupInsideTheLoopGivesTheGradientsOfTheFormula() {
        // Inside an open gradient scope the clean pass also yields the attack's input gradient
        // (one backward pass instead of two). The parameter gradients must be those of the
        // formula written out with the plain FGSM attack.
        double w = 0.3;
        float eps = (float) ref.scalar("EPS");
        double lambda = ref.scalar("LAMBDA");
        AdversarialMixup method =
                AdversarialMixup.builder().optEpsilon(eps).optCleanWeight(w).build();
        try (NDManager m = network.manager().newSubManager()) {
            NDArray x = ref.images(m, "X");
            NDArray y = ref.labels(m);
            ReferenceFixture.Scripted r = new ReferenceFixture.Scripted();
            r.betas.add(lambda);
            float[][] fused;
            double fusedLoss;
            network.zeroParameterGradients();
            try (dev.oodlab.nn.GradientScope scope = dev.oodlab.nn.GradientScope.open()) {
                NDArray loss = method.loss(new TrainingStep(network, x, y, null, 0, r));
                fusedLoss = loss.getFloat();
                scope.backward(loss);
            }
            fused = gradients();
            network.zeroParameterGradients();
            double formulaLoss;
            try (dev.oodlab.nn.GradientScope scope = dev.oodlab.nn.GradientScope.open()) {
                NDArray adv =
                        dev.oodlab.attack.Fgsm.builder()
                                .optEpsilon(eps)
                                .optTrainingMode(true)
                                .build()
                                .perturb(network, x, y);
                NDArray onehot = dev.oodlab.nn.Losses.oneHot(y, network.numClasses());
                NDArray mixed = x.mul((float) lambda).add(adv.mul((float) (1 - lambda)));
                NDArray soft =
                        onehot.mul((float) lambda)
                                .add((float) ((1 - lambda) / network.numClasses()));
                NDArray loss =
                        dev.oodlab.nn.Losses.crossEntropy(network.logits(x, true), onehot)
                                .mean()
                                .mul((float) w)
                                .add(
                                        dev.oodlab.nn.Losses.crossEntropy(
                                                        network.logits(mixed, true), soft)
                                                .mean()
                                                .mul((float) (1 - w)));
                formulaLoss = loss.getFloat();
                scope.backward(loss);
            }
            float[][] formula = gradients();
            network.zeroParameterGradients();
            assertEquals(formulaLoss, fusedLoss, 1e-6);
            assertEquals(formula.length, fused.length);
            double largest = 0;
            for (int i = 0; i < formula.length; i++) {
                for (int j = 0; j < formula[i].length; j++) {
                    assertEquals(
                            formula[i][j], fused[i][j], 1e-6, "parameter " + i + "[" + j + "]");
                    largest = Math.max(largest, Math.abs(formula[i][j]));
                }
            }
            assertTrue(largest > 1e-3, "the gradients are not all zero: " + largest);
        }
    }

    private static float[][] gradients() {
        java.util.List<ai.djl.nn.Parameter> params = network.trainableParameters();
        float[][] out = new float[params.size()][];
        for (int i = 0; i < out.length; i++) {
            try (NDArray g = params.get(i).getArray().getGradient()) {
                out[i] = g.toFloatArray();
            }
        }
        return out;
    }

    @Test
    void adversarialMixupWithTrueLabelTargetMatchesPyTorch() {
        ReferenceFixture.Scripted r = new ReferenceFixture.Scripted();
        r.betas.add(ref.scalar("LAMBDA"));
        TrainingMethod method =
                AdversarialMixup.builder()
                        .optEpsilon(ref.scalar("EPS"))
                        .optTarget(AdversarialMixup.Target.TRUE_LABEL)
                        .optCleanWeight(0)
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
                                warmup,
                                null,
                                null)
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

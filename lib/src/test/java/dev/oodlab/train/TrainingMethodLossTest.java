package dev.oodlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.oodlab.experiment.MethodOptions;
import dev.oodlab.nn.BatchRows;
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

    private static final AdversarialMixup.Partner[] PARTNERS = AdversarialMixup.Partner.values();
    private static final AdversarialMixup.Target[] TARGETS = AdversarialMixup.Target.values();

    /** The draws of Adversarial-Mixup: λ, then the permutation for the shuffled partner. */
    private ReferenceFixture.Scripted adversarialMixupDraws(AdversarialMixup.Partner partner) {
        ReferenceFixture.Scripted r = new ReferenceFixture.Scripted();
        r.betas.add(ref.scalar("LAMBDA"));
        if (partner == AdversarialMixup.Partner.SHUFFLED) {
            r.permutations.add(ref.ints("PERM"));
        }
        return r;
    }

    private AdversarialMixup adversarialMixup(
            AdversarialMixup.Partner partner, AdversarialMixup.Target target, double w) {
        return AdversarialMixup.builder()
                .optEpsilon(ref.scalar("EPS"))
                .optPartner(partner)
                .optTarget(target)
                .optCleanWeight(w)
                .build();
    }

    private double adversarialMixupReference(
            AdversarialMixup.Partner partner, AdversarialMixup.Target target) {
        return ref.scalar("loss.adversarial-mixup." + partner.key() + "." + target.key());
    }

    @Test
    void adversarialMixupEveryReadingMatchesPyTorch() {
        for (AdversarialMixup.Partner partner : PARTNERS) {
            for (AdversarialMixup.Target target : TARGETS) {
                assertEquals(
                        adversarialMixupReference(partner, target),
                        loss(
                                adversarialMixup(partner, target, 0),
                                adversarialMixupDraws(partner),
                                false,
                                0),
                        TOLERANCE,
                        partner + ", " + target);
            }
        }
    }

    @Test
    void adversarialMixupDefaultIsThePapersEquationsReadLiterally() {
        // x̃ = λx_i + (1 − λ)x_j^adv with j a permutation, λ·CE(y_i) + (1 − λ)·CE(y_j), no clean
        // term
        AdversarialMixup method = AdversarialMixup.builder().optEpsilon(ref.scalar("EPS")).build();
        assertEquals(AdversarialMixup.Partner.SHUFFLED, method.partner());
        assertEquals(AdversarialMixup.Target.LABEL, method.target());
        assertEquals(0.0, method.cleanWeight());
        assertEquals("adversarial-mixup", method.name());
        assertEquals(
                ref.scalar("loss.adversarial-mixup.shuffled.label"),
                loss(method, adversarialMixupDraws(AdversarialMixup.Partner.SHUFFLED), false, 0),
                TOLERANCE);
    }

    @Test
    void adversarialMixupCleanTermWeighsTheReferenceLossesOfEveryReading() {
        // L = w·CE(p(x), y) + (1 − w)·L_mix: two PyTorch values of the fixture, weighted.
        for (AdversarialMixup.Partner partner : PARTNERS) {
            for (AdversarialMixup.Target target : TARGETS) {
                for (double w : new double[] {0.5, 0.25}) {
                    double expected =
                            w * ref.scalar("loss.ce")
                                    + (1 - w) * adversarialMixupReference(partner, target);
                    assertEquals(
                            expected,
                            loss(
                                    adversarialMixup(partner, target, w),
                                    adversarialMixupDraws(partner),
                                    false,
                                    0),
                            TOLERANCE,
                            partner + ", " + target + ", w = " + w);
                }
            }
        }
    }

    @Test
    void adversarialMixupInsideTheLoopGivesTheGradientsOfTheFormula() {
        // Inside an open gradient scope the clean pass also yields the attack's input gradient
        // (one backward pass instead of two). The loss must be PyTorch's and the parameter
        // gradients those of the formula written out with the plain FGSM attack, every reading.
        double w = 0.3;
        float eps = (float) ref.scalar("EPS");
        double lambda = ref.scalar("LAMBDA");
        int[] perm = ref.ints("PERM");
        for (AdversarialMixup.Partner partner : PARTNERS) {
            for (AdversarialMixup.Target target : TARGETS) {
                String reading = partner + ", " + target;
                boolean shuffled = partner == AdversarialMixup.Partner.SHUFFLED;
                try (NDManager m = network.manager().newSubManager()) {
                    NDArray x = ref.images(m, "X");
                    NDArray y = ref.labels(m);
                    network.zeroParameterGradients();
                    double fusedLoss;
                    try (dev.oodlab.nn.GradientScope scope = dev.oodlab.nn.GradientScope.open()) {
                        NDArray loss =
                                adversarialMixup(partner, target, w)
                                        .loss(
                                                new TrainingStep(
                                                        network,
                                                        x,
                                                        y,
                                                        null,
                                                        0,
                                                        adversarialMixupDraws(partner)));
                        fusedLoss = loss.getFloat();
                        scope.backward(loss);
                    }
                    float[][] fused = gradients();
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
                        NDArray partnerAdv = adv;
                        NDArray partnerLabels = onehot;
                        if (shuffled) {
                            NDArray index = m.create(perm);
                            partnerAdv = adv.get(index);
                            partnerLabels = onehot.get(index);
                        }
                        NDArray mixed =
                                x.mul((float) lambda).add(partnerAdv.mul((float) (1 - lambda)));
                        NDArray logits = network.logits(mixed, true);
                        NDArray second =
                                target == AdversarialMixup.Target.UNIFORM
                                        ? onehot.zerosLike().add(1f / network.numClasses())
                                        : partnerLabels;
                        // the two weighted terms of the paper's loss (3)
                        NDArray mixLoss =
                                dev.oodlab.nn.Losses.crossEntropy(logits, onehot)
                                        .mul((float) lambda)
                                        .add(
                                                dev.oodlab.nn.Losses.crossEntropy(logits, second)
                                                        .mul((float) (1 - lambda)))
                                        .mean();
                        NDArray loss =
                                dev.oodlab.nn.Losses.crossEntropy(network.logits(x, true), onehot)
                                        .mean()
                                        .mul((float) w)
                                        .add(mixLoss.mul((float) (1 - w)));
                        formulaLoss = loss.getFloat();
                        scope.backward(loss);
                    }
                    float[][] formula = gradients();
                    network.zeroParameterGradients();
                    assertEquals(
                            w * ref.scalar("loss.ce")
                                    + (1 - w) * adversarialMixupReference(partner, target),
                            fusedLoss,
                            TOLERANCE,
                            reading);
                    assertEquals(formulaLoss, fusedLoss, 1e-6, reading);
                    assertEquals(formula.length, fused.length);
                    double largest = 0;
                    for (int i = 0; i < formula.length; i++) {
                        for (int j = 0; j < formula[i].length; j++) {
                            assertEquals(
                                    formula[i][j],
                                    fused[i][j],
                                    1e-6,
                                    reading + ": parameter " + i + "[" + j + "]");
                            largest = Math.max(largest, Math.abs(formula[i][j]));
                        }
                    }
                    assertTrue(largest > 1e-3, "the gradients are not all zero: " + largest);
                }
            }
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

    /**
     * The loss of {@code adversarial-mixup} as this library computed it before the readings became
     * options (uniform target, each input with its own attack, clean weight w), kept verbatim so
     * that {@code adversarial-mixup-uniform} can be held to it bit for bit.
     */
    private static NDArray earlierAdversarialMixupLoss(
            TrainingStep step, double alpha, double epsilon, double cleanWeight) {
        dev.oodlab.attack.Fgsm attack =
                dev.oodlab.attack.Fgsm.builder().optEpsilon(epsilon).optTrainingMode(true).build();
        NDArray x = step.x();
        NDArray onehot = step.oneHotLabels();
        NDArray clean = null;
        NDArray adv;
        dev.oodlab.nn.GradientScope scope = dev.oodlab.nn.GradientScope.current();
        if (cleanWeight > 0 && scope != null) {
            NDArray leaf = x.stopGradient();
            leaf.setRequiresGradient(true);
            NDArray cleanLogits = step.logits(leaf);
            step.reportCleanLogits(cleanLogits);
            clean = dev.oodlab.nn.Losses.crossEntropy(cleanLogits, onehot).mean();
            scope.backward(clean.mul((float) cleanWeight));
            adv = attack.fromGradient(x, leaf.getGradient());
            clean = clean.stopGradient();
        } else {
            adv = attack.perturb(step.network(), x, step.labels());
        }
        double lambda = step.random().beta(alpha);
        NDArray mixed = BatchRows.mix(x, adv, lambda);
        NDArray other =
                dev.oodlab.nn.Losses.uniform(step.manager(), step.batchSize(), step.numClasses());
        NDArray soft = BatchRows.mix(onehot, other, lambda);
        NDArray mixedLoss = dev.oodlab.nn.Losses.crossEntropy(step.logits(mixed), soft).mean();
        if (cleanWeight == 0) {
            return mixedLoss;
        }
        if (clean == null) {
            NDArray cleanLogits = step.logits(x);
            step.reportCleanLogits(cleanLogits);
            clean = dev.oodlab.nn.Losses.crossEntropy(cleanLogits, onehot).mean();
        }
        return clean.mul((float) cleanWeight).add(mixedLoss.mul((float) (1 - cleanWeight)));
    }

    /** The loss and the parameter gradients of one step, in an open gradient scope or not. */
    private Object[] lossAndGradients(
            java.util.function.Function<TrainingStep, NDArray> method, boolean inScope) {
        network.zeroParameterGradients();
        try (NDManager m = network.manager().newSubManager()) {
            ReferenceFixture.Scripted r = new ReferenceFixture.Scripted();
            r.betas.add(ref.scalar("LAMBDA"));
            TrainingStep step =
                    new TrainingStep(network, ref.images(m, "X"), ref.labels(m), null, 0, r);
            float value;
            if (inScope) {
                try (dev.oodlab.nn.GradientScope scope = dev.oodlab.nn.GradientScope.open()) {
                    NDArray loss = method.apply(step);
                    value = loss.getFloat();
                    scope.backward(loss);
                }
            } else {
                value = method.apply(step).getFloat();
            }
            assertTrue(r.exhausted(), "the method took fewer draws than scripted");
            float[][] grads = inScope ? gradients() : new float[0][];
            network.zeroParameterGradients();
            return new Object[] {value, grads};
        }
    }

    @Test
    void uniformPresetReproducesTheEarlierAdversarialMixupBitForBit() {
        double eps = ref.scalar("EPS");
        TrainingMethod preset = TrainingMethods.create(AdversarialMixup.UNIFORM_PRESET);
        assertEquals(AdversarialMixup.UNIFORM_PRESET, preset.name());
        assertEquals(
                "AdversarialMixup[alpha=1.0, eps=0.1, partner=same, target=uniform,"
                        + " cleanWeight=0.5]",
                preset.toString());
        TrainingMethod configured = AdversarialMixup.uniformPreset().optEpsilon(eps).build();
        for (boolean inScope : new boolean[] {true, false}) {
            // twice each, so that the scripted losses' JIT has settled before the comparison
            Object[] earlier = null;
            Object[] now = null;
            for (int round = 0; round < 3; round++) {
                earlier =
                        lossAndGradients(
                                step -> earlierAdversarialMixupLoss(step, 1.0, eps, 0.5), inScope);
                now = lossAndGradients(configured::loss, inScope);
            }
            assertEquals((float) earlier[0], (float) now[0], 0f, "in scope: " + inScope);
            float[][] a = (float[][]) earlier[1];
            float[][] b = (float[][]) now[1];
            assertEquals(a.length, b.length);
            for (int i = 0; i < a.length; i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(
                        a[i], b[i], 0f, "parameter " + i);
            }
        }
        // and both equal PyTorch's value of that reading (same partner, uniform target, w = ½)
        Object[] now = lossAndGradients(configured::loss, false);
        assertEquals(
                0.5 * ref.scalar("loss.ce")
                        + 0.5 * ref.scalar("loss.adversarial-mixup.same.uniform"),
                (float) now[0],
                TOLERANCE);
    }

    /** λ₁, π for pair 1; λ₂, ρ, σ for pair 2; then one integer per sample for the target. */
    private ReferenceFixture.Scripted mtlatDraws(String targetDraws) {
        ReferenceFixture.Scripted r = new ReferenceFixture.Scripted();
        r.betas.add(ref.scalar("LAMBDA"));
        r.betas.add(ref.scalar("LAMBDA2"));
        r.permutations.add(ref.ints("PERM"));
        r.permutations.add(ref.ints("RHO_PERM"));
        r.permutations.add(ref.ints("SIGMA_PERM"));
        for (int t : ref.ints(targetDraws)) {
            r.ints.add(t);
        }
        return r;
    }

    private double mtlat(MixupTargetedLabelingAdversarialTraining.TargetClass targetClass) {
        MixupTargetedLabelingAdversarialTraining.Builder b =
                MixupTargetedLabelingAdversarialTraining.builder().optEpsilon(ref.scalar("EPS"));
        if (targetClass != null) {
            b.optTargetClass(targetClass);
        }
        String draws =
                targetClass == MixupTargetedLabelingAdversarialTraining.TargetClass.OTHER
                        ? "OTHER_DRAWS"
                        : "TARGETS";
        return loss(b.build(), mtlatDraws(draws), false, 0);
    }

    @Test
    void mtlatTrainsBothMixupPairsTogetherAsPyTorch() {
        // the default: the target class from all K classes
        assertEquals(ref.scalar("loss.m-tlat.any"), mtlat(null), TOLERANCE);
        assertEquals(
                ref.scalar("loss.m-tlat.any"),
                mtlat(MixupTargetedLabelingAdversarialTraining.TargetClass.ANY),
                TOLERANCE);
    }

    @Test
    void mtlatWithTheTargetOutsideTheAttackedPairMatchesPyTorch() {
        assertEquals(
                ref.scalar("loss.m-tlat.other"),
                mtlat(MixupTargetedLabelingAdversarialTraining.TargetClass.OTHER),
                TOLERANCE);
    }

    @Test
    void mtlatTargetOutsideThePairNeedsThreeClasses() {
        // a 2-class model: every pair's labels leave at most one class, none when they differ
        try (Network two = Network.create("toy-mlp", new ai.djl.ndarray.types.Shape(2), 2, 1);
                NDManager m = two.manager().newSubManager()) {
            NDArray x =
                    m.create(
                            new float[] {0.1f, 0.2f, 0.3f, 0.4f},
                            new ai.djl.ndarray.types.Shape(2, 2));
            NDArray y = m.create(new long[] {0, 1});
            TrainingStep step = new TrainingStep(two, x, y, null, 0, RandomSource.seeded(1));
            IllegalStateException e =
                    assertThrows(
                            IllegalStateException.class,
                            () ->
                                    MixupTargetedLabelingAdversarialTraining.builder()
                                            .optTargetClass(
                                                    MixupTargetedLabelingAdversarialTraining
                                                            .TargetClass.OTHER)
                                            .build()
                                            .loss(step));
            assertEquals(
                    "m-tlat's target class 'other' needs at least 3 classes, the model has 2",
                    e.getMessage());
        }
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
                                null,
                                null,
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

package dev.oodlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.oodlab.nn.Network;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Outlier Exposure, energy-bounded learning, LogitNorm and MixOE on the tiny fixed network and
 * batch of {@link TrainingMethodLossTest}, against the values computed independently with PyTorch
 * by {@code src/test/resources/reference/modern_training_losses.py} (each formula as the authors'
 * code writes it), plus checks that each term of a loss counts and that options are checked.
 */
class ModernTrainingMethodsTest {

    private static final double TOLERANCE = 2e-5;
    private static ReferenceFixture ref;
    private static Network network;

    @BeforeAll
    static void setUp() {
        ref = new ReferenceFixture("/reference/modern-training-losses.txt", "modern.");
        network = ref.network();
    }

    @AfterAll
    static void tearDown() {
        network.close();
    }

    private static double expected(String key) {
        return ref.scalar("modern.loss." + key);
    }

    private double loss(TrainingMethod method, ReferenceFixture.Scripted random, String outliers) {
        try (NDManager m = network.manager().newSubManager()) {
            NDArray x = ref.images(m, "X");
            NDArray o = outliers == null ? null : ref.images(m, outliers);
            TrainingStep step = new TrainingStep(network, x, ref.labels(m), o, 0, random);
            double value = method.loss(step).getFloat();
            assertTrue(random.exhausted(), "the method took fewer draws than scripted");
            return value;
        }
    }

    private double noDraws(TrainingMethod method, String outliers) {
        return loss(method, new ReferenceFixture.Scripted(), outliers);
    }

    @Test
    void theFixtureIsTheOneOfTheOtherLossTests() {
        assertEquals(ref.scalar("loss.ce"), expected("ce"), 1e-12);
    }

    @Test
    void outlierExposureMatchesPyTorch() {
        assertEquals(
                expected("outlier-exposure"),
                noDraws(OutlierExposure.builder().build(), "OUT"),
                TOLERANCE);
    }

    @Test
    void outlierExposureOutlierTermIsTheCrossEntropyToUniformWeightedByLambda() {
        // λ = 0 leaves the cross-entropy; λ = 2 adds twice the reference outlier term
        assertEquals(
                expected("ce"),
                noDraws(OutlierExposure.builder().optLambda(0).build(), "OUT"),
                TOLERANCE);
        assertEquals(
                expected("ce") + 2 * expected("outlier-exposure.term"),
                noDraws(OutlierExposure.builder().optLambda(2).build(), "OUT"),
                TOLERANCE);
        // CE(u, p) = KL(u || p) + log K: OE with λ equals the confidence loss with β = λ plus λ log
        // K
        double confidence = noDraws(CalibratedConfidenceLoss.builder().optBeta(0.5).build(), "OUT");
        assertEquals(
                confidence + 0.5 * Math.log(3),
                noDraws(OutlierExposure.builder().build(), "OUT"),
                TOLERANCE);
    }

    private static EnergyBoundedLearning energy(double lambda, double mIn, double mOut) {
        return EnergyBoundedLearning.builder()
                .optLambda(lambda)
                .optMarginIn(mIn)
                .optMarginOut(mOut)
                .build();
    }

    @Test
    void energyBoundedLearningMatchesPyTorchAtTheDefaultsAndWithBothHingesActive() {
        assertEquals(
                expected("energy-bounded.default"),
                noDraws(EnergyBoundedLearning.builder().build(), "OUT"),
                1e-4);
        double[] active = ref.get("modern.ACTIVE_MARGINS");
        assertEquals(
                expected("energy-bounded.active"),
                noDraws(energy(0.1, active[0], active[1]), "OUT"),
                TOLERANCE);
    }

    @Test
    void energyBoundedLearningCountsEachHinge() {
        double[] active = ref.get("modern.ACTIVE_MARGINS");
        double inTerm = expected("energy-bounded.active.in-term");
        double outTerm = expected("energy-bounded.active.out-term");
        assertTrue(inTerm > 1 && outTerm > 1, "both hinges active on the fixture");
        // margins far enough that one hinge is inactive: the loss keeps only the other term
        double[] energyIn = ref.get("modern.loss.energy.in");
        double[] energyOut = ref.get("modern.loss.energy.out");
        double maxIn = java.util.Arrays.stream(energyIn).max().orElseThrow();
        double minOut = java.util.Arrays.stream(energyOut).min().orElseThrow();
        assertTrue(active[0] < minOut - 0.5, "m-in stays below m-out");
        assertEquals(
                expected("ce") + 0.1 * outTerm,
                noDraws(energy(0.1, maxIn + 1, active[1]), "OUT"),
                TOLERANCE);
        assertEquals(
                expected("ce") + 0.1 * inTerm,
                noDraws(energy(0.1, active[0], minOut - 0.5), "OUT"),
                TOLERANCE);
        assertEquals(expected("ce"), noDraws(energy(0, active[0], active[1]), "OUT"), TOLERANCE);
    }

    @Test
    void logitNormMatchesPyTorch() {
        assertEquals(expected("logitnorm"), noDraws(LogitNorm.builder().build(), null), 1e-4);
        double tau1 = noDraws(LogitNorm.builder().optTau(1).build(), null);
        assertEquals(expected("logitnorm.tau1"), tau1, TOLERANCE);
        // normalising changes the loss: it is not the plain cross-entropy
        assertTrue(Math.abs(tau1 - expected("ce")) > 0.1, "logitnorm differs from ce");
    }

    private double mixoe(MixOutlierExposure method) {
        ReferenceFixture.Scripted r = new ReferenceFixture.Scripted();
        r.betas.add(ref.scalar("modern.MIX_LAMBDA"));
        return loss(method, r, "modern.OUT4");
    }

    @Test
    void mixoeMatchesPyTorch() {
        assertEquals(expected("mixoe"), mixoe(MixOutlierExposure.builder().build()), 1e-4);
    }

    @Test
    void mixoeMixedTermIsWeightedByBeta() {
        assertEquals(
                expected("ce"), mixoe(MixOutlierExposure.builder().optBeta(0).build()), TOLERANCE);
        assertEquals(
                expected("ce") + expected("mixoe.term"),
                mixoe(MixOutlierExposure.builder().optBeta(1).build()),
                TOLERANCE);
    }

    @Test
    void mixoeNeedsAnOutlierPerSample() {
        IllegalStateException e =
                assertThrows(
                        IllegalStateException.class,
                        () -> noDraws(MixOutlierExposure.builder().build(), "OUT"));
        assertEquals(
                "mixoe mixes each sample with its own outlier: 3 outliers for a batch of 4",
                e.getMessage());
    }

    @Test
    void theOutlierMethodsSayWhatIsMissingWithoutOutliers() {
        for (TrainingMethod method :
                List.of(
                        OutlierExposure.builder().build(),
                        EnergyBoundedLearning.builder().build(),
                        MixOutlierExposure.builder().build())) {
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> noDraws(method, null));
            assertTrue(e.getMessage().startsWith(method.name() + " trains on outliers"));
        }
    }

    @Test
    void descriptorsDeclareTheOptionsDefaultsAndOutliers() {
        Map<String, Map<String, Object>> defaults =
                Map.of(
                        "outlier-exposure", Map.of("lambda", 0.5),
                        "energy-bounded", Map.of("lambda", 0.1, "m_in", -25.0, "m_out", -7.0),
                        "logitnorm", Map.of("tau", 0.04),
                        "mixoe", Map.of("alpha", 1.0, "beta", 5.0));
        defaults.forEach(
                (name, options) ->
                        assertEquals(options, TrainingMethods.create(name).recordedOptions()));
        assertTrue(TrainingMethods.descriptor("outlier-exposure").needsOutliers());
        assertTrue(TrainingMethods.descriptor("energy-bounded").needsOutliers());
        assertTrue(TrainingMethods.descriptor("mixoe").needsOutliers());
        assertEquals(false, TrainingMethods.descriptor("logitnorm").needsOutliers());
        TrainingMethod set =
                TrainingMethods.create("energy-bounded", Map.of("m-in", -10, "m-out", -2.5));
        assertEquals(Map.of("lambda", 0.1, "m_in", -10.0, "m_out", -2.5), set.recordedOptions());
        assertEquals(
                0.2, ((LogitNorm) TrainingMethods.create("logitnorm", Map.of("tau", 0.2))).tau());
    }

    @Test
    void badOptionValuesAreOneLineErrors() {
        assertEquals("lambda must be >= 0, got -1.0", error("outlier-exposure", "lambda", -1.0));
        assertEquals("lambda must be >= 0, got -0.5", error("energy-bounded", "lambda", -0.5));
        assertEquals(
                "m-in must be < m-out (-7.0), got -5.0", error("energy-bounded", "m-in", -5.0));
        assertEquals(
                "m-out must be a finite number, got Infinity",
                error("energy-bounded", "m-out", Double.POSITIVE_INFINITY));
        assertEquals("tau must be > 0, got 0.0", error("logitnorm", "tau", 0.0));
        assertEquals("alpha must be > 0, got 0.0", error("mixoe", "alpha", 0.0));
        assertEquals("beta must be >= 0, got -5.0", error("mixoe", "beta", -5.0));
        assertEquals(
                "method logitnorm has no option lambda (it has: tau)",
                error("logitnorm", "lambda", 1.0));
        assertEquals(
                "method outlier-exposure has no option beta (it has: lambda)",
                error("outlier-exposure", "beta", 1.0));
        assertEquals(
                "method mixoe has no option lambda (it has: alpha, beta)",
                error("mixoe", "lambda", 1.0));
        assertThrows(IllegalArgumentException.class, () -> LogitNorm.builder().optTau(-1).build());
    }

    private static String error(String method, String option, Object value) {
        return assertThrows(
                        IllegalArgumentException.class,
                        () -> TrainingMethods.create(method, Map.of(option, value)))
                .getMessage();
    }
}

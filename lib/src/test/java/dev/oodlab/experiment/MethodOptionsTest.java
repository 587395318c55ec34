package dev.oodlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oodlab.train.AdversarialMixup;
import dev.oodlab.train.MixupConfidenceLoss;
import dev.oodlab.train.MixupTargetedLabelingAdversarialTraining;
import dev.oodlab.train.SmoothMix;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link MethodOptions} with SmoothMix's options (SPEC §3.9): defaults, validation, and that each
 * option reaches the method and the record. (That a SmoothMix built here computes the loss of the
 * PyTorch reference is checked in {@code TrainingMethodLossTest}.)
 */
class MethodOptionsTest {

    private static MethodOptions smoothMix(
            Double sigma,
            Integer noiseDraws,
            Integer steps,
            Double stepSize,
            Double eta,
            Boolean oneStep,
            Integer warmupEpochs) {
        return new MethodOptions(
                null,
                null,
                null,
                sigma,
                noiseDraws,
                steps,
                stepSize,
                eta,
                oneStep,
                warmupEpochs,
                null,
                null,
                null,
                null,
                null);
    }

    private static SmoothMix create(MethodOptions options) {
        return assertInstanceOf(SmoothMix.class, options.create("smoothmix"));
    }

    private static String error(MethodOptions options, String method) {
        return assertThrows(IllegalArgumentException.class, () -> options.create(method))
                .getMessage();
    }

    @Test
    void smoothMixDefaultsAreTheAuthorsMnistSettings() {
        // SPEC §3.9: m = 4, α = 1, σ = 0.25 → T = 2, η = 5, a 10-epoch warm-up, mixing from x
        SmoothMix m = create(MethodOptions.defaults());
        assertEquals(0.25, m.sigma());
        assertEquals(4, m.noiseSamples());
        assertEquals(2, m.steps());
        assertEquals(1.0, m.stepSize());
        assertEquals(5.0, m.eta());
        assertEquals(10, m.warmupEpochs());
        assertFalse(m.oneStepAdversary());
    }

    @Test
    void withoutStepsTheNumberOfStepsFollowsSigmaAsInTheAuthorsTable() {
        // SPEC §3.9: σ = 0.25 → T = 2, σ = 0.5 → T = 4, σ = 1.0 → T = 8
        assertEquals(2, create(smoothMix(0.25, null, null, null, null, null, null)).steps());
        assertEquals(4, create(smoothMix(0.5, null, null, null, null, null, null)).steps());
        assertEquals(8, create(smoothMix(1.0, null, null, null, null, null, null)).steps());
        // T = 8σ rounded, at least one step: 8·0.1 = 0.8 → 1, 8·0.01 = 0.08 → 1
        assertEquals(1, create(smoothMix(0.1, null, null, null, null, null, null)).steps());
        assertEquals(1, create(smoothMix(0.01, null, null, null, null, null, null)).steps());
        // a T that is set wins
        assertEquals(3, create(smoothMix(1.0, null, 3, null, null, null, null)).steps());
    }

    @Test
    void everySmoothMixOptionReachesTheMethodAndTheRecord() {
        MethodOptions options = smoothMix(0.5, 3, 5, 0.2, 1.5, true, 4);
        SmoothMix m = create(options);
        assertEquals(0.5, m.sigma());
        assertEquals(3, m.noiseSamples());
        assertEquals(5, m.steps());
        assertEquals(0.2, m.stepSize());
        assertEquals(1.5, m.eta());
        assertTrue(m.oneStepAdversary());
        assertEquals(4, m.warmupEpochs());
        assertEquals(0.25, m.warmupWeight(0), 0, "w = min(1, (0 + 1)/4) in the first epoch");
        assertEquals("SmoothMix[sigma=0.5, m=3, T=5, alpha=0.2, eta=1.5, one-step]", m.toString());

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("sigma", 0.5);
        expected.put("noise_draws", 3);
        expected.put("steps", 5);
        expected.put("step_size", 0.2);
        expected.put("eta", 1.5);
        expected.put("one_step", true);
        expected.put("warmup_epochs", 4);
        assertEquals(expected, options.asMap(), "every option was set");
        expected.put("chunks_per_batch", 3); // not an option: one chunk per noise draw
        assertEquals(expected, options.recorded("smoothmix"));
    }

    @Test
    void theRecordHoldsTheValuesTheMethodTrainsWithSetOrNot() {
        Map<String, Object> smoothMix = new LinkedHashMap<>();
        smoothMix.put("sigma", 0.5);
        smoothMix.put("noise_draws", 4);
        smoothMix.put("steps", 4);
        smoothMix.put("step_size", 1.0);
        smoothMix.put("eta", 5.0);
        smoothMix.put("one_step", false);
        smoothMix.put("warmup_epochs", 10);
        smoothMix.put("chunks_per_batch", 4);
        MethodOptions sigmaOnly = smoothMix(0.5, null, null, null, null, null, null);
        assertEquals(smoothMix, sigmaOnly.recorded("smoothmix"));
        assertEquals(Map.of("sigma", 0.5), sigmaOnly.asMap(), "only σ was set");
        assertEquals(Map.of("sigma", 0.5), sigmaOnly.recorded("gaussian"));

        // the other methods: their SPEC §3 defaults (α = 1, β = 1, ε = 0.1 for 28×28 data)
        MethodOptions defaults = MethodOptions.defaults();
        assertEquals(Map.of(), defaults.recorded("ce"));
        assertEquals(Map.of("alpha", 1.0), defaults.recorded("mixup"));
        assertEquals(Map.of("beta", 1.0), defaults.recorded("confidence-loss"));
        assertEquals(
                Map.of("alpha", 1.0, "beta", 1.0, "mixup_form", "additive"),
                defaults.recorded("mixup-confidence"));
        assertEquals(
                Map.of(
                        "alpha",
                        1.0,
                        "epsilon",
                        0.1,
                        "partner",
                        "shuffled",
                        "adversarial_target",
                        "label",
                        "clean_weight",
                        0.0),
                defaults.recorded("adversarial-mixup"));
        assertEquals(
                Map.of(
                        "alpha",
                        1.0,
                        "epsilon",
                        0.1,
                        "partner",
                        "same",
                        "adversarial_target",
                        "uniform",
                        "clean_weight",
                        0.5),
                defaults.recorded("adversarial-mixup-uniform"));
        assertEquals(
                Map.of("alpha", 1.0, "epsilon", 0.05, "target_class", "any"),
                set(null, 0.05).recorded("m-tlat"));
        assertEquals(
                Map.of("alpha", 0.4, "epsilon", 0.1, "target_class", "any"),
                set(0.4, null).recorded("m-tlat"));
    }

    private static MethodOptions set(Double alpha, Double epsilon) {
        return new MethodOptions(alpha, epsilon, null, null);
    }

    private static MethodOptions mixupForm(String form) {
        return new MethodOptions(
                null, null, null, null, null, null, null, null, null, null, null, form, null, null,
                null);
    }

    @Test
    void mixupFormReachesMixupConfidenceAndTheRecord() {
        for (MixupConfidenceLoss.Form form : MixupConfidenceLoss.Form.values()) {
            MethodOptions options = mixupForm(form.key());
            MixupConfidenceLoss built =
                    assertInstanceOf(MixupConfidenceLoss.class, options.create("mixup-confidence"));
            assertEquals(form, built.form());
            assertEquals(form.key(), options.recorded("mixup-confidence").get("mixup_form"));
        }
        assertEquals(
                MixupConfidenceLoss.Form.REPLACING,
                ((MixupConfidenceLoss) mixupForm("Replacing").create("mixup-confidence")).form());
    }

    @Test
    void mixupFormOnAnotherMethodOrWithAnUnknownValueIsAOneLineError() {
        assertEquals(
                "method mixup has no option mixup-form (it has: alpha)",
                error(mixupForm("additive"), "mixup"));
        assertEquals(
                "method confidence-loss has no option mixup-form (it has: beta)",
                error(mixupForm("replacing"), "confidence-loss"));
        assertEquals(
                "mixup-form must be additive or replacing, got 'both'",
                error(mixupForm("both"), "mixup-confidence"));
    }

    private static MethodOptions reading(String partner, String target, Double cleanWeight) {
        return new MethodOptions(
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                cleanWeight,
                null,
                partner,
                target,
                null);
    }

    @Test
    void everyAdversarialMixupReadingReachesTheMethodAndTheRecord() {
        for (AdversarialMixup.Partner partner : AdversarialMixup.Partner.values()) {
            for (AdversarialMixup.Target target : AdversarialMixup.Target.values()) {
                MethodOptions options = reading(partner.key(), target.key(), 0.5);
                AdversarialMixup built =
                        assertInstanceOf(
                                AdversarialMixup.class, options.create("adversarial-mixup"));
                assertEquals(partner, built.partner());
                assertEquals(target, built.target());
                assertEquals(0.5, built.cleanWeight());
                Map<String, Object> recorded = options.recorded("adversarial-mixup");
                assertEquals(partner.key(), recorded.get("partner"));
                assertEquals(target.key(), recorded.get("adversarial_target"));
                assertEquals(0.5, recorded.get("clean_weight"));
            }
        }
        // the preset is the three options of the earlier reading together
        AdversarialMixup preset =
                assertInstanceOf(
                        AdversarialMixup.class,
                        MethodOptions.defaults().create("adversarial-mixup-uniform"));
        AdversarialMixup spelledOut =
                assertInstanceOf(
                        AdversarialMixup.class,
                        reading("same", "uniform", 0.5).create("adversarial-mixup"));
        assertEquals(spelledOut.toString(), preset.toString());
        assertEquals("adversarial-mixup-uniform", spelledOut.name());
    }

    @Test
    void adversarialMixupReadingsElsewhereOrOutOfRangeAreOneLineErrors() {
        assertEquals(
                "method mixup has no option partner (it has: alpha)",
                error(reading("same", null, null), "mixup"));
        assertEquals(
                "method m-tlat has no option clean-weight, adversarial-target (it has: alpha,"
                        + " epsilon, target-class)",
                error(reading(null, "uniform", 0.5), "m-tlat"));
        assertEquals(
                "method adversarial-mixup-uniform has no option partner (it has: alpha, epsilon)",
                error(reading("shuffled", null, null), "adversarial-mixup-uniform"));
        assertEquals(
                "partner must be shuffled or same, got 'other'",
                error(reading("other", null, null), "adversarial-mixup"));
        assertEquals(
                "adversarial-target must be label or uniform, got 'true-label'",
                error(reading(null, "true-label", null), "adversarial-mixup"));
    }

    private static MethodOptions targetClass(String value) {
        return new MethodOptions(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                value);
    }

    @Test
    void mtlatTargetClassReachesTheMethodAndTheRecord() {
        for (MixupTargetedLabelingAdversarialTraining.TargetClass c :
                MixupTargetedLabelingAdversarialTraining.TargetClass.values()) {
            MethodOptions options = targetClass(c.key());
            MixupTargetedLabelingAdversarialTraining built =
                    assertInstanceOf(
                            MixupTargetedLabelingAdversarialTraining.class,
                            options.create("m-tlat"));
            assertEquals(c, built.targetClass());
            assertEquals(c.key(), options.recorded("m-tlat").get("target_class"));
        }
        assertEquals(
                MixupTargetedLabelingAdversarialTraining.TargetClass.ANY,
                ((MixupTargetedLabelingAdversarialTraining)
                                MethodOptions.defaults().create("m-tlat"))
                        .targetClass());
    }

    @Test
    void mtlatTargetClassElsewhereOrUnknownIsAOneLineError() {
        assertEquals(
                "method adversarial-mixup has no option target-class (it has: adversarial-target,"
                        + " alpha, clean-weight, epsilon, partner)",
                error(targetClass("other"), "adversarial-mixup"));
        assertEquals(
                "target-class must be any or other, got 'true'",
                error(targetClass("true"), "m-tlat"));
    }

    @Test
    void smoothMixOptionsOnAnotherMethodAreErrorsNamedAsOnTheCommandLine() {
        assertEquals(
                "method gaussian has no option steps (it has: sigma)",
                error(smoothMix(0.5, null, 2, null, null, null, null), "gaussian"));
        assertEquals(
                "method mixup has no option noise-draws, step-size, one-step (it has: alpha)",
                error(smoothMix(null, 2, null, 0.5, null, true, null), "mixup"));
        assertEquals(
                "method ce has no option eta, warmup-epochs (it has no options)",
                error(smoothMix(null, null, null, null, 1.0, null, 3), "ce"));
        assertEquals(
                "method smoothmix has no option alpha (it has: eta, noise-draws, one-step, sigma,"
                        + " step-size, steps, warmup-epochs)",
                error(new MethodOptions(1.0, null, null, null), "smoothmix"));
    }

    @Test
    void smoothMixValuesOutOfRangeAreNamed() {
        for (Object[] c :
                List.<Object[]>of(
                        new Object[] {
                            smoothMix(null, 0, null, null, null, null, null),
                            "noise-draws must be >= 1, got 0"
                        },
                        new Object[] {
                            smoothMix(null, null, 0, null, null, null, null),
                            "steps must be >= 1, got 0"
                        },
                        new Object[] {
                            smoothMix(null, null, -2, null, null, null, null),
                            "steps must be >= 1, got -2"
                        },
                        new Object[] {
                            smoothMix(null, null, null, 0.0, null, null, null),
                            "step-size must be > 0, got 0.0"
                        },
                        new Object[] {
                            smoothMix(null, null, null, Double.NaN, null, null, null),
                            "step-size must be a finite number, got NaN"
                        },
                        new Object[] {
                            smoothMix(null, null, null, null, -1.0, null, null),
                            "eta must be >= 0, got -1.0"
                        },
                        new Object[] {
                            smoothMix(null, null, null, null, Double.POSITIVE_INFINITY, null, null),
                            "eta must be a finite number, got Infinity"
                        },
                        new Object[] {
                            smoothMix(null, null, null, null, null, null, 0),
                            "warmup-epochs must be >= 1, got 0"
                        },
                        new Object[] {
                            smoothMix(-0.5, null, null, null, null, null, null),
                            "sigma must be > 0, got -0.5"
                        })) {
            assertEquals(c[1], error((MethodOptions) c[0], "smoothmix"));
        }
        // η = 0 is allowed: plain Gaussian training on the m draws
        assertEquals(0.0, create(smoothMix(null, null, null, null, 0.0, null, null)).eta());
    }
}

package dev.oodlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The list of training methods and what each descriptor promises of its method. */
class MethodDescriptorTest {

    @Test
    void aDescriptorStatesTheForwardPassesOfAStepFromTheBuiltMethod() {
        assertEquals(3, TrainingMethods.descriptor("ce").forwardPasses(Map.of()).getAsInt());
        assertEquals(3, TrainingMethods.descriptor("mixup").forwardPasses(Map.of()).getAsInt());
        assertEquals(
                5,
                TrainingMethods.descriptor("adversarial-mixup").forwardPasses(Map.of()).getAsInt());
        // SmoothMix: 2·m·T + 6·m, from the options the method was built with (m = 4, T = 2)
        assertEquals(
                2 * 4 * 2 + 6 * 4,
                TrainingMethods.descriptor("smoothmix")
                        .forwardPasses(Map.of("noise-draws", 4, "steps", 2))
                        .getAsInt());
        // the defaults m = 4, T = 2 (sigma 0.25: T = 8 sigma)
        assertEquals(
                40, TrainingMethods.descriptor("smoothmix").forwardPasses(Map.of()).getAsInt());
        // a method whose cost is not worked out says so
        assertTrue(TrainingMethods.descriptor("m-tlat").forwardPasses(Map.of()).isEmpty());
    }

    @Test
    void everyDescriptorBuildsTheMethodOfItsName() {
        Set<String> names = new HashSet<>();
        for (MethodDescriptor d : TrainingMethods.ALL) {
            assertTrue(names.add(d.name()), "named once: " + d.name());
            assertEquals(d.name(), d.create().name());
            assertEquals(d, TrainingMethods.descriptor(d.name().toUpperCase()));
        }
        assertEquals(List.copyOf(names).size(), TrainingMethods.NAMES.size());
    }

    @Test
    void aBuiltMethodRecordsEveryOptionItDeclares() {
        // (a preset may record more: adversarial-mixup-uniform's fixed readings)
        for (MethodDescriptor d : TrainingMethods.ALL) {
            List<String> declared = new ArrayList<>();
            d.options().forEach(o -> declared.add(o.recordedName()));
            List<String> recorded = new ArrayList<>(d.create().recordedOptions().keySet());
            assertTrue(recorded.containsAll(declared), d.name() + ": " + recorded);
        }
    }

    @Test
    void aSetOptionReachesTheMethodAndItsRecord() {
        TrainingMethod m = TrainingMethods.create("mixup", Map.of("alpha", 0.4));
        assertEquals(0.4, ((Mixup) m).alpha());
        assertEquals(Map.of("alpha", 0.4), m.recordedOptions());
        // a whole number is a real value too
        assertEquals(2.0, ((Mixup) TrainingMethods.create("mixup", Map.of("alpha", 2))).alpha());
        AdversarialMixup a =
                (AdversarialMixup)
                        TrainingMethods.create(
                                "adversarial-mixup",
                                Map.of("partner", "SAME", "adversarial-target", "uniform"));
        assertEquals(AdversarialMixup.Partner.SAME, a.partner());
        assertEquals(AdversarialMixup.Target.UNIFORM, a.target());
    }

    @Test
    void smoothMixStepsFollowSigmaUnlessSet() {
        SmoothMix m = (SmoothMix) TrainingMethods.create("smoothmix", Map.of("sigma", 1.0));
        assertEquals(8, m.steps());
        SmoothMix n =
                (SmoothMix) TrainingMethods.create("smoothmix", Map.of("sigma", 1.0, "steps", 3));
        assertEquals(3, n.steps());
    }

    @Test
    void anOptionTheMethodLacksIsNamedWithTheOnesItHas() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TrainingMethods.create("mixup", Map.of("beta", 1.0)));
        assertEquals("method mixup has no option beta (it has: alpha)", e.getMessage());
        IllegalArgumentException none =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TrainingMethods.create("ce", Map.of("sigma", 1.0)));
        assertEquals("method ce has no option sigma (it has no options)", none.getMessage());
    }

    @Test
    void aValueOutOfRangeIsNamedAsOnTheCommandLine() {
        assertEquals("alpha must be > 0, got 0.0", error("mixup", Map.of("alpha", 0.0)));
        assertEquals("beta must be >= 0, got -1.0", error("confidence-loss", Map.of("beta", -1.0)));
        assertEquals(
                "clean-weight must be < 1, got 1.0",
                error("adversarial-mixup", Map.of("clean-weight", 1.0)));
        assertEquals("steps must be >= 1, got 0", error("smoothmix", Map.of("steps", 0)));
        assertEquals(
                "sigma must be a finite number, got NaN",
                error("gaussian", Map.of("sigma", Double.NaN)));
        assertEquals(
                "mixup-form must be additive or replacing, got 'both'",
                error("mixup-confidence", Map.of("mixup-form", "both")));
        assertEquals(
                "noise-draws must be a whole number, got 1.5",
                error("smoothmix", Map.of("noise-draws", 1.5)));
    }

    @Test
    void onlyTheOutlierMethodsNeedOutliers() {
        List<String> needing = new ArrayList<>();
        TrainingMethods.ALL.stream()
                .filter(MethodDescriptor::needsOutliers)
                .forEach(d -> needing.add(d.name()));
        assertEquals(
                List.of(
                        "confidence-loss",
                        "mixup-confidence",
                        "outlier-exposure",
                        "energy-bounded",
                        "mixoe"),
                needing);
    }

    @Test
    void unknownMethodListsTheKnownOnes() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TrainingMethods.create("nope"));
        assertEquals(
                "unknown training method 'nope'; known: "
                        + String.join(", ", TrainingMethods.NAMES),
                e.getMessage());
    }

    @Test
    void optionsAreListedOnceWithTheMethodsThatHaveThem() {
        List<MethodOption> all = TrainingMethods.allOptions();
        assertEquals(all.size(), all.stream().map(MethodOption::name).distinct().count());
        assertEquals(
                List.of("adversarial-mixup", "adversarial-mixup-uniform", "m-tlat"),
                TrainingMethods.methodsWith("epsilon"));
        assertFalse(TrainingMethods.descriptor("ce").hasOption("alpha"));
        assertEquals(
                "Noise sd, pixel units (> 0; default 0.25)",
                TrainingMethods.descriptor("gaussian").option("sigma").orElseThrow().helpText());
    }

    private static String error(String method, Map<String, ?> options) {
        return assertThrows(
                        IllegalArgumentException.class,
                        () -> TrainingMethods.create(method, options))
                .getMessage();
    }
}

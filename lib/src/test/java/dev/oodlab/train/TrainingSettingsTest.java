package dev.oodlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.oodlab.experiment.AdversarialMixupStudy;
import dev.oodlab.experiment.Experiment;
import dev.oodlab.gan.JointConfidenceTraining;
import dev.oodlab.smoothing.SmoothingTraining;
import dev.oodlab.toy.Toy2dStudy;
import org.junit.jupiter.api.Test;

class TrainingSettingsTest {

    @Test
    void eachDriverStartsFromItsOwnDefaults() {
        TrainingSettings fit = Fit.builder().settings();
        assertEquals(1, fit.epochs());
        assertEquals(128, fit.batchSize());
        assertEquals("constant", fit.schedule());
        TrainingSettings experiment = Experiment.builder().settings();
        assertEquals("fashion-mnist", experiment.dataset());
        assertEquals("lenet", experiment.model());
        assertEquals(5, experiment.epochs());
        assertEquals("cosine", experiment.schedule());
        // the study trains with the experiment's defaults
        assertEquals(experiment, AdversarialMixupStudy.builder().settings());
        TrainingSettings smoothing = SmoothingTraining.builder().settings();
        assertEquals(SmoothingTraining.DEFAULT_MODEL, smoothing.model());
        assertEquals(4, smoothing.epochs());
        assertEquals(64, smoothing.batchSize());
        assertEquals("constant", smoothing.schedule());
        assertEquals(64, JointConfidenceTraining.builder().settings().batchSize());
        assertEquals(ProgressBar.Mode.OFF, JointConfidenceTraining.builder().settings().progress());
        assertEquals(Toy2dStudy.DEFAULT_EPOCHS, Toy2dStudy.builder().settings().epochs());
        assertEquals(100, Toy2dStudy.builder().settings().batchSize());
    }

    @Test
    void aSharedSetterReturnsTheDriversBuilderAndSetsTheRecord() {
        Experiment.Builder b = Experiment.builder().optEpochs(3).optSeed(7).optSchedule("STEP");
        assertEquals(3, b.settings().epochs());
        assertEquals(7, b.settings().seed());
        assertEquals("step", b.settings().schedule());
        // one driver's settings handed to another
        Fit.Builder fit = Fit.builder().optSettings(b.settings());
        assertSame(b.settings(), fit.settings());
    }

    @Test
    void theCheckNamesTheFirstInvalidValue() {
        TrainingSettings d = TrainingSettings.defaults();
        assertEquals(d, d.check());
        assertEquals(
                "epochs must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> d.withEpochs(0).check())
                        .getMessage());
        assertEquals(
                "batch size must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> d.withBatchSize(0).check())
                        .getMessage());
        assertEquals(
                "learning rate must be > 0, got NaN",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> d.withLearningRate(Double.NaN).check())
                        .getMessage());
        assertEquals(
                "unknown schedule 'linear'; known: cosine, constant, step",
                assertThrows(IllegalArgumentException.class, () -> d.withSchedule("linear").check())
                        .getMessage());
        // every driver refuses through the same check
        assertEquals(
                "batch size must be >= 1, got 0",
                assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        SmoothingTraining.builder()
                                                .setMethod("gaussian", 0.25)
                                                .optBatchSize(0)
                                                .build())
                        .getMessage());
        assertEquals(
                "epochs must be >= 1, got 0",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Toy2dStudy.builder().setMethod("ce").optEpochs(0).build())
                        .getMessage());
    }

    @Test
    void theNamedSchedulesAndTheirText() {
        TrainingSettings cosine = TrainingSettings.defaults().withSchedule("cosine").withEpochs(2);
        // cosine over 2 epochs of 4 steps: half-way (t = 4 of 8) at half the peak
        assertEquals(5e-4, cosine.learningRateSchedule().rate(1, 0, 4, 2), 1e-15);
        assertEquals(
                "adam, learning rate 0.001 cosine-annealed per step to 0", cosine.optimizerText());
        TrainingSettings step = TrainingSettings.defaults().withSchedule("step").withEpochs(5);
        // ⌈5/2⌉ = 3: epochs 0-2 at the peak, 3-4 a tenth of it
        assertEquals(1e-3, step.learningRateSchedule().rate(2, 0, 10, 5), 1e-18);
        assertEquals(1e-4, step.learningRateSchedule().rate(3, 0, 10, 5), 1e-18);
        assertEquals("adam, learning rate 0.001 x0.1 every 3 epochs", step.optimizerText());
        assertEquals(
                "adam, learning rate 0.002 constant",
                TrainingSettings.defaults().withLearningRate(2e-3).optimizerText());
    }
}

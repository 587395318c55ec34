package dev.oodlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class TrainingOptionsTest {

    private static void rejects(String option, Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().startsWith(option + " "), e.getMessage());
    }

    @Test
    void buildersNameTheInvalidOption() {
        rejects("alpha", () -> Mixup.builder().optAlpha(0).build());
        rejects("alpha", () -> MixupConfidenceLoss.builder().optAlpha(-1).build());
        rejects("beta", () -> CalibratedConfidenceLoss.builder().optBeta(-0.1).build());
        rejects("epsilon", () -> AdversarialMixup.builder().optEpsilon(-0.1).build());
        rejects("alpha", () -> AdversarialMixup.builder().optAlpha(0).build());
        rejects("clean-weight", () -> AdversarialMixup.builder().optCleanWeight(1).build());
        rejects("clean-weight", () -> AdversarialMixup.builder().optCleanWeight(-0.1).build());
        rejects(
                "clean-weight",
                () -> AdversarialMixup.builder().optCleanWeight(Double.NaN).build());
        rejects(
                "labelWeight",
                () -> MixupTargetedLabelingAdversarialTraining.builder().optLabelWeight(2).build());
        rejects("sigma", () -> GaussianAugmentation.builder().optSigma(-1).build());
        rejects("sigma", () -> SmoothMix.builder().optSigma(0).build());
        rejects("steps", () -> SmoothMix.builder().optSteps(0).build());
        rejects("stepSize", () -> SmoothMix.builder().optStepSize(0).build());
        rejects("noiseSamples", () -> SmoothMix.builder().optNoiseSamples(0).build());
        rejects("epochs", () -> Fit.builder().setMethod(new CrossEntropy()).optEpochs(0).build());
    }

    @Test
    void everyNamedMethodIsCreatedUnderItsName() {
        for (String name : TrainingMethods.NAMES) {
            assertEquals(name, TrainingMethods.create(name).name());
        }
        assertThrows(IllegalArgumentException.class, () -> TrainingMethods.create("dropout"));
    }

    @Test
    void smoothMixWarmsUpOverTenEpochs() {
        SmoothMix m = SmoothMix.builder().build();
        assertEquals(0.1, m.warmupWeight(0), 1e-12);
        assertEquals(0.5, m.warmupWeight(4), 1e-12);
        assertEquals(1.0, m.warmupWeight(9), 1e-12);
        assertEquals(1.0, m.warmupWeight(30), 1e-12);
    }

    @Test
    void learningRateSchedules() {
        assertEquals(0.1, LearningRateSchedule.constant(0.1).rate(5, 3, 10, 20), 0);
        LearningRateSchedule step = LearningRateSchedule.step(0.1, 10, 0.1);
        assertEquals(0.1, step.rate(9, 0, 10, 30), 1e-12);
        assertEquals(0.01, step.rate(10, 0, 10, 30), 1e-12);
        LearningRateSchedule cosine = LearningRateSchedule.cosine(0.1, 0);
        assertEquals(0.1, cosine.rate(0, 0, 10, 4), 1e-12);
        assertEquals(0.05, cosine.rate(2, 0, 10, 4), 1e-12); // half-way
        rejects("learning rate", () -> LearningRateSchedule.constant(0));
    }

    @Test
    void progressLinesShowEpochBatchLossAccuracyAndSpeed() {
        assertEquals(
                "epoch 2/5 [############............] 50/100  loss 0.5000  acc  81.3%  1234 img/s",
                ProgressBar.line(1, 5, 50, 100, 0.5, 0.8125, 1234.4));
    }

    @Test
    void lineModePrintsAboutTenLinesPerEpoch() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar =
                new ProgressBar(
                        new PrintStream(bytes, true, StandardCharsets.UTF_8),
                        ProgressBar.Mode.LINES);
        for (int b = 1; b <= 469; b++) {
            bar.update(0, 1, b, 469, 1.0, Double.NaN, 100);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        long lines = out.lines().count();
        assertTrue(lines >= 10 && lines <= 11, lines + " lines");
        assertTrue(out.lines().reduce((a, b) -> b).orElse("").contains("469/469"));
        assertTrue(!out.contains("\r"));
    }

    @Test
    void redrawModeRewritesOneLinePerEpochWithCarriageReturns() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar =
                new ProgressBar(
                        new PrintStream(bytes, true, StandardCharsets.UTF_8),
                        ProgressBar.Mode.REDRAW);
        for (int epoch = 0; epoch < 2; epoch++) {
            for (int b = 1; b <= 469; b++) {
                bar.update(epoch, 2, b, 469, 1.0, Double.NaN, 100);
            }
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        String[] lines = out.split("\n");
        assertEquals(2, lines.length, "one line per epoch: " + out);
        for (String line : lines) {
            // What a terminal shows: the text after the last carriage return.
            String shown = line.substring(line.lastIndexOf('\r') + 1);
            assertTrue(shown.endsWith("469/469  loss 1.0000  100 img/s"), shown);
        }
        assertTrue(!out.contains("\u001b"), "no colour codes");
    }

    @Test
    void autoDrawsLinesWithoutAConsoleOrANotebookKernel() {
        // The tests run without a console and outside a Jupyter kernel.
        ProgressBar bar = new ProgressBar(System.out, ProgressBar.Mode.AUTO);
        assertEquals(ProgressBar.Mode.LINES, bar.mode());
    }
}

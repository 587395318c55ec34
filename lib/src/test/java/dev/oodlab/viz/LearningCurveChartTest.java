package dev.oodlab.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.oodlab.train.EpochResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** Learning curves draw the recorded loss and accuracy per epoch, means over seeds with sd bars. */
class LearningCurveChartTest {

    private static List<EpochResult> run(double[] loss, double[] accuracy) {
        List<EpochResult> h = new ArrayList<>();
        for (int e = 0; e < loss.length; e++) {
            h.add(new EpochResult(e, loss[e], accuracy[e], 1000, 2.0, 1e-3));
        }
        return h;
    }

    private static XYSeries only(Figure panel) {
        XYChart chart = (XYChart) panel.chart();
        return chart.getSeriesMap().values().iterator().next();
    }

    @Test
    void oneRunGivesALossPanelAndAnAccuracyPanelInPercent() {
        Figure f =
                LearningCurveChart.of(
                        run(new double[] {1.2, 0.7, 0.5}, new double[] {0.6, 0.8, 0.85}));
        assertEquals(2, f.panels().size());
        Images.assertDrawn(f, 2 * LearningCurveChart.PANEL_WIDTH, LearningCurveChart.PANEL_HEIGHT);
        XYSeries loss = only(f.panels().get(0));
        assertArrayEquals(new double[] {1, 2, 3}, loss.getXData(), "epochs counted from 1");
        assertArrayEquals(new double[] {1.2, 0.7, 0.5}, loss.getYData());
        assertArrayEquals(new double[] {60, 80, 85}, only(f.panels().get(1)).getYData(), 1e-9);
        assertNull(loss.getExtraValues(), "one run: no error bars");
    }

    @Test
    void aRunWithoutMeasuredAccuracyGetsTheLossPanelOnly() {
        Figure f =
                LearningCurveChart.of(
                        run(new double[] {1.0, 0.5}, new double[] {Double.NaN, Double.NaN}));
        assertEquals(0, f.panels().size());
        assertNotNull(f.chart());
    }

    @Test
    void meansOverSeedsHaveSampleSdErrorBarsAndStopAtTheShortestRun() {
        Map<String, List<List<EpochResult>>> runs = new LinkedHashMap<>();
        runs.put(
                "mixup",
                List.of(
                        run(new double[] {1.0, 0.6, 0.4}, new double[] {0.5, 0.7, 0.8}),
                        run(new double[] {2.0, 0.8}, new double[] {0.7, 0.9})));
        Figure f = LearningCurveChart.meanOverSeeds(runs);
        XYSeries loss = only(f.panels().get(0));
        // Epoch 1: mean of 1.0 and 2.0 = 1.5, sd = |1.0 - 2.0| / sqrt(2); epoch 2: 0.7,
        // 0.2/sqrt(2).
        assertArrayEquals(new double[] {1.5, 0.7}, loss.getYData(), 1e-12);
        assertArrayEquals(
                new double[] {1 / Math.sqrt(2), 0.2 / Math.sqrt(2)}, loss.getExtraValues(), 1e-12);
        assertEquals(Palette.method("mixup"), loss.getLineColor());
        assertEquals(
                "Training loss (mean ± sd over 2 seeds)",
                ((XYChart) f.panels().get(0).chart()).getTitle());
        assertThrows(IllegalArgumentException.class, () -> LearningCurveChart.of(Map.of()));
    }
}

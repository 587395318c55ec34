package dev.oodlab.viz;

import dev.oodlab.report.MeanSd;
import dev.oodlab.train.EpochResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Learning curves: the training loss and the training accuracy per epoch, from the history a
 * training run records ({@link dev.oodlab.train.Fit#run} returns it; {@code
 * SmoothingTraining.Trained#history()} and the studies keep it). A long run ends with this chart
 * rather than with a log of its epochs.
 *
 * <p>Two panels side by side: the loss on an axis zoomed to its values, the accuracy in percent
 * (left out when the run did not measure it: NaN, as with {@code optTrainingAccuracy(false)}). One
 * line per run, in the run's {@link Palette} colour when it is named after a method. With several
 * runs per method (seeds), {@link #meanOverSeeds} draws the mean with ± one sd as error bars.
 */
public final class LearningCurveChart {

    /** The size of each panel. */
    static final int PANEL_WIDTH = 480;

    static final int PANEL_HEIGHT = 360;

    private LearningCurveChart() {}

    /**
     * The learning curves of one run.
     *
     * @param history the run's epochs, in order
     * @return the loss panel, and the accuracy panel if the run measured accuracy
     */
    public static Figure of(List<EpochResult> history) {
        Map<String, List<EpochResult>> one = new LinkedHashMap<>();
        one.put("training", history);
        return of(one);
    }

    /**
     * The learning curves of several runs on one pair of panels.
     *
     * @param runs per run name (a method's name gets its colour), the run's epochs in order
     * @return the loss panel, and the accuracy panel if any run measured accuracy
     */
    public static Figure of(Map<String, List<EpochResult>> runs) {
        Map<String, List<List<EpochResult>>> single = new LinkedHashMap<>();
        runs.forEach((name, history) -> single.put(name, List.of(history)));
        return draw(single, "");
    }

    /**
     * The mean learning curves of several runs (seeds) per method, with ± one sample sd as error
     * bars; epochs beyond the shortest run of a method are left out.
     *
     * @param runsByMethod per method, the histories of its seeds
     * @return the loss panel, and the accuracy panel if any run measured accuracy
     */
    public static Figure meanOverSeeds(Map<String, List<List<EpochResult>>> runsByMethod) {
        int seeds = 0;
        for (List<List<EpochResult>> r : runsByMethod.values()) {
            seeds = Math.max(seeds, r.size());
        }
        return draw(runsByMethod, seeds > 1 ? " (mean ± sd over " + seeds + " seeds)" : "");
    }

    private static Figure draw(Map<String, List<List<EpochResult>>> runs, String suffix) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs to draw");
        }
        List<LineChart.Series> loss = new ArrayList<>();
        List<LineChart.Series> accuracy = new ArrayList<>();
        for (Map.Entry<String, List<List<EpochResult>>> e : runs.entrySet()) {
            List<List<EpochResult>> seeds = e.getValue();
            int epochs = Integer.MAX_VALUE;
            for (List<EpochResult> h : seeds) {
                Objects.requireNonNull(h, "history of " + e.getKey());
                epochs = Math.min(epochs, h.size());
            }
            if (seeds.isEmpty() || epochs == 0) {
                throw new IllegalArgumentException("run '" + e.getKey() + "' has no epochs");
            }
            double[] x = new double[epochs];
            double[][] lossBySeed = new double[seeds.size()][epochs];
            double[][] accBySeed = new double[seeds.size()][epochs];
            boolean measured = false;
            for (int s = 0; s < seeds.size(); s++) {
                for (int k = 0; k < epochs; k++) {
                    EpochResult r = seeds.get(s).get(k);
                    x[k] = r.epoch() + 1;
                    lossBySeed[s][k] = r.loss();
                    accBySeed[s][k] = 100 * r.accuracy();
                    measured |= !Double.isNaN(r.accuracy());
                }
            }
            loss.add(series(e.getKey(), x, lossBySeed));
            if (measured) {
                accuracy.add(series(e.getKey(), x, accBySeed));
            }
        }
        ChartOptions panel = ChartOptions.defaults().withSize(PANEL_WIDTH, PANEL_HEIGHT);
        Figure lossPanel =
                LineChart.of(
                        loss,
                        panel.withTitle("Training loss" + suffix).withLabels("epoch", "loss"));
        if (accuracy.isEmpty()) {
            return lossPanel;
        }
        Figure accuracyPanel =
                LineChart.of(
                        accuracy,
                        panel.withTitle("Training accuracy" + suffix)
                                .withLabels("epoch", "accuracy (%)"));
        return Figure.grid(List.of(lossPanel, accuracyPanel), 2);
    }

    /** One line: the mean per epoch over the rows, with the sample sd when there are two rows. */
    private static LineChart.Series series(String name, double[] x, double[][] bySeed) {
        int n = bySeed.length;
        double[] mean = new double[x.length];
        double[] sd = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            double[] column = new double[n];
            for (int s = 0; s < n; s++) {
                column[s] = bySeed[s][k];
            }
            MeanSd m = MeanSd.of(column);
            mean[k] = m.mean();
            sd[k] = m.sd();
        }
        LineChart.Series line = new LineChart.Series(name, x, mean);
        return n > 1 ? line.withErrors(sd) : line;
    }
}

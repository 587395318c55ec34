package dev.oodlab.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oodlab.metrics.Calibration;
import dev.oodlab.metrics.Metrics;
import dev.oodlab.metrics.OodMetric;
import dev.oodlab.metrics.PositiveClass;
import dev.oodlab.report.ResultsTable;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every chart renders at the requested size, is not blank, and saves as PNG and SVG. */
class ChartsTest {

    @TempDir Path dir;

    private static final int W = ChartOptions.DEFAULT_WIDTH;
    private static final int H = ChartOptions.DEFAULT_HEIGHT;

    private static double[] gaussian(long seed, int n, double mean, double sd) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = mean + sd * random.nextGaussian();
        }
        return v;
    }

    private static double[] squashed(double[] v) {
        double[] p = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            p[i] = 1 / (1 + Math.exp(-v[i]));
        }
        return p;
    }

    @Test
    void rocChartDrawsEveryMethodInThePalette() {
        double[] in = gaussian(1, 500, 1.5, 1);
        Map<String, dev.oodlab.metrics.RocCurve> curves = new LinkedHashMap<>();
        curves.put("MSP", Metrics.of(in, gaussian(2, 400, 0, 1)).rocCurve());
        curves.put("ODIN", Metrics.of(in, gaussian(3, 400, -1, 1)).rocCurve());
        Figure roc = RocChart.of(curves);
        Images.assertDrawn(roc, W, H);
        assertTrue(Images.count(roc, Palette.method("msp")) > 50, "MSP in the baseline's colour");
        assertTrue(Images.count(roc, Palette.method("odin")) > 50, "ODIN in its own colour");
    }

    @Test
    void meanAndSdSeriesAveragesTheRunsPointByPoint() {
        LineChart.Series s =
                LineChart.Series.meanAndSd(
                        "SmoothMix",
                        new double[] {0, 1},
                        List.of(
                                new double[] {1.0, 0.5},
                                new double[] {0.8, 0.1},
                                new double[] {0.9, 0.3}));
        // point 0: mean 0.9, sd sqrt((0.01 + 0.01 + 0) / 2) = 0.1; point 1: mean 0.3, sd 0.2
        assertEquals(0.9, s.y()[0], 1e-12);
        assertEquals(0.1, s.errors()[0], 1e-12);
        assertEquals(0.3, s.y()[1], 1e-12);
        assertEquals(0.2, s.errors()[1], 1e-12);
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        LineChart.Series.meanAndSd(
                                "x", new double[] {0, 1}, List.of(new double[] {1})));
    }

    @Test
    void ecdfRisesByOneNthAtEachSortedValue() {
        LineChart.Series s =
                LineChart.Series.ecdf("n_A/n", new double[] {0.9, Double.NaN, 0.5, 1.0, 0.9});
        assertEquals(
                List.of(0.5, 0.5, 0.9, 0.9, 0.9, 0.9, 1.0, 1.0),
                java.util.Arrays.stream(s.x()).boxed().toList());
        assertEquals(
                List.of(0.0, 0.25, 0.25, 0.5, 0.5, 0.75, 0.75, 1.0),
                java.util.Arrays.stream(s.y()).boxed().toList());
        Images.assertDrawn(LineChart.of(List.of(s), ChartOptions.defaults()), W, H);
    }

    @Test
    void ecdfChartKeepsRoundTicksWhenTheSharesFormAFineGrid() {
        // 600 values: every step is a multiple of 1/600
        double[] v = gaussian(3, 600, 0.8, 0.1);
        Figure f =
                LineChart.ecdf(
                        List.of(LineChart.Series.ecdf("SmoothMix", v)), ChartOptions.defaults());
        Images.assertDrawn(f, W, H);
        int labels = Images.textRows(f, 25, 62, 30, H - 50);
        assertTrue(labels >= 4 && labels <= 12, labels + " y-axis tick labels");
    }

    @Test
    void scatterChartDrawsEachGroupInItsColour() {
        double[] x = gaussian(4, 200, 0, 1);
        Figure scatter =
                ScatterChart.of(
                        "scatter",
                        "radius",
                        "confidence",
                        List.of(
                                new LineChart.Series("a", x, gaussian(5, 200, 0, 1)),
                                new LineChart.Series("b", x, gaussian(6, 200, 3, 1))));
        Images.assertDrawn(scatter, W, H);
        assertTrue(Images.count(scatter, Palette.BLUE) > 200, "first group in Okabe-Ito blue");
        assertTrue(Images.count(scatter, Palette.VERMILLION) > 200, "second in vermillion");
    }

    @Test
    void rocChartKeepsRoundTicksWhenTheRatesFormAFineGrid() {
        // 2000 scores per set make every rate a multiple of 1/2000: XChart would then place its
        // ticks on multiples of that step (0.0335, 0.067, ...), about 30 labels per axis.
        Figure roc =
                RocChart.of(
                        Map.of(
                                "MSP",
                                Metrics.of(gaussian(1, 2000, 1, 1), gaussian(2, 2000, 0, 1))
                                        .rocCurve()));
        int labels = Images.textRows(roc, 25, 62, 30, H - 50); // right of the axis title
        assertTrue(labels >= 4 && labels <= 12, labels + " y-axis tick labels");
    }

    @Test
    void chartSizeFollowsTheOptions() {
        Metrics m = Metrics.of(gaussian(1, 50, 1, 1), gaussian(2, 50, 0, 1));
        Figure roc =
                RocChart.of(
                        Map.of("MSP", m.rocCurve()), ChartOptions.defaults().withSize(480, 360));
        Images.assertDrawn(roc, 480, 360);
        // so narrow that the legend goes right of the plot and would take over half the width:
        // the image grows by what the legend column takes beyond its share, the height stays
        Figure narrow =
                RocChart.of(
                        Map.of("MSP", m.rocCurve()), ChartOptions.defaults().withSize(320, 240));
        assertEquals(240, narrow.getHeight());
        assertTrue(narrow.getWidth() > 320 && narrow.getWidth() < 2 * 320, "" + narrow.getWidth());
    }

    @Test
    void precisionRecallChartDrawsBothPositiveClasses() {
        Metrics m = Metrics.of(gaussian(1, 300, 1, 1), gaussian(2, 300, 0, 1));
        Images.assertDrawn(
                PrecisionRecallChart.of(Map.of("MSP", m.precisionRecallCurve(PositiveClass.IN))),
                W,
                H);
        Images.assertDrawn(
                PrecisionRecallChart.of(Map.of("MSP", m.precisionRecallCurve(PositiveClass.OUT))),
                W,
                H);
    }

    @Test
    void precisionRecallChartRejectsMixedPositiveClasses() {
        Metrics m = Metrics.of(gaussian(1, 30, 1, 1), gaussian(2, 30, 0, 1));
        Map<String, dev.oodlab.metrics.PrecisionRecallCurve> curves = new LinkedHashMap<>();
        curves.put("in", m.precisionRecallCurve(PositiveClass.IN));
        curves.put("out", m.precisionRecallCurve(PositiveClass.OUT));
        assertThrows(IllegalArgumentException.class, () -> PrecisionRecallChart.of(curves));
    }

    @Test
    void overlaidConfidenceHistogramsDrawBothSets() {
        Map<String, double[]> sets = new LinkedHashMap<>();
        sets.put("Fashion-MNIST", squashed(gaussian(1, 2000, 3, 1)));
        sets.put("MNIST", squashed(gaussian(2, 2000, 1, 1)));
        Figure histogram = HistogramChart.confidences(sets, 30);
        Images.assertDrawn(histogram, W, H);
        assertTrue(Images.count(histogram, Palette.BLUE) > 20);
        assertTrue(Images.count(histogram, Palette.VERMILLION) > 20);
        Images.assertDrawn(HistogramChart.overlaid(sets, 20), W, H);
    }

    @Test
    void histogramPanelsPutThreeMethodsPerRow() {
        Map<String, Map<String, double[]>> byMethod = new LinkedHashMap<>();
        for (String method : List.of("CE", "Mixup", "Adv-Mixup", "M-TLAT")) {
            byMethod.put(
                    method, Map.of("in", gaussian(1, 300, 1, 1), "out", gaussian(2, 300, 0, 1)));
        }
        Figure panels = HistogramChart.panels(byMethod, 20);
        Images.assertDrawn(panels, 3 * W, 2 * H);
    }

    @Test
    void reliabilityDiagramRenders() {
        SplittableRandom random = new SplittableRandom(4);
        double[] confidence = new double[1000];
        boolean[] correct = new boolean[1000];
        for (int i = 0; i < confidence.length; i++) {
            confidence[i] = 0.5 + 0.5 * random.nextDouble();
            correct[i] = random.nextDouble() < confidence[i] - 0.1;
        }
        Images.assertDrawn(ReliabilityChart.of(Calibration.reliability(confidence, correct)), W, H);
    }

    @Test
    void groupedBarsFromAResultsTableWithErrorBars() {
        ResultsTable.Builder seeds = ResultsTable.builder();
        for (int seed = 0; seed < 3; seed++) {
            for (String set : List.of("MNIST", "uniform", "Gaussian")) {
                seeds.add(
                        "MSP",
                        set,
                        Metrics.evaluate(gaussian(seed, 200, 1, 1), gaussian(seed + 9, 200, 0, 1)));
                seeds.add(
                        "Mixup",
                        set,
                        Metrics.evaluate(gaussian(seed, 200, 2, 1), gaussian(seed + 9, 200, 0, 1)));
            }
        }
        ResultsTable mean = seeds.build().meanAndSd();
        Figure bars = GroupedBarChart.of(mean, OodMetric.AUROC);
        Images.assertDrawn(bars, W, H);
        assertTrue(Images.count(bars, Palette.BLUE) > 100, "MSP bars");
        assertTrue(Images.count(bars, Palette.method("mixup")) > 100, "Mixup bars");
    }

    @Test
    void groupedBarsFromPlainValues() {
        Map<String, Map<String, Double>> values = new LinkedHashMap<>();
        values.put("MSP", Map.of("MNIST", 91.0, "uniform", 99.0));
        values.put("ODIN", Map.of("MNIST", 93.0));
        Images.assertDrawn(GroupedBarChart.of(values, "AUROC (%)"), W, H);
    }

    @Test
    void lineChartRendersSeries() {
        double[] epochs = {1, 2, 3, 4, 5};
        Figure chart =
                LineChart.of(
                        "Training loss",
                        "epoch",
                        "loss",
                        List.of(
                                new LineChart.Series(
                                        "CE", epochs, new double[] {2, 1.2, 0.8, 0.6, 0.5}),
                                new LineChart.Series(
                                        "Mixup", epochs, new double[] {2.1, 1.5, 1.1, 0.9, 0.8})));
        Images.assertDrawn(chart, W, H);
    }

    @Test
    void logarithmicXAxisPlacesTheDecadesEvenly() {
        // y = log10(x) over four decades: a straight line on a log axis, a bent one on a linear
        // axis. The two renderings must differ, and the log one must be drawn.
        List<LineChart.Series> decades =
                List.of(
                        new LineChart.Series(
                                "log10",
                                new double[] {1, 10, 100, 1000, 10000},
                                new double[] {0, 1, 2, 3, 4}));
        Figure log = LineChart.logX(decades, ChartOptions.defaults());
        Figure linear = LineChart.of(decades, ChartOptions.defaults());
        Images.assertDrawn(log, W, H);
        long differing = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                if (log.getRGB(x, y) != linear.getRGB(x, y)) {
                    differing++;
                }
            }
        }
        assertTrue(differing > 1000, "log and linear axes drew nearly the same image");
    }

    @Test
    void logarithmicXAxisRejectsNonPositiveX() {
        List<LineChart.Series> bad =
                List.of(new LineChart.Series("sweep", new double[] {1, 0}, new double[] {1, 2}));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> LineChart.logX(bad, ChartOptions.defaults()));
        assertEquals(
                "series 'sweep' has x = 0.0 at index 1: a logarithmic axis needs x > 0",
                e.getMessage());
    }

    @Test
    void pngSaveWritesADecodableImage() throws IOException {
        Metrics m = Metrics.of(gaussian(1, 100, 1, 1), gaussian(2, 100, 0, 1));
        Figure roc = RocChart.of(Map.of("MSP", m.rocCurve()));
        Path png = dir.resolve("charts/roc.png");
        roc.savePng(png);
        BufferedImage read = ImageIO.read(png.toFile());
        assertNotNull(read, "ImageIO can decode the PNG");
        assertEquals(W, read.getWidth());
        assertEquals(H, read.getHeight());
        assertEquals(roc.getRGB(300, 200), read.getRGB(300, 200));
    }

    @Test
    void svgSaveWritesAVectorDocumentOfTheSameSize() throws IOException {
        Metrics m = Metrics.of(gaussian(1, 100, 1, 1), gaussian(2, 100, 0, 1));
        Path svg = dir.resolve("roc.svg");
        RocChart.of(Map.of("MSP", m.rocCurve())).saveSvg(svg);
        String text = Files.readString(svg);
        assertTrue(text.contains("<svg"), "an SVG document");
        assertTrue(
                text.contains("width=\"600") && text.contains("height=\"400"),
                text.substring(0, 400));
        assertTrue(text.contains("<path"), "lines are paths, not an embedded bitmap");
    }
}

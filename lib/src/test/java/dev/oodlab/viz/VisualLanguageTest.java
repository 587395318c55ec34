package dev.oodlab.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oodlab.metrics.Calibration;
import dev.oodlab.metrics.Metrics;
import dev.oodlab.metrics.OodMetric;
import dev.oodlab.metrics.PositiveClass;
import dev.oodlab.metrics.ReliabilityDiagram;
import dev.oodlab.metrics.RocCurve;
import dev.oodlab.report.ResultsTable;
import dev.oodlab.toy.Toy2dStudy;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.internal.chartpart.ChartPart;
import org.knowm.xchart.internal.chartpart.ChartParts;
import org.knowm.xchart.style.Styler;

/**
 * The series' visual language, one test per rule, checked on the chart objects that the factories
 * build (and, where the rule is about what is drawn, on the pixels): one colour per method and data
 * set, legends outside the plot and inside the image, undistorted 2-D maps, zoomed value axes with
 * error bars and whiskers cut at the axis, labels on bars too low to see, logarithmic and
 * row-shared histogram axes, reliability diagrams with bin counts and without empty bins, and
 * Unicode instead of ASCII stand-ins.
 */
class VisualLanguageTest {

    private static double[] gaussian(long seed, int n, double mean, double sd) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = mean + sd * random.nextGaussian();
        }
        return v;
    }

    private static XYChart xy(Figure f) {
        return (XYChart) f.chart();
    }

    private static CategoryChart category(Figure f) {
        return (CategoryChart) f.chart();
    }

    private static Map<String, RocCurve> rocCurves(List<String> methods) {
        Map<String, RocCurve> curves = new LinkedHashMap<>();
        int k = 0;
        for (String m : methods) {
            curves.put(
                    m,
                    Metrics.of(gaussian(k, 300, 1 + k * 0.2, 1), gaussian(99, 300, 0, 1))
                            .rocCurve());
            k++;
        }
        return curves;
    }

    /** The XY series drawn for a key (the legend label starts with it). */
    private static XYSeries seriesFor(XYChart chart, String key) {
        return chart.getSeriesMap().values().stream()
                .filter(s -> s.getName().startsWith(key))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no series for " + key));
    }

    // ---- one colour per method and per data set ------------------------------------------------

    @Test
    void everySpellingOfAMethodOrSetFindsTheSameColour() {
        Color am = Palette.method("adversarial-mixup");
        assertEquals(am, Palette.method("Adversarial-Mixup"));
        assertEquals(am, Palette.method("adversarial_mixup"));
        assertEquals(am, Palette.named("Adversarial-Mixup (AUROC 93.1%)").orElseThrow());
        assertEquals(Palette.method("m-tlat"), Palette.method("M-TLAT"));
        assertEquals(Palette.method("mtlat"), Palette.method("M-TLAT"));
        // The baseline is the cross-entropy model scored by MSP, under any of its names.
        assertEquals(Palette.method("ce"), Palette.method("MSP (baseline)"));
        assertEquals(Palette.method("ce"), Palette.method("Cross-entropy"));
        assertEquals(Palette.method("joint"), Palette.method("gan"));
        assertEquals(Palette.method("confidence"), Palette.method("confidence-loss"));
        assertEquals(Palette.oodSet("mnist"), Palette.oodSet("MNIST"));
        assertEquals(Palette.oodSet("uniform"), Palette.oodSet("uniform noise"));
        assertEquals(Palette.oodSet("gaussian"), Palette.oodSet("Gaussian noise"));
        assertEquals(Palette.oodSet("mnist"), Palette.named("OOD: mnist").orElseThrow());
        assertEquals(Palette.oodSet("fashion-mnist"), Palette.oodSet("Fashion-MNIST test"));
        assertEquals(
                Palette.oodSet("fashion-mnist"), Palette.named("in: fashion-mnist/test").get());
        // The bare "gaussian" in a chart is the noise set; the method is Gaussian augmentation.
        assertEquals(Palette.oodSet("gaussian"), Palette.named("Gaussian").orElseThrow());
        assertEquals(Palette.method("gaussian"), Palette.named("Gaussian augmentation").get());
        assertNotEquals(Palette.oodSet("gaussian"), Palette.method("gaussian"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Palette.method("boosting"));
        assertTrue(e.getMessage().startsWith("no colour for method 'boosting'"), e.getMessage());
    }

    @Test
    void methodsHaveDistinctColoursAndSoDoSets() {
        List<String> methods =
                List.of(
                        "ce",
                        "odin",
                        "energy",
                        "mahalanobis",
                        "mixup",
                        "adversarial-mixup",
                        "adversarial-mixup-uniform",
                        "mtlat",
                        "confidence",
                        "mixup-confidence",
                        "joint-confidence",
                        "gaussian",
                        "smoothmix",
                        "smoothmix-one-step",
                        "AM same·label",
                        "AM shuffled·uniform",
                        "AM same·uniform",
                        "AM shuffled·label, w = ½",
                        "logitnorm",
                        "outlier-exposure");
        Set<Color> colours = new HashSet<>();
        for (String m : methods) {
            assertTrue(colours.add(Palette.method(m)), m + " shares a colour");
        }
        List<String> sets =
                List.of(
                        "fashion-mnist",
                        "mnist",
                        "uniform",
                        "gaussian",
                        "fooling",
                        "svhn",
                        "tinyimagenet-crop",
                        "tinyimagenet-resize",
                        "lsun-crop",
                        "lsun-resize",
                        "isun",
                        "gaussian-0.25");
        colours.clear();
        for (String s : sets) {
            assertTrue(colours.add(Palette.oodSet(s)), s + " shares a colour");
        }
    }

    @Test
    void aMethodKeepsItsColourWhateverTheChartAndItsPosition() {
        Color am = Palette.method("adversarial-mixup");
        // First of two curves in a ROC chart, third of three bar series, alone on a line chart.
        Figure roc = RocChart.of(rocCurves(List.of("Adversarial-Mixup", "MSP (baseline)")));
        assertEquals(am, seriesFor(xy(roc), "Adversarial-Mixup").getLineColor());
        assertEquals(Palette.method("ce"), seriesFor(xy(roc), "MSP").getLineColor());
        Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
        bars.put("Mixup", Map.of("mnist", 80.0));
        bars.put("M-TLAT", Map.of("mnist", 82.0));
        bars.put("Adversarial-Mixup", Map.of("mnist", 85.0));
        CategoryChart barChart = category(GroupedBarChart.of(bars, "AUROC (%)"));
        assertEquals(am, barChart.getSeriesMap().get("Adversarial-Mixup").getFillColor());
        assertEquals(Palette.method("mixup"), barChart.getSeriesMap().get("Mixup").getFillColor());
        Figure line =
                LineChart.of(
                        "loss",
                        "epoch",
                        "loss",
                        List.of(
                                new LineChart.Series(
                                        "adversarial-mixup",
                                        new double[] {1, 2},
                                        new double[] {2, 1})));
        assertEquals(am, seriesFor(xy(line), "adversarial-mixup").getLineColor());
        assertTrue(Images.count(line, am) > 50, "the line is drawn in its colour");
        // An OOD set likewise, in a histogram and in a ROC chart of sets.
        Map<String, double[]> sets = new LinkedHashMap<>();
        sets.put("Fashion-MNIST test", gaussian(1, 200, 0.8, 0.1));
        sets.put("MNIST", gaussian(2, 200, 0.5, 0.1));
        XYChart histogram = xy(HistogramChart.overlaid(sets, 10));
        assertEquals(Palette.oodSet("mnist"), histogram.getSeriesMap().get("MNIST").getLineColor());
        XYChart setRoc = xy(RocChart.of(rocCurves(List.of("Uniform", "MNIST"))));
        assertEquals(Palette.oodSet("mnist"), seriesFor(setRoc, "MNIST").getLineColor());
    }

    @Test
    void unnamedSeriesTakeColoursTheNamedOnesLeftFree() {
        Figure chart =
                LineChart.of(
                        "certified accuracy",
                        "radius",
                        "accuracy",
                        List.of(
                                new LineChart.Series(
                                        "SmoothMix", new double[] {0, 1}, new double[] {1, 0}),
                                new LineChart.Series(
                                        "sigma = 0.25", new double[] {0, 1}, new double[] {1, 0.5}),
                                new LineChart.Series(
                                        "sigma = 0.5",
                                        new double[] {0, 1},
                                        new double[] {1, 0.7})));
        Set<Color> used = new HashSet<>();
        for (XYSeries s : xy(chart).getSeriesMap().values()) {
            assertTrue(used.add(s.getLineColor()), s.getName() + " repeats a colour");
        }
        assertEquals(Palette.method("smoothmix"), seriesFor(xy(chart), "SmoothMix").getLineColor());
        assertEquals(Palette.BLUE, seriesFor(xy(chart), "sigma = 0.25").getLineColor());
    }

    // ---- legends outside the plot, inside the image --------------------------------------------

    private static void assertLegendOutsideAndWhole(Figure f) {
        Chart<?, ?> chart = f.chart();
        assertNotNull(chart, "an XChart figure");
        Styler.LegendPosition position = chart.getStyler().getLegendPosition();
        assertTrue(
                position == Styler.LegendPosition.OutsideE
                        || position == Styler.LegendPosition.OutsideS,
                "legend at " + position);
        Rectangle2D legend = ChartParts.legend(chart);
        Rectangle2D plot = ChartParts.plot(chart);
        assertTrue(
                legend.getMinX() >= 0
                        && legend.getMaxX() <= f.getWidth()
                        && legend.getMinY() >= 0
                        && legend.getMaxY() <= f.getHeight(),
                "legend "
                        + legend
                        + " cut off by the "
                        + f.getWidth()
                        + "x"
                        + f.getHeight()
                        + " image");
        assertFalse(legend.intersects(plot), "legend " + legend + " over the plot " + plot);
    }

    @Test
    void legendsSitOutsideThePlotAndWhollyInsideTheImage() {
        List<String> rows =
                List.of(
                        "MSP (baseline)",
                        "ODIN",
                        "Mixup",
                        "M-TLAT",
                        "Adversarial-Mixup",
                        "Energy",
                        "Mahalanobis");
        assertLegendOutsideAndWhole(RocChart.of(rocCurves(rows))); // seven long entries: a column
        assertLegendOutsideAndWhole(RocChart.of(rocCurves(List.of("MSP", "ODIN")))); // a row
        Metrics m = Metrics.of(gaussian(1, 100, 1, 1), gaussian(2, 100, 0, 1));
        assertLegendOutsideAndWhole(
                PrecisionRecallChart.of(Map.of("MSP", m.precisionRecallCurve(PositiveClass.IN))));
        Map<String, double[]> sets = new LinkedHashMap<>();
        sets.put("Fashion-MNIST", gaussian(1, 100, 0, 1));
        sets.put("MNIST", gaussian(2, 100, 1, 1));
        assertLegendOutsideAndWhole(HistogramChart.overlaid(sets, 10));
        Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
        for (String r : rows) {
            bars.put(r, Map.of("mnist", 60.0 + r.length(), "uniform", 90.0, "gaussian", 70.0));
        }
        assertLegendOutsideAndWhole(GroupedBarChart.of(bars, "AUROC (%)"));
        assertLegendOutsideAndWhole(reliability());
        List<LineChart.Series> classes = new ArrayList<>();
        for (String c :
                List.of(
                        "T-shirt/top",
                        "Trouser",
                        "Pullover",
                        "Dress",
                        "Coat",
                        "Sandal",
                        "Shirt",
                        "Sneaker",
                        "Bag",
                        "Ankle boot")) {
            classes.add(
                    new LineChart.Series(c, new double[] {0, 1, 2}, new double[] {0.1, 0.5, 0.9}));
        }
        assertLegendOutsideAndWhole(LineChart.of("fooling", "generation", "confidence", classes));
        assertLegendOutsideAndWhole(ScatterChart.of("s", "x", "y", classes.subList(0, 3)));
    }

    @Test
    void probabilitiesNearOneGetALogOfOneMinusPAxisLabelledWithP() {
        double[] gens = {0, 1, 2, 3};
        double[] best = {0.5, 0.9, 0.999, 1.0}; // 1.0: a saturated float softmax
        Figure f =
                LineChart.logOneMinusY(
                        List.of(new LineChart.Series("Shirt", gens, best)),
                        ChartOptions.defaults().withLabels("generation", "best confidence"));
        XYChart chart = xy(f);
        double[] drawn = chart.getSeriesMap().get("Shirt").getYData();
        // y = −log10(1 − p), computed here by hand: 0.5 → log10 2, 0.9 → 1, 0.999 → 3, 1 → 7
        assertEquals(Math.log10(2), drawn[0], 1e-9);
        assertEquals(1.0, drawn[1], 1e-9);
        assertEquals(3.0, drawn[2], 1e-9);
        assertEquals(7.0, drawn[3], 1e-9); // the floor 1 − p = 1e-7, finite
        assertEquals(0.0, chart.getStyler().getYAxisMin(), 0.0);
        assertEquals(7.0, chart.getStyler().getYAxisMax(), 0.0);
        var label = chart.getStyler().getyAxisTickLabelsFormattingFunction();
        assertEquals("0", label.apply(0.0));
        assertEquals("0.9", label.apply(1.0));
        assertEquals("0.99", label.apply(2.0));
        assertEquals("0.999", label.apply(3.0));
        assertEquals("0.999999", label.apply(6.0));
        assertEquals("1 − 10⁻⁷", label.apply(7.0));
        assertEquals("", label.apply(1.5)); // between decades: no label
        assertEquals(Palette.series(0), chart.getSeriesMap().get("Shirt").getLineColor());
        assertLegendOutsideAndWhole(f);
        // only probabilities, and no error bars
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                LineChart.logOneMinusY(
                                        List.of(
                                                new LineChart.Series(
                                                        "bad", gens, new double[] {0, 1, 1.2, 1})),
                                        ChartOptions.defaults()));
        assertTrue(e.getMessage().contains("'bad'") && e.getMessage().contains("1.2"));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        LineChart.logOneMinusY(
                                List.of(
                                        new LineChart.Series("sd", gens, best)
                                                .withErrors(new double[4])),
                                ChartOptions.defaults()));
        // all near 1: the axis starts at the lowest decade below the data, not at 0
        Figure high =
                LineChart.logOneMinusY(
                        List.of(
                                new LineChart.Series(
                                        "x", gens, new double[] {0.995, 0.999, 0.9999, 0.9999})),
                        ChartOptions.defaults());
        assertEquals(2.0, xy(high).getStyler().getYAxisMin(), 0.0);
        assertEquals(4.0, xy(high).getStyler().getYAxisMax(), 1e-9);
    }

    @Test
    void aLongLegendWidensTheImageInsteadOfSqueezingThePlot() {
        // the readings ablation of notebook 04: eight bars per group, long legend entries
        List<String> readings =
                List.of(
                        "MSP (baseline)",
                        "Mixup",
                        "Adversarial-Mixup",
                        "AM same·label",
                        "AM shuffled·uniform",
                        "AM same·uniform",
                        "AM shuffled·label, w = ½",
                        "Adversarial-Mixup-uniform (same·uniform, w = ½)");
        Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
        for (String r : readings) {
            bars.put(r, Map.of("mnist", 60.0 + r.length(), "uniform", 90.0, "gaussian", 70.0));
        }
        Figure f = GroupedBarChart.of(bars, ChartOptions.defaults().withTitle("AUROC (%)"));
        assertLegendOutsideAndWhole(f);
        assertEquals(Styler.LegendPosition.OutsideE, f.chart().getStyler().getLegendPosition());
        Rectangle2D plot = ChartParts.plot(f.chart());
        // the plot keeps what it would have with a short legend: most of the width asked for
        assertTrue(
                plot.getWidth() >= 0.6 * ChartOptions.DEFAULT_WIDTH,
                "plot squeezed to " + plot.getWidth() + " of " + f.getWidth());
        assertTrue(f.getWidth() > ChartOptions.DEFAULT_WIDTH, "the image grew: " + f.getWidth());
        Rectangle2D legend = ChartParts.legend(f.chart());
        for (String r : readings) { // every entry in the legend's column, none cut at the edge
            assertTrue(legend.getMaxX() <= f.getWidth(), r);
        }
        // a short legend below the plot leaves the size as asked
        Figure small = GroupedBarChart.of(Map.of("MSP", Map.of("mnist", 60.0)), "AUROC (%)");
        assertEquals(ChartOptions.DEFAULT_WIDTH, small.getWidth());
        assertEquals(ChartOptions.DEFAULT_HEIGHT, small.getHeight());
    }

    // ---- 2-D maps with equal aspect ratio ------------------------------------------------------

    /**
     * The bounding box of the rows and columns holding at least 50 pixels of one colour: a filled
     * area, not the odd anti-aliased text pixel of that colour.
     */
    private static Rectangle box(Figure f, Color colour) {
        int[] perRow = new int[f.getHeight()];
        int[] perColumn = new int[f.getWidth()];
        for (int y = 0; y < f.getHeight(); y++) {
            for (int x = 0; x < f.getWidth(); x++) {
                if ((f.getRGB(x, y) & 0xFFFFFF) == (colour.getRGB() & 0xFFFFFF)) {
                    perRow[y]++;
                    perColumn[x]++;
                }
            }
        }
        int y0 = first(perRow), y1 = last(perRow), x0 = first(perColumn), x1 = last(perColumn);
        assertTrue(x0 >= 0 && y0 >= 0, "colour not drawn");
        return new Rectangle(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    private static int first(int[] counts) {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] >= 50) {
                return i;
            }
        }
        return -1;
    }

    private static int last(int[] counts) {
        for (int i = counts.length - 1; i >= 0; i--) {
            if (counts[i] >= 50) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void twoDimensionalMapsDrawOneUnitOfXAsLongAsOneOfY() {
        // An all-NaN map paints its cells light grey, a colour nothing else in the figure has.
        Color nan = Palette.viridis(Double.NaN);
        double[][] blank = new double[40][40];
        Arrays.stream(blank).forEach(row -> Arrays.fill(row, Double.NaN));
        Rectangle toy =
                box(
                        Toy2dStudy.heatMap(blank, "max softmax over [-10, 10]^2", null, null, null),
                        nan);
        assertEquals(toy.width, toy.height, 1.0, "the toy plane's square drawn as " + toy);
        double[][] wide = new double[10][40];
        Arrays.stream(wide).forEach(row -> Arrays.fill(row, Double.NaN));
        Figure equal =
                HeatMap.builder()
                        .setValues(wide)
                        .optXRange(-10, 10)
                        .optYRange(-2.5, 2.5)
                        .optEqualAspect(true)
                        .optSize(600, 600)
                        .build();
        Rectangle r = box(equal, nan);
        assertEquals(4.0, (double) r.width / r.height, 0.05, "20 by 5 units drawn as " + r);
        Figure free =
                HeatMap.builder()
                        .setValues(wide)
                        .optXRange(-10, 10)
                        .optYRange(-2.5, 2.5)
                        .optSize(600, 600)
                        .build();
        Rectangle f = box(free, nan);
        assertTrue(
                (double) f.width / f.height < 2,
                "without the option the plot fills the space: " + f);
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        HeatMap.builder()
                                .setValues(wide)
                                .optXLabels(new String[40])
                                .optEqualAspect(true)
                                .build());
    }

    // ---- value axes zoomed to the data, error bars for means over seeds ------------------------

    @Test
    void barAxesZoomToTheDataButKeepEveryBar() {
        // Accuracies of 88 to 91 % (± 0.5): [87.5, 91.5] widened by a tenth of its span each side,
        // [87.1, 91.9], then to round ticks of 1: [87, 92].
        assertArrayEquals(
                new double[] {87, 92},
                GroupedBarChart.valueRange(List.of(88.0, 90.0, 91.0), List.of(0.5, 0.5, 0.5), 100),
                1e-9);
        // FPRs from 5 to 95 % reach down to a quarter of their top: the axis starts at 0.
        assertEquals(
                0,
                GroupedBarChart.valueRange(List.of(5.0, 50.0, 95.0), List.of(0.0, 0.0, 0.0), 100)[
                        0]);
        // Percentages never go above 100, even with a whisker past it.
        assertEquals(
                100, GroupedBarChart.valueRange(List.of(97.0, 99.0), List.of(0.0, 5.0), 100)[1]);
        Map<String, Map<String, Double>> values = new LinkedHashMap<>();
        values.put("Cross-entropy", Map.of("test accuracy", 90.1));
        values.put("Mixup", Map.of("test accuracy", 89.2));
        CategoryChart chart =
                category(GroupedBarChart.percent(values, null, ChartOptions.defaults()));
        assertTrue(
                chart.getStyler().getYAxisMin() > 80,
                "axis from " + chart.getStyler().getYAxisMin());
        assertTrue(
                chart.getStyler().getYAxisMin() <= 89.2 && chart.getStyler().getYAxisMax() >= 90.1);
    }

    @Test
    void meansOverSeedsCarryErrorBarsAndASingleSeedNone() {
        ResultsTable.Builder seeds = ResultsTable.builder();
        for (int seed = 0; seed < 3; seed++) {
            seeds.add(
                    "MSP",
                    "mnist",
                    Metrics.evaluate(gaussian(seed, 200, 1, 1), gaussian(seed + 9, 200, 0, 1)));
        }
        ResultsTable mean = seeds.build().meanAndSd();
        CategorySeries bar =
                category(GroupedBarChart.of(mean, OodMetric.AUROC)).getSeriesMap().get("MSP");
        double sd =
                mean.table()
                        .doubleColumn(OodMetric.AUROC.label() + ResultsTable.SD_SUFFIX)
                        .getDouble(0);
        assertTrue(sd > 0);
        assertNotNull(bar.getExtraValues(), "error bars for a mean over seeds");
        assertEquals(100 * sd, bar.getExtraValues().iterator().next().doubleValue(), 1e-9);
        ResultsTable one =
                ResultsTable.builder()
                        .add(
                                "MSP",
                                "mnist",
                                Metrics.evaluate(gaussian(1, 50, 1, 1), gaussian(2, 50, 0, 1)))
                        .build()
                        .meanAndSd();
        assertNull(
                category(GroupedBarChart.of(one, OodMetric.AUROC))
                        .getSeriesMap()
                        .get("MSP")
                        .getExtraValues(),
                "one seed: no sd, no error bar");
    }

    @Test
    void whiskersAreCutAtTheAxisRange() {
        // 99 ± 5 %: the whisker would reach 104; the axis stops at 100 and so does the whisker.
        Map<String, Map<String, Double>> values = Map.of("MSP", Map.of("uniform", 99.0));
        Map<String, Map<String, Double>> errors = Map.of("MSP", Map.of("uniform", 5.0));
        Figure f = GroupedBarChart.percent(values, errors, ChartOptions.defaults().withTitle(""));
        CategoryChart chart = category(f);
        assertEquals(100, chart.getStyler().getYAxisMax());
        Rectangle2D plot = ChartParts.plot(chart);
        // XChart clips to the plot area, whose top edge is the axis maximum but for a margin of
        // half a percent of the plot's height.
        assertEquals(
                plot.getMinY(), chart.getScreenYFromChart(100), 0.005 * plot.getHeight() + 0.5);
        int black = 0;
        for (int y = 0; y < (int) plot.getMinY() - 1; y++) {
            for (int x = (int) plot.getMinX() + 2; x < (int) plot.getMaxX() - 2; x++) {
                if ((f.getRGB(x, y) & 0xFFFFFF) == 0) {
                    black++;
                }
            }
        }
        assertEquals(0, black, "error bar drawn above the axis");
    }

    // ---- bars too low to see are labelled ------------------------------------------------------

    @Test
    void aBarTooLowToSeeIsLabelledWithItsValue() {
        Map<String, Map<String, Double>> fpr = new LinkedHashMap<>();
        Map<String, Double> msp = new LinkedHashMap<>();
        msp.put("mnist", 40.0);
        msp.put("uniform", 30.0);
        Map<String, Double> am = new LinkedHashMap<>();
        am.put("mnist", 20.0);
        am.put("uniform", 0.0); // the best FPR on uniform noise, a bar of height 0
        fpr.put("MSP (baseline)", msp);
        fpr.put("Adversarial-Mixup", am);
        CategoryChart chart = category(GroupedBarChart.of(fpr, "FPR@95TPR (%)"));
        List<ChartPart> labels = ChartParts.annotations(chart);
        assertEquals(1, labels.size(), "one label, for the zero bar only");
        ValueLabel label = (ValueLabel) labels.get(0);
        assertEquals("0.0", label.text());
        // Category 1 (uniform), series 1 of 2: the right half of the second group.
        double fill = chart.getStyler().getAvailableSpaceFill();
        assertEquals(1 + (1 - fill) / 2 + 1.5 * fill / 2, label.x(), 1e-9);
        assertTrue(label.y() > chart.getStyler().getYAxisMin(), "above the axis floor");
    }

    // ---- histograms: logarithmic counts, one y axis per panel row ------------------------------

    @Test
    void histogramsCanCountOnALogarithmicAxisWithoutDrawingEmptyBins() {
        double[] values = {
            0.05, 0.06, 0.07, 0.95
        }; // bins [0, 0.5) and [0.5, 1]: 3 and 1; none empty
        double[] sparse = {0.05, 0.95, 0.96}; // with 4 bins: 1, 0, 0, 2
        Figure f =
                HistogramChart.overlaid(
                        Map.of("MNIST", sparse),
                        4,
                        0,
                        1,
                        ChartOptions.defaults(),
                        HistogramChart.Scale.LOG_COUNT);
        XYChart chart = xy(f);
        assertTrue(chart.getStyler().isYAxisLogarithmic());
        assertEquals(
                XYSeries.XYSeriesRenderStyle.Step,
                chart.getSeriesMap().get("MNIST").getXYSeriesRenderStyle(),
                "outlines: an area would be filled down to 1, over the empty bins");
        assertTrue(chart.getYAxisTitle().contains("log"), chart.getYAxisTitle());
        double[] y = chart.getSeriesMap().get("MNIST").getYData();
        assertArrayEquals(
                new double[] {1, HistogramChart.EMPTY_BIN_LOG, HistogramChart.EMPTY_BIN_LOG, 2, 2},
                y);
        assertEquals(
                HistogramChart.EMPTY_BIN_LOG,
                chart.getStyler().getYAxisMin(),
                "empty bins sit on the floor");
        XYChart shares =
                xy(
                        HistogramChart.overlaid(
                                Map.of("MNIST", values), 2, 0, 1, ChartOptions.defaults()));
        assertFalse(shares.getStyler().isYAxisLogarithmic());
        assertArrayEquals(
                new double[] {0.75, 0.25, 0.25},
                shares.getSeriesMap().get("MNIST").getYData(),
                1e-12);
    }

    @Test
    void histogramPanelsShareTheirYAxisWithinARow() {
        Map<String, Map<String, double[]>> byMethod = new LinkedHashMap<>();
        byMethod.put("peaked", Map.of("in", new double[] {0.55, 0.56, 0.57, 0.58})); // share 1
        byMethod.put("flat", Map.of("in", new double[] {0.05, 0.35, 0.65, 0.95})); // 0.25
        byMethod.put("half", Map.of("in", new double[] {0.05, 0.06, 0.65, 0.95})); // 0.5
        byMethod.put("next row", Map.of("in", new double[] {0.05, 0.35, 0.65, 0.95}));
        Figure grid = HistogramChart.panels(byMethod, 4, 0, 1, ChartOptions.defaults());
        List<Figure> panels = grid.panels();
        assertEquals(4, panels.size());
        double rowOne = ChartStyle.roundRange(0, 1.0)[1];
        for (int p = 0; p < 3; p++) {
            assertEquals(
                    rowOne,
                    xy(panels.get(p)).getStyler().getYAxisMax(),
                    1e-12,
                    "row 1, panel " + p);
        }
        double rowTwo = xy(panels.get(3)).getStyler().getYAxisMax();
        assertEquals(ChartStyle.roundRange(0, 0.25)[1], rowTwo, 1e-12, "row 2 has its own axis");
        assertTrue(rowTwo < rowOne);
    }

    // ---- reliability diagrams: counts per bin, empty bins not drawn ----------------------------

    private static Figure reliability() {
        // Ten bins over [0, 1]; inputs only in bins 5, 6 and 9: bins 7 and 8 are empty.
        double[] confidence = {0.55, 0.56, 0.58, 0.65, 0.66, 0.95, 0.96, 0.97, 0.98, 0.99};
        boolean[] correct = {true, false, true, true, true, true, true, true, false, true};
        return ReliabilityChart.of(Calibration.reliability(confidence, correct, 10));
    }

    @Test
    void reliabilityDiagramsPrintBinCountsAndDrawNoBarForAnEmptyBin() {
        XYChart chart = xy(reliability());
        ReliabilityDiagram d =
                Calibration.reliability(
                        new double[] {0.55, 0.56, 0.58, 0.65, 0.66, 0.95, 0.96, 0.97, 0.98, 0.99},
                        new boolean[] {
                            true, false, true, true, true, true, true, true, false, true
                        },
                        10);
        assertEquals(3, d.counts()[5]);
        // No accuracy bar covers the empty bins (0.7, 0.9): every bar series steps over non-empty
        // bins only, and none has a point at accuracy 0.
        for (XYSeries s : chart.getSeriesMap().values()) {
            if (!s.getName().startsWith("accuracy")) {
                continue;
            }
            for (int i = 0; i < s.getXData().length - 1; i++) {
                double mid = (s.getXData()[i] + s.getXData()[i + 1]) / 2;
                assertFalse(mid > 0.7 && mid < 0.9, s.getName() + " draws a bar at " + mid);
                assertTrue(s.getYData()[i] > 0, s.getName() + " draws accuracy 0 at " + mid);
            }
        }
        List<String> counts = new ArrayList<>();
        for (ChartPart p : ChartParts.annotations(chart)) {
            counts.add(((ValueLabel) p).text());
        }
        assertEquals(List.of("3", "2", "5"), counts, "one count per non-empty bin");
        assertEquals("4.1k", ReliabilityChart.countText(4123));
        assertEquals("12k", ReliabilityChart.countText(12_345));
    }

    // ---- Unicode, not ASCII stand-ins ----------------------------------------------------------

    private static final Pattern STAND_IN =
            Pattern.compile(
                    "\\b(sigma|alpha|eps|epsilon|lambda|PhiInv)\\b|\\^2|>=|<=",
                    Pattern.CASE_INSENSITIVE);

    @Test
    void titlesLabelsAndLegendsUseUnicodeForTheirSymbols() {
        assertEquals(
                "σ = 0.25: R = σ · Φ⁻¹(pA), x², ε ≥ 0.1, Beta(α, α), λ ≤ 1, ±1",
                ChartStyle.typeset(
                        "sigma = 0.25: R = sigma · PhiInv(pA), x^2, eps >= 0.1, Beta(alpha, alpha), lambda <= 1, +-1"));
        assertEquals(
                "Φ⁻¹(0.99) over [−10, 10]²", ChartStyle.typeset("Phi^-1(0.99) over [−10, 10]^2"));
        assertEquals(
                "sigmoid, epsilonic, alphabet", ChartStyle.typeset("sigmoid, epsilonic, alphabet"));
        Figure f =
                LineChart.of(
                        List.of(
                                new LineChart.Series(
                                        "sigma = 0.5", new double[] {0, 1}, new double[] {0, 1})),
                        ChartOptions.defaults()
                                .withTitle("Certified radius R = sigma * PhiInv(pA)")
                                .withLabels("p_A >= 0.5", "R"));
        XYChart chart = xy(f);
        assertEquals("Certified radius R = σ * Φ⁻¹(pA)", chart.getTitle());
        assertEquals("p_A ≥ 0.5", chart.getXAxisTitle());
        assertTrue(
                chart.getSeriesMap().values().stream()
                        .anyMatch(s -> s.getLabel().equals("σ = 0.5")));
    }

    @Test
    void theLibrarysOwnTitlesAndLabelsHaveNoAsciiStandIns() {
        Metrics m = Metrics.of(gaussian(1, 100, 1, 1), gaussian(2, 100, 0, 1));
        Map<String, double[]> sets = Map.of("Fashion-MNIST", gaussian(1, 100, 0.5, 0.1));
        List<Figure> defaults =
                List.of(
                        RocChart.of(Map.of("MSP", m.rocCurve())),
                        PrecisionRecallChart.of(
                                Map.of("MSP", m.precisionRecallCurve(PositiveClass.OUT))),
                        HistogramChart.overlaid(sets, 10),
                        HistogramChart.overlaid(
                                sets,
                                10,
                                0,
                                1,
                                ChartOptions.defaults(),
                                HistogramChart.Scale.LOG_COUNT),
                        reliability(),
                        GroupedBarChart.of(Map.of("MSP", Map.of("mnist", 50.0)), "AUROC (%)"));
        for (Figure f : defaults) {
            Chart<?, ?> c = f.chart();
            for (String text : List.of(c.getTitle(), c.getXAxisTitle(), c.getYAxisTitle())) {
                assertFalse(STAND_IN.matcher(text).find(), "ASCII stand-in in '" + text + "'");
            }
        }
    }
}

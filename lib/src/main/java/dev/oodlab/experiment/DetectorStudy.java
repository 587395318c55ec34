package dev.oodlab.experiment;

import dev.oodlab.OodLab;
import dev.oodlab.data.ImageSet;
import dev.oodlab.fooling.FoolingSearch;
import dev.oodlab.fooling.ProbabilityModel;
import dev.oodlab.metrics.OodMetric;
import dev.oodlab.metrics.OodMetrics;
import dev.oodlab.nn.Network;
import dev.oodlab.report.MeanSd;
import dev.oodlab.report.PairedComparison;
import dev.oodlab.report.ResultsTable;
import dev.oodlab.train.EpochResult;
import dev.oodlab.train.ProgressBar;
import dev.oodlab.viz.Figure;
import dev.oodlab.viz.HeatMap;
import dev.oodlab.viz.LearningCurveChart;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Every post-hoc detector on models trained with several methods over several seeds: notebook 06's
 * experiment. Per seed, each training method trains one model ({@link Experiment}, so the {@link
 * RunCache} serves repeated runs); optionally fooling images (Nguyen, Yosinski &amp; Clune, CVPR
 * 2015) are evolved against that seed's first model and added as an OOD set; then every detector
 * scores the test set and every OOD set on every model. The result holds the metrics of each
 * (method, detector, OOD set, seed) and turns them into the heat map, the rank table with paired
 * per-seed verdicts, the family table and the learning curves.
 *
 * <pre>{@code
 * DetectorStudy.Result r = DetectorStudy.builder()
 *         .optMethods(List.of("ce", "logitnorm", "outlier-exposure"))
 *         .optSeeds(List.of(1L, 2L, 3L)).optEpochs(3).optSubset(20_000)
 *         .optFoolingGenerations(40)
 *         .build().run();
 * Figure map = r.heatMap("ce", OodMetric.AUROC);
 * Table ranks = r.ranking("ce", OodMetric.AUROC, "msp");
 * }</pre>
 */
public final class DetectorStudy {

    /** The name of the OOD set of evolved fooling images. */
    public static final String FOOLING = "fooling";

    /** The detector families of notebook 06, in the order of its tables. */
    public static final List<String> FAMILIES =
            List.of("output", "feature", "activation shaping", "gradient");

    private static final Map<String, String> FAMILY_OF = new LinkedHashMap<>();

    static {
        for (String d : List.of("msp", "maxlogit", "energy", "gen", "kl-matching", "odin")) {
            FAMILY_OF.put(d, "output");
        }
        for (String d : List.of("mahalanobis", "rmd", "knn", "vim")) {
            FAMILY_OF.put(d, "feature");
        }
        for (String d : List.of("react", "ash-p", "ash-b", "ash-s", "scale", "dice")) {
            FAMILY_OF.put(d, "activation shaping");
        }
        FAMILY_OF.put("gradnorm", "gradient");
    }

    /**
     * Every detector of {@link Detectors#NAMES}, grouped by family (output, feature, activation
     * shaping, gradient): the default order of the study's tables and heat maps.
     */
    public static final List<String> BY_FAMILY = List.copyOf(FAMILY_OF.keySet());

    private final List<String> methods;
    private final List<Long> seeds;
    private final List<String> detectors;
    private final int epochs;
    private final int subset;
    private final int testSubset;
    private final int oodCount;
    private final int foolingGenerations;
    private final PrintStream log;
    private final ProgressBar.Mode progress;

    private DetectorStudy(Builder b) {
        this.methods = List.copyOf(b.methods);
        this.seeds = List.copyOf(b.seeds);
        this.detectors = List.copyOf(b.detectors);
        this.epochs = b.epochs;
        this.subset = b.subset;
        this.testSubset = b.testSubset;
        this.oodCount = b.oodCount;
        this.foolingGenerations = b.foolingGenerations;
        this.log = b.log;
        this.progress = b.progress;
    }

    /**
     * The family of a detector: {@code output} (a function of the logits), {@code feature} (a
     * density or distance in the penultimate features), {@code activation shaping} (energy after
     * the features are clipped, pruned or rescaled) or {@code gradient}.
     *
     * @param detector a detector name of {@link Detectors#NAMES}
     * @return its family, one of {@link #FAMILIES}
     * @throws IllegalArgumentException for a name without a family
     */
    public static String family(String detector) {
        String f = FAMILY_OF.get(detector.toLowerCase(Locale.ROOT));
        if (f == null) {
            throw new IllegalArgumentException(
                    "no family for detector '" + detector + "'; known: " + FAMILY_OF.keySet());
        }
        return f;
    }

    /**
     * The row label of a (training method, detector) pair in the per-seed tables.
     *
     * @param method the training method
     * @param detector the detector
     * @return {@code "method · detector"}
     */
    public static String row(String method, String detector) {
        return method + " · " + detector;
    }

    /**
     * Evolves fooling images against a network: one MAP-Elites search with the direct encoding and
     * one with the CPPN encoding ({@link FoolingSearch}), 200 children per generation, and the best
     * image per class of each: 2 × K images, unlabelled, named {@value #FOOLING}.
     *
     * @param network a trained classifier of 1 × 28 × 28 images
     * @param generations generations after the random first one
     * @param seed the seed of both searches
     * @return the images
     */
    public static ImageSet foolingImages(Network network, int generations, long seed) {
        int h = (int) network.inputShape().get(1);
        int w = (int) network.inputShape().get(2);
        int k = network.numClasses();
        ProbabilityModel model = ProbabilityModel.of(network.block(), 1, h, w);
        ImageSet direct =
                FoolingSearch.direct(model, k, h, w)
                        .generations(generations)
                        .seed(seed)
                        .run()
                        .images(h, w);
        ImageSet cppn =
                FoolingSearch.cppn(model, k, h, w)
                        .generations(generations)
                        .seed(seed)
                        .run()
                        .images(h, w);
        return ImageSet.concat(FOOLING, direct, cppn);
    }

    /** A builder; the defaults are notebook 06's full run. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains, evolves and scores.
     *
     * @return the metrics of every method, detector, OOD set and seed
     */
    public Result run() {
        OodLab.init();
        List<Measurement> out = new ArrayList<>();
        Map<String, List<List<EpochResult>>> curves = new LinkedHashMap<>();
        List<String> sets = new ArrayList<>();
        Map<Long, ImageSet> foolingBySeed = new LinkedHashMap<>();
        Map<Long, double[]> foolingMsp = new LinkedHashMap<>();
        for (long seed : seeds) {
            ImageSet fooling = null;
            for (String method : methods) {
                try (Experiment.Run run = experiment(method, seed).run()) {
                    curves.computeIfAbsent(method, k -> new ArrayList<>())
                            .add(RunHistory.epochs(run.history()));
                    Map<String, ImageSet> ood = new LinkedHashMap<>(run.oodSets());
                    if (foolingGenerations > 0) {
                        if (fooling == null) {
                            say(
                                    "seed %d: evolving fooling images against the %s model",
                                    seed, method);
                            fooling = foolingImages(run.network(), foolingGenerations, seed);
                            foolingBySeed.put(seed, fooling);
                        }
                        ood.put(FOOLING, fooling);
                    }
                    if (sets.isEmpty()) {
                        sets.addAll(ood.keySet());
                    }
                    OodEvaluation.Confidences confidences =
                            OodEvaluation.Confidences.of(run.network(), run.testSet(), ood);
                    if (fooling != null && !foolingMsp.containsKey(seed)) {
                        foolingMsp.put(seed, confidences.out().get(FOOLING));
                    }
                    for (String detector : detectors) {
                        say("seed %d, %s: scoring with %s", seed, method, detector);
                        OodEvaluation ev =
                                OodEvaluation.of(
                                        run.network(),
                                        run.testSet(),
                                        ood,
                                        detector,
                                        run::trainSet,
                                        confidences);
                        out.add(
                                new Measurement(
                                        method, detector, seed, ev.testAccuracy(), ev.metrics()));
                    }
                }
            }
        }
        return new Result(methods, detectors, seeds, sets, out, curves, foolingBySeed, foolingMsp);
    }

    private Experiment experiment(String method, long seed) {
        return Experiment.builder()
                .setMethod(method)
                .optSeed(seed)
                .optEpochs(epochs)
                .optSubset(subset)
                .optTestSubset(testSubset)
                .optOodCount(oodCount)
                .optLog(log)
                .optProgress(progress)
                .build();
    }

    private void say(String format, Object... args) {
        if (log != null) {
            log.println(String.format(Locale.ROOT, format, args));
            log.flush();
        }
    }

    /**
     * One model scored by one detector.
     *
     * @param method the training method
     * @param detector the detector
     * @param seed the training seed
     * @param testAccuracy the model's test accuracy
     * @param metrics per OOD set, the five metrics
     */
    public record Measurement(
            String method,
            String detector,
            long seed,
            double testAccuracy,
            Map<String, OodMetrics> metrics) {}

    /** The metrics of a study, and the tables and charts made from them. */
    public static final class Result {
        private final List<String> methods;
        private final List<String> detectors;
        private final List<Long> seeds;
        private final List<String> oodSets;
        private final List<Measurement> measurements;
        private final Map<String, List<List<EpochResult>>> curves;
        private final Map<Long, ImageSet> fooling;
        private final Map<Long, double[]> foolingMsp;

        Result(
                List<String> methods,
                List<String> detectors,
                List<Long> seeds,
                List<String> oodSets,
                List<Measurement> measurements,
                Map<String, List<List<EpochResult>>> curves,
                Map<Long, ImageSet> fooling,
                Map<Long, double[]> foolingMsp) {
            this.fooling = Map.copyOf(fooling);
            this.foolingMsp = Map.copyOf(foolingMsp);
            this.methods = List.copyOf(methods);
            this.detectors = List.copyOf(detectors);
            this.seeds = List.copyOf(seeds);
            this.oodSets = List.copyOf(oodSets);
            this.measurements = List.copyOf(measurements);
            this.curves = curves;
        }

        /** The training methods, in order. */
        public List<String> methods() {
            return methods;
        }

        /** The detectors, in order. */
        public List<String> detectors() {
            return detectors;
        }

        /** The training seeds, in order. */
        public List<Long> seeds() {
            return seeds;
        }

        /** The OOD sets, in order. */
        public List<String> oodSets() {
            return oodSets;
        }

        /**
         * The fooling images evolved against a seed's first model.
         *
         * @param seed a training seed
         * @return the images ({@link #foolingImages(Network, int, long)})
         * @throws IllegalArgumentException if the study evolved none for that seed
         */
        public ImageSet foolingImages(long seed) {
            ImageSet set = fooling.get(seed);
            if (set == null) {
                throw new IllegalArgumentException("no fooling images for seed " + seed);
            }
            return set;
        }

        /**
         * The maximum softmax probability that the model the fooling images were evolved against
         * (the seed's first method) gives each of them.
         *
         * @param seed a training seed
         * @return one value per image of {@link #foolingImages(long)}
         */
        public double[] foolingConfidence(long seed) {
            foolingImages(seed);
            return foolingMsp.get(seed).clone();
        }

        /** Every measurement. */
        public List<Measurement> measurements() {
            return measurements;
        }

        private Measurement find(String method, String detector, long seed) {
            for (Measurement m : measurements) {
                if (m.method().equals(method)
                        && m.detector().equals(detector)
                        && m.seed() == seed) {
                    return m;
                }
            }
            throw new IllegalArgumentException(
                    "no measurement of method '"
                            + method
                            + "' with detector '"
                            + detector
                            + "' on seed "
                            + seed
                            + "; methods "
                            + methods
                            + ", detectors "
                            + detectors);
        }

        /**
         * A metric per seed.
         *
         * @param method the training method
         * @param detector the detector
         * @param oodSet an OOD set of {@link #oodSets()}
         * @param metric the metric
         * @return one value per seed, in seed order (fractions)
         */
        public double[] values(String method, String detector, String oodSet, OodMetric metric) {
            double[] v = new double[seeds.size()];
            for (int i = 0; i < v.length; i++) {
                OodMetrics m = find(method, detector, seeds.get(i)).metrics().get(oodSet);
                if (m == null) {
                    throw new IllegalArgumentException(
                            "no OOD set '" + oodSet + "'; known: " + oodSets);
                }
                v[i] = metric.valueOf(m);
            }
            return v;
        }

        /**
         * A metric averaged over the OOD sets, per seed.
         *
         * @param method the training method
         * @param detector the detector
         * @param metric the metric
         * @return one value per seed (fractions)
         */
        public double[] meanOverSets(String method, String detector, OodMetric metric) {
            double[] v = new double[seeds.size()];
            for (String set : oodSets) {
                double[] s = values(method, detector, set, metric);
                for (int i = 0; i < v.length; i++) {
                    v[i] += s[i] / oodSets.size();
                }
            }
            return v;
        }

        /**
         * The test accuracy of each method's models, per seed.
         *
         * @param method the training method
         * @return one value per seed (fractions)
         */
        public double[] accuracy(String method) {
            double[] v = new double[seeds.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = find(method, detectors.get(0), seeds.get(i)).testAccuracy();
            }
            return v;
        }

        /**
         * Two (method, detector) pairs compared seed by seed on a metric, in percentage points.
         *
         * @param methodA method of A
         * @param detectorA detector of A
         * @param methodB method of B
         * @param detectorB detector of B
         * @param oodSet an OOD set, or null for the mean over the sets
         * @param metric the metric
         * @return the paired comparison of the values × 100
         */
        public PairedComparison paired(
                String methodA,
                String detectorA,
                String methodB,
                String detectorB,
                String oodSet,
                OodMetric metric) {
            double[] a = points(methodA, detectorA, oodSet, metric);
            double[] b = points(methodB, detectorB, oodSet, metric);
            return PairedComparison.of(row(methodA, detectorA), a, row(methodB, detectorB), b);
        }

        private double[] points(String method, String detector, String set, OodMetric metric) {
            double[] v =
                    set == null
                            ? meanOverSets(method, detector, metric)
                            : values(method, detector, set, metric);
            double[] p = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                p[i] = 100 * v[i];
            }
            return p;
        }

        /**
         * One results table per seed: a row per (method, detector) and OOD set, labelled {@link
         * #row}, with the five metrics and the test accuracy.
         *
         * @return the tables, in seed order
         */
        public List<ResultsTable> perSeedTables() {
            List<ResultsTable> tables = new ArrayList<>();
            for (long seed : seeds) {
                ResultsTable.Builder t =
                        ResultsTable.builder()
                                .optExtraColumn(
                                        OodEvaluation.TEST_ACCURACY,
                                        ResultsTable.Better.HIGHER,
                                        ResultsTable.ValueFormat.PERCENT);
                for (String method : methods) {
                    for (String detector : detectors) {
                        Measurement m = find(method, detector, seed);
                        for (String set : oodSets) {
                            t.add(
                                    row(method, detector),
                                    set,
                                    m.metrics().get(set),
                                    Map.of(OodEvaluation.TEST_ACCURACY, m.testAccuracy()));
                        }
                    }
                }
                tables.add(t.build());
            }
            return tables;
        }

        /**
         * The heat map detector × OOD set of one method's models: the metric's mean over the seeds
         * in each cell (printed in percent), on a colour scale fixed to [0, 1] so that maps of
         * different methods compare; the first detector at the top.
         *
         * @param method the training method
         * @param metric the metric
         * @return the figure, 600 × 400 pixels (taller for more than 17 detectors)
         */
        public Figure heatMap(String method, OodMetric metric) {
            int n = detectors.size();
            double[][] grid = new double[n][oodSets.size()];
            String[] rows = new String[n];
            for (int i = 0; i < n; i++) {
                String d = detectors.get(n - 1 - i); // row 0 is drawn at the bottom
                rows[i] = d;
                for (int j = 0; j < oodSets.size(); j++) {
                    grid[i][j] = 100 * MeanSd.of(values(method, d, oodSets.get(j), metric)).mean();
                }
            }
            return HeatMap.builder()
                    .setValues(grid)
                    .optYLabels(rows)
                    .optXLabels(oodSets.toArray(new String[0]))
                    .optValueRange(0, 100)
                    .optAnnotate(true, "%.1f")
                    .optAxisTitles("OOD set", "detector")
                    .optColorBarTitle(metric.label() + " (%), mean over " + seeds.size() + " seeds")
                    .optTitle(metric.label() + " of every detector, " + method + " models")
                    .optSize(600, Math.max(400, 80 + 19 * n))
                    .build();
        }

        /**
         * The detectors of one method's models ranked by the metric averaged over the OOD sets,
         * with paired per-seed verdicts: per OOD set the mean ± sd over seeds; the mean over the
         * sets; its per-seed difference to a reference detector and to the next detector in the
         * ranking (mean ± sd in points) and the number of seeds on which the row is better.
         *
         * @param method the training method
         * @param metric the metric (AUROC, FPR@95TPR, …; "better" follows its direction)
         * @param reference the reference detector, e.g. {@code msp}
         * @return the table, best first
         */
        public Table ranking(String method, OodMetric metric, String reference) {
            boolean higher = metric.higherIsBetter();
            List<String> order = new ArrayList<>(detectors);
            Comparator<String> byMean =
                    Comparator.comparingDouble(
                            d -> MeanSd.of(meanOverSets(method, d, metric)).mean());
            order.sort(higher ? byMean.reversed() : byMean);
            IntColumn rank = IntColumn.create("rank");
            StringColumn detector = StringColumn.create("detector");
            StringColumn family = StringColumn.create("family");
            List<StringColumn> perSet = new ArrayList<>();
            for (String s : oodSets) {
                perSet.add(StringColumn.create(s));
            }
            StringColumn mean = StringColumn.create("mean over sets");
            StringColumn vsRef = StringColumn.create("Δ vs " + reference + " (points)");
            StringColumn vsRefSeeds = StringColumn.create("better than " + reference);
            StringColumn vsNext = StringColumn.create("Δ vs next (points)");
            StringColumn vsNextSeeds = StringColumn.create("better than next");
            for (int r = 0; r < order.size(); r++) {
                String d = order.get(r);
                rank.append(r + 1);
                detector.append(d);
                family.append(family(d));
                for (int j = 0; j < oodSets.size(); j++) {
                    perSet.get(j).append(percent(values(method, d, oodSets.get(j), metric)));
                }
                mean.append(percent(meanOverSets(method, d, metric)));
                if (d.equals(reference)) {
                    vsRef.append("—");
                    vsRefSeeds.append("—");
                } else {
                    PairedComparison p = paired(method, d, method, reference, null, metric);
                    vsRef.append(signed(p.difference()));
                    vsRefSeeds.append(better(p, higher));
                }
                if (r + 1 < order.size()) {
                    PairedComparison p = paired(method, d, method, order.get(r + 1), null, metric);
                    vsNext.append(signed(p.difference()));
                    vsNextSeeds.append(better(p, higher));
                } else {
                    vsNext.append("—");
                    vsNextSeeds.append("—");
                }
            }
            Table t =
                    Table.create(
                            metric.label() + " ranking, " + method + " models (%)",
                            rank,
                            detector,
                            family);
            perSet.forEach(t::addColumns);
            t.addColumns(mean, vsRef, vsRefSeeds, vsNext, vsNextSeeds);
            return t;
        }

        /**
         * The best detector of each family per method and OOD set (by the metric's mean over the
         * seeds), with that mean in percent.
         *
         * @param metric the metric
         * @return one row per method and OOD set, one column per family of {@link #FAMILIES}
         */
        public Table families(OodMetric metric) {
            StringColumn method = StringColumn.create("method");
            StringColumn set = StringColumn.create("OOD set");
            List<StringColumn> columns = new ArrayList<>();
            List<String> present = new ArrayList<>();
            for (String f : FAMILIES) {
                if (detectors.stream().anyMatch(d -> family(d).equals(f))) {
                    present.add(f);
                    columns.add(StringColumn.create(f));
                }
            }
            for (String m : methods) {
                for (String s : oodSets) {
                    method.append(m);
                    set.append(s);
                    for (int k = 0; k < present.size(); k++) {
                        String best = best(m, s, present.get(k), metric);
                        double v = MeanSd.of(values(m, best, s, metric)).mean();
                        columns.get(k).append(String.format(Locale.ROOT, "%s %.1f", best, 100 * v));
                    }
                }
            }
            Table t = Table.create("best detector per family, " + metric.label() + " (%)");
            t.addColumns(method, set);
            columns.forEach(t::addColumns);
            return t;
        }

        /**
         * The best detector of a family on one method's models and one OOD set, by the mean over
         * the seeds.
         *
         * @param method the training method
         * @param oodSet the OOD set, or null for the mean over the sets
         * @param family one of {@link #FAMILIES}, or null for any detector
         * @param metric the metric
         * @return the detector's name
         * @throws IllegalArgumentException if the study has no detector of that family
         */
        public String best(String method, String oodSet, String family, OodMetric metric) {
            String best = null;
            double bestValue = Double.NaN;
            for (String d : detectors) {
                if (family != null && !family(d).equals(family)) {
                    continue;
                }
                double v = MeanSd.of(points(method, d, oodSet, metric)).mean();
                boolean better =
                        best == null || (metric.higherIsBetter() ? v > bestValue : v < bestValue);
                if (better) {
                    best = d;
                    bestValue = v;
                }
            }
            if (best == null) {
                throw new IllegalArgumentException(
                        "no detector of family '" + family + "' in " + detectors);
            }
            return best;
        }

        /**
         * Each other method against a reference method, with the same detector, per OOD set: the
         * per-seed differences in points (mean ± sd) and the seeds on which the method is better.
         *
         * @param reference the reference method, e.g. {@code ce}
         * @param detectors the detectors to compare with
         * @param metric the metric
         * @return one row per method, detector and OOD set
         */
        public Table versusMethod(String reference, List<String> detectors, OodMetric metric) {
            StringColumn method = StringColumn.create("method");
            StringColumn detector = StringColumn.create("detector");
            List<StringColumn> columns = new ArrayList<>();
            List<String> sets = new ArrayList<>(oodSets);
            sets.add(null);
            for (String s : sets) {
                columns.add(StringColumn.create(s == null ? "mean over sets" : s));
            }
            for (String m : methods) {
                if (m.equals(reference)) {
                    continue;
                }
                for (String d : detectors) {
                    method.append(m);
                    detector.append(d);
                    for (int k = 0; k < sets.size(); k++) {
                        PairedComparison p = paired(m, d, reference, d, sets.get(k), metric);
                        columns.get(k)
                                .append(
                                        signed(p.difference())
                                                + " ("
                                                + better(p, metric.higherIsBetter())
                                                + ")");
                    }
                }
            }
            Table t =
                    Table.create(
                            metric.label()
                                    + " − "
                                    + reference
                                    + " with the same detector (points; seeds better)");
            t.addColumns(method, detector);
            columns.forEach(t::addColumns);
            return t;
        }

        /**
         * The training loss per epoch of each method, mean ± sd over the seeds.
         *
         * @return the chart
         */
        public Figure learningCurves() {
            Map<String, List<List<EpochResult>>> named = new LinkedHashMap<>();
            curves.forEach((k, v) -> named.put(k, v));
            return LearningCurveChart.meanOverSeeds(named);
        }

        private static String percent(double[] values) {
            double[] p = new double[values.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = 100 * values[i];
            }
            return MeanSd.of(p).format("%.1f");
        }

        /** Mean ± sd with a sign on the mean only, e.g. "+2.1 ± 0.6". */
        private static String signed(MeanSd d) {
            return Double.isNaN(d.sd())
                    ? String.format(Locale.ROOT, "%+.1f", d.mean())
                    : String.format(Locale.ROOT, "%+.1f ± %.1f", d.mean(), d.sd());
        }

        private static String better(PairedComparison p, boolean higher) {
            return (higher ? p.aAbove() : p.aBelow()) + " of " + p.seeds();
        }
    }

    /** Configures a {@link DetectorStudy}; every option has a default. */
    public static final class Builder {
        private List<String> methods = List.of("ce", "logitnorm", "outlier-exposure");
        private List<Long> seeds = List.of(1L, 2L, 3L);
        private List<String> detectors = BY_FAMILY;
        private int epochs = 3;
        private int subset;
        private int testSubset;
        private int oodCount = Experiment.DEFAULT_OOD_COUNT;
        private int foolingGenerations;
        private PrintStream log;
        private ProgressBar.Mode progress = ProgressBar.Mode.OFF;

        private Builder() {}

        /** The training methods (default ce, logitnorm, outlier-exposure). */
        public Builder optMethods(List<String> names) {
            methods = List.copyOf(names);
            return this;
        }

        /** The training seeds (default 1, 2, 3). */
        public Builder optSeeds(List<Long> values) {
            seeds = List.copyOf(values);
            return this;
        }

        /** The detectors (default every one, grouped by family: {@link #BY_FAMILY}). */
        public Builder optDetectors(List<String> names) {
            List<String> checked = new ArrayList<>();
            for (String n : names) {
                checked.add(Detectors.checkName(n));
            }
            detectors = List.copyOf(checked);
            return this;
        }

        /** Training epochs (default 3). */
        public Builder optEpochs(int n) {
            epochs = n;
            return this;
        }

        /** A seeded sample of this many training images (0, the default: all). */
        public Builder optSubset(int n) {
            subset = n;
            return this;
        }

        /** A seeded sample of this many test images (0, the default: all). */
        public Builder optTestSubset(int n) {
            testSubset = n;
            return this;
        }

        /** Images per OOD set (default 10,000). */
        public Builder optOodCount(int n) {
            oodCount = n;
            return this;
        }

        /**
         * Evolve fooling images against each seed's first model for this many generations and score
         * them as the OOD set {@value #FOOLING} (0, the default: none).
         */
        public Builder optFoolingGenerations(int n) {
            foolingGenerations = n;
            return this;
        }

        /** Where training and scoring report what they do (default: nowhere). */
        public Builder optLog(PrintStream stream) {
            log = stream;
            return this;
        }

        /** The training progress bar (default off). */
        public Builder optProgress(ProgressBar.Mode mode) {
            progress = Objects.requireNonNull(mode, "progress");
            return this;
        }

        /**
         * Checks the options and builds the study.
         *
         * @throws IllegalArgumentException naming the first invalid option
         */
        public DetectorStudy build() {
            if (methods.isEmpty()) {
                throw new IllegalArgumentException("no training method");
            }
            if (seeds.isEmpty()) {
                throw new IllegalArgumentException("no seed");
            }
            if (detectors.isEmpty()) {
                throw new IllegalArgumentException("no detector");
            }
            for (String d : detectors) {
                family(d);
            }
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
            }
            if (subset < 0 || testSubset < 0) {
                throw new IllegalArgumentException("subset sizes must be >= 0");
            }
            if (oodCount < 1) {
                throw new IllegalArgumentException("oodCount must be >= 1, got " + oodCount);
            }
            if (foolingGenerations < 0) {
                throw new IllegalArgumentException(
                        "foolingGenerations must be >= 0, got " + foolingGenerations);
            }
            return new DetectorStudy(this);
        }
    }
}

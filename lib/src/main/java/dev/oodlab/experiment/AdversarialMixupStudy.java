package dev.oodlab.experiment;

import dev.oodlab.OodLab;
import dev.oodlab.io.StagedDirectory;
import dev.oodlab.metrics.OodMetric;
import dev.oodlab.metrics.RocCurve;
import dev.oodlab.report.MeanSd;
import dev.oodlab.report.PairedComparison;
import dev.oodlab.report.ResultsTable;
import dev.oodlab.report.RunResult;
import dev.oodlab.report.SeedwiseClaims;
import dev.oodlab.train.EpochResult;
import dev.oodlab.train.TrainingSettings;
import dev.oodlab.viz.ChartOptions;
import dev.oodlab.viz.Figure;
import dev.oodlab.viz.GroupedBarChart;
import dev.oodlab.viz.HeatMap;
import dev.oodlab.viz.HistogramChart;
import dev.oodlab.viz.LearningCurveChart;
import dev.oodlab.viz.RocChart;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The comparison of the Adversarial-Mixup paper (Gwon and Yoo, J. IEMEK 16(1), 2021, figures 6–9)
 * on Fashion-MNIST: the maximum-softmax baseline (a cross-entropy model), ODIN on that model,
 * Mixup, M-TLAT and Adversarial-Mixup (each scored by maximum softmax), plus the energy score and
 * the Mahalanobis detector on the cross-entropy model, on MNIST digits, uniform and Gaussian noise.
 * Every trained method gets the same epochs, batch size, optimizer (Adam 10⁻³) and seed; the whole
 * comparison repeats for each seed.
 *
 * <pre>{@code
 * AdversarialMixupStudy.Result study = AdversarialMixupStudy.builder()
 *         .optEpochs(3).optSeeds(List.of(1L, 2L, 3L)).build().run();
 * study.table();          // mean ± sd over seeds, best per OOD set marked
 * study.write(Path.of("runs/study"));
 * }</pre>
 *
 * <p>The paper's CIFAR-10 setting is the same study with {@code optDataset("cifar10")} and {@code
 * optModel("resnet18")} or {@code "vgg16"}: the OOD sets then default to SVHN, TinyImageNet and
 * LSUN (crop and resize), iSUN and the two noise sets at 3×32×32 ({@link
 * dev.oodlab.data.Datasets#CIFAR10_OOD}, fetched by {@code data-scripts/}), and ε to 8/255 ({@link
 * Experiment#CIFAR10_EPSILON}). {@link dev.oodlab.data.Datasets#missingForCifar10()} says what is
 * still to be fetched.
 *
 * <p>The Adversarial-Mixup row trains the paper's reading by default (shuffled partner, label
 * target, no clean term; {@link dev.oodlab.train.AdversarialMixup}); {@link
 * Builder#optAdversarialMixup} chooses another reading for the row and the sweep.
 *
 * <p>{@link #sweep} trains Adversarial-Mixup over a grid of ε and α for the sensitivity heat map;
 * {@link #readings} trains the readings of the method ({@link #READINGS}) beside the baseline and
 * Mixup, seed by seed, for the ablation of the paper's claims ({@link Result#claims}).
 */
public final class AdversarialMixupStudy {

    /** One row of the study: a training method scored by a detector. */
    public record Row(String label, String method, String detector) {
        /**
         * Whether this row scores with the maximum softmax probability, the row that stands for its
         * trained model in the charts of confidence, accuracy and loss.
         */
        public boolean scoresWithMaxSoftmax() {
            return Detectors.descriptor(detector).scoresAreMaxSoftmax();
        }
    }

    /** The rows, in table order: the paper's methods, then the extra detectors. */
    public static final List<Row> ROWS =
            List.of(
                    new Row("MSP (baseline)", "ce", Detectors.DEFAULT),
                    new Row("ODIN", "ce", "odin"),
                    new Row("Mixup", "mixup", Detectors.DEFAULT),
                    new Row("M-TLAT", "m-tlat", Detectors.DEFAULT),
                    new Row("Adversarial-Mixup", "adversarial-mixup", Detectors.DEFAULT),
                    new Row("Energy", "ce", "energy"),
                    new Row("Mahalanobis", "ce", "mahalanobis"));

    /**
     * One reading of Adversarial-Mixup in the ablation of {@link #readings}.
     *
     * @param label the row label
     * @param options the method's options (partner, adversarial target, clean weight)
     */
    public record Reading(String label, MethodOptions options) {
        /**
         * Checks the fields.
         *
         * @param label see the record description
         * @param options see the record description
         */
        public Reading {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(options, "options");
        }
    }

    /** The label of the baseline row (cross-entropy scored by maximum softmax). */
    public static final String BASELINE = "MSP (baseline)";

    /** The label of the Mixup row. */
    public static final String MIXUP = "Mixup";

    /**
     * The readings of Adversarial-Mixup measured by {@link #readings}: the 2×2 of partner
     * (shuffled, same) and adversarial target (label, uniform) without a clean term, the paper's
     * reading with the clean weight ½, and the earlier preset (same, uniform, ½). The paper's
     * reading keeps the method's label, the preset its name, so that both keep their colours in
     * every chart.
     */
    public static final List<Reading> READINGS =
            List.of(
                    new Reading("Adversarial-Mixup", reading("shuffled", "label", null)),
                    new Reading("AM same·label", reading("same", "label", null)),
                    new Reading("AM shuffled·uniform", reading("shuffled", "uniform", null)),
                    new Reading("AM same·uniform", reading("same", "uniform", null)),
                    new Reading("AM shuffled·label, w = ½", reading("shuffled", "label", 0.5)),
                    new Reading(
                            "Adversarial-Mixup-uniform (same·uniform, w = ½)",
                            reading("same", "uniform", 0.5)));

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

    /** The extra column of the tables with the test accuracy. */
    public static final String ACCURACY = "test accuracy";

    /**
     * The extra column of the tables with the mean maximum softmax on the OOD set; empty for the
     * rows not scored by the maximum softmax.
     */
    public static final String OOD_CONFIDENCE = "OOD confidence";

    private final Experiment.Builder base;
    private final List<Long> seeds;
    private final PrintStream log;
    private final MethodOptions adversarialMixup;

    private AdversarialMixupStudy(Builder b) {
        this.seeds = List.copyOf(b.seeds);
        this.log = b.log;
        this.base = b.experiment();
        this.adversarialMixup = b.adversarialMixup;
    }

    /** A builder with the defaults of {@link Experiment} and one seed. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains every method for every seed and scores it.
     *
     * @return the study's results
     */
    public Result run() {
        List<RunRecord> runs = new ArrayList<>();
        Map<String, List<Row>> byMethod = new LinkedHashMap<>();
        for (Row row : ROWS) {
            byMethod.computeIfAbsent(row.method(), k -> new ArrayList<>()).add(row);
        }
        for (long seed : seeds) {
            for (Map.Entry<String, List<Row>> e : byMethod.entrySet()) {
                say("== seed %d: %s ==", seed, e.getKey());
                MethodOptions options =
                        e.getKey().equals("adversarial-mixup")
                                ? adversarialMixup
                                : MethodOptions.defaults();
                try (Experiment.Run run =
                        base.setMethod(e.getKey())
                                .optMethodOptions(options)
                                .optSeed(seed)
                                .build()
                                .run()) {
                    for (Row row : e.getValue()) {
                        OodEvaluation evaluation = run.evaluate(row.detector());
                        RunResult result =
                                run.result(evaluation)
                                        .withExtra("study_row", row.label())
                                        .withExtra("detector", row.detector());
                        runs.add(new RunRecord(row, seed, result, evaluation));
                    }
                }
            }
        }
        return new Result(runs, seeds, ROWS);
    }

    /**
     * The readings ablation: for every seed, trains cross-entropy (scored by maximum softmax, the
     * row {@value #BASELINE}), Mixup ({@value #MIXUP}) and Adversarial-Mixup under each reading,
     * all with this study's settings, and scores each by maximum softmax. The runs of one seed
     * share the data order and initialisation, so the result's per-seed tables pair up ({@link
     * Result#claims}).
     *
     * @param readings the readings, e.g. {@link #READINGS}; labels must differ from each other and
     *     from the two reference rows
     * @return the result, one row per reference and reading
     * @throws IllegalArgumentException for duplicate labels or a reading's invalid option
     */
    public Result readings(List<Reading> readings) {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(BASELINE, "ce", "msp"));
        rows.add(new Row(MIXUP, "mixup", "msp"));
        Map<String, MethodOptions> options = new LinkedHashMap<>();
        for (Reading r : readings) {
            if (r.label().equals(BASELINE)
                    || r.label().equals(MIXUP)
                    || options.put(r.label(), r.options()) != null) {
                throw new IllegalArgumentException("duplicate row label '" + r.label() + "'");
            }
            r.options().create("adversarial-mixup"); // invalid options fail before training
            rows.add(new Row(r.label(), "adversarial-mixup", "msp"));
        }
        List<RunRecord> runs = new ArrayList<>();
        for (long seed : seeds) {
            for (Row row : rows) {
                say("== seed %d: %s ==", seed, row.label());
                MethodOptions o = options.getOrDefault(row.label(), MethodOptions.defaults());
                try (Experiment.Run run =
                        base.setMethod(row.method())
                                .optMethodOptions(o)
                                .optSeed(seed)
                                .build()
                                .run()) {
                    OodEvaluation evaluation = run.evaluate("msp");
                    RunResult result =
                            run.result(evaluation)
                                    .withExtra("study_row", row.label())
                                    .withExtra("detector", "msp");
                    runs.add(new RunRecord(row, seed, result, evaluation));
                } finally {
                    base.optMethodOptions(MethodOptions.defaults());
                }
            }
        }
        return new Result(runs, seeds, rows);
    }

    /**
     * Trains Adversarial-Mixup for each (ε, α) of a grid with this study's settings, reading and
     * first seed, and measures the maximum-softmax AUROC on one OOD set and the test accuracy.
     *
     * @param epsilons the FGSM steps ε (rows of the grid)
     * @param alphas the Beta(α, α) parameters (columns)
     * @param oodSet the OOD set whose AUROC is reported, e.g. {@code "mnist"}
     * @return the grid
     */
    public Sweep sweep(List<Double> epsilons, List<Double> alphas, String oodSet) {
        double[][] auroc = new double[epsilons.size()][alphas.size()];
        double[][] accuracy = new double[epsilons.size()][alphas.size()];
        for (int i = 0; i < epsilons.size(); i++) {
            for (int j = 0; j < alphas.size(); j++) {
                say("== sweep: epsilon %s, alpha %s ==", epsilons.get(i), alphas.get(j));
                try (Experiment.Run run =
                        base.setMethod("adversarial-mixup")
                                .optMethodOptions(
                                        adversarialMixup.withAlphaAndEpsilon(
                                                alphas.get(j), epsilons.get(i)))
                                .optSeed(seeds.get(0))
                                .build()
                                .run()) {
                    OodEvaluation evaluation = run.evaluate(Detectors.DEFAULT);
                    if (!evaluation.metrics().containsKey(oodSet)) {
                        throw new IllegalArgumentException(
                                "OOD set '"
                                        + oodSet
                                        + "' is not one of "
                                        + evaluation.metrics().keySet());
                    }
                    auroc[i][j] = evaluation.metrics().get(oodSet).auroc();
                    accuracy[i][j] = evaluation.testAccuracy();
                } finally {
                    base.optMethodOptions(MethodOptions.defaults());
                }
            }
        }
        return new Sweep(List.copyOf(epsilons), List.copyOf(alphas), oodSet, auroc, accuracy);
    }

    private void say(String format, Object... args) {
        if (log != null) {
            log.println(String.format(Locale.ROOT, format, args));
            log.flush();
        }
    }

    /**
     * One scored run of the study.
     *
     * @param row the row it fills
     * @param seed the seed
     * @param result the results record
     * @param evaluation the scores behind it
     */
    public record RunRecord(Row row, long seed, RunResult result, OodEvaluation evaluation) {}

    /**
     * The sensitivity grid of Adversarial-Mixup.
     *
     * @param epsilons ε per row
     * @param alphas α per column
     * @param oodSet the OOD set of the AUROC
     * @param auroc AUROC [ε][α]
     * @param accuracy test accuracy [ε][α]
     */
    public record Sweep(
            List<Double> epsilons,
            List<Double> alphas,
            String oodSet,
            double[][] auroc,
            double[][] accuracy) {

        /** The AUROC grid as an annotated heat map (percent). */
        public Figure heatMap() {
            double[][] percent = new double[epsilons.size()][alphas.size()];
            for (int i = 0; i < percent.length; i++) {
                for (int j = 0; j < percent[i].length; j++) {
                    percent[i][j] = 100 * auroc[i][j];
                }
            }
            return HeatMap.builder()
                    .setValues(percent)
                    .optXLabels(alphas.stream().map(a -> "α=" + a).toArray(String[]::new))
                    .optYLabels(epsilons.stream().map(e -> "ε=" + e).toArray(String[]::new))
                    .optTitle("Adversarial-Mixup: AUROC (%) on " + oodSet)
                    .optAxisTitles("α of Beta(α, α)", "FGSM step ε")
                    .optColorBarTitle("AUROC (%)")
                    .optAnnotate(true, "%.1f")
                    .build();
        }
    }

    /** The study's runs, tables and charts. */
    public static final class Result {
        /** Width in pixels per OOD set of {@link #bars}. */
        static final int BAR_GROUP_WIDTH = 140;

        private final List<RunRecord> runs;
        private final List<Long> seeds;
        private final List<Row> rows;

        Result(List<RunRecord> runs, List<Long> seeds, List<Row> rows) {
            this.runs = List.copyOf(runs);
            this.seeds = List.copyOf(seeds);
            this.rows = List.copyOf(rows);
        }

        /** The rows of this result, in table order ({@link #ROWS} for {@link #run}). */
        public List<Row> rows() {
            return rows;
        }

        /** The row labels, in table order. */
        public List<String> rowLabels() {
            return rows.stream().map(Row::label).toList();
        }

        /** The OOD sets scored, in order. */
        public List<String> oodSets() {
            return List.copyOf(runs.get(0).evaluation().confidenceOut().keySet());
        }

        /** The per-seed tables as a {@link SeedwiseClaims}: paired differences, seed counts. */
        public SeedwiseClaims claims() {
            List<ResultsTable> perSeed = new ArrayList<>();
            for (long seed : seeds) {
                perSeed.add(table(seed));
            }
            return SeedwiseClaims.of(perSeed);
        }

        /**
         * One column at a glance: per row, the test accuracy and the column on each OOD set, as
         * "mean ± sd" over the seeds in percent (the mean alone for one seed).
         *
         * @param column a metric's label, e.g. {@code OodMetric.AUROC.label()}, or {@link
         *     #OOD_CONFIDENCE}
         * @return a table with one row per study row
         */
        public Table overview(String column) {
            List<String> sets = oodSets();
            StringColumn method = StringColumn.create("method");
            StringColumn accuracy = StringColumn.create(ACCURACY + " (%)");
            List<StringColumn> perSet = new ArrayList<>();
            for (String s : sets) {
                perSet.add(StringColumn.create(column + ", " + s + " (%)"));
            }
            SeedwiseClaims claims = claims();
            for (Row row : rows) {
                method.append(row.label());
                accuracy.append(percent(row.label(), sets.get(0), ACCURACY));
                for (int i = 0; i < sets.size(); i++) {
                    perSet.get(i).append(percent(row.label(), sets.get(i), column));
                }
            }
            Table t = Table.create(column + " per method, " + claims.seeds() + " seed(s)", method);
            t.addColumns(accuracy);
            perSet.forEach(t::addColumns);
            return t;
        }

        private String percent(String row, String set, String column) {
            double[] v = new double[seeds.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = 100 * table(seeds.get(i)).value(row, set, column);
            }
            return MeanSd.of(v).format("%.1f");
        }

        /** Every scored run, seed after seed, in {@link #ROWS} order within a seed. */
        public List<RunRecord> runs() {
            return runs;
        }

        /** The seeds. */
        public List<Long> seeds() {
            return seeds;
        }

        /**
         * The table of one seed: one row per study row and OOD set, with the test accuracy and the
         * mean OOD confidence as extra columns. The OOD confidence (the mean maximum softmax) is
         * empty (NaN) for the rows scored otherwise (ODIN, energy, Mahalanobis): their scores are
         * not the model's probabilities, and the model's MSP is the baseline row's.
         *
         * @param seed one of {@link #seeds()}
         * @return the table
         */
        public ResultsTable table(long seed) {
            ResultsTable.Builder table =
                    ResultsTable.builder()
                            .optExtraColumn(
                                    ACCURACY,
                                    ResultsTable.Better.HIGHER,
                                    ResultsTable.ValueFormat.PERCENT)
                            .optExtraColumn(
                                    OOD_CONFIDENCE,
                                    ResultsTable.Better.LOWER,
                                    ResultsTable.ValueFormat.PERCENT);
            for (Row row : rows) {
                for (RunRecord run : runs) {
                    if (run.seed() == seed && run.row().equals(row)) {
                        for (Map.Entry<String, RunResult.OodSet> e :
                                run.result().ood().entrySet()) {
                            table.add(
                                    row.label(),
                                    e.getKey(),
                                    e.getValue().metrics(),
                                    Map.of(
                                            ACCURACY,
                                            run.result().testAccuracy(),
                                            OOD_CONFIDENCE,
                                            row.scoresWithMaxSoftmax()
                                                    ? e.getValue().meanConfidence()
                                                    : Double.NaN));
                        }
                    }
                }
            }
            return table.build();
        }

        /** The tables of all seeds aggregated into mean ± sd (the sd is empty for one seed). */
        public ResultsTable table() {
            List<ResultsTable> tables = new ArrayList<>();
            for (long seed : seeds) {
                tables.add(table(seed));
            }
            return ResultsTable.meanAndSd(tables);
        }

        /** The runs of the first seed, one per study row. */
        private List<RunRecord> firstSeed() {
            return runs.stream().filter(r -> r.seed() == seeds.get(0)).toList();
        }

        /**
         * Histograms of the maximum softmax probability, in-distribution test set vs one OOD set,
         * one panel per trained method (first seed).
         *
         * @param oodSet the OOD set
         * @return the panels
         */
        public Figure confidenceHistograms(String oodSet) {
            Map<String, Map<String, double[]>> panels = new LinkedHashMap<>();
            for (RunRecord run : firstSeed()) {
                if (run.row().scoresWithMaxSoftmax()) {
                    Map<String, double[]> sets = new LinkedHashMap<>();
                    sets.put("in: " + run.evaluation().inName(), run.evaluation().confidenceIn());
                    sets.put("OOD: " + oodSet, run.evaluation().confidenceOut().get(oodSet));
                    panels.put(run.row().label(), sets);
                }
            }
            return HistogramChart.panels(
                    panels,
                    40,
                    0,
                    1,
                    ChartOptions.defaults()
                            .withSize(420, 300)
                            .withLabels("Maximum softmax probability", "Share of inputs"));
        }

        /**
         * The ROC curves of every study row on one OOD set (first seed).
         *
         * @param oodSet the OOD set
         * @return the chart
         */
        public Figure rocCurves(String oodSet) {
            Map<String, RocCurve> curves = new LinkedHashMap<>();
            for (RunRecord run : firstSeed()) {
                curves.put(run.row().label(), run.evaluation().rocCurves().get(oodSet));
            }
            return RocChart.of(
                    curves,
                    ChartOptions.defaults()
                            .withTitle("ROC on " + oodSet + " (seed " + seeds.get(0) + ")")
                            .withLabels("False-positive rate", "True-positive rate"));
        }

        /**
         * Grouped bars of one metric, method by OOD set, mean with sd error bars over seeds; the
         * chart widens beyond {@link ChartOptions#DEFAULT_WIDTH} with more than four OOD sets
         * ({@value #BAR_GROUP_WIDTH} px per set), so that the eight sets of CIFAR-10 keep readable
         * labels and a whole legend.
         *
         * @param metric the metric
         * @return the chart
         */
        public Figure bars(OodMetric metric) {
            int sets = firstSeed().get(0).evaluation().confidenceOut().size();
            int width = Math.max(ChartOptions.DEFAULT_WIDTH, BAR_GROUP_WIDTH * sets);
            return GroupedBarChart.of(
                    table(),
                    metric,
                    ChartOptions.defaults().withSize(width, ChartOptions.DEFAULT_HEIGHT));
        }

        /**
         * The test accuracy per trained method as bars in percent: the mean over seeds, with ± one
         * sd as error bars when there is more than one seed, on an axis zoomed to the values.
         */
        public Figure accuracyBars() {
            Map<String, Map<String, Double>> values = new LinkedHashMap<>();
            Map<String, Map<String, Double>> errors = new LinkedHashMap<>();
            for (Map.Entry<String, double[]> e : accuracies().entrySet()) {
                values.put(e.getKey(), Map.of("test accuracy", 100 * e.getValue()[0]));
                errors.put(e.getKey(), Map.of("test accuracy", 100 * e.getValue()[1]));
            }
            String title =
                    seeds.size() == 1
                            ? "Test accuracy (seed " + seeds.get(0) + ")"
                            : "Test accuracy (mean ± sd over " + seeds.size() + " seeds)";
            return GroupedBarChart.percent(
                    values,
                    errors,
                    ChartOptions.defaults().withTitle(title).withLabels("", "Test accuracy (%)"));
        }

        /**
         * Two study rows compared seed by seed on one OOD set and one column: the per-seed
         * differences, their mean ± sd, and the number of seeds where the first row is above. The
         * evidence for a verdict such as "Adversarial-Mixup has a lower FPR@95TPR than Mixup".
         *
         * @param rowA a row label of {@link #ROWS}, e.g. {@code "Adversarial-Mixup"}
         * @param rowB another row label
         * @param oodSet the OOD set, e.g. {@code "mnist"}
         * @param column a metric's label ({@code OodMetric.AUROC.label()}), {@link #ACCURACY} or
         *     {@link #OOD_CONFIDENCE}
         * @return the comparison over {@link #seeds()}
         */
        public PairedComparison paired(String rowA, String rowB, String oodSet, String column) {
            List<ResultsTable> perSeed = new ArrayList<>();
            for (long seed : seeds) {
                perSeed.add(table(seed));
            }
            return PairedComparison.of(perSeed, rowA, rowB, oodSet, column);
        }

        /**
         * The learning curve of each trained method: the training loss per epoch, mean ± sd over
         * the seeds (the study measures no training accuracy, so the loss panel only).
         *
         * @return the chart
         */
        public Figure learningCurves() {
            Map<String, List<List<EpochResult>>> byMethod = new LinkedHashMap<>();
            for (RunRecord run : runs) {
                if (run.row().scoresWithMaxSoftmax()) {
                    byMethod.computeIfAbsent(accuracyLabel(run.row()), k -> new ArrayList<>())
                            .add(RunHistory.epochs(run.result().extra().get("history")));
                }
            }
            return LearningCurveChart.meanOverSeeds(byMethod);
        }

        /** The label of a trained method in the accuracy and learning-curve charts. */
        private static String accuracyLabel(Row row) {
            return row.method().equals("ce") ? "Cross-entropy" : row.label();
        }

        /**
         * The test accuracy of each trained method: mean and sample sd over seeds.
         *
         * @return per method label (the MSP row stands for cross-entropy), {mean, sd}
         */
        public Map<String, double[]> accuracies() {
            Map<String, List<Double>> values = new LinkedHashMap<>();
            for (RunRecord run : runs) {
                if (run.row().scoresWithMaxSoftmax()) {
                    values.computeIfAbsent(accuracyLabel(run.row()), k -> new ArrayList<>())
                            .add(run.result().testAccuracy());
                }
            }
            Map<String, double[]> out = new LinkedHashMap<>();
            values.forEach(
                    (k, v) -> {
                        MeanSd m = MeanSd.of(v);
                        out.put(k, new double[] {m.mean(), m.sd()});
                    });
            return out;
        }

        /**
         * Writes the study into a folder, all at once at the end: {@code table.csv} and {@code
         * table.md} (mean ± sd over seeds), {@code table-seed<S>.csv} per seed, {@code
         * runs/<method>-<detector>-seed<S>/} with each run's {@code results.json}, {@code
         * results.csv} and charts, and the study charts ({@code histograms-<set>.png}, {@code
         * roc-<set>.png}, {@code bars-<metric>.png}, {@code accuracy.png}, {@code
         * learning-curves.png}).
         *
         * @param out the output folder
         * @throws IOException if it cannot be written
         */
        public void write(Path out) throws IOException {
            try (StagedDirectory staged = StagedDirectory.create(out, RunFiles::isOutputName)) {
                Path dir = staged.path();
                ResultsTable table = table();
                table.writeCsv(dir.resolve("table.csv"));
                table.writeMarkdown(dir.resolve("table.md"));
                for (long seed : seeds) {
                    table(seed).writeCsv(dir.resolve("table-seed" + seed + ".csv"));
                }
                for (RunRecord run : runs) {
                    Path runDir =
                            dir.resolve("runs")
                                    .resolve(
                                            run.row().method()
                                                    + "-"
                                                    + run.row().detector()
                                                    + "-seed"
                                                    + run.seed());
                    RunFiles.write(runDir, null, null, run.result(), run.evaluation());
                }
                for (String set : firstSeed().get(0).evaluation().confidenceOut().keySet()) {
                    confidenceHistograms(set)
                            .savePng(dir.resolve("histograms-" + RunFiles.fileName(set) + ".png"));
                    rocCurves(set).savePng(dir.resolve("roc-" + RunFiles.fileName(set) + ".png"));
                }
                for (OodMetric metric : OodMetric.values()) {
                    bars(metric)
                            .savePng(
                                    dir.resolve(
                                            "bars-"
                                                    + RunFiles.fileName(
                                                            metric.key().replace('_', '-'))
                                                    + ".png"));
                }
                accuracyBars().savePng(dir.resolve("accuracy.png"));
                learningCurves().savePng(dir.resolve("learning-curves.png"));
                staged.commit();
            }
        }
    }

    /**
     * Builds an {@link AdversarialMixupStudy}; {@code build()} checks the options. The shared
     * settings ({@link TrainingSettings}) of every trained method default to the experiment's
     * ({@link Experiment.Builder}): Fashion-MNIST, LeNet ({@code resnet18} or {@code vgg16} for
     * CIFAR), 5 epochs of batch 128, Adam 10⁻³ on a cosine, progress bar AUTO on the log.
     */
    public static final class Builder extends Experiment.DataBuilder<Builder> {
        private List<Long> seeds = List.of(OodLab.DEFAULT_SEED);
        private MethodOptions adversarialMixup = MethodOptions.defaults();

        private Builder() {}

        /** One seed: the same as {@code optSeeds(List.of(seed))}. */
        @Override
        public Builder optSeed(long seed) {
            this.seeds = List.of(seed);
            return super.optSeed(seed);
        }

        /** The seeds; the whole comparison runs once per seed (default: the default seed). */
        public Builder optSeeds(List<Long> seeds) {
            this.seeds = List.copyOf(seeds);
            return this;
        }

        /**
         * The options of the Adversarial-Mixup row and of the sweep (default: the method's
         * defaults, the paper's reading), e.g. a partner, an adversarial target or a clean weight;
         * the sweep sets α and ε itself.
         */
        public Builder optAdversarialMixup(MethodOptions options) {
            this.adversarialMixup = Objects.requireNonNull(options, "options");
            return this;
        }

        private Experiment.Builder experiment() {
            Experiment.Builder experiment =
                    Experiment.builder()
                            .optSettings(settings())
                            .optSubset(subset)
                            .optTestSubset(testSubset)
                            .optOodSets(oodSets)
                            .optOodCount(oodCount)
                            .optLog(log)
                            .optDiagnostics(diagnostics);
            return progressStream() == null
                    ? experiment
                    : experiment.optProgressStream(progressStream());
        }

        /**
         * Checks the options and builds the study.
         *
         * @throws IllegalArgumentException naming the first invalid option
         */
        public AdversarialMixupStudy build() {
            if (seeds.isEmpty()) {
                throw new IllegalArgumentException("at least one seed is needed");
            }
            if (seeds.stream().distinct().count() != seeds.size()) {
                throw new IllegalArgumentException("seeds must differ, got " + seeds);
            }
            // checks model, epochs, batch size, subsets, a non-empty OOD list
            experiment().setMethod("ce").build();
            adversarialMixup.create("adversarial-mixup"); // options it does not have, ranges
            return new AdversarialMixupStudy(this);
        }
    }
}

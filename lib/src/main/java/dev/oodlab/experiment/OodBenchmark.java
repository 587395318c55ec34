package dev.oodlab.experiment;

import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.oodlab.data.Datasets;
import dev.oodlab.data.ImageSet;
import dev.oodlab.detect.OodScorer;
import dev.oodlab.io.AtomicFile;
import dev.oodlab.io.StagedDirectory;
import dev.oodlab.metrics.Metrics;
import dev.oodlab.metrics.OodMetrics;
import dev.oodlab.report.ResultsTable;
import dev.oodlab.train.Evaluation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A benchmark in one call: every detector × OOD set × metric for one trained model, with group
 * means per OOD group (near, far) and the test accuracy — what {@code oodlab benchmark} runs.
 *
 * <pre>{@code
 * try (BenchmarkModel model = BenchmarkModel.load(Path.of("model.pt"), "fashion-mnist", null)) {
 *     OodBenchmark.Result r = OodBenchmark.builder().build().run(model);
 *     Table table = r.table();          // Tablesaw
 *     r.write(Path.of("runs/bench"));   // results.json, table.csv, table.md, table.html
 * }
 * }</pre>
 *
 * <p>Per detector: fitted once on the training images ({@link BenchmarkModel#train}, or a seeded
 * subset of {@code fitSubset} of them), then a pure function of the model's outputs; its scores of
 * the test set are compared with those of each OOD set through {@link Metrics} (AUROC, AUPR-In,
 * AUPR-Out, FPR@95TPR in our in-distribution-positive convention and the OOD-positive one,
 * detection error; SPEC §4). Each seed draws the generated OOD sets ({@code uniform}, {@code
 * gaussian}) and the fitting subset anew; the reported rows are the means over the seeds (with one
 * seed, that seed's values), the tables add the standard deviation. A detector that needs the
 * penultimate features is skipped, with one line saying why, when the model does not expose them (a
 * TorchScript model whose forward returns only logits).
 */
public final class OodBenchmark {

    /** The default OOD groups of Fashion-MNIST: MNIST digits near, noise far. */
    public static final Map<String, List<String>> FASHION_MNIST_OOD =
            orderedGroups("near", List.of("mnist"), "far", List.of("uniform", "gaussian"));

    /** The results file. */
    public static final String RESULTS_JSON = "results.json";

    /** The names a benchmark writes into its folder. */
    public static final Pattern OUTPUT_NAME =
            Pattern.compile("results\\.json|table\\.(csv|md|html)");

    /** The label of a group mean's rows in the tables: {@code mean near}. */
    public static final String MEAN_PREFIX = "mean ";

    /** The extra column: FPR at 95 % of the OOD set caught (OOD positive). */
    public static final String FPR_OOD_POSITIVE = "FPR@95TPR (OOD positive)";

    private final List<String> detectors;
    private final Map<String, List<String>> ood;
    private final List<Long> seeds;
    private final int oodCount;
    private final int fitSubset;
    private final int batchSize;
    private final Consumer<String> progress;

    private OodBenchmark(Builder b) {
        this.detectors = b.detectors;
        this.ood = b.ood;
        this.seeds = b.seeds;
        this.oodCount = b.oodCount;
        this.fitSubset = b.fitSubset;
        this.batchSize = b.batchSize;
        this.progress = b.progress;
    }

    /** A builder with the defaults: every detector, the data set's OOD groups, seed 42. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The default OOD groups of a data set: Fashion-MNIST {@link #FASHION_MNIST_OOD}; otherwise its
     * default OOD sets ({@link Datasets#defaultOodSets}), all {@code far}.
     *
     * @param dataset a data set name or folder
     * @return group → sets, in order
     */
    public static Map<String, List<String>> defaultOod(String dataset) {
        if (dataset.equalsIgnoreCase("fashion-mnist")) {
            return FASHION_MNIST_OOD;
        }
        return orderedGroups("far", Datasets.defaultOodSets(dataset), null, null);
    }

    private static Map<String, List<String>> orderedGroups(
            String a, List<String> as, String b, List<String> bs) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put(a, List.copyOf(as));
        if (b != null) {
            m.put(b, List.copyOf(bs));
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * Reads {@code --ood} values: {@code group:set,set} each, e.g. {@code near:mnist} and {@code
     * far:uniform,gaussian}; a value without a group goes to {@code far}.
     *
     * @param values the values
     * @return group → sets, in order
     * @throws IllegalArgumentException for an empty group or set name, or a set given twice
     */
    public static Map<String, List<String>> parseOod(List<String> values) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        List<String> seen = new ArrayList<>();
        for (String value : values) {
            int colon = value.indexOf(':');
            String group = colon < 0 ? "far" : value.substring(0, colon).trim();
            String sets = colon < 0 ? value : value.substring(colon + 1);
            if (group.isEmpty() || !group.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException(
                        "--ood "
                                + value
                                + ": a group name is letters, digits, - or _ (e.g."
                                + " near:mnist far:uniform,gaussian)");
            }
            for (String set : sets.split(",", -1)) {
                String name = set.trim();
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("--ood " + value + ": empty OOD set name");
                }
                if (seen.contains(name.toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("--ood: set '" + name + "' given twice");
                }
                seen.add(name.toLowerCase(Locale.ROOT));
                groups.computeIfAbsent(group.toLowerCase(Locale.ROOT), g -> new ArrayList<>())
                        .add(name);
            }
        }
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("--ood names no OOD set");
        }
        return groups;
    }

    /** The benchmark's options. */
    public static final class Builder {
        private List<String> detectors = Detectors.NAMES;
        private Map<String, List<String>> ood;
        private List<Long> seeds = List.of(Experiment.OOD_SEED);
        private int oodCount = Experiment.DEFAULT_OOD_COUNT;
        private int fitSubset;
        private int batchSize = OodEvaluation.BATCH_SIZE;
        private Consumer<String> progress;

        private Builder() {}

        /** The detectors, names as {@link Detectors#parseList} reads them (default: all). */
        public Builder optDetectors(List<String> names) {
            this.detectors = Detectors.parseList(String.join(",", names));
            return this;
        }

        /** The OOD sets by group (default: {@link #defaultOod} of the model's data set). */
        public Builder optOod(Map<String, List<String>> groups) {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            groups.forEach((g, s) -> copy.put(g, List.copyOf(s)));
            if (copy.isEmpty() || copy.values().stream().anyMatch(List::isEmpty)) {
                throw new IllegalArgumentException("every OOD group needs at least one set");
            }
            this.ood = copy;
            return this;
        }

        /** The seeds of the generated OOD sets and of the fitting subset (default: 42). */
        public Builder optSeeds(List<Long> seeds) {
            if (seeds.isEmpty()) {
                throw new IllegalArgumentException("--seeds names no seed");
            }
            if (seeds.stream().distinct().count() != seeds.size()) {
                throw new IllegalArgumentException("--seeds: a seed is given twice: " + seeds);
            }
            this.seeds = List.copyOf(seeds);
            return this;
        }

        /** Images per generated OOD set, and the most taken from the others (default 10,000). */
        public Builder optOodCount(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("--ood-count must be >= 1, got " + count);
            }
            this.oodCount = count;
            return this;
        }

        /** Training images the detectors are fitted on, drawn per seed (0, default: all). */
        public Builder optFitSubset(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("--fit-subset must be >= 0, got " + n);
            }
            this.fitSubset = n;
            return this;
        }

        /** Images per forward pass (default 256). */
        public Builder optBatchSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("--batch-size must be >= 1, got " + n);
            }
            this.batchSize = n;
            return this;
        }

        /** Receives a progress line now and then ({@code null}, the default: none). */
        public Builder optProgress(Consumer<String> progress) {
            this.progress = progress;
            return this;
        }

        /** The benchmark. */
        public OodBenchmark build() {
            return new OodBenchmark(this);
        }
    }

    /**
     * One detector on one OOD set: the metrics (means over the seeds).
     *
     * @param detector the detector's name as the CLI spells it
     * @param ood the OOD set's key, or for a group mean the group
     * @param group the set's group
     * @param metrics AUROC, AUPR-In/Out, FPR@95TPR (in-distribution positive), detection error
     * @param fprAt95TprOodPositive the share of the test set rejected at 95 % of the OOD set caught
     */
    public record Row(
            String detector,
            String ood,
            String group,
            OodMetrics metrics,
            double fprAt95TprOodPositive) {

        /** The row as results.json writes it: the keys of the issue, fractions. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("detector", detector);
            m.put("ood", ood);
            m.put("group", group);
            m.put("auroc", metrics.auroc());
            m.put("aupr_in", metrics.auprIn());
            m.put("aupr_out", metrics.auprOut());
            m.put("fpr_at_95_tpr", metrics.fprAt95Tpr());
            m.put("fpr_at_95_tpr_ood_positive", fprAt95TprOodPositive);
            m.put("detection_error", metrics.detectionError());
            return m;
        }
    }

    /**
     * What a benchmark found.
     *
     * @param accuracy the test accuracy
     * @param settings every option at its effective value
     * @param rows detector × OOD set, means over the seeds
     * @param groupMeans detector × group: the mean of the group's rows
     * @param skipped detector → why it was not run
     * @param resultsTable the rendered table: per-set rows and group means ({@code mean near}),
     *     with the standard deviation over the seeds when there are several
     */
    public record Result(
            double accuracy,
            Map<String, Object> settings,
            List<Row> rows,
            List<Row> groupMeans,
            Map<String, String> skipped,
            ResultsTable resultsTable) {

        /**
         * The table as Tablesaw: columns {@code detector}, {@code OOD set}, {@code group}, the five
         * metrics, the OOD-positive FPR (and their {@code sd} with several seeds).
         */
        public Table table() {
            Table t = resultsTable.table().copy();
            StringColumn group = StringColumn.create("group");
            StringColumn set = t.stringColumn(ResultsTable.OOD_SET);
            for (int r = 0; r < t.rowCount(); r++) {
                String s = set.get(r);
                group.append(
                        s.startsWith(MEAN_PREFIX) ? s.substring(MEAN_PREFIX.length()) : groupOf(s));
            }
            t.insertColumn(2, group);
            t.column(ResultsTable.METHOD).setName("detector");
            return t;
        }

        private String groupOf(String set) {
            for (Row r : rows) {
                if (r.ood().equals(set)) {
                    return r.group();
                }
            }
            return "";
        }

        /**
         * {@code results.json}: {@code accuracy}, {@code settings}, {@code rows}, {@code
         * group_means}, {@code skipped}.
         */
        public String toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("accuracy", accuracy);
            json.put("settings", settings);
            json.put("rows", rows.stream().map(Row::toMap).toList());
            json.put("group_means", groupMeans.stream().map(Row::toMap).toList());
            json.put("skipped", skipped);
            Gson gson =
                    new GsonBuilder()
                            .setPrettyPrinting()
                            .serializeNulls()
                            .serializeSpecialFloatingPointValues()
                            .create();
            return gson.toJson(json) + "\n";
        }

        /**
         * Writes {@code results.json}, {@code table.csv} (the Tablesaw table, full precision),
         * {@code table.md} and {@code table.html} (percent) into a folder, staged and renamed into
         * place: all or nothing; an existing folder is replaced only if it holds nothing else.
         *
         * @param out the folder
         * @throws IOException if it cannot be written; the folder is then as it was
         */
        public void write(Path out) throws IOException {
            try (StagedDirectory staged =
                    StagedDirectory.create(out, n -> OUTPUT_NAME.matcher(n).matches())) {
                Path dir = staged.path();
                AtomicFile.writeString(dir.resolve(RESULTS_JSON), toJson());
                java.io.StringWriter csv = new java.io.StringWriter();
                table().write().csv(csv);
                AtomicFile.writeString(dir.resolve("table.csv"), csv.toString());
                AtomicFile.writeString(
                        dir.resolve("table.md"), header() + resultsTable.toMarkdown());
                AtomicFile.writeString(dir.resolve("table.html"), resultsTable.toHtml());
                staged.commit();
            }
        }

        /** A Markdown line before the table: model, data set, accuracy, seeds. */
        private String header() {
            return "Model "
                    + settings.get("model")
                    + " on "
                    + settings.get("dataset")
                    + ": test accuracy "
                    + String.format(Locale.ROOT, "%.2f", 100 * accuracy)
                    + " %; "
                    + (seedCount() == 1
                            ? "seed " + ((List<?>) settings.get("seeds")).get(0)
                            : "mean ± sd over seeds " + settings.get("seeds"))
                    + ". Metrics in percent.\n\n";
        }

        private int seedCount() {
            Object s = settings.get("seeds");
            return s instanceof List<?> l ? l.size() : 1;
        }

        /** The table as text, for the terminal. */
        public String toText() {
            return header() + resultsTable.toText();
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param model the model and its data
     * @return the result
     * @throws IllegalArgumentException if a detector that needs features was named explicitly on a
     *     model without them, or an OOD set does not exist or fit the images
     */
    public Result run(BenchmarkModel model) {
        Objects.requireNonNull(model, "model");
        long start = System.nanoTime();
        Map<String, List<String>> groups = ood == null ? defaultOod(model.dataset()) : ood;
        Shape shape = model.imageShape();
        String note = model.featureNote();
        Map<String, String> skipped = new LinkedHashMap<>();
        List<String> run = new ArrayList<>();
        for (String d : detectors) {
            if (note != null && Detectors.needsFeatures(d)) {
                skipped.put(d, note);
            } else {
                run.add(d);
            }
        }
        if (run.isEmpty()) {
            throw new IllegalArgumentException(
                    "no detector to run: "
                            + String.join(", ", skipped.keySet())
                            + " need features, but "
                            + note);
        }
        // the sets, per seed; a set that is not generated is the same object for every seed
        Map<String, ImageSet> fixed = new LinkedHashMap<>();
        List<Map<String, ImageSet>> setsBySeed = new ArrayList<>();
        Map<String, String> groupOf = new LinkedHashMap<>();
        for (long seed : seeds) {
            Map<String, ImageSet> sets = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> g : groups.entrySet()) {
                for (String name : g.getValue()) {
                    boolean generated =
                            Datasets.GENERATED_OOD.contains(name.toLowerCase(Locale.ROOT));
                    ImageSet set =
                            !generated && fixed.containsKey(name)
                                    ? fixed.get(name)
                                    : Datasets.outOfDistribution(
                                            name,
                                            oodCount,
                                            seed,
                                            (int) shape.get(0),
                                            (int) shape.get(1),
                                            (int) shape.get(2));
                    if (!generated) {
                        fixed.put(name, set);
                    }
                    String key = key(name, set);
                    sets.put(key, set);
                    groupOf.put(key, g.getKey());
                }
            }
            setsBySeed.add(sets);
        }
        show(start, 0, run.size(), "test accuracy of " + model.source().getFileName());
        double accuracy = Evaluation.of(model.network(), model.test(), batchSize).accuracy();
        boolean fitPerSeed = fitSubset > 0 && fitSubset < model.train().size();
        // per seed: detector → set → metrics (and the OOD-positive FPR)
        List<Map<String, Map<String, double[]>>> values = new ArrayList<>();
        for (int s = 0; s < seeds.size(); s++) {
            values.add(new LinkedHashMap<>());
        }
        for (int d = 0; d < run.size(); d++) {
            String name = run.get(d);
            OodScorer scorer = null;
            double[] in = null;
            Map<ImageSet, double[]> cache = new IdentityHashMap<>();
            for (int s = 0; s < seeds.size(); s++) {
                if (scorer == null || fitPerSeed) {
                    close(scorer);
                    ImageSet fit =
                            fitPerSeed
                                    ? model.train().sample(fitSubset, seeds.get(s))
                                    : model.train();
                    show(start, d, run.size(), name + ": fitting / scoring the test set");
                    scorer = Detectors.create(name, model.network(), () -> fit, batchSize);
                    in = scorer.scores(model.network(), model.test(), batchSize);
                    cache.clear();
                }
                Map<String, double[]> perSet = new LinkedHashMap<>();
                for (Map.Entry<String, ImageSet> e : setsBySeed.get(s).entrySet()) {
                    show(
                            start,
                            d,
                            run.size(),
                            name
                                    + ": "
                                    + e.getKey()
                                    + (seeds.size() > 1 ? ", seed " + seeds.get(s) : ""));
                    final OodScorer sc = scorer;
                    double[] out =
                            cache.computeIfAbsent(
                                    e.getValue(),
                                    set -> sc.scores(model.network(), set, batchSize));
                    Metrics m = Metrics.of(in, out);
                    OodMetrics summary = m.summary();
                    perSet.put(
                            e.getKey(),
                            new double[] {
                                summary.fprAt95Tpr(),
                                summary.auroc(),
                                summary.auprIn(),
                                summary.auprOut(),
                                summary.detectionError(),
                                m.fprAt95TprOodPositive()
                            });
                }
                values.get(s).put(name, perSet);
            }
            close(scorer);
        }
        show(start, run.size(), run.size(), "done");
        return result(model, accuracy, groups, groupOf, run, skipped, values);
    }

    private Result result(
            BenchmarkModel model,
            double accuracy,
            Map<String, List<String>> groups,
            Map<String, String> groupOf,
            List<String> run,
            Map<String, String> skipped,
            List<Map<String, Map<String, double[]>>> values) {
        List<Row> rows = new ArrayList<>();
        List<Row> means = new ArrayList<>();
        List<ResultsTable> tables = new ArrayList<>();
        for (int s = 0; s < seeds.size(); s++) {
            tables.add(table(values.get(s), groupOf, run).build());
        }
        for (String d : run) {
            Map<String, double[]> groupSums = new LinkedHashMap<>();
            Map<String, Integer> groupCounts = new LinkedHashMap<>();
            for (String set : groupOf.keySet()) {
                double[] mean = new double[6];
                for (Map<String, Map<String, double[]>> seed : values) {
                    double[] v = seed.get(d).get(set);
                    for (int i = 0; i < 6; i++) {
                        mean[i] += v[i] / seeds.size();
                    }
                }
                String g = groupOf.get(set);
                rows.add(row(d, set, g, mean));
                double[] sum = groupSums.computeIfAbsent(g, k -> new double[6]);
                for (int i = 0; i < 6; i++) {
                    sum[i] += mean[i];
                }
                groupCounts.merge(g, 1, Integer::sum);
            }
            for (Map.Entry<String, double[]> g : groupSums.entrySet()) {
                double[] mean = g.getValue().clone();
                for (int i = 0; i < 6; i++) {
                    mean[i] /= groupCounts.get(g.getKey());
                }
                means.add(row(d, g.getKey(), g.getKey(), mean));
            }
        }
        ResultsTable table = seeds.size() == 1 ? tables.get(0) : ResultsTable.meanAndSd(tables);
        return new Result(
                accuracy,
                settings(model, groups),
                List.copyOf(rows),
                List.copyOf(means),
                java.util.Collections.unmodifiableMap(skipped),
                table);
    }

    private static Row row(String detector, String set, String group, double[] v) {
        return new Row(detector, set, group, new OodMetrics(v[0], v[1], v[2], v[3], v[4]), v[5]);
    }

    /** One seed's table: the sets' rows, then each group's mean, per detector. */
    private static ResultsTable.Builder table(
            Map<String, Map<String, double[]>> seed,
            Map<String, String> groupOf,
            List<String> run) {
        ResultsTable.Builder t =
                ResultsTable.builder()
                        .optExtraColumn(
                                FPR_OOD_POSITIVE,
                                ResultsTable.Better.LOWER,
                                ResultsTable.ValueFormat.PERCENT);
        for (String d : run) {
            Map<String, double[]> sums = new LinkedHashMap<>();
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (String set : groupOf.keySet()) {
                double[] v = seed.get(d).get(set);
                t.add(d, set, row(d, set, "", v).metrics(), Map.of(FPR_OOD_POSITIVE, v[5]));
                double[] sum = sums.computeIfAbsent(groupOf.get(set), k -> new double[6]);
                for (int i = 0; i < 6; i++) {
                    sum[i] += v[i];
                }
                counts.merge(groupOf.get(set), 1, Integer::sum);
            }
            for (Map.Entry<String, double[]> g : sums.entrySet()) {
                double[] m = g.getValue().clone();
                for (int i = 0; i < 6; i++) {
                    m[i] /= counts.get(g.getKey());
                }
                t.add(
                        d,
                        MEAN_PREFIX + g.getKey(),
                        row(d, g.getKey(), "", m).metrics(),
                        Map.of(FPR_OOD_POSITIVE, m[5]));
            }
        }
        return t;
    }

    private Map<String, Object> settings(BenchmarkModel model, Map<String, List<String>> groups) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("model", model.source().toString());
        s.put("model_format", model.info() == null ? "torchscript" : "oodlab-model");
        s.put("dataset", model.dataset());
        s.put("test_images", model.test().size());
        s.put("detectors", detectors);
        s.put("ood", groups);
        s.put("seeds", seeds);
        s.put("ood_count", oodCount);
        s.put(
                "fit_images",
                fitSubset > 0 && fitSubset < model.train().size()
                        ? fitSubset
                        : model.train().size());
        s.put("batch_size", batchSize);
        s.put("features", model.featureNote() == null);
        s.put("fpr_convention", "exact");
        return s;
    }

    private static String key(String nameOrPath, ImageSet set) {
        String lower = nameOrPath.toLowerCase(Locale.ROOT);
        boolean named = Datasets.GREY_OOD.contains(lower) || Datasets.CIFAR10_OOD.contains(lower);
        return named ? lower : set.name();
    }

    private static void close(OodScorer scorer) {
        if (scorer instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void show(long start, int done, int total, String what) {
        if (progress == null) {
            return;
        }
        int width = 20;
        int filled = total == 0 ? width : (int) ((long) width * done / total);
        progress.accept(
                "benchmark ["
                        + "#".repeat(filled)
                        + "-".repeat(width - filled)
                        + "] "
                        + done
                        + "/"
                        + total
                        + " detectors, "
                        + String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - start) / 1e9)
                        + ": "
                        + what);
    }
}

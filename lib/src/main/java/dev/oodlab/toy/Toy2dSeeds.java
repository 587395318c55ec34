package dev.oodlab.toy;

import dev.oodlab.notebook.StatusLine;
import dev.oodlab.report.PairedComparison;
import dev.oodlab.report.ResultsTable;
import dev.oodlab.report.ResultsTable.Better;
import dev.oodlab.report.ResultsTable.ValueFormat;
import dev.oodlab.train.MixupConfidenceLoss;
import dev.oodlab.viz.Figure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * The 2-D toy study ({@link Toy2dStudy}) for several methods over the same seeds: every variant is
 * trained once per seed 0, 1, …, so that two variants' values pair up seed by seed (same data, same
 * evaluation points, same initialisation).
 *
 * <pre>{@code
 * Toy2dSeeds runs = Toy2dSeeds.builder()
 *         .add(Toy2dSeeds.Variant.of("ce")).add(Toy2dSeeds.Variant.of("confidence-loss"))
 *         .optSeeds(5).build().run();
 * Notebook.html(runs.table().toHtml());
 * System.out.println(runs.paired("confidence-loss", "ce", Toy2dSeeds.Measure.F1_IN));
 * }</pre>
 */
public final class Toy2dSeeds {

    /** The OOD-set label of the toy's rows in {@link #table}. */
    public static final String EVALUATION_SET = "uniform [−10, 10]²";

    /** A per-seed number of a toy run. */
    public enum Measure {
        /** F1 of "in iff max-softmax &gt; 0.8" with the in-distribution points positive. */
        F1_IN("F1 (in = positive)"),
        /** The same F1 with the OOD points positive. */
        F1_OUT("F1 (OOD = positive)"),
        /** AUROC of max-softmax, in-distribution positive. */
        AUROC("AUROC"),
        /** Classification accuracy on the evaluation points inside a disc. */
        ACCURACY("accuracy on the discs");

        private final String label;

        Measure(String label) {
            this.label = label;
        }

        /** The column name in {@link #table} and {@link #perSeed}. */
        public String label() {
            return label;
        }

        /** The measure of one run, in [0, 1]. */
        public double of(Toy2dStudy.Result r) {
            return switch (this) {
                case F1_IN -> r.f1InPositive();
                case F1_OUT -> r.f1OutPositive();
                case AUROC -> r.metrics().auroc();
                case ACCURACY -> r.accuracy();
            };
        }
    }

    /**
     * One trained configuration.
     *
     * @param label the row name in tables and comparisons
     * @param method a {@link Toy2dStudy#METHODS} name
     * @param form the form of {@code mixup-confidence}, {@code null} for the default (and for the
     *     other methods)
     * @param outlierMinDistance inner edge of the training outliers' band ({@link
     *     Toy2dStudy.Builder#optOutlierBand}), 0 for the whole square
     * @param outlierMaxDistance its outer edge, infinite for the whole square
     */
    public record Variant(
            String label,
            String method,
            MixupConfidenceLoss.Form form,
            double outlierMinDistance,
            double outlierMaxDistance) {

        /** Checks the method name. */
        public Variant {
            Objects.requireNonNull(label, "label");
            if (!Toy2dStudy.METHODS.contains(method)) {
                throw new IllegalArgumentException(
                        "unknown toy method '" + method + "'; known: " + Toy2dStudy.METHODS);
            }
            if (form != null && !method.equals("mixup-confidence")) {
                throw new IllegalArgumentException(
                        "a mixup form applies to mixup-confidence only, not to " + method);
            }
        }

        /** The method with its defaults, labelled by its name. */
        public static Variant of(String method) {
            return new Variant(method, method, null, 0, Double.POSITIVE_INFINITY);
        }

        /**
         * The confidence loss with its training outliers drawn only where the distance to the discs
         * lies in (min, max] (Lee et al.'s Figure 2 experiment).
         */
        public static Variant confidenceLoss(String label, double min, double max) {
            return new Variant(label, "confidence-loss", null, min, max);
        }

        /**
         * {@code mixup-confidence} in one form, labelled {@code "mixup-confidence (additive)"}, …
         */
        public static Variant mixup(MixupConfidenceLoss.Form form) {
            Objects.requireNonNull(form, "form");
            return new Variant(
                    "mixup-confidence (" + form.key() + ")",
                    "mixup-confidence",
                    form,
                    0,
                    Double.POSITIVE_INFINITY);
        }
    }

    private final List<Variant> variants;
    private final int seeds;
    private final int epochs;
    private final int jointEpochs;
    private final int[] snapshotEpochs;
    private final boolean progress;
    private final Map<String, List<Toy2dStudy.Result>> results = new LinkedHashMap<>();

    private Toy2dSeeds(Builder b) {
        this.variants = List.copyOf(b.variants);
        this.seeds = b.seeds;
        this.epochs = b.epochs;
        this.jointEpochs = b.jointEpochs;
        this.snapshotEpochs = b.snapshotEpochs;
        this.progress = b.progress;
    }

    /** A builder: add the variants, then the seeds and epochs. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains every variant on every seed (variants in the order added, seeds 0, 1, …); with
     * progress on, one status line says which run is going.
     *
     * @return this, with the results
     */
    public Toy2dSeeds run() {
        results.clear();
        long started = System.nanoTime();
        try (StatusLine status = progress ? StatusLine.open() : null) {
            for (Variant v : variants) {
                List<Toy2dStudy.Result> runs = new ArrayList<>();
                for (int s = 0; s < seeds; s++) {
                    if (status != null) {
                        status.show(
                                String.format(
                                        Locale.ROOT, "%s, seed %d of %d", v.label(), s + 1, seeds));
                    }
                    boolean joint = v.method().equals("joint");
                    Toy2dStudy.Builder b =
                            Toy2dStudy.builder()
                                    .setMethod(v.method())
                                    .optSeed(s)
                                    .optEpochs(joint ? jointEpochs : epochs);
                    if (v.form() != null) {
                        b.optMixupForm(v.form());
                    }
                    if (v.outlierMinDistance() > 0
                            || v.outlierMaxDistance() < Double.POSITIVE_INFINITY) {
                        b.optOutlierBand(v.outlierMinDistance(), v.outlierMaxDistance());
                    }
                    if (joint && s == 0) {
                        b.optSnapshotEpochs(snapshotEpochs);
                    }
                    runs.add(b.build().run());
                }
                results.put(v.label(), List.copyOf(runs));
            }
            if (status != null) {
                status.show(
                        String.format(
                                Locale.ROOT,
                                "%d variants × %d seeds in %.0f s",
                                variants.size(),
                                seeds,
                                (System.nanoTime() - started) / 1e9));
            }
        }
        return this;
    }

    /** The variants' labels, in order. */
    public List<String> labels() {
        return variants.stream().map(Variant::label).toList();
    }

    /**
     * A variant's runs, seed 0 first.
     *
     * @throws IllegalArgumentException for a label that was not run
     */
    public List<Toy2dStudy.Result> results(String label) {
        List<Toy2dStudy.Result> r = results.get(label);
        if (r == null) {
            throw new IllegalArgumentException(
                    "no runs of '" + label + "' (run() first?); known: " + results.keySet());
        }
        return r;
    }

    /** A variant's value of a measure per seed, in [0, 1]. */
    public double[] values(String label, Measure measure) {
        return results(label).stream().mapToDouble(measure::of).toArray();
    }

    /**
     * The per-seed differences a − b of a measure, with their mean ± sd and the count of seeds
     * where a is above b.
     */
    public PairedComparison paired(String a, String b, Measure measure) {
        return PairedComparison.of(a, values(a, measure), b, values(b, measure));
    }

    /**
     * One row per seed, one column per variant: the measure on that seed.
     *
     * @param measure what to show
     * @return the table, values in [0, 1]
     */
    public Table perSeed(Measure measure) {
        Table t = Table.create(measure.label() + " per seed", IntColumn.create("seed"));
        for (int s = 0; s < seeds; s++) {
            t.intColumn("seed").append(s);
        }
        for (String label : labels()) {
            t.addColumns(DoubleColumn.create(label, values(label, measure)));
        }
        return t;
    }

    /**
     * The max-softmax maps of every variant's run on one seed, side by side, each titled with the
     * variant's label and its two F1 values.
     *
     * @param seed the seed, from 0
     * @param columns maps per row
     * @return the grid of maps
     */
    public Figure decisionMaps(int seed, int columns) {
        List<Figure> maps = new ArrayList<>();
        for (String label : labels()) {
            Toy2dStudy.Result r = results(label).get(seed);
            maps.add(
                    r.decisionMap(
                            String.format(
                                    Locale.ROOT,
                                    "%s: F1 in %.3f, F1 out %.3f",
                                    label,
                                    r.f1InPositive(),
                                    r.f1OutPositive())));
        }
        return Figure.grid(maps, columns);
    }

    /**
     * Mean ± sd over the seeds of each variant: the five threshold-free metrics of max-softmax on
     * the evaluation points, both F1s and the accuracy on the discs, best of each column in bold.
     */
    public ResultsTable table() {
        ResultsTable.Builder t = ResultsTable.builder();
        for (Measure m : List.of(Measure.F1_IN, Measure.F1_OUT, Measure.ACCURACY)) {
            t.optExtraColumn(m.label(), Better.HIGHER, ValueFormat.PERCENT);
        }
        for (String label : labels()) {
            for (Toy2dStudy.Result r : results(label)) {
                Map<String, Double> extra = new LinkedHashMap<>();
                for (Measure m : List.of(Measure.F1_IN, Measure.F1_OUT, Measure.ACCURACY)) {
                    extra.put(m.label(), m.of(r));
                }
                t.add(label, EVALUATION_SET, r.metrics(), extra);
            }
        }
        return t.build().meanAndSd();
    }

    /** Builds a {@link Toy2dSeeds}. */
    public static final class Builder {
        private final List<Variant> variants = new ArrayList<>();
        private int seeds = 5;
        private int epochs = Toy2dStudy.DEFAULT_EPOCHS;
        private int jointEpochs = Toy2dStudy.DEFAULT_JOINT_EPOCHS;
        private int[] snapshotEpochs = new int[0];
        private boolean progress = true;

        private Builder() {}

        /** Adds a variant; labels must be distinct. */
        public Builder add(Variant variant) {
            Objects.requireNonNull(variant, "variant");
            if (variants.stream().anyMatch(v -> v.label().equals(variant.label()))) {
                throw new IllegalArgumentException("variant '" + variant.label() + "' added twice");
            }
            variants.add(variant);
            return this;
        }

        /** The number of seeds, 0 … n − 1 (default 5). */
        public Builder optSeeds(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("seeds must be >= 1, got " + n);
            }
            this.seeds = n;
            return this;
        }

        /**
         * Epochs of the classifier-only methods and of the joint method (defaults {@link
         * Toy2dStudy#DEFAULT_EPOCHS} and {@link Toy2dStudy#DEFAULT_JOINT_EPOCHS}).
         */
        public Builder optEpochs(int epochs, int jointEpochs) {
            if (epochs < 1 || jointEpochs < 1) {
                throw new IllegalArgumentException(
                        "epochs must be >= 1, got " + epochs + " and " + jointEpochs);
            }
            this.epochs = epochs;
            this.jointEpochs = jointEpochs;
            return this;
        }

        /**
         * Epochs after which the joint method's seed-0 run records a {@link Toy2dStudy.Snapshot}.
         */
        public Builder optSnapshotEpochs(int... epochs) {
            this.snapshotEpochs = epochs.clone();
            return this;
        }

        /** Whether {@link #run} shows a status line (default on). */
        public Builder optProgress(boolean on) {
            this.progress = on;
            return this;
        }

        /**
         * Builds the study.
         *
         * @throws IllegalStateException if no variant was added
         */
        public Toy2dSeeds build() {
            if (variants.isEmpty()) {
                throw new IllegalStateException("add at least one variant");
            }
            return new Toy2dSeeds(this);
        }
    }
}

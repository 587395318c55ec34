package dev.oodlab.toy;

import ai.djl.ndarray.types.Shape;
import dev.oodlab.OodLab;
import dev.oodlab.data.ImageSet;
import dev.oodlab.data.Toy2d;
import dev.oodlab.gan.GanModels;
import dev.oodlab.gan.JointConfidenceTraining;
import dev.oodlab.metrics.Metrics;
import dev.oodlab.metrics.OodMetrics;
import dev.oodlab.metrics.PositiveClass;
import dev.oodlab.nn.Network;
import dev.oodlab.train.Evaluation;
import dev.oodlab.train.Fit;
import dev.oodlab.train.MixupConfidenceLoss;
import dev.oodlab.train.ParameterOptimizer;
import dev.oodlab.train.ProgressBar;
import dev.oodlab.train.TrainingMethod;
import dev.oodlab.train.TrainingMethods;
import dev.oodlab.train.TrainingSettings;
import dev.oodlab.viz.Figure;
import dev.oodlab.viz.HeatMap;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One run of the 2-D toy study (Kim &amp; Chung's protocol): train the {@code toy-mlp} (2-64-64-2,
 * ReLU, Adam 1e−3) on two discs of 1000 points each with one method, then measure how well
 * "in-distribution iff max-softmax &gt; 0.8" separates the 2000 evaluation points uniform in [−10,
 * 10]² that fall in a disc from those that do not.
 *
 * <table>
 *   <caption>Methods</caption>
 *   <tr><th>name</th><th>training</th></tr>
 *   <tr><td>{@code ce}</td><td>cross-entropy on the discs</td></tr>
 *   <tr><td>{@code confidence-loss}</td><td>+ β·KL(u ‖ p) on 2000 points uniform outside the
 *       discs (Lee et al., ICLR 2018; β = 1)</td></tr>
 *   <tr><td>{@code mixup-confidence}</td><td>the confidence loss on the clean points plus on
 *       mixed in-distribution pairs and mixed OOD pairs (Kim &amp; Chung; {@link
 *       MixupConfidenceLoss}, whose {@link Builder#optMixupForm form} may replace the clean
 *       terms instead)</td></tr>
 *   <tr><td>{@code joint}</td><td>the joint confidence loss: a GAN's samples instead of the OOD
 *       points ({@link JointConfidenceTraining})</td></tr>
 * </table>
 *
 * Every random choice (the data, the initialisation, the shuffles) follows from the seed. F1 is
 * reported with either class positive ({@link Metrics#f1AtThreshold}).
 */
public final class Toy2dStudy {

    /** The method names {@link Builder#setMethod} accepts. */
    public static final List<String> METHODS =
            List.of("ce", "confidence-loss", "mixup-confidence", "joint");

    /** "In-distribution" is predicted when the maximum softmax probability exceeds this. */
    public static final double THRESHOLD = 0.8;

    /** Training points per disc. */
    public static final int POINTS_PER_CLASS = 1000;

    /** OOD training points (confidence-loss methods). */
    public static final int OOD_POINTS = 2000;

    /** Evaluation points. */
    public static final int EVALUATION_POINTS = 2000;

    /** Default epochs of the classifier-only methods (20 steps of 100 points each). */
    public static final int DEFAULT_EPOCHS = 100;

    /** Default epochs of the joint method (the GAN needs more steps). */
    public static final int DEFAULT_JOINT_EPOCHS = 150;

    /** Length of the toy generator's latent vector. */
    public static final int LATENT_SIZE = 8;

    /**
     * The directions of {@link Result#rays}, in degrees: 45° and 225° through the disc centres,
     * 135° and 315° between the discs, 0° and 90° in between.
     */
    static final double[] RAY_ANGLES = {0, 45, 90, 135, 225, 315};

    /** How far {@link Result#rays} go: ten times the half-width of the plane. */
    public static final double RAY_LENGTH = 100;

    static final int RAY_STEPS = 200;

    /** Generated points drawn per snapshot of the joint method. */
    public static final int SNAPSHOT_POINTS = 300;

    private final String method;
    private final long seed;
    private final int epochs;
    private final int batchSize;
    private final int resolution;
    private final int[] snapshotEpochs;
    private final TrainingSettings settings;
    private final MixupConfidenceLoss.Form mixupForm;
    private final double outlierMinDistance;
    private final double outlierMaxDistance;

    private Toy2dStudy(Builder b) {
        this.method = b.method;
        this.outlierMinDistance = b.outlierMinDistance;
        this.outlierMaxDistance = b.outlierMaxDistance;
        this.mixupForm = b.mixupForm;
        this.settings =
                b.epochsChosen || !method.equals("joint")
                        ? b.settings()
                        : b.settings().withEpochs(DEFAULT_JOINT_EPOCHS);
        this.seed = settings.seed();
        this.epochs = settings.epochs();
        this.batchSize = settings.batchSize();
        this.resolution = b.resolution;
        this.snapshotEpochs = b.snapshotEpochs;
    }

    /** A builder; the method is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Generated points of the joint method after an epoch, over the max-softmax map of that moment.
     *
     * @param epoch the number of epochs done
     * @param maxSoftmax the map ({@link #maxSoftmaxGrid} layout)
     * @param x the generated points' x
     * @param y the generated points' y
     */
    public record Snapshot(int epoch, double[][] maxSoftmax, double[] x, double[] y) {}

    /**
     * The outcome of one run.
     *
     * @param method the method name
     * @param seed the seed
     * @param threshold the max-softmax threshold δ (0.8)
     * @param f1InPositive F1 with the in-distribution points positive
     * @param f1OutPositive F1 with the OOD points positive
     * @param metrics the five threshold-free metrics of max-softmax on the evaluation set
     * @param accuracy classification accuracy on the evaluation points inside a disc
     * @param maxSoftmax the max-softmax map over [−10, 10]² ({@link #maxSoftmaxGrid} layout)
     * @param training the training points (for drawing)
     * @param snapshots the joint method's snapshots (empty for the others)
     * @param rays the trained network along six rays (0°, 45°, 90°, 135°, 225°, 315°) out to {@link
     *     #RAY_LENGTH} (Hein et al.'s argument, {@link RayConfidence})
     */
    public record Result(
            String method,
            long seed,
            double threshold,
            double f1InPositive,
            double f1OutPositive,
            OodMetrics metrics,
            double accuracy,
            double[][] maxSoftmax,
            ImageSet training,
            List<Snapshot> snapshots,
            RayConfidence rays) {

        /** The max-softmax map with the training points on top, titled with the F1 scores. */
        public Figure decisionMap() {
            return decisionMap(
                    String.format(
                            Locale.ROOT,
                            "%s: F1 in %.3f, F1 out %.3f",
                            method,
                            f1InPositive,
                            f1OutPositive));
        }

        /** The max-softmax map with the training points on top. */
        public Figure decisionMap(String title) {
            return heatMap(maxSoftmax, title, training, null, null);
        }

        /**
         * The grid's max-softmax values (the {@link #maxSoftmax} map) by where a grid point lies:
         * "inside a disc", "within {@code near} of a disc" and "farther than {@code near} from
         * both", by {@link Toy2d#distanceToDiscs}. For a table: {@code
         * ConfidenceTable.of(result.maxSoftmaxByRegion(2), 0.99, 0.999)}.
         *
         * @param near the width of the band around the discs
         * @return the three regions in that order, each with the values of its grid points
         */
        public Map<String, double[]> maxSoftmaxByRegion(double near) {
            if (!(near > 0)) {
                throw new IllegalArgumentException("near must be > 0, got " + near);
            }
            int res = maxSoftmax.length;
            List<List<Double>> regions =
                    List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (int row = 0; row < res; row++) {
                for (int col = 0; col < res; col++) {
                    double x = -Toy2d.HALF_WIDTH + 2 * Toy2d.HALF_WIDTH * col / (res - 1);
                    double y = -Toy2d.HALF_WIDTH + 2 * Toy2d.HALF_WIDTH * row / (res - 1);
                    double d = Toy2d.distanceToDiscs(x, y);
                    regions.get(d <= 0 ? 0 : d <= near ? 1 : 2).add(maxSoftmax[row][col]);
                }
            }
            String w = BigDecimal.valueOf(near).stripTrailingZeros().toPlainString();
            List<String> names =
                    List.of(
                            "inside a disc",
                            "within " + w + " of a disc",
                            "farther than " + w + " from both");
            Map<String, double[]> out = new LinkedHashMap<>();
            for (int r = 0; r < 3; r++) {
                out.put(
                        names.get(r),
                        regions.get(r).stream().mapToDouble(Double::doubleValue).toArray());
            }
            return out;
        }

        /** A snapshot's map with its generated points and the training points on top. */
        public Figure snapshotMap(Snapshot s) {
            return heatMap(
                    s.maxSoftmax(),
                    "joint, after " + s.epoch() + " epochs",
                    training,
                    s.x(),
                    s.y());
        }
    }

    /** Trains and evaluates. */
    public Result run() {
        OodLab.init();
        ImageSet train = Toy2d.discs(POINTS_PER_CLASS, seed);
        ImageSet evaluation = Toy2d.evaluationSet(EVALUATION_POINTS, seed + 2);
        List<Snapshot> snapshots = new ArrayList<>();
        try (Network network = Network.create("toy-mlp", new Shape(2), 2, seed)) {
            if (method.equals("joint")) {
                trainJoint(network, train, snapshots);
            } else {
                Fit.Builder fit =
                        Fit.builder()
                                .setMethod(trainingMethod())
                                .optSettings(settings)
                                .optOptimizer(ParameterOptimizer.adam())
                                .optTrainingAccuracy(false);
                if (TrainingMethods.descriptor(method).needsOutliers()) {
                    fit.optOutliers(
                                    Toy2d.outsideDiscs(
                                            OOD_POINTS,
                                            outlierMinDistance,
                                            outlierMaxDistance,
                                            seed + 1))
                            .optOutlierBatchSize(batchSize);
                }
                fit.build().run(network, train);
            }
            Evaluation eval = Evaluation.of(network, evaluation, 500);
            double[] scores = eval.maxSoftmax();
            int[] predicted = eval.predictions();
            int inCount = 0;
            for (int label : evaluation.labels()) {
                inCount += label;
            }
            double[] in = new double[inCount];
            double[] out = new double[scores.length - inCount];
            int correct = 0;
            for (int i = 0, a = 0, b = 0; i < scores.length; i++) {
                if (evaluation.label(i) == 1) {
                    in[a++] = scores[i];
                    float x = evaluation.pixels()[2 * i];
                    correct += predicted[i] == (x > 0 ? 1 : 0) ? 1 : 0;
                } else {
                    out[b++] = scores[i];
                }
            }
            Metrics metrics = Metrics.of(in, out);
            return new Result(
                    method,
                    seed,
                    THRESHOLD,
                    metrics.f1AtThreshold(THRESHOLD, PositiveClass.IN),
                    metrics.f1AtThreshold(THRESHOLD, PositiveClass.OUT),
                    metrics.summary(),
                    correct / (double) inCount,
                    maxSoftmaxGrid(network, resolution),
                    train,
                    List.copyOf(snapshots),
                    RayConfidence.of(network, RAY_ANGLES, RAY_LENGTH, RAY_STEPS));
        }
    }

    private TrainingMethod trainingMethod() {
        Map<String, Object> options = new LinkedHashMap<>();
        if (mixupForm != null) {
            options.put("mixup-form", mixupForm.key());
        }
        return TrainingMethods.create(method, options);
    }

    private void trainJoint(Network network, ImageSet train, List<Snapshot> snapshots) {
        try (Network generator =
                        Network.of(GanModels.toyGenerator(), new Shape(LATENT_SIZE), 2, seed + 3);
                Network discriminator =
                        Network.of(GanModels.toyDiscriminator(), new Shape(2), 1, seed + 4)) {
            JointConfidenceTraining[] holder = new JointConfidenceTraining[1];
            holder[0] =
                    JointConfidenceTraining.builder()
                            .setClassifier(network)
                            .setGenerator(generator)
                            .setDiscriminator(discriminator)
                            .optSettings(settings)
                            .optEpochListener(
                                    losses -> {
                                        int done = losses.epoch() + 1;
                                        if (Arrays.stream(snapshotEpochs).anyMatch(e -> e == done)
                                                || done == epochs) {
                                            float[] xy =
                                                    holder[0].sample(SNAPSHOT_POINTS, seed + 5);
                                            double[] x = new double[SNAPSHOT_POINTS];
                                            double[] y = new double[SNAPSHOT_POINTS];
                                            for (int i = 0; i < SNAPSHOT_POINTS; i++) {
                                                x[i] = xy[2 * i];
                                                y[i] = xy[2 * i + 1];
                                            }
                                            snapshots.add(
                                                    new Snapshot(
                                                            done,
                                                            maxSoftmaxGrid(network, resolution),
                                                            x,
                                                            y));
                                        }
                                    })
                            .build();
            holder[0].run(train);
        }
    }

    /**
     * The maximum softmax probability of a 2-D classifier on a {@code resolution²} grid over [−10,
     * 10]², as {@code grid[row][column]} with row 0 at the bottom (y = −10), the layout {@link
     * HeatMap} draws.
     *
     * @param network a classifier of 2-D points
     * @param resolution points per side, ≥ 2
     * @return the map
     */
    public static double[][] maxSoftmaxGrid(Network network, int resolution) {
        ImageSet grid = Toy2d.grid(resolution);
        double[] scores = Evaluation.of(network, grid, 4096).maxSoftmax();
        double[][] map = new double[resolution][resolution];
        for (int row = 0; row < resolution; row++) {
            // Toy2d.grid goes from the top row down; the heat map's row 0 is the bottom.
            System.arraycopy(scores, row * resolution, map[resolution - 1 - row], 0, resolution);
        }
        return map;
    }

    /**
     * A max-softmax map over [−10, 10]² (colour range 0.5 to 1) with the training points and,
     * optionally, generated points on top, one unit of x as long as one of y.
     *
     * @param map the map ({@link #maxSoftmaxGrid} layout)
     * @param title the title
     * @param training the training points, or {@code null}
     * @param x generated points' x, or {@code null}
     * @param y generated points' y, or {@code null}
     * @return the figure
     */
    public static Figure heatMap(
            double[][] map, String title, ImageSet training, double[] x, double[] y) {
        // Grid points are cell centres: the cells reach half a step beyond ±10.
        double half = Toy2d.HALF_WIDTH / (map.length - 1);
        HeatMap.Builder b =
                HeatMap.builder()
                        .setValues(map)
                        .optXRange(-Toy2d.HALF_WIDTH - half, Toy2d.HALF_WIDTH + half)
                        .optYRange(-Toy2d.HALF_WIDTH - half, Toy2d.HALF_WIDTH + half)
                        .optValueRange(0.5, 1.0)
                        .optEqualAspect(true)
                        .optTitle(title)
                        .optColorBarTitle("max softmax");
        if (training != null) {
            for (int label = 0; label < 2; label++) {
                List<double[]> pts = new ArrayList<>();
                for (int i = 0; i < training.size(); i += 4) {
                    if (training.label(i) == label) {
                        pts.add(
                                new double[] {
                                    training.pixels()[2 * i], training.pixels()[2 * i + 1]
                                });
                    }
                }
                b.optPoints(
                        "class " + label,
                        pts.stream().mapToDouble(p -> p[0]).toArray(),
                        pts.stream().mapToDouble(p -> p[1]).toArray());
            }
        }
        if (x != null) {
            b.optPoints("generated", x, y);
        }
        return b.build();
    }

    /**
     * Configures a {@link Toy2dStudy}. The shared settings ({@link TrainingSettings}) default to
     * {@link #DEFAULT_EPOCHS} epochs ({@link #DEFAULT_JOINT_EPOCHS} for {@code joint}) of batch
     * 100, Adam at a constant 10⁻³, seed 42, no progress bar.
     */
    public static final class Builder extends TrainingSettings.Builder<Builder> {
        private String method;
        private boolean epochsChosen;
        private int resolution = 121;
        private int[] snapshotEpochs = {};
        private MixupConfidenceLoss.Form mixupForm;
        private double outlierMinDistance = 0;
        private double outlierMaxDistance = Double.POSITIVE_INFINITY;

        private Builder() {
            super(
                    TrainingSettings.defaults()
                            .withEpochs(DEFAULT_EPOCHS)
                            .withBatchSize(100)
                            .withProgress(ProgressBar.Mode.OFF),
                    System.out);
        }

        /** The method, one of {@link #METHODS} (required). */
        public Builder setMethod(String name) {
            this.method = Objects.requireNonNull(name, "method");
            return this;
        }

        /**
         * Epochs of training (default {@link #DEFAULT_EPOCHS}, {@link #DEFAULT_JOINT_EPOCHS} for
         * {@code joint}).
         */
        @Override
        public Builder optEpochs(int epochs) {
            this.epochsChosen = true;
            return super.optEpochs(epochs);
        }

        /** Grid points per side of the max-softmax map (default 121). */
        public Builder optGridResolution(int resolution) {
            if (resolution < 2) {
                throw new IllegalArgumentException(
                        "grid resolution must be >= 2, got " + resolution);
            }
            this.resolution = resolution;
            return this;
        }

        /** Epochs after which the joint method records a {@link Snapshot} (the last always). */
        public Builder optSnapshotEpochs(int... epochs) {
            this.snapshotEpochs = epochs.clone();
            return this;
        }

        /**
         * The form of {@code mixup-confidence}: the mixed terms in addition to the clean ones
         * (default) or instead of them. Only {@code mixup-confidence} has it.
         */
        public Builder optMixupForm(MixupConfidenceLoss.Form form) {
            this.mixupForm = Objects.requireNonNull(form, "form");
            return this;
        }

        /**
         * Where the {@value #OOD_POINTS} training outliers of the outlier methods lie: uniform over
         * the points of [−10, 10]² whose distance to the discs is in (min, max] ({@link
         * Toy2d#outsideDiscs(int, double, double, long)}). Default (0, ∞): the whole square outside
         * the discs. A band near the discs or only far points is Lee et al.'s Figure 2 experiment.
         *
         * @param min the inner edge, ≥ 0
         * @param max the outer edge, &gt; min
         */
        public Builder optOutlierBand(double min, double max) {
            if (!(min >= 0 && max > min)) {
                throw new IllegalArgumentException(
                        "outlier band (" + min + ", " + max + "] must satisfy 0 <= min < max");
            }
            this.outlierMinDistance = min;
            this.outlierMaxDistance = max;
            return this;
        }

        /**
         * Checks the method and builds the study.
         *
         * @throws IllegalArgumentException for a missing or unknown method, or a mixup form set for
         *     another method than {@code mixup-confidence}
         */
        public Toy2dStudy build() {
            if (method == null) {
                throw new IllegalArgumentException("a method is required (setMethod)");
            }
            String key = method.toLowerCase(Locale.ROOT);
            if (!METHODS.contains(key)) {
                throw new IllegalArgumentException(
                        "unknown method '" + method + "'; known: " + String.join(", ", METHODS));
            }
            if (mixupForm != null
                    && !(METHODS.contains(key)
                            && TrainingMethods.methodsWith("mixup-form").contains(key))) {
                throw new IllegalArgumentException(
                        "method "
                                + key
                                + " has no option mixup-form (only "
                                + String.join(", ", TrainingMethods.methodsWith("mixup-form"))
                                + ")");
            }
            boolean band = outlierMinDistance > 0 || outlierMaxDistance < Double.POSITIVE_INFINITY;
            if (band && (key.equals("ce") || key.equals("joint"))) {
                throw new IllegalArgumentException(
                        "method " + key + " trains on no outlier set, so it has no outlier band");
            }
            settings().check();
            method = key;
            return new Toy2dStudy(this);
        }
    }
}

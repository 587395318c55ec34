package dev.oodlab.spark;

import dev.oodlab.OodLab;
import dev.oodlab.data.Datasets;
import dev.oodlab.data.ImageFolder;
import dev.oodlab.data.ImageSet;
import dev.oodlab.detect.OodScorer;
import dev.oodlab.experiment.Detectors;
import dev.oodlab.experiment.ModelDirectory;
import dev.oodlab.experiment.ModelInfo;
import dev.oodlab.metrics.Metrics;
import dev.oodlab.metrics.OodMetrics;
import java.io.Serializable;
import java.lang.ref.SoftReference;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * OOD scoring of large image sets over a Spark cluster, {@code mapPartitions} style: the images are
 * cut into blocks of {@code batchSize} consecutive images; each partition loads the model and the
 * detector once (DJL's pattern for Spark) and scores its blocks, one forward pass per block; the
 * scores come back as a DataFrame with the columns {@code set}, {@code index}, {@code path} (the
 * image file, or empty for images of a data set) and {@code score}. {@link #metrics} collects the
 * scores and computes the metrics exactly, as {@code oodlab evaluate} would on the same scores.
 *
 * <p>A block is exactly the batch that {@link OodScorer#scores(dev.oodlab.nn.Network, ImageSet,
 * int)} forms on one machine with the same batch size (images {@code [k·b, (k+1)·b)}), so the
 * scores are the local scores, bit for bit, whatever the partitioning.
 *
 * <p>A set is either a folder of image files (every image below it in sorted path order, as {@link
 * ImageFolder} reads it; e.g. a TinyImages-style folder of hundreds of thousands of files) or
 * {@link #TEST}: the test split of the model's in-distribution data set. On a cluster, the model
 * folder and the image folders must be paths every executor sees, and the data sets must be in each
 * executor's data directory ({@code OODLAB_DATA}).
 */
public final class DistributedScoring {

    /** The set source that stands for the test split of the model's data set. */
    public static final String TEST = "test";

    /** The schema of the scores. */
    public static final StructType SCHEMA =
            DataTypes.createStructType(
                    List.of(
                            DataTypes.createStructField("set", DataTypes.StringType, false),
                            DataTypes.createStructField("index", DataTypes.LongType, false),
                            DataTypes.createStructField("path", DataTypes.StringType, false),
                            DataTypes.createStructField("score", DataTypes.DoubleType, false)));

    /**
     * The splits of the in-distribution data sets read in this JVM (an executor's partitions share
     * them; the memory may be reclaimed when short).
     */
    private static final Map<String, SoftReference<ImageSet[]>> SPLITS = new ConcurrentHashMap<>();

    private DistributedScoring() {}

    /** The splits of a data set, read once per JVM while memory allows. */
    private static ImageSet[] splits(String dataset) {
        SoftReference<ImageSet[]> ref = SPLITS.get(dataset);
        ImageSet[] splits = ref == null ? null : ref.get();
        if (splits == null) {
            splits = Datasets.inDistribution(dataset);
            SPLITS.put(dataset, new SoftReference<>(splits));
        }
        return splits;
    }

    /**
     * Images {@code [first, first + count)} of a set, scored in one forward pass.
     *
     * @param set the set's name
     * @param source a folder, or {@link #TEST}
     * @param first the index of the block's first image in the set
     * @param files the block's image files (empty for {@link #TEST})
     * @param count the number of images
     */
    record Block(String set, String source, long first, List<String> files, int count)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * Scores image sets on the cluster.
     *
     * @param spark the session
     * @param model a model folder written by {@code oodlab train}
     * @param detector a detector name ({@link Detectors#NAMES})
     * @param sets per set name, a folder of images or {@link #TEST}
     * @param batchSize images per block (the forward-pass batch)
     * @param partitions the number of partitions (each loads the model once)
     * @return the scores, one row per image
     */
    public static Dataset<Row> score(
            SparkSession spark,
            Path model,
            String detector,
            Map<String, String> sets,
            int batchSize,
            int partitions) {
        if (batchSize < 1 || partitions < 1) {
            throw new IllegalArgumentException("batchSize and partitions must be >= 1");
        }
        String name = Detectors.checkName(detector);
        ModelInfo info = ModelDirectory.readInfo(model);
        List<Block> blocks = new ArrayList<>();
        for (Map.Entry<String, String> set : sets.entrySet()) {
            if (set.getValue().equals(TEST)) {
                int n = splits(info.dataset())[1].size();
                for (int first = 0; first < n; first += batchSize) {
                    int count = Math.min(batchSize, n - first);
                    blocks.add(new Block(set.getKey(), TEST, first, List.of(), count));
                }
            } else {
                List<Path> files = ImageFolder.imageFiles(Paths.get(set.getValue()));
                for (int first = 0; first < files.size(); first += batchSize) {
                    List<String> block = new ArrayList<>();
                    for (Path f : files.subList(first, Math.min(first + batchSize, files.size()))) {
                        block.add(f.toString());
                    }
                    blocks.add(new Block(set.getKey(), set.getValue(), first, block, block.size()));
                }
            }
        }
        String modelPath = model.toAbsolutePath().toString();
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Block> rdd =
                context.parallelize(blocks, Math.max(1, Math.min(partitions, blocks.size())));
        JavaRDD<Row> rows =
                rdd.mapPartitions(part -> scorePartition(part, modelPath, name, batchSize));
        return spark.createDataFrame(rows, SCHEMA);
    }

    /** One partition: the model and detector loaded once, then every block scored. */
    private static Iterator<Row> scorePartition(
            Iterator<Block> blocks, String modelPath, String detector, int batchSize) {
        List<Row> out = new ArrayList<>();
        if (!blocks.hasNext()) {
            return out.iterator();
        }
        OodLab.init();
        Path model = Paths.get(modelPath);
        ModelInfo info = ModelDirectory.readInfo(model);
        ImageSet[] splits = null;
        try (ModelDirectory.Loaded loaded = ModelDirectory.load(model)) {
            Supplier<ImageSet> train =
                    () -> {
                        ImageSet all = splits(info.dataset())[0];
                        return info.subset() > 0 && info.subset() < all.size()
                                ? all.sample(info.subset(), info.seed())
                                : all;
                    };
            OodScorer scorer = Detectors.create(detector, loaded.network(), train, batchSize);
            long[] shape = loaded.network().inputShape().getShape();
            int channels = (int) shape[0];
            int height = (int) shape[1];
            int width = (int) shape[2];
            while (blocks.hasNext()) {
                Block block = blocks.next();
                ImageSet images;
                if (block.source().equals(TEST)) {
                    if (splits == null) {
                        splits = splits(info.dataset());
                    }
                    int[] indices = new int[block.count()];
                    for (int i = 0; i < indices.length; i++) {
                        indices[i] = (int) block.first() + i;
                    }
                    images = splits[1].select(indices, block.set());
                } else {
                    List<Path> files = new ArrayList<>();
                    for (String f : block.files()) {
                        files.add(Paths.get(f));
                    }
                    images =
                            ImageFolder.readFiles(
                                    files,
                                    block.set(),
                                    channels,
                                    height,
                                    width,
                                    ImageFolder.SizeRule.EXACT);
                }
                double[] scores = scorer.scores(loaded.network(), images, block.count());
                for (int i = 0; i < scores.length; i++) {
                    out.add(
                            RowFactory.create(
                                    block.set(),
                                    block.first() + i,
                                    block.files().isEmpty() ? "" : block.files().get(i),
                                    scores[i]));
                }
            }
        }
        return out.iterator();
    }

    /**
     * The scores, collected: per set, its scores in index order.
     *
     * @param scores the DataFrame of {@link #score}
     * @return per set (in name order), its scores
     */
    public static Map<String, double[]> collect(Dataset<Row> scores) {
        Map<String, List<Row>> bySet = new java.util.TreeMap<>();
        for (Row row : scores.collectAsList()) {
            bySet.computeIfAbsent(row.getString(0), k -> new ArrayList<>()).add(row);
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        bySet.forEach(
                (set, rows) -> {
                    double[] values = new double[rows.size()];
                    for (Row row : rows) {
                        long index = row.getLong(1);
                        if (index < 0 || index >= values.length) {
                            throw new IllegalStateException(
                                    "set " + set + ": index " + index + " of " + values.length);
                        }
                        values[(int) index] = row.getDouble(3);
                    }
                    out.put(set, values);
                });
        return out;
    }

    /**
     * The OOD metrics of each set against the in-distribution set, computed exactly on the
     * collected scores ({@link Metrics#evaluate(double[], double[])}).
     *
     * @param scores the DataFrame of {@link #score}
     * @param inSet the in-distribution set's name
     * @return per other set (in name order), its metrics
     */
    public static Map<String, OodMetrics> metrics(Dataset<Row> scores, String inSet) {
        Map<String, double[]> all = collect(scores);
        double[] in = all.get(inSet);
        if (in == null) {
            throw new IllegalArgumentException("no scores of the set '" + inSet + "'");
        }
        Map<String, OodMetrics> out = new LinkedHashMap<>();
        all.forEach(
                (set, values) -> {
                    if (!set.equals(inSet)) {
                        out.put(set, Metrics.evaluate(in, values));
                    }
                });
        return out;
    }
}

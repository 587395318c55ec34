package dev.oodlab.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.oodlab.cli.Main;
import dev.oodlab.data.DataFormatException;
import dev.oodlab.data.Datasets;
import dev.oodlab.data.ImageFolder;
import dev.oodlab.data.ImageSet;
import dev.oodlab.detect.OodScorer;
import dev.oodlab.experiment.Detectors;
import dev.oodlab.experiment.ModelDirectory;
import dev.oodlab.metrics.Metrics;
import dev.oodlab.metrics.OodMetrics;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Scoring on Spark equals scoring on one machine: the same scores, bit for bit, for every
 * partitioning, and so the same metrics.
 */
class DistributedScoringTest {

    static SparkSession spark;

    @TempDir static Path dir;

    static Path model;

    static Path folder;

    @BeforeAll
    static void start() throws Exception {
        try {
            Datasets.fashionMnistDirectory();
        } catch (DataFormatException e) {
            assumeTrue(false, "Fashion-MNIST not installed");
        }
        model = dir.resolve("model");
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        int code =
                cli.execute(
                        "train",
                        "--method",
                        "ce",
                        "--model",
                        "mlp",
                        "--epochs",
                        "1",
                        "--subset",
                        "500",
                        "--test-subset",
                        "100",
                        "--ood",
                        "uniform",
                        "--ood-count",
                        "50",
                        "--quiet",
                        "--out",
                        model.toString());
        assertEquals(0, code, err.toString());
        // 333 grey 28x28 PNG files in two sub-folders: a folder of OOD images
        folder = dir.resolve("images");
        Random random = new Random(7);
        for (int i = 0; i < 333; i++) {
            BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    int v = random.nextInt(256);
                    image.setRGB(x, y, (v << 16) | (v << 8) | v);
                }
            }
            Path file = folder.resolve(i % 2 == 0 ? "a" : "b").resolve(i + ".png");
            Files.createDirectories(file.getParent());
            ImageIO.write(image, "png", file.toFile());
        }
        spark =
                SparkSession.builder()
                        .master("local[2]")
                        .appName("DistributedScoringTest")
                        .config("spark.ui.enabled", "false")
                        .config("spark.driver.host", "127.0.0.1")
                        .config("spark.driver.bindAddress", "127.0.0.1")
                        .getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void distributedScoresAndMetricsEqualLocalOnes() {
        for (String detector : new String[] {"msp", "energy"}) {
            Map<String, double[]> local = new LinkedHashMap<>();
            int batch = 64;
            try (ModelDirectory.Loaded loaded = ModelDirectory.load(model)) {
                OodScorer scorer = Detectors.create(detector, loaded.network(), () -> null, batch);
                ImageSet test = Datasets.inDistribution("fashion-mnist")[1];
                ImageSet images = ImageFolder.readUnlabelled(folder, "images", 1, 28, 28);
                local.put("images", scorer.scores(loaded.network(), images, batch));
                local.put("test", scorer.scores(loaded.network(), test, batch));
            }
            Map<String, String> sets = new LinkedHashMap<>();
            sets.put("test", DistributedScoring.TEST);
            sets.put("images", folder.toString());
            for (int partitions : new int[] {1, 4}) {
                Dataset<Row> scores =
                        DistributedScoring.score(spark, model, detector, sets, batch, partitions);
                Map<String, double[]> collected = DistributedScoring.collect(scores);
                assertEquals(local.keySet(), new java.util.TreeSet<>(collected.keySet()));
                for (String set : local.keySet()) {
                    assertArrayEquals(
                            local.get(set),
                            collected.get(set),
                            detector + " " + set + ", " + partitions + " partitions");
                }
                OodMetrics expected = Metrics.evaluate(local.get("test"), local.get("images"));
                assertEquals(expected, DistributedScoring.metrics(scores, "test").get("images"));
            }
        }
    }
}

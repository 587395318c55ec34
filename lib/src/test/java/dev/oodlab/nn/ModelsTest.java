package dev.oodlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsTest {

    private static long parameterCount(Network net) {
        long count = 0;
        for (Parameter p : net.trainableParameters()) {
            count += p.getArray().size();
        }
        return count;
    }

    private static void checkShapes(Network net, Shape input, long features) {
        try (NDManager m = net.manager().newSubManager()) {
            NDArray x = m.zeros(new Shape(2).addAll(input));
            assertEquals(new Shape(2, 10), net.logits(x, false).getShape());
            assertEquals(new Shape(2, features), net.features(x, false).getShape());
        }
    }

    @Test
    void theMlpHasThePeersShapeAndParameterCount() {
        // 784·256 + 256 + 256·256 + 256 + 256·10 + 10 = 269,322 (peers/RESULTS.md)
        try (Network net = Network.create("mlp", new Shape(1, 28, 28), 10, 1)) {
            assertEquals(269_322, parameterCount(net));
            checkShapes(net, new Shape(1, 28, 28), 256);
        }
    }

    @Test
    void theLenetHasThePeersShapeAndParameterCount() {
        // conv 6·25+6, conv 16·6·25+16, fc 400·120+120, 120·84+84, 84·10+10 = 61,706
        try (Network net = Network.create("lenet", new Shape(1, 28, 28), 10, 1)) {
            assertEquals(61_706, parameterCount(net));
            checkShapes(net, new Shape(1, 28, 28), 84);
        }
    }

    @Test
    void theSmoothMixLenetIsConv20Conv50Fc500() {
        // 20·25+20, 50·20·25+50, 800·500+500, 500·10+10 = 431,080
        try (Network net = Network.create("smoothmix-lenet", new Shape(1, 28, 28), 10, 1)) {
            assertEquals(431_080, parameterCount(net));
            checkShapes(net, new Shape(1, 28, 28), 500);
        }
    }

    @Test
    void theToyMlpIs2x64x64x2() {
        try (Network net = Network.create("toy-mlp", new Shape(2), 2, 1);
                NDManager m = net.manager().newSubManager()) {
            assertEquals(2 * 64 + 64 + 64 * 64 + 64 + 64 * 2 + 2, parameterCount(net));
            assertEquals(new Shape(5, 2), net.logits(m.zeros(new Shape(5, 2)), false).getShape());
        }
    }

    @Test
    void colourModelsGive512FeaturesOn32PixelImages() {
        for (String name : new String[] {"resnet18", "vgg16"}) {
            try (Network net = Network.create(name, new Shape(3, 32, 32), 10, 1)) {
                checkShapes(net, new Shape(3, 32, 32), 512);
            }
        }
    }

    @Test
    void colourModelsRefuse28PixelImagesNamingTheShape() {
        for (String name : new String[] {"resnet18", "vgg16"}) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> Models.create(name, new Shape(1, 28, 28), 10));
            assertEquals(
                    "model "
                            + name
                            + " takes images of at least 32x32 pixels (CIFAR-style), not 1x28x28;"
                            + " use lenet or mlp for 28x28 images",
                    e.getMessage());
        }
    }

    @Test
    void theSameSeedGivesTheSameWeights() {
        try (Network a = Network.create("mlp", new Shape(1, 28, 28), 10, 4);
                Network b = Network.create("mlp", new Shape(1, 28, 28), 10, 4)) {
            assertArrayEquals(
                    a.trainableParameters().get(0).getArray().toFloatArray(),
                    b.trainableParameters().get(0).getArray().toFloatArray());
        }
    }

    @Test
    void savedParametersLoadBackAndStayTrainable(@TempDir Path dir) {
        Path file = dir.resolve("model.params");
        try (Network a = Network.create("lenet", new Shape(1, 28, 28), 10, 4);
                Network b = Network.create("lenet", new Shape(1, 28, 28), 10, 5)) {
            a.saveParameters(file);
            int before = b.manager().getManagedArrays().size();
            b.loadParameters(file);
            assertEquals(before, b.manager().getManagedArrays().size());
            for (int i = 0; i < a.trainableParameters().size(); i++) {
                assertArrayEquals(
                        a.trainableParameters().get(i).getArray().toFloatArray(),
                        b.trainableParameters().get(i).getArray().toFloatArray());
                assertTrue(b.trainableParameters().get(i).getArray().hasGradient());
            }
        }
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Models.create("alexnet", new Shape(1, 28, 28), 10));
        assertTrue(e.getMessage().contains("lenet"), e.getMessage());
    }

    @Test
    void featuresNeedAClassifier() {
        try (Network net =
                Network.of(
                        ai.djl.nn.core.Linear.builder().setUnits(2).build(), new Shape(3), 2, 1)) {
            assertThrows(IllegalStateException.class, net::classifier);
        }
    }
}

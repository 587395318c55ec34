package dev.oodlab.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import dev.oodlab.nn.Network;
import org.junit.jupiter.api.Test;

class Toy2dStudyTest {

    @Test
    void maxSoftmaxGridPutsRowZeroAtTheBottomAndColumnZeroAtTheLeft() {
        // logits (0, y): p_1 = sigmoid(y), max softmax = sigmoid(|y|), independent of x
        LambdaBlock logitsFromY =
                new LambdaBlock(
                        list -> {
                            NDArray xy = list.singletonOrThrow();
                            NDArray y = xy.get(":, 1:2");
                            return new NDList(y.zerosLike().concat(y, 1));
                        });
        // logits (0, x): max softmax = sigmoid(|x|)
        LambdaBlock logitsFromX =
                new LambdaBlock(
                        list -> {
                            NDArray xy = list.singletonOrThrow();
                            NDArray x = xy.get(":, 0:1");
                            return new NDList(x.zerosLike().concat(x.mul(-1).maximum(x), 1));
                        });
        try (Network byY = Network.of(logitsFromY, new Shape(2), 2, 1);
                Network byX = Network.of(logitsFromX, new Shape(2), 2, 1)) {
            double[][] map = Toy2dStudy.maxSoftmaxGrid(byY, 3);
            // rows are y = -10, 0, 10 from the bottom
            double s10 = 1 / (1 + Math.exp(-10));
            assertEquals(s10, map[0][0], 1e-6);
            assertEquals(0.5, map[1][2], 1e-6);
            assertEquals(s10, map[2][1], 1e-6);
            double[][] columns = Toy2dStudy.maxSoftmaxGrid(byX, 5);
            // columns are x = -10, -5, 0, 5, 10 from the left
            assertEquals(0.5, columns[4][2], 1e-6);
            assertEquals(1 / (1 + Math.exp(-5)), columns[0][1], 1e-6);
        }
    }

    @Test
    void confidenceLossSeparatesTheDiscsFromThePlaneBetterThanCrossEntropy() {
        Toy2dStudy.Result ce =
                Toy2dStudy.builder().setMethod("ce").optSeed(1).optEpochs(15).build().run();
        Toy2dStudy.Result cl =
                Toy2dStudy.builder()
                        .setMethod("confidence-loss")
                        .optSeed(1)
                        .optEpochs(15)
                        .build()
                        .run();
        assertEquals(0.8, ce.threshold());
        // The discs are easy to classify either way.
        assertTrue(ce.accuracy() > 0.95 && cl.accuracy() > 0.95);
        // Cross-entropy is confident over most of the plane, so OOD points are rarely caught.
        assertTrue(
                cl.f1OutPositive() > ce.f1OutPositive() + 0.3,
                ce.f1OutPositive() + " vs " + cl.f1OutPositive());
        assertTrue(cl.metrics().auroc() > 0.95, "AUROC " + cl.metrics().auroc());
    }

    @Test
    void unknownMethodIsRejectedWithTheKnownNames() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Toy2dStudy.builder().setMethod("dropout").build());
        assertEquals(
                "unknown method 'dropout'; known: ce, confidence-loss, mixup-confidence, joint",
                e.getMessage());
    }
}

package dev.oodlab.toy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import dev.oodlab.data.Toy2d;
import dev.oodlab.nn.Network;
import java.util.List;
import java.util.Map;
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

    @Test
    void theGridIsSplitIntoRegionsByTheDistanceToTheNearerDisc() {
        // 11 × 11 grid with step 2 over [−10, 10]²; the value of a grid point encodes it: 100·row +
        // col
        int res = 11;
        double[][] map = new double[res][res];
        for (int row = 0; row < res; row++) {
            for (int col = 0; col < res; col++) {
                map[row][col] = 100 * row + col;
            }
        }
        Toy2dStudy.Result r =
                new Toy2dStudy.Result("ce", 1, 0.8, 0, 0, null, 1, map, null, List.of(), null);
        Map<String, double[]> regions = r.maxSoftmaxByRegion(2);
        assertEquals(
                List.of("inside a disc", "within 2 of a disc", "farther than 2 from both"),
                List.copyOf(regions.keySet()));
        // inside (distance ≤ 0, boundary included): the centre (±2, ±2) and its four neighbours at
        // distance exactly 2, on each disc: 10 points
        double[] inside = regions.get("inside a disc").clone();
        java.util.Arrays.sort(inside);
        // (x, y) = (−10 + 2·col, −10 + 2·row): (2, 2) is row 6, col 6; (−2, −2) is row 4, col 4
        assertArrayEquals(new double[] {304, 403, 404, 405, 504, 506, 605, 606, 607, 706}, inside);
        // (0, 0) lies 2√2 − 2 ≈ 0.83 from both discs; (10, 10) and (−10, 10) far from both
        assertTrue(contains(regions.get("within 2 of a disc"), 505));
        assertTrue(contains(regions.get("farther than 2 from both"), 1010));
        assertTrue(contains(regions.get("farther than 2 from both"), 1000));
        assertEquals(res * res, regions.values().stream().mapToInt(v -> v.length).sum());
        // the origin is 2√2 − 2 from both discs; the training point farthest from the origin,
        // (2 + √2, 2 + √2) at 2√2 + 2 ≈ 4.83, lies on the edge of a disc
        assertEquals(2 * Math.sqrt(2) - 2, Toy2d.distanceToDiscs(0, 0), 1e-12);
        double edge = 2 + Math.sqrt(2);
        assertEquals(0, Toy2d.distanceToDiscs(edge, edge), 1e-12);
        assertEquals(2 * Math.sqrt(2) + 2, Math.hypot(edge, edge), 1e-12);
    }

    private static boolean contains(double[] values, double v) {
        return java.util.Arrays.stream(values).anyMatch(x -> x == v);
    }
}

package dev.oodlab.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import dev.oodlab.nn.Network;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class RayConfidenceTest {

    /** A "classifier" with logits (0, x): the gap is |x|, the confidence σ(|x|). */
    private static Network byX() {
        return Network.of(
                new LambdaBlock(
                        list -> {
                            NDArray xy = list.singletonOrThrow();
                            NDArray x = xy.get(":, 0:1");
                            return new NDList(x.zerosLike().concat(x, 1));
                        }),
                new Shape(2),
                2,
                1);
    }

    @Test
    void alongARayThePointsAreTTimesTheDirection() {
        // logits (0, x) at x = t·cos θ: the gap is t·|cos θ|, the confidence σ(t·|cos θ|)
        try (Network net = byX()) {
            RayConfidence rays = RayConfidence.of(net, new double[] {0, 60, 90, 180}, 4, 4);
            assertEquals(
                    List.of(0.0, 1.0, 2.0, 3.0, 4.0),
                    java.util.Arrays.stream(rays.t()).boxed().toList());
            for (int r = 0; r < 4; r++) {
                double cos = Math.abs(Math.cos(Math.toRadians(rays.anglesDegrees()[r])));
                for (int i = 0; i < 5; i++) {
                    double gap = rays.t()[i] * cos;
                    assertEquals(gap, rays.logitGap()[r][i], 1e-5, "ray " + r + " t " + i);
                    assertEquals(1 / (1 + Math.exp(-gap)), rays.maxSoftmax()[r][i], 1e-5);
                }
            }
            assertEquals("θ = 60°", rays.rayName(1));
        }
    }

    @Test
    void theTableReadsTheNearestDistance() {
        try (Network net = byX()) {
            RayConfidence rays = RayConfidence.of(net, new double[] {0}, 10, 5);
            Table t = rays.table(4.1, 10);
            assertEquals(List.of("ray", "gap at t = 4.1", "gap at t = 10"), t.columnNames());
            // t = 4.1 is nearest to the grid point t = 4
            assertEquals(4, t.doubleColumn(1).get(0), 1e-5); // along θ = 0 the gap is t
            assertEquals(10, t.doubleColumn(2).get(0), 1e-5);
        }
    }

    @Test
    void badRaysAreRefused() {
        try (Network net = byX()) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> RayConfidence.of(net, new double[0], 1, 1));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> RayConfidence.of(net, new double[] {0}, 0, 1));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> RayConfidence.of(net, new double[] {0}, 1, 0));
        }
    }
}

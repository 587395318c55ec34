package dev.oodlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.oodlab.OodLab;
import org.junit.jupiter.api.Test;

class BatchRowsTest {

    @Test
    void mixIsTheConvexCombinationAndLeavesItsInputsAlone() {
        OodLab.init();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1, 0, 2, -4});
            NDArray b = m.create(new float[] {0, 1, 2, 6});
            // 0.3·a + 0.7·b
            assertArrayEquals(
                    new float[] {0.3f, 0.7f, 2f, 3f},
                    BatchRows.mix(a, b, 0.3).toFloatArray(),
                    1e-6f);
            assertArrayEquals(new float[] {1, 0, 2, -4}, a.toFloatArray());
            assertArrayEquals(new float[] {0, 1, 2, 6}, b.toFloatArray());
        }
    }

    @Test
    void rowsOfAnImageBatchAreTheIndexedImagesInOrder() {
        OodLab.init();
        try (NDManager m = NDManager.newBaseManager()) {
            // three 1×2×2 images holding 0..3, 10..13, 20..23
            float[] px = new float[12];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    px[4 * i + j] = 10 * i + j;
                }
            }
            NDArray x = m.create(px, new Shape(3, 1, 2, 2));
            NDArray picked = BatchRows.rows(x, new int[] {2, 0, 2});
            assertEquals(new Shape(3, 1, 2, 2), picked.getShape());
            assertArrayEquals(
                    new float[] {20, 21, 22, 23, 0, 1, 2, 3, 20, 21, 22, 23},
                    picked.toFloatArray());
            // 2-D (features, labels as rows) and 1-D arrays are indexed directly
            assertArrayEquals(
                    new float[] {4, 5, 0, 1},
                    BatchRows.rows(
                                    m.create(new float[] {0, 1, 2, 3, 4, 5}, new Shape(3, 2)),
                                    new int[] {2, 0})
                            .toFloatArray());
            assertArrayEquals(
                    new int[] {7, 5},
                    BatchRows.rows(m.create(new int[] {5, 6, 7}), new int[] {2, 0}).toIntArray());
        }
    }

    @Test
    void sliceIsTheRangeAsAViewInTheGivenManager() {
        OodLab.init();
        try (NDManager m = NDManager.newBaseManager();
                NDManager step = m.newSubManager()) {
            NDArray order = m.create(new long[] {9, 8, 7, 6, 5});
            NDArray part = BatchRows.slice(step, order, 1, 4);
            assertArrayEquals(new long[] {8, 7, 6}, part.toLongArray());
            assertEquals(step, part.getManager());
            // a view: writing through the original shows in it
            order.set(new ai.djl.ndarray.index.NDIndex("2"), 70);
            assertArrayEquals(new long[] {8, 70, 6}, part.toLongArray());
        }
    }

    @Test
    void mixRowsIsLambdaTimesTheBatchPlusTheRestTimesThePartners() {
        OodLab.init();
        try (NDManager m = NDManager.newBaseManager()) {
            // two 1×1×2 images (1, 2) and (10, 20), each mixed with the other, λ = 0.25
            NDArray x = m.create(new float[] {1, 2, 10, 20}, new Shape(2, 1, 1, 2));
            NDArray mixed = BatchRows.mixRows(x, m.create(new long[] {1, 0}), m.create(0.25f));
            assertEquals(new Shape(2, 1, 1, 2), mixed.getShape());
            // 0.25·(1, 2) + 0.75·(10, 20) and 0.25·(10, 20) + 0.75·(1, 2)
            assertArrayEquals(new float[] {7.75f, 15.5f, 3.25f, 6.5f}, mixed.toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {1, 2, 10, 20}, x.toFloatArray(), "x unchanged");
        }
    }
}

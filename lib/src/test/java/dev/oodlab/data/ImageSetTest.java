package dev.oodlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.oodlab.OodLab;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class ImageSetTest {

    /** n grey 1×2 images; image i holds (i, i + 0.5), label i % 3. */
    private static ImageSet numbered(int n) {
        float[] p = new float[2 * n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            p[2 * i] = i;
            p[2 * i + 1] = i + 0.5f;
            labels[i] = i % 3;
        }
        return new ImageSet("numbered", p, labels, 3, 1, 1, 2);
    }

    @Test
    void shapeErrorsNameTheSet() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new ImageSet("odd", new float[5], null, 0, 1, 1, 2));
        assertTrue(e.getMessage().startsWith("odd: 5 pixels"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new ImageSet("lab", new float[4], new int[] {0}, 3, 1, 1, 2));
        assertTrue(e.getMessage().contains("1 labels for 2 images"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new ImageSet("lab", new float[4], new int[] {0, 7}, 3, 1, 1, 2));
        assertTrue(e.getMessage().contains("label 7 at index 1"), e.getMessage());
    }

    @Test
    void splitIsASeededPartition() {
        ImageSet set = numbered(100);
        ImageSet[] parts = set.split(80, 5, "a", "b");
        assertEquals(80, parts[0].size());
        assertEquals(20, parts[1].size());
        boolean[] seen = new boolean[100];
        for (ImageSet part : parts) {
            for (int i = 0; i < part.size(); i++) {
                int original = (int) part.image(i)[0];
                assertTrue(!seen[original], "image " + original + " in both parts");
                seen[original] = true;
                assertEquals(original % 3, part.label(i));
            }
        }
        assertEquals(set.split(80, 5, "a", "b")[1], parts[1]);
        assertNotEquals(set.split(80, 6, "a", "b")[1], parts[1]);
    }

    @Test
    void headAndSelectKeepPixelsWithTheirLabels() {
        ImageSet set = numbered(10);
        assertEquals(4, set.head(4).size());
        ImageSet picked = set.select(new int[] {7, 2}, "p");
        assertArrayEquals(new float[] {7, 7.5f, 2, 2.5f}, picked.pixels());
        assertArrayEquals(new int[] {1, 2}, picked.labels());
    }

    @Test
    void imagesBecomeOneNdArrayOfShapeNchw() {
        OodLab.init();
        ImageSet set = numbered(3);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = set.images(m);
            assertEquals(new Shape(3, 1, 1, 2), x.getShape());
            assertArrayEquals(set.pixels(), x.toFloatArray());
            assertEquals(
                    Arrays.toString(set.labels()), Arrays.toString(set.labelArray(m).toIntArray()));
        }
    }

    @Test
    void concatPutsTheImagesOfSeveralSetsOneAfterTheOther() {
        ImageSet a = new ImageSet("a", new float[] {0.1f, 0.2f, 0.3f, 0.4f}, null, 0, 1, 1, 2);
        ImageSet b = new ImageSet("b", new float[] {0.5f, 0.6f}, null, 0, 1, 1, 2);
        ImageSet both = ImageSet.concat("outliers", a, b);
        assertEquals("outliers", both.name());
        assertEquals(3, both.size());
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f}, both.pixels());
        assertEquals(null, both.labels());
        ImageSet la = new ImageSet("la", new float[] {0, 1}, new int[] {2, 0}, 3, 1, 1, 1);
        ImageSet lb = new ImageSet("lb", new float[] {1}, new int[] {1}, 3, 1, 1, 1);
        ImageSet labelled = ImageSet.concat("l", la, lb);
        assertArrayEquals(new int[] {2, 0, 1}, labelled.labels());
        assertEquals(3, labelled.numClasses());
    }

    @Test
    void concatRefusesSetsThatDoNotFitTogether() {
        ImageSet grey = new ImageSet("grey", new float[4], null, 0, 1, 2, 2);
        ImageSet colour = new ImageSet("colour", new float[12], null, 0, 3, 2, 2);
        ImageSet labelled = new ImageSet("digits", new float[4], new int[] {0}, 10, 1, 2, 2);
        assertEquals(
                "cannot concatenate colour (3x2x2) with grey (1x2x2)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ImageSet.concat("x", grey, colour))
                        .getMessage());
        assertEquals(
                "cannot concatenate 10-class digits with unlabelled grey",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ImageSet.concat("x", grey, labelled))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageSet.concat("x"));
    }

    @Test
    void pixelStatisticsCountOverAllPixelsOfAllImages() {
        // two 1x2x2 images: {0, 0, 1, 0.5} and {0, 1, 1, 0.25}: 8 pixels, sum 3.75,
        // three at 0, three at 1
        ImageSet set =
                new ImageSet("s", new float[] {0, 0, 1, 0.5f, 0, 1, 1, 0.25f}, null, 0, 1, 2, 2);
        assertEquals(3.75 / 8, set.meanPixel(), 1e-12);
        assertEquals(3 / 8.0, set.shareOfPixels(0f), 1e-12);
        assertEquals(3 / 8.0, set.shareOfPixels(1f), 1e-12);
        assertEquals(1 / 8.0, set.shareOfPixels(0.5f), 1e-12);
        Table t = ImageSet.pixelTable(set, set.head(1).withName("first"));
        assertEquals(List.of("s", "first"), t.stringColumn("set").asList());
        assertEquals(2, t.intColumn("images").get(0));
        assertEquals(0.469, t.doubleColumn("mean pixel").get(0), 0); // 0.46875 rounded
        assertEquals(0.375, t.doubleColumn("mean pixel").get(1), 0); // (0 + 0 + 1 + 0.5) / 4
        assertEquals(0.5, t.doubleColumn("share = 0").get(1), 0);
        assertEquals(0.25, t.doubleColumn("share = 1").get(1), 0);
        assertTrue(Double.isNaN(new ImageSet("e", new float[0], null, 0, 1, 2, 2).meanPixel()));
    }
}

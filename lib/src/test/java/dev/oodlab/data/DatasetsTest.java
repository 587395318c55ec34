package dev.oodlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

    @TempDir Path dir;

    private static boolean fashionMnistPresent() {
        try {
            Datasets.fashionMnistDirectory();
            return true;
        } catch (DataFormatException e) {
            return false;
        }
    }

    @Test
    void fashionMnistHas60000And10000BalancedImages() {
        assumeTrue(fashionMnistPresent(), "Fashion-MNIST not installed");
        ImageSet test = Datasets.fashionMnistTest();
        assertEquals(10000, test.size());
        int[] counts = new int[10];
        for (int l : test.labels()) {
            counts[l]++;
        }
        for (int c : counts) {
            assertEquals(1000, c);
        }
        assertEquals(60000, Datasets.describe().get(0).images());
    }

    @Test
    void outOfDistributionByNameGivesUnlabelledSetsOfTheAskedSize() {
        ImageSet u = Datasets.outOfDistribution("uniform", 50, 1);
        assertEquals(50, u.size());
        assertNull(u.labels());
        assertEquals("gaussian", Datasets.outOfDistribution("Gaussian", 7, 1).name());
    }

    @Test
    void outOfDistributionReadsAnIdxFileByPath() throws IOException {
        Path f =
                IdxTest.write(
                        dir.resolve("my-ood.gz"),
                        IdxTest.idx(Idx.IMAGES_MAGIC, new int[] {3, 28, 28}, new byte[3 * 784]),
                        true);
        ImageSet set = Datasets.outOfDistribution(f.toString(), 100, 1);
        assertEquals(3, set.size());
        assertEquals("my-ood", set.name());
    }

    @Test
    void unknownOodNameIsExplained() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Datasets.outOfDistribution("svhn-not-here", 10, 1));
        assertTrue(e.getMessage().contains("unknown OOD set 'svhn-not-here'"), e.getMessage());
    }
}

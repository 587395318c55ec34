package dev.oodlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

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
    void theDataTableShowsGeneratedSetsOnDemandAndMissingOnesWithoutACount() {
        List<Datasets.Info> infos =
                List.of(
                        new Datasets.Info("fashion-mnist", "test", 10000, "1x28x28", "/x"),
                        new Datasets.Info(
                                "uniform", Datasets.GENERATED, 0, "1x28x28", "seeded noise"),
                        new Datasets.Info("cifar10", "-", 0, "3x32x32", "missing"));
        Table t = Datasets.describeTable(infos);
        assertEquals(List.of("10000", "on demand", "-"), t.stringColumn("images").asList());
        assertEquals("location", t.column(4).name());
    }

    @Test
    void describeNamesNoGeneratedSetWithZeroImagesAndNoPathUnderHome() {
        String home = Paths.get(System.getProperty("user.home")).toString();
        for (Datasets.Info i : Datasets.describe()) {
            if (i.split().equals(Datasets.GENERATED)) {
                assertEquals(Datasets.ON_DEMAND, i.imagesText(), i.toString());
            }
            assertFalse(home.length() > 1 && i.location().startsWith(home + "/"), i.toString());
        }
        assertTrue(
                Datasets.describe().stream()
                        .anyMatch(
                                i ->
                                        i.name().equals("gaussian")
                                                && i.imagesText().equals("on demand")));
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

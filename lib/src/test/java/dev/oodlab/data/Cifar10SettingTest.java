package dev.oodlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data of the paper's CIFAR-10 setting, read by name from a temporary {@code OODLAB_DATA}
 * holding tiny files in the formats the fetch scripts produce ({@link CifarFixtures}).
 */
class Cifar10SettingTest {

    @TempDir Path data;

    private AutoCloseable dataDirectory;

    @BeforeEach
    void pointTheDataDirectoryAtTheTemporaryFolder() {
        dataDirectory = CifarFixtures.useDataDirectory(data);
    }

    @AfterEach
    void restoreTheDataDirectory() throws Exception {
        dataDirectory.close();
    }

    private static ImageSet ood(String name, int count) {
        return Datasets.outOfDistribution(name, count, 1, 3, 32, 32);
    }

    @Test
    void cifar10ByNameReadsTheFiveTrainingBatchesAndTheTestBatch() {
        CifarFixtures.writeCifar10(data, 4, 6);
        ImageSet[] splits = Datasets.inDistribution("CIFAR10");
        assertEquals(5 * 4, splits[0].size());
        assertEquals(6, splits[1].size());
        assertEquals(3, splits[1].channels());
        assertEquals(32, splits[1].height());
        assertEquals(10, splits[1].numClasses());
        // Test image 5: label 5, and its first green byte as written, divided by 255 (no
        // normalisation beyond [0, 1]).
        byte[] records = CifarFixtures.cifarRecords(6, 99);
        int off = 5 * Cifar10.RECORD_SIZE;
        assertEquals(5, splits[1].label(5));
        assertEquals((records[off + 1 + 1024] & 0xff) / 255f, splits[1].image(5)[1024]);
    }

    @Test
    void everyPaperOodSetLoadsByNameAt3x32x32WithoutLabels() {
        CifarFixtures.writeCifar10Setting(data, 2, 2, 5);
        for (String name : Datasets.CIFAR10_OOD) {
            ImageSet set = ood(name, 4);
            assertEquals(4, set.size(), name);
            assertEquals(name, set.name());
            assertNull(set.labels(), name);
            assertEquals(3, set.channels(), name);
            assertEquals(32, set.height(), name);
            assertEquals(32, set.width(), name);
        }
        assertEquals(5, ood("isun", 100).size(), "the count caps, it does not pad");
    }

    @Test
    void svhnByNameKeepsTheConvertedPixels() {
        CifarFixtures.writeSvhn(data, 3);
        ImageSet set = ood("svhn", 10);
        assertEquals(3, set.size());
        // Image 2, channel 1 (green), row 4, column 7, as the MAT file held it.
        assertEquals(SvhnMatTest.pixel(4, 7, 1, 2) / 255f, set.image(2)[1024 + 4 * 32 + 7]);
    }

    @Test
    void odinFolderReadsTheFirstFilesInSortedOrder() {
        CifarFixtures.writeOdinFolder(data, "lsun-resize", 5, 32, 32, "png");
        ImageSet set = ood("lsun-resize", 3);
        assertEquals(3, set.size());
        // Image 2 is 0002.png: pixel (x = 9, y = 4) in each plane.
        float[] img = set.image(2);
        int p = 4 * 32 + 9;
        assertEquals(CifarFixtures.red(2, 9, 4) / 255f, img[p]);
        assertEquals(CifarFixtures.green(2, 9, 4) / 255f, img[1024 + p]);
        assertEquals(CifarFixtures.blue(2, 9, 4) / 255f, img[2048 + p]);
    }

    @Test
    void largerOdinImagesAreCroppedAroundTheirCentre() {
        CifarFixtures.writeOdinFolder(data, "lsun-crop", 2, 36, 36, "png");
        ImageSet set = ood("lsun-crop", 2);
        // A 36×36 image loses 2 pixels on each side: output (0, 0) is source (2, 2).
        assertEquals(CifarFixtures.red(1, 2, 2) / 255f, set.image(1)[0]);
        assertEquals(CifarFixtures.blue(1, 33, 33) / 255f, set.image(1)[2048 + 31 * 32 + 31]);
    }

    @Test
    void smallerOdinImagesAreRefusedNamingTheFile() {
        CifarFixtures.writeOdinFolder(data, "isun", 1, 28, 28, "png");
        DataFormatException e = assertThrows(DataFormatException.class, () -> ood("isun", 5));
        assertTrue(e.getMessage().contains("0000.png"), e.getMessage());
        assertTrue(e.getMessage().contains("is 28x28"), e.getMessage());
        assertTrue(e.getMessage().contains("expected 32x32 or larger"), e.getMessage());
    }

    @Test
    void aCifarStyleBinFileLoadsByPath() throws IOException {
        Path file = data.resolve("extra/my-set.bin");
        Files.createDirectories(file.getParent());
        Files.write(file, CifarFixtures.cifarRecords(7, 3));
        ImageSet set = ood(file.toString(), 5);
        assertEquals("my-set", set.name());
        assertEquals(5, set.size());
        assertNull(set.labels());
    }

    @Test
    void aColourImageFolderLoadsByPathAtTheAskedShape() {
        Path dir =
                CifarFixtures.writeOdinFolder(data.resolve("mine"), "pictures", 3, 32, 32, "png");
        ImageSet set = ood(dir.toString(), 10);
        assertEquals("pictures", set.name());
        assertEquals(3, set.size());
        assertEquals(CifarFixtures.green(0, 0, 5) / 255f, set.image(0)[1024 + 5 * 32]);
    }

    @Test
    void eachMissingSetNamesTheScriptThatFetchesIt() {
        DataFormatException cifar =
                assertThrows(DataFormatException.class, () -> Datasets.inDistribution("cifar10"));
        assertTrue(
                cifar.getMessage().contains("run data-scripts/fetch-cifar10.sh"),
                cifar.getMessage());
        DataFormatException svhn = assertThrows(DataFormatException.class, () -> ood("svhn", 5));
        assertTrue(
                svhn.getMessage().contains("run data-scripts/fetch-svhn.sh test"),
                svhn.getMessage());
        for (String name : Datasets.ODIN_OOD) {
            DataFormatException e = assertThrows(DataFormatException.class, () -> ood(name, 5));
            assertTrue(
                    e.getMessage()
                            .endsWith(
                                    name
                                            + " not found; run"
                                            + " data-scripts/fetch-ood-benchmarks.sh "
                                            + name),
                    e.getMessage());
            assertTrue(e.getMessage().startsWith(data.resolve("ood").resolve(name).toString()));
        }
    }

    @Test
    void aMissingTestBatchMakesCifar10Missing() throws IOException {
        CifarFixtures.writeCifar10(data, 2, 2);
        Files.delete(Datasets.cifar10Directory().resolve("test_batch.bin"));
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> Datasets.inDistribution("cifar10"));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                Datasets.cifar10Directory().resolve("test_batch.bin").toString()),
                e.getMessage());
        assertEquals("cifar10", Datasets.missingForCifar10().get(0).name());
    }

    @Test
    void aGreySetWithColourDataIsAShapeError() throws IOException {
        IllegalArgumentException mnist =
                assertThrows(IllegalArgumentException.class, () -> ood("mnist", 5));
        assertEquals(
                "OOD set 'mnist' has images of 1x28x28 but the in-distribution data has 3x32x32;"
                        + " choose OOD sets of the same shape (with cifar10: svhn,"
                        + " tinyimagenet-crop, tinyimagenet-resize, lsun-crop, lsun-resize, isun,"
                        + " uniform, gaussian; with 28x28 grey data: mnist, uniform, gaussian)",
                mnist.getMessage());
        // The other way round: a 32×32 colour set with 28×28 grey data.
        IllegalArgumentException svhn =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Datasets.outOfDistribution("lsun-crop", 5, 1));
        assertTrue(
                svhn.getMessage()
                        .startsWith(
                                "OOD set 'lsun-crop' has images of 3x32x32 but the"
                                        + " in-distribution data has 1x28x28"),
                svhn.getMessage());
        // An IDX file by path is read, then refused for its shape.
        Path idx =
                IdxTest.write(
                        data.resolve("grey.gz"),
                        IdxTest.idx(Idx.IMAGES_MAGIC, new int[] {2, 28, 28}, new byte[2 * 784]),
                        true);
        IllegalArgumentException file =
                assertThrows(IllegalArgumentException.class, () -> ood(idx.toString(), 5));
        assertTrue(file.getMessage().contains("has images of 1x28x28"), file.getMessage());
    }

    @Test
    void noiseIsGeneratedAtTheAskedShape() {
        ImageSet u = ood("uniform", 6);
        ImageSet g = ood("gaussian", 6);
        assertEquals(6 * 3 * 32 * 32, u.pixels().length);
        assertEquals(6 * 3 * 32 * 32, g.pixels().length);
        assertEquals(NoiseImages.uniform(6, 3, 32, 32, 1), u);
    }

    @Test
    void missingPiecesAreListedWithMergedFetchCommands() {
        List<Datasets.MissingData> missing = Datasets.missingForCifar10();
        assertEquals(
                List.of(
                        "cifar10",
                        "svhn",
                        "tinyimagenet-crop",
                        "tinyimagenet-resize",
                        "lsun-crop",
                        "lsun-resize",
                        "isun"),
                missing.stream().map(Datasets.MissingData::name).toList());
        assertEquals(data.resolve("svhn/test/test_32x32.bin"), missing.get(1).location());
        assertEquals("data-scripts/fetch-ood-benchmarks.sh isun", missing.get(6).fetchCommand());
        assertEquals(
                List.of(
                        "data-scripts/fetch-cifar10.sh",
                        "data-scripts/fetch-svhn.sh test",
                        "data-scripts/fetch-ood-benchmarks.sh tinyimagenet-crop"
                                + " tinyimagenet-resize lsun-crop lsun-resize isun"),
                Datasets.fetchCommands(missing));
        assertFalse(Datasets.cifar10Available());
    }

    @Test
    void theSettingIsAvailableOnceEveryPieceIsThere() throws IOException {
        CifarFixtures.writeCifar10Setting(data, 1, 1, 1);
        assertEquals(List.of(), Datasets.missingForCifar10());
        assertTrue(Datasets.cifar10Available());
        // Removing one ODIN folder brings back exactly that piece.
        Path isun = Datasets.oodBenchmarkDirectory("isun");
        try (var files = Files.walk(isun)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        assertEquals(
                List.of("data-scripts/fetch-ood-benchmarks.sh isun"),
                Datasets.fetchCommands(Datasets.missingForCifar10()));
    }

    @Test
    void theDefaultOodSetsFollowTheDataSet() {
        assertEquals(Datasets.CIFAR10_OOD, Datasets.defaultOodSets("cifar10"));
        assertEquals(
                List.of("mnist", "uniform", "gaussian"), Datasets.defaultOodSets("fashion-mnist"));
        assertEquals(8, Datasets.CIFAR10_OOD.size());
    }
}

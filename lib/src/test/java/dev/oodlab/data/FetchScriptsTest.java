package dev.oodlab.data;

import static dev.oodlab.data.ScriptRunner.env;
import static dev.oodlab.data.ScriptRunner.run;
import static dev.oodlab.data.ScriptRunner.sums;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oodlab.data.LocalHttpServer.Fault;
import dev.oodlab.data.ScriptRunner.Member;
import dev.oodlab.data.ScriptRunner.Result;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data-scripts against a local HTTP server: what installs, what is refused, and that nothing
 * half-made ever appears under a data set's final name.
 */
@Timeout(120)
class FetchScriptsTest {

    private static final String CIFAR = "cifar-10-binary.tar.gz";
    private static final List<String> BATCHES =
            List.of(
                    "data_batch_1.bin",
                    "data_batch_2.bin",
                    "data_batch_3.bin",
                    "data_batch_4.bin",
                    "data_batch_5.bin",
                    "test_batch.bin");

    @TempDir Path tmp;
    private Path data;
    private LocalHttpServer server;

    @BeforeEach
    void start() throws IOException {
        ScriptRunner.assumeTools();
        data = tmp.resolve("data");
        server = new LocalHttpServer();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    // ---- CIFAR-10 -------------------------------------------------------------------------

    /** Two records per batch; labels 7 and 2 in the test batch. */
    private static byte[] batch(int seed) {
        byte[] b = new byte[2 * Cifar10.RECORD_SIZE];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        b[0] = 7;
        b[Cifar10.RECORD_SIZE] = 2;
        return b;
    }

    private static List<Member> cifarMembers() {
        List<Member> m = new ArrayList<>();
        m.add(Member.dir("cifar-10-batches-bin"));
        for (int i = 0; i < BATCHES.size(); i++) {
            m.add(Member.file("cifar-10-batches-bin/" + BATCHES.get(i), batch(i)));
        }
        m.add(Member.file("cifar-10-batches-bin/batches.meta.txt", "airplane\n".getBytes()));
        return m;
    }

    private Path cifarTarget() {
        return data.resolve("cifar10/cifar-10-batches-bin");
    }

    /** Serves the archive and runs the script with its SHA-256 in OODLAB_SHA256SUMS. */
    private Result fetchCifar(byte[] archive) throws Exception {
        server.put(CIFAR, archive);
        Path sums = sums(tmp.resolve("sums"), Map.of(CIFAR, archive));
        return run(
                tmp,
                env(
                        "OODLAB_DATA", data.toString(),
                        "CIFAR10_URL", server.url(),
                        "OODLAB_SHA256SUMS", sums.toString()),
                "data-scripts/fetch-cifar10.sh");
    }

    /** Nothing under the final name, no temporary folder, no evil file anywhere. */
    private void assertNothingInstalled(Path target) throws IOException {
        assertFalse(Files.exists(target), target + " must not exist");
        assertNoLeftovers();
    }

    /** No temporary folder and no escaped file anywhere under the test's folder. */
    private void assertNoLeftovers() throws IOException {
        try (Stream<Path> s = Files.walk(tmp)) {
            List<String> stray =
                    s.map(p -> p.getFileName().toString())
                            .filter(n -> n.contains(".tmp.") || n.contains("evil"))
                            .toList();
            assertEquals(List.of(), stray, "temporary folders or escaped files");
        }
    }

    @Test
    void cifarInstallsAVerifiedArchive() throws Exception {
        Result r = fetchCifar(ScriptRunner.tarGz(cifarMembers()));
        assertEquals(0, r.exit(), r.toString());

        for (String b : BATCHES) {
            assertTrue(Files.isRegularFile(cifarTarget().resolve(b)), b);
        }
        assertTrue(
                Files.readString(cifarTarget().resolve(".complete"))
                        .startsWith(CIFAR + " sha256:"));
        ImageSet test = Cifar10.test(cifarTarget());
        assertArrayEquals(new int[] {7, 2}, test.labels());
        assertEquals(10, Cifar10.train(cifarTarget()).size());
        assertFalse(Files.exists(data.resolve("downloads/" + CIFAR)), "the archive is removed");
        assertNoLeftovers();
    }

    @Test
    void cifarSecondRunMakesNoRequest() throws Exception {
        assertEquals(0, fetchCifar(ScriptRunner.tarGz(cifarMembers())).exit());
        int before = server.requests().size();
        assertEquals(1, before);

        Result again = fetchCifar(ScriptRunner.tarGz(cifarMembers()));
        assertEquals(0, again.exit(), again.toString());
        assertTrue(again.output().contains("already installed and verified"), again.output());
        assertEquals(before, server.requests().size(), "no HTTP request on the second run");
    }

    @Test
    void cifarCarriedChecksumIsEnforced() throws Exception {
        server.put(CIFAR, ScriptRunner.tarGz(cifarMembers()));
        Result r =
                run(
                        tmp,
                        env("OODLAB_DATA", data.toString(), "CIFAR10_URL", server.url()),
                        "data-scripts/fetch-cifar10.sh");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.output().contains("sha256 mismatch: expected c4a38c50a1bc5f3a"), r.output());
        assertNothingInstalled(cifarTarget());
        assertFalse(Files.exists(data.resolve("downloads/" + CIFAR)));
        assertFalse(Files.exists(data.resolve("downloads/" + CIFAR + ".part")));
    }

    @Test
    void cifarWrongChecksumIsRefused() throws Exception {
        byte[] good = ScriptRunner.tarGz(cifarMembers());
        server.put(CIFAR, good);
        Path sums = sums(tmp.resolve("sums"), Map.of(CIFAR, "something else".getBytes()));
        Result r =
                run(
                        tmp,
                        env(
                                "OODLAB_DATA", data.toString(),
                                "CIFAR10_URL", server.url(),
                                "OODLAB_SHA256SUMS", sums.toString()),
                        "data-scripts/fetch-cifar10.sh");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.output().contains("not the expected file"), r.output());
        assertNothingInstalled(cifarTarget());
        assertFalse(Files.exists(data.resolve("downloads/" + CIFAR + ".part")));
    }

    @Test
    void cifarArchiveWithDotDotMemberIsRefused() throws Exception {
        List<Member> m = cifarMembers();
        m.add(Member.file("cifar-10-batches-bin/../../evil.txt", "x".getBytes()));
        Result r = fetchCifar(ScriptRunner.tarGz(m));
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.output().contains("absolute path or '..'"), r.output());
        assertNothingInstalled(cifarTarget());
    }

    @Test
    void cifarArchiveWithAbsoluteMemberIsRefused() throws Exception {
        List<Member> m = cifarMembers();
        Path evil = tmp.resolve("abs-evil.txt");
        m.add(Member.file(evil.toString(), "x".getBytes()));
        Result r = fetchCifar(ScriptRunner.tarGz(m));
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.output().contains("absolute path or '..'"), r.output());
        assertFalse(Files.exists(evil));
        assertNothingInstalled(cifarTarget());
    }

    @Test
    void cifarArchiveWithSymlinkIsRefused() throws Exception {
        List<Member> m = cifarMembers();
        m.add(Member.symlink("cifar-10-batches-bin/evil-link", "/etc"));
        Result r = fetchCifar(ScriptRunner.tarGz(m));
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.output().contains("links or special files"), r.output());
        assertNothingInstalled(cifarTarget());
    }

    @Test
    void cifarArchiveMissingABatchIsRefused() throws Exception {
        List<Member> m = cifarMembers();
        m.removeIf(x -> x.name().endsWith("data_batch_5.bin"));
        Result r = fetchCifar(ScriptRunner.tarGz(m));
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.output().contains("has no cifar-10-batches-bin/data_batch_5.bin"), r.output());
        assertNothingInstalled(cifarTarget());
    }

    @Test
    void cifarDroppedConnectionIsResumedOnTheNextRun() throws Exception {
        byte[] archive = ScriptRunner.tarGz(cifarMembers());
        server.failNext(CIFAR, Fault.TRUNCATE);

        Result first = fetchCifar(archive);
        assertEquals(1, first.exit(), first.toString());
        assertNothingInstalled(cifarTarget());
        Path part = data.resolve("downloads/" + CIFAR + ".part");
        assertEquals(archive.length / 2, Files.size(part), "the partial download is kept");

        Result second = fetchCifar(archive);
        assertEquals(0, second.exit(), second.toString());
        assertArrayEquals(new int[] {7, 2}, Cifar10.test(cifarTarget()).labels());
        List<LocalHttpServer.Request> reqs = server.requests();
        assertEquals(2, reqs.size());
        assertEquals("bytes=" + archive.length / 2 + "-", reqs.get(1).range(), "resumed");
        assertFalse(Files.exists(part));
    }

    @Test
    void cifarServerErrorLeavesNothingAndARerunCompletes() throws Exception {
        byte[] archive = ScriptRunner.tarGz(cifarMembers());
        server.failNext(CIFAR, Fault.ERROR_500);

        Result first = fetchCifar(archive);
        assertEquals(1, first.exit(), first.toString());
        assertTrue(first.output().contains("download of"), first.output());
        assertNothingInstalled(cifarTarget());

        Result second = fetchCifar(archive);
        assertEquals(0, second.exit(), second.toString());
        try (Stream<Path> files = Files.list(cifarTarget())) {
            assertEquals(6, files.filter(p -> p.toString().endsWith(".bin")).count());
        }
    }

    @Test
    void cifarReplacesAnUnverifiedFolder() throws Exception {
        Files.createDirectories(cifarTarget());
        Files.writeString(cifarTarget().resolve("test_batch.bin"), "half-made by hand");
        Result r = fetchCifar(ScriptRunner.tarGz(cifarMembers()));
        assertEquals(0, r.exit(), r.toString());
        assertEquals(2, Cifar10.test(cifarTarget()).size());
    }

    // ---- MNIST ----------------------------------------------------------------------------

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    private static byte[] idxImages(int n) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * 784).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0x803).putInt(n).putInt(28).putInt(28);
        for (int i = 0; i < n * 784; i++) {
            b.put((byte) i);
        }
        return b.array();
    }

    private static byte[] idxLabels(int... labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0x801).putInt(labels.length);
        for (int l : labels) {
            b.put((byte) l);
        }
        return b.array();
    }

    @Test
    void mnistInstallsTheFourFilesOnceVerified() throws Exception {
        Map<String, byte[]> files =
                Map.of(
                        "train-images-idx3-ubyte.gz", gzip(idxImages(3)),
                        "train-labels-idx1-ubyte.gz", gzip(idxLabels(5, 0, 4)),
                        "t10k-images-idx3-ubyte.gz", gzip(idxImages(2)),
                        "t10k-labels-idx1-ubyte.gz", gzip(idxLabels(7, 2)));
        files.forEach(server::put);
        Path sums = sums(tmp.resolve("sums"), files);
        Map<String, String> env =
                env(
                        "OODLAB_DATA", data.toString(),
                        "MNIST_URL", server.url(),
                        "OODLAB_SHA256SUMS", sums.toString());

        Result r = run(tmp, env, "data-scripts/fetch-mnist.sh");
        assertEquals(0, r.exit(), r.toString());
        Path dir = data.resolve("mnist");
        ImageSet test =
                Idx.read(
                        dir.resolve("t10k-images-idx3-ubyte.gz"),
                        dir.resolve("t10k-labels-idx1-ubyte.gz"),
                        "mnist/test",
                        10);
        assertArrayEquals(new int[] {7, 2}, test.labels());
        assertEquals(4, server.requests().size());

        Result again = run(tmp, env, "data-scripts/fetch-mnist.sh");
        assertEquals(0, again.exit(), again.toString());
        assertEquals(4, server.requests().size(), "no HTTP request on the second run");
    }

    @Test
    void mnistOneBadFileInstallsNothing() throws Exception {
        Map<String, byte[]> files =
                Map.of(
                        "train-images-idx3-ubyte.gz", gzip(idxImages(3)),
                        "train-labels-idx1-ubyte.gz", gzip(idxLabels(5, 0, 4)),
                        "t10k-images-idx3-ubyte.gz", gzip(idxImages(2)),
                        "t10k-labels-idx1-ubyte.gz", gzip(idxLabels(7, 2)));
        files.forEach(server::put);
        Path sums = sums(tmp.resolve("sums"), files);
        server.put("t10k-labels-idx1-ubyte.gz", gzip(idxLabels(7, 3)));
        Result r =
                run(
                        tmp,
                        env(
                                "OODLAB_DATA", data.toString(),
                                "MNIST_URL", server.url(),
                                "OODLAB_SHA256SUMS", sums.toString()),
                        "data-scripts/fetch-mnist.sh");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.output().contains("t10k-labels-idx1-ubyte.gz: sha256 mismatch"), r.output());
        assertNothingInstalled(data.resolve("mnist"));
    }

    // ---- Fashion-MNIST (--download) --------------------------------------------------------

    @Test
    void fashionMnistDownloadInstallsTheFourFilesTogetherOrNone() throws Exception {
        Map<String, byte[]> files =
                Map.of(
                        "train-images-idx3-ubyte.gz", gzip(idxImages(3)),
                        "train-labels-idx1-ubyte.gz", gzip(idxLabels(5, 0, 4)),
                        "t10k-images-idx3-ubyte.gz", gzip(idxImages(2)),
                        "t10k-labels-idx1-ubyte.gz", gzip(idxLabels(7, 2)));
        Path sums = sums(tmp.resolve("sums"), files);
        Map<String, String> env =
                env(
                        "OODLAB_DATA", data.toString(),
                        "FASHION_MNIST_URL", server.url(),
                        "OODLAB_SHA256SUMS", sums.toString());
        // The last file is not on the server: three arrive, none is installed.
        files.forEach(
                (name, bytes) -> {
                    if (!name.equals("t10k-labels-idx1-ubyte.gz")) {
                        server.put(name, bytes);
                    }
                });
        Result failed = run(tmp, env, "data-scripts/fetch-fashion-mnist.sh", "--download");
        assertEquals(1, failed.exit(), failed.toString());
        assertNothingInstalled(data.resolve("fashion-mnist"));

        server.put("t10k-labels-idx1-ubyte.gz", files.get("t10k-labels-idx1-ubyte.gz"));
        int before = server.requests().size();
        Result r = run(tmp, env, "data-scripts/fetch-fashion-mnist.sh", "--download");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(before + 1, server.requests().size(), "the verified three are kept");
        Path dir = data.resolve("fashion-mnist");
        ImageSet test =
                Idx.read(
                        dir.resolve("t10k-images-idx3-ubyte.gz"),
                        dir.resolve("t10k-labels-idx1-ubyte.gz"),
                        "fashion-mnist/test",
                        10);
        assertArrayEquals(new int[] {7, 2}, test.labels());
        assertNoLeftovers();
        Result again = run(tmp, env, "data-scripts/fetch-fashion-mnist.sh", "--download");
        assertEquals(0, again.exit(), again.toString());
        assertEquals(before + 1, server.requests().size(), "no HTTP request on the third run");
    }

    // ---- ODIN OOD sets --------------------------------------------------------------------

    private static byte[] png(int rgb) throws IOException {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    void oodSetInstallsAsAnImageFolder() throws Exception {
        byte[] archive =
                ScriptRunner.tarGz(
                        List.of(
                                Member.dir("LSUN"),
                                Member.dir("LSUN/test"),
                                Member.file("LSUN/test/0.png", png(0x336699)),
                                Member.file("LSUN/test/1.png", png(0xff0000))));
        server.put("LSUN.tar.gz", archive);
        Path sums = sums(tmp.resolve("sums"), Map.of("LSUN.tar.gz", archive));
        Map<String, String> env =
                env(
                        "OODLAB_DATA", data.toString(),
                        "ODIN_OOD_URL", server.url(),
                        "OODLAB_SHA256SUMS", sums.toString());

        Result r = run(tmp, env, "data-scripts/fetch-ood-benchmarks.sh", "lsun-crop");
        assertEquals(0, r.exit(), r.toString());
        Path dir = data.resolve("ood/lsun-crop");
        ImageSet set = ImageFolder.readUnlabelled(dir, "lsun-crop", 3, 32, 32);
        assertEquals(2, set.size());
        assertEquals(1f, set.image(1)[0], "red channel of the red image");

        Result again = run(tmp, env, "data-scripts/fetch-ood-benchmarks.sh", "lsun-crop");
        assertEquals(0, again.exit(), again.toString());
        assertEquals(1, server.requests().size(), "no HTTP request on the second run");
    }

    @Test
    void oodSetIsCheckedAgainstItsMd5AndFailuresAreCollected() throws Exception {
        server.put("iSUN.tar.gz", ScriptRunner.tarGz(List.of(Member.file("iSUN/a.png", png(0)))));
        Result r =
                run(
                        tmp,
                        env("OODLAB_DATA", data.toString(), "ODIN_OOD_URL", server.url()),
                        "data-scripts/fetch-ood-benchmarks.sh",
                        "isun",
                        "lsun-resize");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(
                r.output().contains("md5 mismatch: expected be77b0f2c26fda898afac5f99645ee70"),
                r.output());
        assertTrue(r.output().contains("failed: isun lsun-resize"), r.output());
        assertNothingInstalled(data.resolve("ood/isun"));
    }

    @Test
    void oodArchiveWithoutImagesIsRefused() throws Exception {
        byte[] archive =
                ScriptRunner.tarGz(List.of(Member.file("iSUN/readme.txt", "no images".getBytes())));
        server.put("iSUN.tar.gz", archive);
        Path sums = sums(tmp.resolve("sums"), Map.of("iSUN.tar.gz", archive));
        Result r =
                run(
                        tmp,
                        env(
                                "OODLAB_DATA", data.toString(),
                                "ODIN_OOD_URL", server.url(),
                                "OODLAB_SHA256SUMS", sums.toString()),
                        "data-scripts/fetch-ood-benchmarks.sh",
                        "isun");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.output().contains("holds no .jpg/.jpeg/.png images"), r.output());
        assertNothingInstalled(data.resolve("ood/isun"));
    }

    @Test
    void oodUnknownSetIsAUsageError() throws Exception {
        Result r =
                run(
                        tmp,
                        env("OODLAB_DATA", data.toString()),
                        "data-scripts/fetch-ood-benchmarks.sh",
                        "cifar100");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.output().contains("unknown set 'cifar100'"), r.output());
        assertEquals(0, server.requests().size());
    }

    // ---- SVHN -----------------------------------------------------------------------------

    @Test
    void svhnIsDownloadedAndConvertedToCifarRecords() throws Exception {
        byte[] mat =
                SvhnMatTest.svhnMat(
                        ByteOrder.LITTLE_ENDIAN,
                        true,
                        MatWriter.MX_UINT8,
                        MatWriter.MI_UINT8,
                        10,
                        4);
        server.put("test_32x32.mat", mat);
        Path sums = sums(tmp.resolve("sums"), Map.of("test_32x32.mat", mat));
        Path classes =
                Path.of(SvhnMat.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, String> env =
                env(
                        "OODLAB_DATA",
                        data.toString(),
                        "SVHN_URL",
                        server.url(),
                        "OODLAB_SHA256SUMS",
                        sums.toString(),
                        "OODLAB_CLASSPATH",
                        classes.toString(),
                        "PATH",
                        Path.of(System.getProperty("java.home"), "bin")
                                + ":"
                                + System.getenv("PATH"));

        Result r = run(tmp, env, "data-scripts/fetch-svhn.sh");
        assertEquals(0, r.exit(), r.toString());
        ImageSet set = Cifar10.read(List.of(data.resolve("svhn/test/test_32x32.bin")), "svhn/test");
        assertArrayEquals(new int[] {0, 4}, set.labels());
        assertEquals(SvhnMatTest.pixel(5, 9, 2, 1) / 255f, set.image(1)[2 * 1024 + 5 * 32 + 9]);
        assertFalse(Files.exists(data.resolve("downloads/test_32x32.mat")));

        Result again = run(tmp, env, "data-scripts/fetch-svhn.sh", "test");
        assertEquals(0, again.exit(), again.toString());
        assertEquals(1, server.requests().size(), "no HTTP request on the second run");
    }

    @Test
    void svhnCarriedDigestsAreEnforced() throws Exception {
        server.put("test_32x32.mat", new byte[] {1, 2, 3});
        Result r =
                run(
                        tmp,
                        env(
                                "OODLAB_DATA",
                                data.toString(),
                                "SVHN_URL",
                                server.url(),
                                "OODLAB_CLASSPATH",
                                "unused"),
                        "data-scripts/fetch-svhn.sh");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(
                r.output()
                        .contains(
                                "sha1 mismatch: expected 29b312382ca6b9fba48d41a7b5c19ad9a5462b20"),
                r.output());
        assertNothingInstalled(data.resolve("svhn/test"));
    }

    // ---- all scripts ----------------------------------------------------------------------

    @Test
    void everyScriptHasHelpAndRejectsUnknownOptions() throws Exception {
        for (String s :
                List.of(
                        "fetch-cifar10.sh",
                        "fetch-svhn.sh",
                        "fetch-ood-benchmarks.sh",
                        "fetch-mnist.sh",
                        "fetch-all.sh")) {
            Result help =
                    run(tmp, env("OODLAB_DATA", data.toString()), "data-scripts/" + s, "--help");
            assertEquals(0, help.exit(), s + ": " + help);
            assertTrue(help.output().startsWith("Usage: data-scripts/" + s), s + ": " + help);
            Result bad =
                    run(tmp, env("OODLAB_DATA", data.toString()), "data-scripts/" + s, "--bogus");
            assertEquals(2, bad.exit(), s + ": " + bad);
        }
        assertFalse(Files.exists(data.resolve("downloads")));
    }
}

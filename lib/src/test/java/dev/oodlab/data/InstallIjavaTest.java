package dev.oodlab.data;

import static dev.oodlab.data.ScriptRunner.env;
import static dev.oodlab.data.ScriptRunner.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oodlab.data.ScriptRunner.Result;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/install-ijava.sh --check-only} against zips served from 127.0.0.1: the checksum
 * rule and the layout check. (Kept with the other script tests, which share its helpers.) Nothing
 * is installed: every run is a check-only run, with HOME and the Jupyter folders in a temp dir.
 */
@Timeout(60)
class InstallIjavaTest {

    private static final String ZIP = "ijava-1.3.0.zip";

    @TempDir Path tmp;
    private LocalHttpServer server;

    @BeforeEach
    void start() throws IOException {
        ScriptRunner.assumeTools("unzip");
        server = new LocalHttpServer();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] zip(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes());
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** The layout of IJava's release zip. */
    private static Map<String, String> release() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("install.py", "print('installer')\n");
        m.put("java/", "");
        m.put("java/kernel.json", "{\"argv\": [\"java\", \"-jar\", \"x.jar\"]}\n");
        m.put("java/ijava-1.3.0.jar", "PK-not-really-a-jar");
        m.put("java/dependency-licenses/LICENSE.txt", "MIT\n");
        return m;
    }

    private Result check(byte[] zip, String sha256, String... args) throws Exception {
        server.put(ZIP, zip);
        Map<String, String> env =
                env(
                        "IJAVA_URL", server.url() + "/" + ZIP,
                        "HOME", tmp.resolve("home").toString(),
                        "JUPYTER_DATA_DIR", tmp.resolve("jupyter").toString());
        if (sha256 != null) {
            env.put("IJAVA_SHA256", sha256);
        }
        return run(tmp, env, "scripts/install-ijava.sh", args);
    }

    @Test
    void goodReleaseZipPassesTheCheck() throws Exception {
        byte[] zip = zip(release());
        Result r = check(zip, ScriptRunner.sha256(zip), "--check-only");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.output().contains("SHA-256 verified"), r.output());
        assertTrue(
                r.output()
                        .contains(
                                "expected layout (install.py, java/kernel.json, java/ijava-1.3.0.jar)"),
                r.output());
        assertTrue(r.output().contains("--check-only: nothing installed"), r.output());
    }

    @Test
    void zipWithoutTheKernelJarIsRefused() throws Exception {
        Map<String, String> m = release();
        m.remove("java/ijava-1.3.0.jar");
        byte[] zip = zip(m);
        Result r = check(zip, ScriptRunner.sha256(zip), "--check-only");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.output().contains("has no kernel jar java/*.jar"), r.output());
    }

    @Test
    void zipWithoutInstallPyIsRefused() throws Exception {
        Map<String, String> m = release();
        m.remove("install.py");
        m.put("ijava/install.py", "nested");
        byte[] zip = zip(m);
        Result r = check(zip, ScriptRunner.sha256(zip), "--check-only");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.output().contains("has no install.py at its top"), r.output());
    }

    @Test
    void zipWithDotDotPathIsRefused() throws Exception {
        Map<String, String> m = release();
        m.put("java/../../evil.py", "x");
        byte[] zip = zip(m);
        Result r = check(zip, ScriptRunner.sha256(zip), "--check-only");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.output().contains("absolute path or '..'"), r.output());
    }

    @Test
    void withoutAChecksumNothingIsDownloaded() throws Exception {
        Result r = check(zip(release()), null, "--check-only");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.output().contains("refusing to install it"), r.output());
        assertEquals(0, server.requests().size(), "refused before any download");
    }

    @Test
    void trustUnverifiedProceedsAndPrintsTheDigest() throws Exception {
        byte[] zip = zip(release());
        Result r = check(zip, null, "--check-only", "--trust-unverified");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.output().contains("NOT verified"), r.output());
        assertTrue(r.output().contains(ScriptRunner.sha256(zip)), r.output());
    }

    @Test
    void wrongChecksumIsRefused() throws Exception {
        Result r = check(zip(release()), ScriptRunner.sha256(new byte[] {1}), "--check-only");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.output().contains("SHA-256 mismatch"), r.output());
    }

    @Test
    void helpAndUsageErrors() throws Exception {
        Result help = run(tmp, env(), "scripts/install-ijava.sh", "--help");
        assertEquals(0, help.exit(), help.toString());
        assertTrue(help.output().startsWith("Usage: scripts/install-ijava.sh"), help.output());
        assertEquals(2, run(tmp, env(), "scripts/install-ijava.sh", "--bogus").exit());
    }
}

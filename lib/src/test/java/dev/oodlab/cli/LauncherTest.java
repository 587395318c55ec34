package dev.oodlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code ./oodlab}: when it builds the jar and what an interrupted build leaves. It
 * runs on a copy of the script in a folder of the test's, with a fake {@code mvn} (writes a jar
 * where the build would, or half of one and is killed) and a fake {@code java} (says which jar it
 * was given) first on the PATH, so no real build runs.
 */
class LauncherTest {

    @TempDir Path root;

    private Path bin;
    private Path jar;
    private byte[] wholeJar;

    /** A small jar with a manifest: a complete zip. */
    private static byte[] jarBytes() throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "dev.oodlab.cli.Main");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
            java.util.Random random = new java.util.Random(1);
            for (int i = 0; i < 40; i++) {
                out.putNextEntry(new ZipEntry("dev/oodlab/Filler" + i + ".class"));
                byte[] filler = new byte[4096];
                random.nextBytes(filler); // incompressible: the jar has some length
                out.write(filler);
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static void script(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @BeforeEach
    void copyLauncherAndFakeTools() throws IOException {
        Path repository = Path.of(System.getProperty("user.dir")).getParent(); // lib/ -> root
        Files.copy(repository.resolve("oodlab"), root.resolve("oodlab"));
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Files.createDirectories(root.resolve("lib/src/main/java"));
        Files.writeString(root.resolve("lib/pom.xml"), "<project/>");
        Files.writeString(root.resolve("lib/src/main/java/A.java"), "class A {}");
        FileTime old = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        for (String p : List.of("pom.xml", "lib/pom.xml", "lib/src/main/java/A.java")) {
            Files.setLastModifiedTime(root.resolve(p), old);
        }
        Files.setLastModifiedTime(root.resolve("lib/src/main/java"), old);
        Files.setLastModifiedTime(root.resolve("lib/src/main"), old);
        jar = root.resolve("lib/target/oodlab.jar");
        wholeJar = jarBytes();
        Files.write(root.resolve("whole.jar"), wholeJar);
        bin = Files.createDirectories(root.resolve("bin"));
        // The fake build: the jar goes where -Doodlab.jar says, else where the pom puts it; with
        // FAKE_BUILD=killed, half of it, then the build dies (SIGKILL).
        script(
                bin.resolve("mvn"),
                """
                #!/usr/bin/env bash
                echo "mvn $*" >> "$FAKE_LOG"
                out=lib/target/oodlab.jar
                for a in "$@"; do case "$a" in -Doodlab.jar=*) out="${a#-Doodlab.jar=}" ;; esac; done
                mkdir -p "$(dirname "$out")"
                if [ "${FAKE_BUILD:-ok}" = killed ]; then
                    head -c $(( $(wc -c < "$FAKE_JAR") / 2 )) "$FAKE_JAR" > "$out"
                    kill -9 $$
                fi
                cp "$FAKE_JAR" "$out"
                """);
        script(
                bin.resolve("java"),
                """
                #!/usr/bin/env bash
                while [ "$1" != -jar ]; do shift; done
                echo "java ran $2 ($(wc -c < "$2") bytes)"
                """);
    }

    private record Run(int exit, String output) {}

    private Run launch(String build) throws IOException, InterruptedException {
        ProcessBuilder pb =
                new ProcessBuilder("bash", root.resolve("oodlab").toString(), "--version")
                        .directory(root.toFile())
                        .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("PATH", bin + ":" + env.get("PATH"));
        env.put("FAKE_LOG", root.resolve("mvn.log").toString());
        env.put("FAKE_JAR", root.resolve("whole.jar").toString());
        env.put("FAKE_BUILD", build);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), output);
    }

    private List<String> builds() throws IOException {
        Path log = root.resolve("mvn.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private List<String> strayFiles() throws IOException {
        try (Stream<Path> files = Files.list(jar.getParent())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("oodlab.jar"))
                    .toList();
        }
    }

    @Test
    void aTruncatedJarIsBuiltAgainNotRun() throws IOException, InterruptedException {
        Files.createDirectories(jar.getParent());
        Files.write(jar, Arrays.copyOf(wholeJar, wholeJar.length / 2)); // newer than the sources
        Run run = launch("ok");
        assertEquals(0, run.exit(), run.output());
        assertTrue(
                run.output().contains(jar + " is incomplete or unreadable (an interrupted build?)"),
                run.output());
        assertEquals(1, builds().size(), run.output());
        assertTrue(run.output().contains("java ran " + jar + " (" + wholeJar.length + " bytes)"));
        assertEquals(List.of(), strayFiles());
        // Whole and newer than the sources now: run without a build.
        Run again = launch("ok");
        assertEquals(0, again.exit(), again.output());
        assertEquals(1, builds().size(), again.output());
    }

    @Test
    void anInterruptedBuildLeavesNoJarAndTheNextRunBuildsIt()
            throws IOException, InterruptedException {
        Run killed = launch("killed");
        assertEquals(1, killed.exit(), killed.output());
        assertTrue(killed.output().contains("oodlab: the build failed"), killed.output());
        assertFalse(Files.exists(jar), "a truncated jar under the final name");
        assertEquals(List.of(), strayFiles());
        Run next = launch("ok");
        assertEquals(0, next.exit(), next.output());
        assertEquals(2, builds().size());
        assertEquals(wholeJar.length, Files.size(jar));
    }

    @Test
    void aFailedRebuildKeepsTheOldJar() throws IOException, InterruptedException {
        Files.createDirectories(jar.getParent());
        Files.write(jar, wholeJar);
        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2019-01-01T00:00:00Z")));
        Run killed = launch("killed"); // the sources are newer: a build, which dies
        assertEquals(1, killed.exit(), killed.output());
        assertEquals(wholeJar.length, Files.size(jar), "the old jar is replaced only when whole");
        assertEquals(List.of(), strayFiles());
    }
}

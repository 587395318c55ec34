package dev.oodlab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.oodlab.data.ScriptRunner;
import dev.oodlab.data.ScriptRunner.Result;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code ./oodlab}: a copy of it runs in a small fake repository (the poms and source
 * folders it watches), with a fake {@code mvn} on the {@code PATH} that writes the two jars under
 * the names the launcher asks for through {@code -Doodlab.jar.suffix} — or fails half-way — and a
 * fake {@code java} that prints its arguments. No real build runs.
 */
class LauncherTest {

    @TempDir Path tmp;

    private Path repo;
    private Path libJar;
    private Path benchJar;
    private Path mvnLog;
    private Path built; // the jar the fake build writes
    private Path previous; // a readable jar from an earlier build, different from `built`

    private static final String MVN =
            """
            #!/usr/bin/env bash
            # fake mvn: logs its arguments, then writes the jars as the real build would
            echo "mvn $*" >> "$FAKE_LOG"
            suffix=""
            for a in "$@"; do
                case "$a" in -Doodlab.jar.suffix=*) suffix="${a#*=}" ;; esac
            done
            mkdir -p lib/target bench/target
            case "$FAKE_MVN" in
                ok)
                    cp "$FAKE_JAR" "lib/target/oodlab$suffix.jar"
                    cp "$FAKE_JAR" "bench/target/oodlab-bench$suffix.jar" ;;
                interrupted) # killed while the shade plugin writes the library jar
                    head -c 100 "$FAKE_JAR" > "lib/target/oodlab$suffix.jar"
                    exit 130 ;;
                truncated) # claims success but leaves a cut-off jar
                    head -c 100 "$FAKE_JAR" > "lib/target/oodlab$suffix.jar"
                    cp "$FAKE_JAR" "bench/target/oodlab-bench$suffix.jar" ;;
            esac
            """;

    private static final String JAVA =
            """
            #!/usr/bin/env bash
            echo "java $*"
            """;

    @BeforeEach
    void fakeRepository() throws IOException {
        assumeTrue(ScriptRunner.onPath("bash"), "bash is not installed");
        repo = Files.createDirectories(tmp.resolve("repo"));
        Files.copy(ScriptRunner.root().resolve("oodlab"), repo.resolve("oodlab"));
        FileTime hourAgo = FileTime.from(Instant.now().minusSeconds(3600));
        for (String source :
                List.of(
                        "pom.xml",
                        "lib/pom.xml",
                        "bench/pom.xml",
                        "lib/src/main/A.java",
                        "bench/src/main/B.java")) {
            Path file = repo.resolve(source);
            Files.createDirectories(file.getParent());
            Files.writeString(file, source);
            Files.setLastModifiedTime(file, hourAgo);
        }
        for (String folder : List.of("lib/src/main", "bench/src/main")) {
            Files.setLastModifiedTime(repo.resolve(folder), hourAgo);
        }
        libJar = repo.resolve("lib/target/oodlab.jar");
        benchJar = repo.resolve("bench/target/oodlab-bench.jar");
        Files.createDirectories(libJar.getParent());
        Files.createDirectories(benchJar.getParent());
        built = jar(tmp.resolve("built.jar"), "new.txt");
        previous = jar(tmp.resolve("previous.jar"), "old.txt");
        mvnLog = tmp.resolve("mvn.log");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        executable(bin.resolve("mvn"), MVN);
        executable(bin.resolve("java"), JAVA);
    }

    /** A real, readable jar with one entry. */
    private static Path jar(Path file, String entry) throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(entry.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return file;
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Runs {@code ./oodlab --version} with the fake build in the given mode. */
    private Result launch(String mode) throws IOException, InterruptedException {
        return ScriptRunner.run(
                repo,
                ScriptRunner.env(
                        "PATH",
                        tmp.resolve("bin") + ":" + System.getenv("PATH"),
                        "FAKE_MVN",
                        mode,
                        "FAKE_JAR",
                        built.toString(),
                        "FAKE_LOG",
                        mvnLog.toString()),
                repo.resolve("oodlab"),
                "--version");
    }

    /**
     * Both jars copies of {@code previous}, from half an hour ago: newer than the sources, older
     * than a source changed now (file times are coarser than the test's steps).
     */
    private void previousBuild() throws IOException {
        FileTime halfHourAgo = FileTime.from(Instant.now().minusSeconds(1800));
        for (Path jar : List.of(libJar, benchJar)) {
            Files.copy(previous, jar);
            Files.setLastModifiedTime(jar, halfHourAgo);
        }
    }

    private int builds() throws IOException {
        return Files.exists(mvnLog) ? Files.readAllLines(mvnLog).size() : 0;
    }

    /** The files in both target folders: the two jars and nothing else (no partial file). */
    private List<String> targetFiles() throws IOException {
        try (Stream<Path> lib = Files.list(libJar.getParent());
                Stream<Path> bench = Files.list(benchJar.getParent())) {
            return Stream.concat(lib, bench).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void assertRanTheCommandLine(Result r) {
        assertTrue(
                r.output()
                        .contains(
                                "-cp "
                                        + libJar
                                        + ":"
                                        + benchJar
                                        + " dev.oodlab.bench.BenchMain --version"),
                r.toString());
    }

    @Test
    void aTruncatedJarIsRebuiltIntoATemporaryFileAndRenamedIntoPlace() throws Exception {
        byte[] whole = Files.readAllBytes(previous);
        Files.write(libJar, Arrays.copyOf(whole, whole.length / 2)); // newer than every source
        Files.copy(previous, benchJar);

        Result r = launch("ok");

        assertEquals(0, r.exit(), r.toString());
        assertEquals(1, builds(), r.toString());
        assertTrue(
                Files.readString(mvnLog).contains("-Doodlab.jar.suffix=.partial-"),
                "the build writes temporary names: " + Files.readString(mvnLog));
        assertArrayEquals(Files.readAllBytes(built), Files.readAllBytes(libJar));
        assertArrayEquals(Files.readAllBytes(built), Files.readAllBytes(benchJar));
        try (ZipFile zip = new ZipFile(libJar.toFile())) {
            assertTrue(zip.getEntry("new.txt") != null);
        }
        assertEquals(List.of("oodlab-bench.jar", "oodlab.jar"), targetFiles());
        assertRanTheCommandLine(r);
    }

    @Test
    void missingJarsAreBuilt() throws Exception {
        Result r = launch("ok");

        assertEquals(0, r.exit(), r.toString());
        assertEquals(1, builds());
        assertEquals(List.of("oodlab-bench.jar", "oodlab.jar"), targetFiles());
        assertRanTheCommandLine(r);
    }

    @Test
    void readableJarsNewerThanTheSourcesAreRunAsTheyAre() throws Exception {
        previousBuild();

        Result first = launch("ok");
        assertEquals(0, first.exit(), first.toString());
        assertEquals(0, builds(), "nothing to build");
        assertArrayEquals(Files.readAllBytes(previous), Files.readAllBytes(libJar));
        assertRanTheCommandLine(first);

        Files.writeString(repo.resolve("bench/src/main/B.java"), "changed"); // now newer
        Result second = launch("ok");
        assertEquals(0, second.exit(), second.toString());
        assertEquals(1, builds(), "a changed source is built");
        assertArrayEquals(Files.readAllBytes(built), Files.readAllBytes(benchJar));
    }

    @Test
    void anInterruptedBuildLeavesThePreviousJarsAndNoPartialFile() throws Exception {
        previousBuild();
        Files.writeString(repo.resolve("lib/src/main/A.java"), "changed");

        Result r = launch("interrupted");

        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.output().contains("oodlab: the build failed"), r.toString());
        assertFalse(r.output().contains("java "), "nothing runs after a failed build");
        assertArrayEquals(Files.readAllBytes(previous), Files.readAllBytes(libJar));
        assertArrayEquals(Files.readAllBytes(previous), Files.readAllBytes(benchJar));
        assertEquals(List.of("oodlab-bench.jar", "oodlab.jar"), targetFiles());
    }

    @Test
    void aBuildThatLeavesAnUnreadableJarIsAnError() throws Exception {
        previousBuild();
        Files.writeString(repo.resolve("pom.xml"), "changed");

        Result r = launch("truncated");

        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.output().contains("oodlab: the build left no readable jar"), r.toString());
        assertArrayEquals(Files.readAllBytes(previous), Files.readAllBytes(libJar));
        assertArrayEquals(Files.readAllBytes(previous), Files.readAllBytes(benchJar));
        assertEquals(List.of("oodlab-bench.jar", "oodlab.jar"), targetFiles());
    }
}

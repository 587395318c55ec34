package dev.oodlab.smoothing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.oodlab.data.DataFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificationLogTest {

    @TempDir Path dir;

    @Test
    void writeThenReadGivesTheSameRows() throws IOException {
        CertificationResults results =
                new CertificationResults(
                        List.of(
                                new Certification(0, 7, 7, 0.8123456789, true, 990, 2.365521),
                                new Certification(20, 2, -1, 0.0, false, 40, 61.0),
                                new Certification(40, 1, 3, 1.5, false, 999, 90061.25)));
        Path file = dir.resolve("sub/log.tsv");
        CertificationLog.write(results, file);
        List<String> lines = Files.readAllLines(file);
        assertEquals("idx\tlabel\tpredict\tradius\tcorrect\ttime", lines.get(0));
        assertEquals("20\t2\t-1\t0.0\t0\t0:01:01", lines.get(2));
        CertificationResults back = CertificationLog.read(file);
        assertEquals(3, back.size());
        for (int i = 0; i < 3; i++) {
            Certification a = results.points().get(i);
            Certification b = back.points().get(i);
            assertEquals(a.index(), b.index());
            assertEquals(a.label(), b.label());
            assertEquals(a.prediction(), b.prediction());
            assertEquals(a.radius(), b.radius(), 0.0);
            assertEquals(a.correct(), b.correct());
            assertEquals(-1, b.countTop(), "n_A is not in the format");
            assertEquals(a.seconds(), b.seconds(), 1e-6);
        }
        assertEquals(results.acr(), back.acr(), 1e-15);
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    /** Two good rows, then one whose time cannot be written (negative), so the write fails. */
    private static CertificationResults failingOnTheThirdRow() {
        return new CertificationResults(
                List.of(
                        new Certification(0, 7, 7, 0.5, true, 990, 1.0),
                        new Certification(1, 2, 2, 0.25, true, 900, 1.0),
                        new Certification(2, 1, 1, 0.75, true, 999, -1.0)));
    }

    @Test
    void aWriteThatFailsHalfwayLeavesNothingUnderTheFinalName() throws IOException {
        Path file = dir.resolve("log.tsv");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> CertificationLog.write(failingOnTheThirdRow(), file));
        assertTrue(e.getMessage().contains("got -1.0"), e.getMessage());
        assertFalse(Files.exists(file), "no partial log under the final name");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void aWriteThatFailsHalfwayKeepsTheOldLog() throws IOException {
        Path file = dir.resolve("log.tsv");
        CertificationResults old =
                new CertificationResults(List.of(new Certification(0, 3, 3, 1.0, true, 5, 2.0)));
        CertificationLog.write(old, file);
        String before = Files.readString(file);
        assertThrows(
                IllegalArgumentException.class,
                () -> CertificationLog.write(failingOnTheThirdRow(), file));
        assertEquals(before, Files.readString(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void theLogHasTheUsualPermissionsOfANewFile() throws IOException {
        // the log is written like every other output (report.AtomicFile), not as an owner-only
        // temporary file
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        Path file = dir.resolve("log.tsv");
        CertificationLog.write(
                new CertificationResults(List.of(new Certification(0, 3, 3, 1.0, true, 5, 2.0))),
                file);
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"), "no POSIX modes");
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
    }

    @Test
    void aLogPathThatIsAFolderIsNamedInTheError() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("taken"));
        Files.writeString(folder.resolve("inside.txt"), "x");
        // the rows are written to a temporary file; renaming it over a non-empty folder fails
        CertificationResults good =
                new CertificationResults(List.of(new Certification(0, 3, 3, 1.0, true, 5, 2.0)));
        java.io.UncheckedIOException renamed =
                assertThrows(
                        java.io.UncheckedIOException.class,
                        () -> CertificationLog.write(good, folder));
        assertEquals(folder + ": cannot write the certification log", renamed.getMessage());
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(List.of(folder.resolve("inside.txt")), files.toList());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(folder), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void readsTheFormatOfThePublishedLogs() throws IOException {
        Path file = dir.resolve("published.tsv");
        Files.writeString(
                file,
                "idx\tlabel\tpredict\tradius\tcorrect\ttime\n"
                        + "0\t7\t7\t0.912\t1\t0:00:01.234567\n"
                        + "1\t2\t-1\t0.0\t0\t0:00:01\n"
                        + "2\t1\t1\t1.2e-05\t1\t1 day, 0:00:02.5\n");
        CertificationResults r = CertificationLog.read(file);
        assertEquals(3, r.size());
        assertEquals(0.912, r.points().get(0).radius(), 0.0);
        assertEquals(1.234567, r.points().get(0).seconds(), 1e-9);
        assertTrue(r.points().get(1).abstained());
        assertEquals(86_402.5, r.points().get(2).seconds(), 1e-9);
        assertEquals((0.912 + 1.2e-5) / 3, r.acr(), 1e-12);
    }

    @Test
    void timedeltaIsWrittenAsPythonWritesIt() {
        assertEquals("0:00:02.365521", CertificationLog.timedelta(2.365521));
        assertEquals("0:00:00", CertificationLog.timedelta(0));
        assertEquals("1:01:01.500000", CertificationLog.timedelta(3661.5));
        assertEquals("2 days, 0:00:03", CertificationLog.timedelta(2 * 86_400 + 3));
        assertEquals("1 day, 0:00:00", CertificationLog.timedelta(86_400));
    }

    @Test
    void wrongHeaderNamesFileAndLine() throws IOException {
        Path file = dir.resolve("bad.tsv");
        Files.writeString(file, "idx,label,predict,radius,correct,time\n0,1,1,0.5,1,0:00:01\n");
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> CertificationLog.read(file));
        assertTrue(
                e.getMessage().startsWith(file + ": line 1: expected the header"), e.getMessage());
    }

    @Test
    void malformedRowNamesItsLine() throws IOException {
        Path file = dir.resolve("row.tsv");
        Files.writeString(
                file,
                CertificationLog.HEADER
                        + "\n0\t1\t1\t0.5\t1\t0:00:01\n1\t1\t1\t0.5\tmaybe\t0:00:01\n");
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> CertificationLog.read(file));
        assertTrue(e.getMessage().contains("line 3: correct must be 0 or 1"), e.getMessage());
    }

    @Test
    void headerWithoutRowsIsAnError() throws IOException {
        Path file = dir.resolve("empty.tsv");
        Files.writeString(file, CertificationLog.HEADER + "\n");
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> CertificationLog.read(file));
        assertTrue(e.getMessage().contains("no rows"), e.getMessage());
    }
}

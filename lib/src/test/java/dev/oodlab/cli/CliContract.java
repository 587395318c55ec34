package dev.oodlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * The contract of a failing command ({@link Main}), checked by the robustness sweeps ({@code
 * CliRobustnessTest} here, {@code BenchRobustnessTest} in the bench module):
 *
 * <ul>
 *   <li>the expected exit code (1 for a failure, 2 for a usage error, never 0);
 *   <li>exactly one line on standard error starting with {@code oodlab: }, the last one, starting
 *       with the expected text; no stack trace;
 *   <li>nothing on standard output (no partial results), unless a report is expected there;
 *   <li>no partial output on disk: the case's working folder, which holds the output paths, is
 *       exactly as it was before the run.
 * </ul>
 */
public final class CliContract {

    private CliContract() {}

    /** Every file under a folder with its size: the "before" and "after" of a case. */
    public static Map<String, Long> snapshot(Path folder) throws IOException {
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.toList()) {
                files.put(
                        folder.relativize(p).toString() + (Files.isDirectory(p) ? "/" : ""),
                        Files.isDirectory(p) ? 0L : Files.size(p));
            }
        }
        return files;
    }

    /**
     * Runs a command that must fail and checks the contract.
     *
     * @param work the case's working folder, compared before and after the run
     * @param args the command line, for the messages
     * @param exitCode the expected exit code
     * @param error the expected start of the error line, after {@code oodlab: }
     * @param report {@code null} for nothing on standard output, else a text it contains
     * @param run runs the command
     */
    public static void assertFails(
            Path work,
            List<String> args,
            int exitCode,
            String error,
            String report,
            Callable<CliRun> run)
            throws Exception {
        Map<String, Long> before = snapshot(work);
        CliRun r = run.call();
        String what = "oodlab " + String.join(" ", args) + "\nstderr:\n" + r.err();
        assertEquals(exitCode, r.exitCode(), what);
        List<String> lines = r.err().lines().toList();
        List<String> errors = lines.stream().filter(l -> l.startsWith("oodlab:")).toList();
        assertEquals(1, errors.size(), "one oodlab: line\n" + what);
        assertEquals(errors.get(0), lines.get(lines.size() - 1), what);
        assertTrue(
                errors.get(0).startsWith("oodlab: " + error),
                "expected 'oodlab: " + error + "...'\n" + what);
        assertFalse(r.err().contains("Exception"), "a stack trace?\n" + what);
        assertFalse(r.err().contains("\tat "), "a stack trace?\n" + what);
        if (report == null) {
            assertEquals("", r.out(), "partial results on standard output\n" + what);
        } else {
            assertTrue(r.out().contains(report), r.out());
        }
        assertEquals(before, snapshot(work), "files left behind\n" + what);
    }
}

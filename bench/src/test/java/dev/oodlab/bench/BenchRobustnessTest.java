package dev.oodlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.oodlab.cli.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The robustness sweep of {@code oodlab bench}: missing folders, files where folders go and values
 * out of range. Each case checks the contract of {@link Main}, as the library's {@code
 * CliRobustnessTest} does for the other commands:
 *
 * <ul>
 *   <li>the exit code 2 (a usage error);
 *   <li>exactly one line on standard error starting with {@code oodlab: }, the last one, naming
 *       what is wrong (the expected start is given per case); no stack trace;
 *   <li>nothing on standard output;
 *   <li>no partial output on disk: the case's working folder, which holds the output paths, is
 *       exactly as it was before the run.
 * </ul>
 */
class BenchRobustnessTest {

    @TempDir static Path fixtures;

    private static Path aFile;
    private static Path absent;

    @TempDir Path cases;

    /** One run: its arguments and the expected start of the error line. */
    private record Call(List<String> args, String error) {}

    private static Call usage(String error, String... args) {
        return new Call(List.of(args), error);
    }

    @BeforeAll
    static void writeFixtures() throws IOException {
        aFile = Files.writeString(fixtures.resolve("a-file.txt"), "not a folder");
        absent = fixtures.resolve("absent");
    }

    /** Every file under a folder with its size: the "before" and "after" of a case. */
    private static Map<String, Long> snapshot(Path folder) throws IOException {
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
     * One case: {@code call} gets the case's empty working folder (outputs go there; it may put
     * files there first, e.g. a file where a folder is expected) and returns the run.
     */
    private DynamicTest fails(String name, Function<Path, Call> call) {
        return dynamicTest(
                name,
                () -> {
                    Path work =
                            Files.createDirectories(
                                    cases.resolve(name.replaceAll("[^A-Za-z0-9]+", "-")));
                    Call c = call.apply(work);
                    Map<String, Long> before = snapshot(work);
                    String[] args = c.args().toArray(String[]::new);
                    CliRun run = CliRun.of(args);
                    String what = "oodlab " + String.join(" ", args) + "\nstderr:\n" + run.err();
                    assertEquals(Main.EXIT_USAGE, run.exitCode(), what);
                    List<String> lines = run.err().lines().toList();
                    List<String> errors =
                            lines.stream().filter(l -> l.startsWith("oodlab:")).toList();
                    assertEquals(1, errors.size(), "one oodlab: line\n" + what);
                    assertEquals(errors.get(0), lines.get(lines.size() - 1), what);
                    assertTrue(
                            errors.get(0).startsWith("oodlab: " + c.error()),
                            "expected 'oodlab: " + c.error() + "...'\n" + what);
                    assertFalse(run.err().contains("Exception"), "a stack trace?\n" + what);
                    assertFalse(run.err().contains("\tat "), "a stack trace?\n" + what);
                    assertEquals("", run.out(), "partial results on standard output\n" + what);
                    assertEquals(before, snapshot(work), "files left behind\n" + what);
                });
    }

    private static String path(Path p) {
        return p.toString();
    }

    private static Path writeFile(Path file) {
        try {
            return Files.writeString(file, "a file");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> bench() {
        return Stream.of(
                fails(
                        "bench: unknown subcommand",
                        w -> usage("Unmatched argument at index 1: 'gpu'", "bench", "gpu")),
                fails(
                        "bench: unknown option",
                        w -> usage("Unknown option: '--fast'", "bench", "--fast")),
                fails(
                        "bench train: missing --peers folder",
                        w ->
                                usage(
                                        "--peers " + absent + ": no such folder",
                                        "bench",
                                        "train",
                                        "--compare",
                                        "--peers",
                                        path(absent),
                                        "--output-dir",
                                        path(w.resolve("bench")))),
                fails(
                        "bench train: --peers is a file",
                        w ->
                                usage(
                                        "--peers " + aFile + " is not a folder",
                                        "bench",
                                        "train",
                                        "--compare",
                                        "--peers",
                                        path(aFile),
                                        "--output-dir",
                                        path(w.resolve("bench")))),
                fails(
                        "bench all: missing --peers folder",
                        w ->
                                usage(
                                        "--peers " + absent + ": no such folder",
                                        "bench",
                                        "all",
                                        "--compare",
                                        "--peers",
                                        path(absent),
                                        "--output-dir",
                                        path(w.resolve("bench")))),
                fails(
                        "bench metrics: missing --peer-script",
                        w ->
                                usage(
                                        "--peer-script " + absent + ": no such file",
                                        "bench",
                                        "metrics",
                                        "--compare",
                                        "--peer-script",
                                        path(absent),
                                        "--output-dir",
                                        path(w.resolve("bench")))),
                fails(
                        "bench train: unknown model",
                        w ->
                                usage(
                                        "--model: unknown model 'resnet'",
                                        "bench",
                                        "train",
                                        "--model",
                                        "resnet",
                                        "--output-dir",
                                        path(w.resolve("bench")))),
                fails(
                        "bench train: negative steps",
                        w ->
                                usage(
                                        "--steps must be >= 0",
                                        "bench",
                                        "train",
                                        "--steps",
                                        "-1",
                                        "--output-dir",
                                        path(w.resolve("bench")))),
                fails(
                        "bench metrics: n too small",
                        w ->
                                usage(
                                        "--n must be at least 20, got 5",
                                        "bench",
                                        "metrics",
                                        "--n",
                                        "5",
                                        "--output-dir",
                                        path(w.resolve("bench")))),
                fails(
                        "bench soak: too few epochs",
                        w ->
                                usage(
                                        "--epochs must be at least 3",
                                        "bench",
                                        "soak",
                                        "--epochs",
                                        "2",
                                        "--output-dir",
                                        path(w.resolve("bench")))),
                fails(
                        "bench certify: zero n",
                        w ->
                                usage(
                                        "--n must be positive, got 0",
                                        "bench",
                                        "certify",
                                        "--n",
                                        "0",
                                        "--output-dir",
                                        path(w.resolve("bench")))),
                fails(
                        "bench metrics: --output-dir is a file",
                        w -> {
                            Path out = writeFile(w.resolve("bench"));
                            return usage(
                                    "--output-dir " + out + " exists and is not a folder",
                                    "bench",
                                    "metrics",
                                    "--output-dir",
                                    path(out));
                        }));
    }
}

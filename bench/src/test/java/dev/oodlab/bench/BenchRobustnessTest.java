package dev.oodlab.bench;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.oodlab.cli.CliContract;
import dev.oodlab.cli.CliRun;
import dev.oodlab.cli.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The robustness sweep of {@code oodlab bench}: missing folders, files where folders go and values
 * out of range. Each case must be a usage error that keeps the contract of {@link Main} ({@link
 * CliContract}, from the library's test jar): one error line naming what is wrong, no stack trace,
 * nothing on standard output, nothing left on disk.
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

    /**
     * One case: {@code call} gets the case's empty working folder (outputs go there; it may put
     * files there first, e.g. a file where a folder is expected) and returns the run, checked by
     * {@link CliContract#assertFails}.
     */
    private DynamicTest fails(String name, Function<Path, Call> call) {
        return dynamicTest(
                name,
                () -> {
                    Path work =
                            Files.createDirectories(
                                    cases.resolve(name.replaceAll("[^A-Za-z0-9]+", "-")));
                    Call c = call.apply(work);
                    String[] args = c.args().toArray(String[]::new);
                    CliContract.assertFails(
                            work,
                            c.args(),
                            Main.EXIT_USAGE,
                            c.error(),
                            null,
                            () -> CliRun.of(BenchMain.commandLine(), args));
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

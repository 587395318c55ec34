package dev.oodlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oodlab.cli.CliRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench all} runs whatever benchmarks its group registers, passing --compare on. */
class BenchAllCommandTest {

    @TempDir Path dir;

    /** A benchmark that records whether it was asked to compare, and how many repeats. */
    @Command(name = "fake")
    static final class FakeBench implements Callable<Integer> {
        static int calls;
        static boolean compared;
        static int repeated;

        @Option(names = "--compare")
        boolean compare;

        @Option(names = "--repeats")
        int repeats = 1;

        @Mixin BenchReport.Output output;

        @Override
        public Integer call() throws IOException {
            calls++;
            compared = compare;
            repeated = repeats;
            new BenchReport("fake")
                    .add("fake seconds", 1.5, "s")
                    .add("fake speed ratio", 2.5, "x")
                    .write(output.directory());
            return 0;
        }
    }

    /** A benchmark without --compare that fails. */
    @Command(name = "plain")
    static final class PlainBench implements Callable<Integer> {
        static int calls;

        @Override
        public Integer call() {
            calls++;
            return 3;
        }
    }

    /** A bench group with the two fakes and {@code all}. */
    @Command(
            name = "bench",
            subcommands = {FakeBench.class, PlainBench.class, BenchAllCommand.class})
    static final class Group implements Runnable {
        @Override
        public void run() {}
    }

    @Test
    void allRunsEveryRegisteredBenchmarkAndCollectsTheRatios() throws IOException {
        FakeBench.calls = 0;
        PlainBench.calls = 0;
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new Group());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        int code = cli.execute("all", "--compare", "--output-dir", dir.toString());
        assertEquals(3, code, "the worst exit code: " + out);
        assertEquals(1, FakeBench.calls);
        assertEquals(1, PlainBench.calls);
        assertTrue(FakeBench.compared, "--compare is passed on");
        assertTrue(out.toString().contains("fake: fake speed ratio"), out.toString());
        String all = Files.readString(dir.resolve("all.json"));
        assertTrue(all.contains("\"fake: fake speed ratio\""), all);
        assertTrue(all.contains("\"plain exit code\""), all);
    }

    @Test
    void repeatsGoToTheBenchmarksThatHaveTheOption() {
        FakeBench.calls = 0;
        PlainBench.calls = 0;
        CommandLine cli = new CommandLine(new Group());
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(new StringWriter(), true));
        // plain has no --repeats: it still runs, without the option (picocli would reject it)
        int code = cli.execute("all", "--repeats", "3", "--output-dir", dir.toString());
        assertEquals(3, code);
        assertEquals(1, PlainBench.calls);
        assertEquals(3, FakeBench.repeated);
        cli.execute("all", "--output-dir", dir.toString());
        assertEquals(1, FakeBench.repeated, "without --repeats each benchmark keeps its default");
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        FakeBench.calls = 0;
        assertEquals(2, cli.execute("all", "--repeats", "0", "--output-dir", dir.toString()));
        assertEquals(0, FakeBench.calls, "nothing runs after a usage error");
        assertTrue(err.toString().contains("--repeats must be at least 1, got 0"), err.toString());
    }

    @Test
    void skipLeavesABenchmarkOut() {
        FakeBench.calls = 0;
        PlainBench.calls = 0;
        CommandLine cli = new CommandLine(new Group());
        cli.setOut(new PrintWriter(new StringWriter(), true));
        int code = cli.execute("all", "--skip", "plain", "--output-dir", dir.toString());
        assertEquals(0, code);
        assertEquals(1, FakeBench.calls);
        assertEquals(0, PlainBench.calls);
        assertTrue(!FakeBench.compared, "no --compare given");
    }

    @Test
    void theRealGroupListsTrainSoakMetricsAndAll() {
        CliRun run = CliRun.of(BenchMain.commandLine(), "bench");
        assertEquals(0, run.exitCode());
        for (String name : new String[] {"train", "soak", "metrics", "all"}) {
            assertTrue(run.out().contains(name), run.out());
        }
    }
}

package dev.oodlab.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code oodlab bench <name>}: timing benchmarks. Each subcommand prints a small table (figure,
 * value, unit) and writes the same figures to {@code build/bench/<name>.json} (see {@link
 * BenchReport}).
 *
 * <p>To add a benchmark, write a class like {@link BenchMetricsCommand} (a picocli command with
 * {@code @Mixin BenchReport.Output}, filling a {@link BenchReport}, and a {@code --compare} option
 * if it has a peer to compare with) and add it to the {@code subcommands} list below; {@code bench
 * all} then runs it too. {@code oodlab bench --compare} alone is {@code oodlab bench all
 * --compare}; before a subcommand it turns that subcommand's comparison on.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Timing benchmarks; each prints a table and writes build/bench/<name>.json.",
        subcommands = {
            BenchTrainCommand.class,
            BenchMetricsCommand.class,
            BenchSoakCommand.class,
            BenchCertifyCommand.class,
            BenchAllCommand.class
        })
public final class BenchCommand implements Callable<Integer> {

    @Option(
            names = "--compare",
            description = "alone: run all benchmarks against the peers (= bench all --compare)")
    boolean compare;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /**
     * Without a subcommand: prints the list of benchmarks, or with {@code --compare} runs them all.
     */
    @Override
    public Integer call() {
        if (compare) {
            return spec.commandLine().getSubcommands().get("all").execute("--compare");
        }
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }
}

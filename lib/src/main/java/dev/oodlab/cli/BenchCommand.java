package dev.oodlab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code oodlab bench <name>}: timing benchmarks. Each subcommand prints a small table (figure,
 * value, unit) and writes the same figures to {@code build/bench/<name>.json} (see {@link
 * BenchReport}).
 *
 * <p>To add a benchmark, write a class like {@link BenchMetricsCommand} (a picocli command with
 * {@code @Mixin BenchReport.Output}, filling a {@link BenchReport}) and add it to the {@code
 * subcommands} list below.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Timing benchmarks; each prints a table and writes build/bench/<name>.json.",
        subcommands = {BenchMetricsCommand.class, BenchCertifyCommand.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Without a subcommand: prints the list of benchmarks. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

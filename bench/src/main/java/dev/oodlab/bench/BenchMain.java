package dev.oodlab.bench;

import dev.oodlab.cli.Main;
import picocli.CommandLine;

/**
 * The whole {@code oodlab} command line: the library's commands ({@link Main}) and {@code bench}
 * ({@link BenchCommand}). The {@code ./oodlab} launcher runs this class with the library jar and
 * the bench jar on the class path, so {@code ./oodlab bench ...} and every other command work the
 * same as when the benchmarks were part of the library.
 */
public final class BenchMain {

    private BenchMain() {}

    /**
     * The command line with {@code bench} added, with the library's error handling.
     *
     * @return a picocli command line ready to {@code execute(args)}
     */
    public static CommandLine commandLine() {
        return Main.commandLine(new BenchCommand());
    }

    /** Runs the CLI and exits with its code. */
    public static void main(String[] args) {
        Main.run(commandLine(), args);
    }
}

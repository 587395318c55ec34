package dev.oodlab.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Runs an oodlab command line in-process and keeps what it printed. Public, with the rest of lib's
 * test classes in its test jar, for the bench module's tests, which run {@code BenchMain}'s.
 *
 * @param exitCode the exit code
 * @param out what it printed on standard output
 * @param err what it printed on standard error
 */
public record CliRun(int exitCode, String out, String err) {

    /** Runs the library's command line ({@link Main}). */
    public static CliRun of(String... args) {
        return of(Main.commandLine(), args);
    }

    /** Runs the given command line, built by {@link Main#commandLine(Object...)}. */
    public static CliRun of(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}

package dev.oodlab.cli;

import dev.oodlab.OodLab;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code oodlab} command line: {@code ./oodlab --help} lists the subcommands.
 *
 * <p>Errors are reported as one line {@code oodlab: <message>} on standard error with exit code 1
 * (2 for a usage error), never as a stack trace.
 */
@Command(
        name = "oodlab",
        mixinStandardHelpOptions = true,
        version = "oodlab 0.1.0",
        description = "OOD detection, robust training, certification and metrics on DJL.",
        subcommands = {
            CommandLine.HelpCommand.class,
            DataCommand.class,
            MetricsCommand.class,
            TrainCommand.class,
            EvaluateCommand.class,
            StudyCommand.class,
            CertifyCommand.class,
            BenchCommand.class,
            Toy2dCommand.class
        })
public final class Main implements Runnable {

    /** Exit code for a failure while running a command (bad data, I/O error, ...). */
    public static final int EXIT_FAILURE = 1;

    /** Exit code for a usage error (unknown option, value out of range, ...). */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Builds the configured command line, with oodlab's error handling installed.
     *
     * @return a picocli command line ready to {@code execute(args)}
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(
                (ex, commandLine, parseResult) -> {
                    PrintWriter err = commandLine.getErr();
                    err.println("oodlab: " + message(ex));
                    err.flush();
                    if (System.getenv("OODLAB_DEBUG") != null) {
                        ex.printStackTrace(err);
                    }
                    return ex instanceof CommandLine.ParameterException ? EXIT_USAGE : EXIT_FAILURE;
                });
        cli.setParameterExceptionHandler(
                (ex, args) -> {
                    PrintWriter err = ex.getCommandLine().getErr();
                    err.println("oodlab: " + ex.getMessage());
                    err.println("Try 'oodlab " + subcommandPath(ex.getCommandLine()) + "--help'.");
                    err.flush();
                    return EXIT_USAGE;
                });
        return cli;
    }

    /** Runs the CLI and exits with its code. */
    public static void main(String[] args) {
        OodLab.init();
        System.exit(commandLine().execute(args));
    }

    private static String message(Throwable ex) {
        String msg = ex.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = ex.getClass().getSimpleName();
        }
        return msg.lines().findFirst().orElse(msg);
    }

    private static String subcommandPath(CommandLine cl) {
        StringBuilder path = new StringBuilder();
        for (CommandLine c = cl; c.getParent() != null; c = c.getParent()) {
            path.insert(0, c.getCommandName() + " ");
        }
        return path.toString();
    }
}

package dev.oodlab.cli;

import dev.oodlab.OodLab;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code oodlab} command line: {@code ./oodlab --help} lists the subcommands.
 *
 * <p>Errors are reported as exactly one line {@code oodlab: <message>} on standard error, naming
 * what is wrong, with exit code 1 — or 2 for a usage error (an unknown option, subcommand or name,
 * a value out of range), picocli's own included — never as a stack trace ({@code OODLAB_DEBUG=1}
 * adds it).
 *
 * <p>The benchmark harness ({@code oodlab bench}) lives in its own module, {@code bench/}, which
 * adds its command through {@link #commandLine(Object...)}; the {@code ./oodlab} launcher runs that
 * module's main class, so the library jar carries no benchmark code.
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
     * @param more further subcommands (picocli {@code @Command} objects) added after the library's
     *     own, before the error handling is installed so that they share it
     * @return a picocli command line ready to {@code execute(args)}
     */
    public static CommandLine commandLine(Object... more) {
        CommandLine cli = new CommandLine(new Main());
        for (Object command : more) {
            cli.addSubcommand(command);
        }
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
                    err.println("oodlab: " + message(ex));
                    err.flush();
                    if (System.getenv("OODLAB_DEBUG") != null) {
                        ex.printStackTrace(err);
                    }
                    return EXIT_USAGE;
                });
        return cli;
    }

    /** Runs the CLI and exits with its code. */
    public static void main(String[] args) {
        run(commandLine(), args);
    }

    /**
     * Runs a command line built by {@link #commandLine(Object...)} and exits with its code.
     *
     * @param cli the command line
     * @param args the arguments
     */
    public static void run(CommandLine cli, String[] args) {
        OodLab.init();
        System.exit(cli.execute(args));
    }

    /** The first line of the exception's message; for a file-system error, the file and why. */
    static String message(Throwable ex) {
        String msg = ex.getMessage();
        FileSystemException fs = fileSystemCause(ex);
        if (fs != null
                && (msg == null || msg.equals(fs.getMessage()) || msg.equals(fs.toString()))) {
            msg = describe(fs); // the JDK's message is often only the path
        }
        if (msg == null || msg.isBlank()) {
            msg = ex.getClass().getSimpleName();
        }
        return msg.lines().findFirst().orElse(msg);
    }

    private static FileSystemException fileSystemCause(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof FileSystemException fs) {
                return fs;
            }
        }
        return null;
    }

    private static String describe(FileSystemException e) {
        String why;
        if (e.getReason() != null) {
            why = e.getReason();
        } else if (e instanceof NoSuchFileException) {
            why = "no such file or folder";
        } else if (e instanceof NotDirectoryException) {
            why = "not a folder";
        } else if (e instanceof FileAlreadyExistsException) {
            why = "already exists";
        } else if (e instanceof AccessDeniedException) {
            why = "permission denied";
        } else if (e instanceof DirectoryNotEmptyException) {
            why = "folder not empty";
        } else {
            why = "cannot be written or read";
        }
        String where = e.getFile() + (e.getOtherFile() != null ? " -> " + e.getOtherFile() : "");
        return where + ": " + why;
    }
}

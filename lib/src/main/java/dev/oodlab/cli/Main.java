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
            BenchmarkCommand.class,
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

    /**
     * The one line an error is reported as: the first line of the exception's message, with the
     * cause the operating system gave where the message leaves it out. A file-system error whose
     * message is only the path becomes the path and why ("permission denied", "no such file or
     * folder", ...); a message that names the file of a file-system error but not its reason gets
     * the reason appended; one that wraps an I/O error ("No space left on device") without its text
     * gets the text appended.
     */
    static String message(Throwable ex) {
        String msg = firstLine(ex.getMessage());
        FileSystemException fs = fileSystemCause(ex);
        if (fs != null) {
            if (msg == null
                    || msg.equals(fs.getMessage())
                    || msg.equals(fs.toString())
                    || msg.equals(fs.getFile())) {
                msg = describe(fs); // the JDK's message is often only the path
            } else if (fs.getFile() != null
                    && msg.contains(fs.getFile())
                    && !msg.contains(reason(fs))) {
                msg = msg + ": " + reason(fs); // it names the file, not why
            }
        } else if (msg != null) {
            String root = ioCause(ex);
            if (root != null && !msg.contains(root)) {
                msg = msg + ": " + root;
            }
        }
        if (msg == null || msg.isBlank()) {
            msg = ex.getClass().getSimpleName();
        }
        return msg;
    }

    private static String firstLine(String text) {
        return text == null ? null : text.lines().findFirst().orElse(text);
    }

    /** The text of the deepest I/O error among the causes, if it has one. */
    private static String ioCause(Throwable ex) {
        String text = null;
        for (Throwable t = ex.getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException && t.getMessage() != null) {
                text = firstLine(t.getMessage());
            }
        }
        return text == null || text.isBlank() ? null : text;
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
        String where = e.getFile() + (e.getOtherFile() != null ? " -> " + e.getOtherFile() : "");
        return where + ": " + reason(e);
    }

    /** Why a file-system operation failed, in words. */
    private static String reason(FileSystemException e) {
        if (e.getReason() != null) {
            return e.getReason();
        } else if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        } else if (e instanceof NotDirectoryException) {
            return "not a folder";
        } else if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        } else if (e instanceof AccessDeniedException) {
            return "permission denied";
        } else if (e instanceof DirectoryNotEmptyException) {
            return "folder not empty";
        }
        return "cannot be written or read";
    }
}

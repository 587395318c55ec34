package dev.oodlab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Checks an output option before a command does any work, so that an output that cannot be written
 * fails at once, in one line, instead of after minutes of training: the target must not be of the
 * wrong kind (a file where a folder goes, or the reverse), and the nearest existing folder above it
 * must be a writable folder (so the missing ones can be created).
 */
public final class OutputPath {

    private OutputPath() {}

    /**
     * Checks an output folder.
     *
     * @param spec the command, for the usage error
     * @param option the option's name, e.g. {@code --out}
     * @param folder the folder (may exist; created later)
     * @throws CommandLine.ParameterException if it cannot be a folder we write into
     */
    public static void folder(CommandLine.Model.CommandSpec spec, String option, Path folder) {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw usage(spec, option + " " + folder + " exists and is not a folder");
        }
        checkAncestors(spec, option, folder);
    }

    /**
     * Checks an output file.
     *
     * @param spec the command, for the usage error
     * @param option the option's name, e.g. {@code --out}
     * @param file the file (may exist: it is replaced)
     * @throws CommandLine.ParameterException if it cannot be a file we write
     */
    public static void file(CommandLine.Model.CommandSpec spec, String option, Path file) {
        if (Files.isDirectory(file)) {
            throw usage(spec, option + " " + file + " is a folder; give a file name");
        }
        checkAncestors(spec, option, file);
    }

    private static void checkAncestors(
            CommandLine.Model.CommandSpec spec, String option, Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        for (Path p = absolute.getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw usage(
                            spec, option + " " + target + ": " + p + " is a file, not a folder");
                }
                if (!Files.isWritable(p)) {
                    throw usage(spec, option + " " + target + ": cannot write in " + p);
                }
                return;
            }
        }
    }

    private static CommandLine.ParameterException usage(
            CommandLine.Model.CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}

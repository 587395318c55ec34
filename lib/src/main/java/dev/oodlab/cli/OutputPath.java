package dev.oodlab.cli;

import dev.oodlab.experiment.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Checks an output option before a command does any work, so that an output that cannot be written
 * fails at once, in one line, instead of after minutes of training: the target must be named (not
 * an empty string, which would mean the current folder), must not be of the wrong kind (a file
 * where a folder goes, or the reverse), an existing target must be writable (a read-only folder is
 * refused now, not after the training), and the nearest existing folder above it must be a writable
 * folder (so the missing ones can be created, and the target renamed into place).
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
        checkNamed(spec, option, folder);
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw usage(spec, option + " " + folder + " exists and is not a folder");
        }
        if (Files.isDirectory(folder) && !Files.isWritable(folder)) {
            throw usage(spec, option + " " + folder + ": permission denied (a read-only folder)");
        }
        checkAncestors(spec, option, folder);
    }

    /**
     * Checks an output folder that the command replaces whole: {@link #folder}, and an existing
     * folder must hold nothing but oodlab's output ({@link RunFiles#checkReplaceable}).
     *
     * @param spec the command, for the usage error
     * @param option the option's name
     * @param folder the folder
     * @throws CommandLine.ParameterException if it cannot be written or replaced
     */
    static void replacedFolder(CommandLine.Model.CommandSpec spec, String option, Path folder) {
        folder(spec, option, folder);
        try {
            RunFiles.checkReplaceable(folder);
        } catch (IllegalArgumentException e) {
            throw usage(spec, option + " " + e.getMessage());
        }
    }

    private static void checkNamed(CommandLine.Model.CommandSpec spec, String option, Path path) {
        if (path.toString().isBlank()) {
            throw usage(spec, option + " is empty; give a folder or file name");
        }
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
        checkNamed(spec, option, file);
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
                    throw usage(
                            spec,
                            option
                                    + " "
                                    + target
                                    + ": cannot write in "
                                    + p
                                    + ": permission denied");
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

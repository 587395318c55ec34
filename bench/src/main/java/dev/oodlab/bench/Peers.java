package dev.oodlab.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * The peer baselines: Python scripts timing the same work with PyTorch and scikit-learn, used by
 * {@code oodlab bench ... --compare}.
 *
 * <p>The scripts' folder is the first of: the {@code --peers} option, the environment variable
 * {@code OODLAB_PEERS}, {@code ../shared/peers} next to the repository root (found from the jar's
 * location, {@code <root>/bench/target/oodlab-bench.jar}), and {@code ../shared/peers} relative to
 * the working directory. The interpreter is {@code /usr/bin/python3} unless {@code --python} says
 * otherwise (Debian's {@code python3-torch} and {@code python3-sklearn} live there). Python is
 * never needed without {@code --compare}.
 */
public final class Peers {

    /** The environment variable naming the peers' folder. */
    public static final String ENV = "OODLAB_PEERS";

    /** The interpreter used by default. */
    public static final String DEFAULT_PYTHON = "/usr/bin/python3";

    /**
     * The note printed next to every comparison: the stacks differ.
     *
     * <p>Debian's PyTorch is 1.13.1 (OpenBLAS for linear layers, oneDNN 2.6 for convolutions); DJL
     * runs libtorch 2.7.1 (MKL, oneDNN 3.x).
     */
    public static final String STACK_NOTE =
            "note: the peers run Debian's PyTorch 1.13.1 (OpenBLAS, oneDNN 2.6), older than our"
                    + " libtorch 2.7.1 (MKL, oneDNN 3.x); ratios compare stacks, not only code";

    private Peers() {}

    /**
     * The peers' folder.
     *
     * @param option the {@code --peers} option, or {@code null}
     * @return the first candidate folder that exists, or empty
     */
    public static Optional<Path> locate(Path option) {
        for (Path candidate : candidates(option)) {
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Checks an explicit {@code --peers} option before a benchmark runs: a folder the user names
     * must exist (only a folder found by looking around may be missing, which skips the
     * comparison).
     *
     * @param option the {@code --peers} option, or {@code null}
     * @param spec the command, for the usage error
     * @throws CommandLine.ParameterException if the option names no folder
     */
    public static void checkOption(Path option, CommandLine.Model.CommandSpec spec) {
        if (option != null && !Files.isDirectory(option)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--peers "
                            + option
                            + (Files.exists(option) ? " is not a folder" : ": no such folder"));
        }
    }

    /**
     * The folders {@link #locate} tries, in order.
     *
     * @param option the {@code --peers} option, or {@code null}
     * @return the candidates
     */
    public static List<Path> candidates(Path option) {
        List<Path> list = new ArrayList<>();
        if (option != null) {
            list.add(option);
            return list; // an explicit folder is the only one looked at
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            list.add(Paths.get(env));
            return list;
        }
        repositoryRoot().ifPresent(root -> list.add(root.resolve("../shared/peers").normalize()));
        list.add(Paths.get("../shared/peers").toAbsolutePath().normalize());
        return list;
    }

    /**
     * The repository root, from the location of the running jar ({@code <root>/bench/target/…}) or
     * the classes folder ({@code <root>/bench/target/classes}).
     *
     * @return the root, or empty when the code does not run from a build of the repository
     */
    static Optional<Path> repositoryRoot() {
        try {
            Path code =
                    Paths.get(
                            Peers.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
            for (Path p = code; p != null; p = p.getParent()) {
                if (p.getFileName() != null
                        && p.getFileName().toString().equals("target")
                        && p.getParent() != null
                        && p.getParent().getParent() != null) {
                    return Optional.of(p.getParent().getParent());
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * Why the peers cannot run, or empty when they can: the interpreter must start and import
     * {@code modules}, and every script must exist.
     *
     * @param python the interpreter
     * @param modules Python modules the scripts need, e.g. {@code torch}
     * @param scripts the scripts
     * @return the reason, or empty
     */
    public static Optional<String> unavailable(
            String python, List<String> modules, Path... scripts) {
        for (Path script : scripts) {
            if (!Files.isRegularFile(script)) {
                return Optional.of("no peer script at " + script);
            }
        }
        List<String> command = new ArrayList<>();
        command.add(python);
        command.add("-c");
        command.add("import " + String.join(", ", modules));
        try {
            Process process =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.of(python + " did not import " + modules + " within 60 s");
            }
            if (process.exitValue() != 0) {
                return Optional.of(python + " cannot import " + String.join(", ", modules));
            }
        } catch (IOException e) {
            return Optional.of("cannot run " + python + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while checking " + python);
        }
        return Optional.empty();
    }

    /**
     * Runs a peer command, echoing its output with the prefix {@code peer | }.
     *
     * @param command the command line
     * @param out where the output is echoed
     * @throws IOException if the command cannot start
     * @throws InterruptedException if interrupted while waiting
     * @return the lines it printed (standard output and error), in order
     * @throws IllegalStateException if the command exits with a non-zero code
     */
    public static List<String> run(List<String> command, PrintWriter out)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> printed = new java.util.ArrayList<>();
        try (BufferedReader lines =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                printed.add(line);
                out.println("peer | " + line);
                out.flush();
            }
        }
        int rc = process.waitFor();
        if (rc != 0) {
            throw new IllegalStateException(
                    "the peer command failed with exit code "
                            + rc
                            + ": "
                            + String.join(" ", command));
        }
        return printed;
    }
}

package dev.oodlab.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the oodlab command line in a separate JVM (this test JVM's class path, main class {@link
 * Main}), for what an in-process run cannot show: a process killed mid-run, or environment
 * variables. Standard output and error go to files in a folder of the test's.
 */
final class CliProcess {

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private CliProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code oodlab args...}.
     *
     * @param logs a folder for the output files
     * @param env environment variables to set
     * @param args the command line
     */
    static CliProcess start(Path logs, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-Dai.djl.offline=true");
        command.add("-Djava.awt.headless=true");
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        // The same engine threads as this JVM's, so that the two compute the same numbers.
        for (String key :
                List.of("ai.djl.pytorch.num_threads", "ai.djl.pytorch.num_interop_threads")) {
            String value = System.getProperty(key);
            if (value != null) {
                command.add("-D" + key + "=" + value);
            }
        }
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        Files.createDirectories(logs);
        Path out = Files.createTempFile(logs, "stdout", ".txt");
        Path err = Files.createTempFile(logs, "stderr", ".txt");
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
        builder.environment().putAll(env);
        return new CliProcess(builder.start(), out, err);
    }

    /** Runs {@code oodlab args...} to its end (at most two minutes). */
    static CliRun run(Path logs, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        CliProcess p = start(logs, env, args);
        if (!p.process.waitFor(2, TimeUnit.MINUTES)) {
            p.kill();
            throw new AssertionError("oodlab " + String.join(" ", args) + " did not end");
        }
        return new CliRun(p.process.exitValue(), p.stdout(), p.stderr());
    }

    /** The process id. */
    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the process at once (SIGKILL: no shutdown hooks, no finally blocks) and waits. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    String stdout() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    String stderr() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }
}

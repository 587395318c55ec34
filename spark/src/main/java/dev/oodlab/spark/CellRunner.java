package dev.oodlab.spark;

import dev.oodlab.experiment.CheckpointFolder;
import dev.oodlab.experiment.RunFiles;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs one cell of a sweep where a Spark task runs: {@code oodlab train} with the cell's arguments
 * and {@code --out cells/<id>}, in a JVM of its own ({@link CellMain}) — the very command line the
 * user would type, so the cell's folder is what {@code ./oodlab train --out} writes, all at once
 * (the run stages its folder and renames it into place). A JVM per cell keeps the runs of one
 * executor apart: libtorch's random generator and thread pool are per process.
 *
 * <p>A cell whose folder holds {@code results.json} is complete and is not run again; a cell whose
 * checkpoint folder ({@code cells/<id>.checkpoint}) holds a checkpoint continues from it ({@code
 * --resume}). The run's standard error goes to {@code logs/<id>.log}, appended attempt after
 * attempt.
 *
 * <p>A failed run throws, so that Spark runs the task again, until its last attempt, which returns
 * a {@link CellOutcome#FAILED} outcome with the run's one-line error instead: the other cells of
 * the job go on. A usage error (exit code 2: a bad option value) fails the same way every time and
 * is not retried.
 */
final class CellRunner implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Exit code of {@code oodlab} for a usage error. */
    static final int EXIT_USAGE = 2;

    private final String out;
    private final List<String> javaOptions;
    private final int attempts;
    private final String classPath;

    /**
     * @param out the sweep's output folder (on a cluster, a path every executor sees)
     * @param javaOptions the JVM options of a cell's JVM
     * @param attempts how many times Spark starts a task before it gives up (its maxFailures)
     * @param classPath the class path of a cell's JVM, or null for {@link #classPath()} where the
     *     task runs
     */
    CellRunner(Path out, List<String> javaOptions, int attempts, String classPath) {
        this.out = out.toAbsolutePath().normalize().toString();
        this.javaOptions = List.copyOf(javaOptions);
        this.attempts = attempts;
        this.classPath = classPath;
    }

    /** The folder of a cell. */
    static Path cellFolder(Path out, String id) {
        return out.resolve("cells").resolve(id);
    }

    /** The results file of a complete cell, or null. */
    static Path completeResults(Path out, String id) {
        Path results = cellFolder(out, id).resolve(RunFiles.RESULTS_JSON);
        return Files.isRegularFile(results) ? results : null;
    }

    /**
     * Runs a cell (or finds it complete).
     *
     * @param cell the cell
     * @param attempt Spark's attempt number of the task, from 0
     * @return the outcome
     * @throws CellFailedException if the run failed and Spark should try again
     */
    CellOutcome run(SweepGrid.Cell cell, int attempt) {
        Path root = Paths.get(out);
        try {
            Path done = completeResults(root, cell.id());
            if (done != null) {
                return new CellOutcome(
                        cell.id(), CellOutcome.SKIPPED, 0, null, Files.readString(done));
            }
            Path folder = cellFolder(root, cell.id());
            Files.createDirectories(folder.getParent());
            Path log = root.resolve("logs").resolve(cell.id() + ".log");
            Files.createDirectories(log.getParent());
            List<String> command = new ArrayList<>();
            command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(javaOptions);
            command.add("-cp");
            command.add(classPath != null ? classPath : classPath());
            command.add(CellMain.class.getName());
            command.add("train");
            command.addAll(cell.args());
            command.add("--quiet");
            command.add("--out");
            command.add(folder.toString());
            boolean resume = CheckpointFolder.hasCheckpoint(CheckpointFolder.forOutput(folder));
            if (resume) {
                command.add("--resume");
            }
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            Files.writeString(
                    log,
                    "== attempt "
                            + (attempt + 1)
                            + (resume ? " (resuming)" : "")
                            + ": oodlab train "
                            + String.join(
                                    " ",
                                    command.subList(command.indexOf("train") + 1, command.size()))
                            + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Process process = builder.start();
            int code;
            try (OutputStream keepOpen = process.getOutputStream()) {
                // CellMain ends when this pipe closes: with this task, or this JVM
                code = process.waitFor();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new CellFailedException(cell.id() + ": interrupted");
            }
            if (code == 0) {
                Path results = completeResults(root, cell.id());
                if (results == null) {
                    throw new CellFailedException(
                            cell.id() + ": the run ended without writing " + folder);
                }
                return new CellOutcome(
                        cell.id(), CellOutcome.DONE, attempt + 1, null, Files.readString(results));
            }
            String message = errorLine(log, logStart, code);
            if (code == EXIT_USAGE || attempt + 1 >= attempts) {
                return new CellOutcome(cell.id(), CellOutcome.FAILED, attempt + 1, message, null);
            }
            throw new CellFailedException(cell.id() + ": " + message);
        } catch (IOException e) {
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (attempt + 1 >= attempts) {
                return new CellOutcome(cell.id(), CellOutcome.FAILED, attempt + 1, message, null);
            }
            throw new UncheckedIOException(cell.id() + ": " + message, e);
        }
    }

    /**
     * The run's one-line error: the last {@code oodlab: } line its attempt wrote to the log, else
     * the exit code and the last line.
     */
    static String errorLine(Path log, long from, int code) throws IOException {
        byte[] all = Files.readAllBytes(log);
        String text =
                new String(
                        all,
                        (int) Math.min(from, all.length),
                        all.length - (int) Math.min(from, all.length),
                        StandardCharsets.UTF_8);
        String last = null;
        String error = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("oodlab: ")) {
                error = line.substring("oodlab: ".length());
            }
            if (!line.isBlank() && !line.startsWith("== attempt ")) {
                last = line;
            }
        }
        if (error != null) {
            return error;
        }
        return "exit code " + code + (last == null ? "" : " (" + last.strip() + ")");
    }

    /**
     * The class path of a cell's JVM: the jars that hold this module's and the library's classes
     * (on a cluster, the application jar Spark fetched for the executor); when the library's jar
     * does not carry its dependencies (DJL) as the shaded jars do, this JVM's class path after
     * them. The Spark setting {@value Sweep#CELL_CLASS_PATH} replaces it (the launcher sets it to
     * the library's jar and this module's).
     */
    static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> c : List.of(CellMain.class, dev.oodlab.cli.Main.class)) {
            String source = codeSource(c);
            if (source != null) {
                entries.add(source);
            }
        }
        String library = codeSource(dev.oodlab.cli.Main.class);
        if (library == null || !library.equals(codeSource(ai.djl.engine.Engine.class))) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    entries.add(entry);
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** The file or folder a class was loaded from, or null. */
    private static String codeSource(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null;
        }
        try {
            return Paths.get(source.getLocation().toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The JVM options of a cell: those of {@code ./oodlab}, this JVM's {@code ai.djl.*}, {@code
     * oodlab.*} and {@code org.slf4j.*} properties, libtorch's intra-op threads set to the task's
     * CPUs unless a property sets them, then the extra options (which come last and so win).
     *
     * @param taskCpus Spark's {@code spark.task.cpus}
     * @param extra further options, e.g. {@code -Xmx4g}
     * @return the options
     */
    static List<String> javaOptions(int taskCpus, List<String> extra) {
        List<String> options = new ArrayList<>();
        options.add("-XX:TieredStopAtLevel=1");
        options.add("-Dai.djl.offline=true");
        options.add("-Djava.awt.headless=true");
        options.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        options.add("-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error");
        boolean threads = false;
        Map<String, String> properties = new TreeMap<>();
        for (String key : System.getProperties().stringPropertyNames()) {
            properties.put(key, System.getProperty(key));
        }
        for (Map.Entry<String, String> e : properties.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("ai.djl.")
                    || key.startsWith("oodlab.")
                    || key.startsWith("org.slf4j.")) {
                options.add("-D" + key + "=" + e.getValue());
                threads |= key.equals("ai.djl.pytorch.num_threads");
            }
        }
        if (!threads) {
            options.add("-Dai.djl.pytorch.num_threads=" + taskCpus);
        }
        options.addAll(extra);
        return options;
    }

    /** A cell's run failed on an attempt that Spark will repeat. */
    static final class CellFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CellFailedException(String message) {
            super(message);
        }
    }
}

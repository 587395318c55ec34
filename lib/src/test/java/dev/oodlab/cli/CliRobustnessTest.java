package dev.oodlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.oodlab.experiment.TinyData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The robustness sweep: every entry point of the command line ({@code data}, {@code metrics},
 * {@code train}, {@code evaluate}, {@code toy2d}, {@code certify}, {@code study}) fed missing
 * files, corrupt files and wrong options ({@code bench}'s cases are in the bench module's {@code
 * BenchRobustnessTest}). Each case checks the contract of {@link Main} ({@link CliContract}): the
 * exit code, one error line naming what is wrong (the expected start is given per case), no stack
 * trace, nothing on standard output, and no partial output on disk — no output folder or file, no
 * temporary file, no checkpoint folder.
 *
 * <p>The fixtures (tiny IDX data, a model trained for one epoch on it, damaged copies of both) are
 * made once; each case runs in-process in well under a second, except the two {@code data} cases
 * that need environment variables and run in a separate JVM.
 */
class CliRobustnessTest {

    @TempDir static Path fixtures;

    private static Path tiny;
    private static Path truncatedData;
    private static Path noise;
    private static Path truncatedNoise;
    private static Path notGzip;
    private static Path scores;
    private static Path emptyScores;
    private static Path nanScores;
    private static Path model;
    private static Path modelBadJson;
    private static Path modelMissingKey;
    private static Path modelGarbageParams;
    private static Path modelTruncatedParams;
    private static Path modelOnTruncatedData;
    private static Path modelOtherArchitecture;
    private static Path modelTextSigma;
    private static Path aFile;
    private static Path absent;

    @TempDir Path cases;

    /**
     * One run: its arguments, the expected exit code and start of the error line, environment
     * variables (run in a separate JVM when there are any), and what standard output holds: {@code
     * null} for nothing, else a text it contains (a report such as {@code data info}'s table).
     */
    private record Call(
            List<String> args,
            int exitCode,
            String error,
            Map<String, String> env,
            String report) {}

    private static Call usage(String error, String... args) {
        return new Call(List.of(args), Main.EXIT_USAGE, error, Map.of(), null);
    }

    private static Call failure(String error, String... args) {
        return new Call(List.of(args), Main.EXIT_FAILURE, error, Map.of(), null);
    }

    /**
     * A command line with options replaced or added: {@code --name value} pairs of {@code more}
     * replace the value of the same option in {@code base}, other tokens are appended.
     */
    private static String[] with(List<String> base, String... more) {
        List<String> args = new ArrayList<>(base);
        for (int i = 0; i < more.length; i++) {
            String token = more[i];
            boolean pair =
                    token.startsWith("--") && i + 1 < more.length && !more[i + 1].startsWith("--");
            int at = args.indexOf(token);
            if (pair && at >= 0) {
                args.set(at + 1, more[++i]);
            } else {
                args.add(token);
            }
        }
        return args.toArray(String[]::new);
    }

    @BeforeAll
    static void writeFixtures() throws IOException {
        tiny = TinyData.write(fixtures.resolve("tiny"), 200, 50);
        truncatedData = fixtures.resolve("truncated-data");
        Files.createDirectories(truncatedData);
        try (Stream<Path> files = Files.list(tiny)) {
            for (Path f : files.toList()) {
                Files.copy(f, truncatedData.resolve(f.getFileName()));
            }
        }
        truncate(truncatedData.resolve("train-images-idx3-ubyte.gz"), 5000);
        noise = TinyData.writeNoiseImages(fixtures.resolve("noise-idx3-ubyte"), 40, 7);
        truncatedNoise = fixtures.resolve("truncated-idx3-ubyte");
        Files.copy(noise, truncatedNoise);
        truncate(truncatedNoise, 3000);
        notGzip = Files.writeString(fixtures.resolve("not-gzip-idx3-ubyte.gz"), "plain text");
        scores = Files.writeString(fixtures.resolve("scores.txt"), "0.9\n0.8\n0.7\n");
        emptyScores = Files.writeString(fixtures.resolve("empty.txt"), "");
        nanScores = Files.writeString(fixtures.resolve("nan.txt"), "0.1\nNaN\n0.2\n");
        aFile = Files.writeString(fixtures.resolve("a-file.txt"), "not a folder");
        absent = fixtures.resolve("absent");

        model = fixtures.resolve("model");
        CliRun train =
                CliRun.of(
                        "train",
                        "--method",
                        "ce",
                        "--dataset",
                        tiny.toString(),
                        "--epochs",
                        "1",
                        "--ood",
                        "uniform",
                        "--ood-count",
                        "30",
                        "--quiet",
                        "--out",
                        model.toString());
        assertEquals(0, train.exitCode(), train.err());
        modelBadJson = copyModel("model-bad-json");
        Files.writeString(modelBadJson.resolve("model.json"), "{ not json");
        modelMissingKey = copyModel("model-missing-key");
        Files.writeString(
                modelMissingKey.resolve("model.json"),
                "{\"format\": \"oodlab-model/1\", \"model\": \"lenet\"}");
        modelGarbageParams = copyModel("model-garbage-params");
        Files.writeString(modelGarbageParams.resolve("model.params"), "garbage garbage\n");
        modelTruncatedParams = copyModel("model-truncated-params");
        truncate(modelTruncatedParams.resolve("model.params"), 100);
        modelOtherArchitecture = copyModel("model-other-architecture");
        editModelJson(modelOtherArchitecture, "model", "mlp");
        modelTextSigma = copyModel("model-text-sigma");
        editModelJson(modelTextSigma, "sigma", "a quarter");
        modelOnTruncatedData = copyModel("model-on-truncated-data");
        Path json = modelOnTruncatedData.resolve("model.json");
        JsonObject description = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        description.addProperty("dataset", truncatedData.toString());
        Files.writeString(json, description.toString());
    }

    private static void editModelJson(Path folder, String key, String value) throws IOException {
        Path json = folder.resolve("model.json");
        JsonObject description = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        description.addProperty(key, value);
        Files.writeString(json, description.toString());
    }

    private static void truncate(Path file, int bytes) throws IOException {
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), bytes));
    }

    private static Path copyModel(String name) throws IOException {
        Path copy = Files.createDirectories(fixtures.resolve(name));
        for (String file : List.of("model.json", "model.params")) {
            Files.copy(model.resolve(file), copy.resolve(file));
        }
        return copy;
    }

    /**
     * One case: {@code call} gets the case's empty working folder (outputs go there; it may put
     * files there first, e.g. a file where a folder is expected) and returns the run, checked by
     * {@link CliContract#assertFails}.
     */
    private DynamicTest fails(String name, Function<Path, Call> call) {
        return dynamicTest(
                name,
                () -> {
                    Path work =
                            Files.createDirectories(
                                    cases.resolve(name.replaceAll("[^A-Za-z0-9]+", "-")));
                    Call c;
                    try {
                        c = call.apply(work);
                    } catch (RuntimeException | Error e) {
                        undo();
                        throw e;
                    }
                    try {
                        check(c, work);
                    } finally {
                        undo();
                    }
                });
    }

    /** What a case set up that must be undone before its folder can be deleted. */
    private static final List<Runnable> UNDO = new ArrayList<>();

    private static void undo() {
        UNDO.forEach(Runnable::run);
        UNDO.clear();
    }

    private static void check(Call c, Path work) throws Exception {
        String[] args = c.args().toArray(String[]::new);
        CliContract.assertFails(
                work,
                c.args(),
                c.exitCode(),
                c.error(),
                c.report(),
                () ->
                        c.env().isEmpty()
                                ? CliRun.of(args)
                                : CliProcess.run(fixtures.resolve("logs"), c.env(), args));
    }

    private static String path(Path p) {
        return p.toString();
    }

    // ---------------------------------------------------------------- data

    @TestFactory
    Stream<DynamicTest> data() {
        return Stream.of(
                fails(
                        "data: unknown subcommand",
                        w ->
                                usage(
                                        "Unmatched argument at index 1: 'frobnicate'",
                                        "data",
                                        "frobnicate")),
                fails(
                        "data info: unknown option",
                        w -> usage("Unknown option: '--fast'", "data", "info", "--fast")),
                fails(
                        "data info: truncated Fashion-MNIST and corrupt MNIST digits",
                        w -> {
                            try {
                                Path digits = Files.createDirectories(w.resolve("digits"));
                                Files.writeString(digits.resolve("0.json"), "{ not json");
                                return new Call(
                                        List.of("data", "info"),
                                        Main.EXIT_FAILURE,
                                        "unreadable data: fashion-mnist ("
                                                + truncatedData.resolve(
                                                        "train-images-idx3-ubyte.gz")
                                                + ": cannot be read: Unexpected end of ZLIB"
                                                + " input stream); mnist ("
                                                + digits.resolve("0.json"),
                                        Map.of(
                                                "OODLAB_FASHION_MNIST",
                                                path(truncatedData),
                                                "OODLAB_MNIST_DIGITS",
                                                path(digits)),
                                        "fashion-mnist  -                  -  1x28x28  unreadable:");
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }));
    }

    /** A copy of the tiny data set in {@code folder}, its files then changed by {@code edit}. */
    private static Path tinyCopy(Path folder, IoAction edit) {
        try {
            Files.createDirectories(folder);
            try (Stream<Path> files = Files.list(tiny)) {
                for (Path f : files.toList()) {
                    Files.copy(f, folder.resolve(f.getFileName()));
                }
            }
            edit.run();
            return folder;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** An I/O step of a case's set-up. */
    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    /** A gzipped IDX label file. */
    private static void writeLabels(Path file, int... labels) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out =
                new java.io.DataOutputStream(new java.util.zip.GZIPOutputStream(bytes))) {
            out.writeInt(0x801);
            out.writeInt(labels.length);
            for (int l : labels) {
                out.writeByte(l);
            }
        }
        Files.write(file, bytes.toByteArray());
    }

    /** {@code data info} with Fashion-MNIST taken from {@code folder}: fails naming the file. */
    private static Call dataInfo(Path folder, String error) {
        return new Call(
                List.of("data", "info"),
                Main.EXIT_FAILURE,
                "unreadable data: fashion-mnist (" + error,
                Map.of("OODLAB_FASHION_MNIST", path(folder)),
                "fashion-mnist  -                  -  1x28x28  unreadable:");
    }

    @TestFactory
    Stream<DynamicTest> dataChecks() {
        return Stream.of(
                fails(
                        "data info: OODLAB_FASHION_MNIST names an empty folder",
                        w -> {
                            Path empty = createDirectories(w.resolve("empty"));
                            return dataInfo(
                                    empty,
                                    empty
                                            + ": OODLAB_FASHION_MNIST names a folder without"
                                            + " train-images-idx3-ubyte[.gz]");
                        }),
                fails(
                        "train: OODLAB_FASHION_MNIST names an empty folder",
                        w -> {
                            Path empty = createDirectories(w.resolve("empty"));
                            return new Call(
                                    List.of(
                                            with(
                                                    List.of(train(w)),
                                                    "--dataset",
                                                    "fashion-mnist",
                                                    "--subset",
                                                    "50",
                                                    "--test-subset",
                                                    "20")),
                                    Main.EXIT_FAILURE,
                                    empty
                                            + ": OODLAB_FASHION_MNIST names a folder without"
                                            + " train-images-idx3-ubyte[.gz]; it must hold"
                                            + " Fashion-MNIST's four IDX files",
                                    Map.of("OODLAB_FASHION_MNIST", path(empty)),
                                    null);
                        }),
                fails(
                        "data info: image and label files swapped",
                        w -> {
                            Path d = w.resolve("swapped");
                            return dataInfo(
                                    tinyCopy(
                                            d,
                                            () -> {
                                                Path images =
                                                        d.resolve("train-images-idx3-ubyte.gz");
                                                Path labels =
                                                        d.resolve("train-labels-idx1-ubyte.gz");
                                                Path t = d.resolve("t");
                                                Files.move(images, t);
                                                Files.move(labels, images);
                                                Files.move(t, labels);
                                            }),
                                    d.resolve("train-images-idx3-ubyte.gz")
                                            + ": wrong magic number");
                        }),
                fails(
                        "data info: fewer labels than images",
                        w -> {
                            Path d = w.resolve("short");
                            Path labels = d.resolve("t10k-labels-idx1-ubyte.gz");
                            return dataInfo(
                                    tinyCopy(d, () -> writeLabels(labels, 1, 2, 3)),
                                    labels
                                            + ": holds 3 labels but t10k-images-idx3-ubyte.gz"
                                            + " holds 50 images");
                        }),
                fails(
                        "data info: a label out of range",
                        w -> {
                            Path d = w.resolve("range");
                            Path labels = d.resolve("t10k-labels-idx1-ubyte.gz");
                            int[] values = new int[50];
                            values[7] = 12;
                            return dataInfo(
                                    tinyCopy(d, () -> writeLabels(labels, values)),
                                    labels + ": label 12 at index 7 is not below 10");
                        }));
    }

    // ---------------------------------------------------------------- metrics

    @TestFactory
    Stream<DynamicTest> metrics() {
        return Stream.of(
                fails(
                        "metrics: missing score file",
                        w ->
                                failure(
                                        path(absent) + ": no such file",
                                        "metrics",
                                        "--in",
                                        path(absent),
                                        "--out",
                                        path(scores))),
                fails(
                        "metrics: empty score file",
                        w ->
                                failure(
                                        path(emptyScores) + ": no scores (the file is empty",
                                        "metrics",
                                        "--in",
                                        path(scores),
                                        "--out",
                                        path(emptyScores))),
                fails(
                        "metrics: NaN score",
                        w ->
                                failure(
                                        path(nanScores) + " line 2: NaN is not a finite score",
                                        "metrics",
                                        "--in",
                                        path(nanScores),
                                        "--out",
                                        path(scores))),
                fails(
                        "metrics: binary file",
                        w -> {
                            Path gz = tiny.resolve("train-labels-idx1-ubyte.gz");
                            return failure(
                                    path(gz) + " line 1: not UTF-8 text",
                                    "metrics",
                                    "--in",
                                    path(scores),
                                    "--out",
                                    path(gz));
                        }),
                fails(
                        "metrics: a folder for a score file",
                        w ->
                                failure(
                                        path(tiny) + ": cannot read",
                                        "metrics",
                                        "--in",
                                        path(tiny),
                                        "--out",
                                        path(scores))),
                fails(
                        "metrics: missing option",
                        w ->
                                usage(
                                        "Missing required option: '--out=OUT.txt'",
                                        "metrics",
                                        "--in",
                                        path(scores))),
                fails(
                        "metrics: unknown option",
                        w ->
                                usage(
                                        "Unknown options: '--bins', '10'",
                                        "metrics",
                                        "--in",
                                        path(scores),
                                        "--out",
                                        path(scores),
                                        "--bins",
                                        "10")));
    }

    // ---------------------------------------------------------------- train

    private static String[] train(Path work, String... more) {
        return with(
                List.of(
                        "train",
                        "--method",
                        "ce",
                        "--dataset",
                        path(tiny),
                        "--epochs",
                        "1",
                        "--ood",
                        "uniform",
                        "--ood-count",
                        "30",
                        "--quiet",
                        "--out",
                        path(work.resolve("out"))),
                more);
    }

    @TestFactory
    Stream<DynamicTest> train() {
        return Stream.of(
                fails(
                        "train: missing data set folder",
                        w ->
                                failure(
                                        "unknown data set '" + absent + "'",
                                        train(w, "--dataset", path(absent)))),
                fails(
                        "train: truncated training images",
                        w ->
                                failure(
                                        truncatedData.resolve("train-images-idx3-ubyte.gz")
                                                + ": cannot be read: Unexpected end of ZLIB input stream",
                                        train(w, "--dataset", path(truncatedData)))),
                fails(
                        "train: truncated OOD file",
                        w ->
                                failure(
                                        truncatedNoise
                                                + ": is truncated: the header announces 40 images",
                                        train(w, "--ood", path(truncatedNoise)))),
                fails(
                        "train: OOD file that is not gzip",
                        w ->
                                failure(
                                        notGzip + ": wrong magic number",
                                        train(w, "--ood", path(notGzip)))),
                fails(
                        "train: missing OOD file",
                        w ->
                                failure(
                                        "unknown OOD set '" + absent + "'",
                                        train(w, "--ood", path(absent)))),
                fails(
                        "train: empty OOD set name",
                        w -> failure("empty OOD set name", train(w, "--ood", ""))),
                fails(
                        "train: unknown method",
                        w ->
                                usage(
                                        "unknown training method 'dropout'",
                                        train(w, "--method", "dropout"))),
                fails(
                        "train: unknown model",
                        w -> usage("unknown model 'resnet99'", train(w, "--model", "resnet99"))),
                fails(
                        "train: a 32-pixel model on 28-pixel data",
                        w ->
                                failure(
                                        "model resnet18 takes images of at least 32x32 pixels",
                                        train(w, "--model", "resnet18"))),
                fails(
                        "train: negative epsilon",
                        w ->
                                usage(
                                        "epsilon must be >= 0, got -0.1",
                                        train(
                                                w,
                                                "--method",
                                                "adversarial-mixup",
                                                "--epsilon",
                                                "-0.1"))),
                fails(
                        "train: clean weight of 1",
                        w ->
                                usage(
                                        "clean-weight must be < 1, got 1.0",
                                        train(
                                                w,
                                                "--method",
                                                "adversarial-mixup",
                                                "--clean-weight",
                                                "1"))),
                fails(
                        "train: clean weight on a method without it",
                        w ->
                                usage(
                                        "method mixup has no option clean-weight",
                                        train(w, "--method", "mixup", "--clean-weight", "0.5"))),
                fails(
                        "train: NaN alpha",
                        w ->
                                usage(
                                        "alpha must be a finite number, got NaN",
                                        train(w, "--method", "mixup", "--alpha", "NaN"))),
                fails(
                        "train: zero batch size",
                        w ->
                                usage(
                                        "batch size must be >= 1, got 0",
                                        train(w, "--batch-size", "0"))),
                fails(
                        "train: zero OOD count",
                        w ->
                                usage(
                                        "OOD count must be >= 1, got 0",
                                        "train",
                                        "--method",
                                        "ce",
                                        "--dataset",
                                        path(tiny),
                                        "--ood-count",
                                        "0",
                                        "--out",
                                        path(w.resolve("out")))),
                fails(
                        "train: epochs not a number",
                        w ->
                                usage(
                                        "Invalid value for option '--epochs': 'three' is not an int",
                                        "train",
                                        "--method",
                                        "ce",
                                        "--epochs",
                                        "three",
                                        "--out",
                                        path(w.resolve("out")))),
                fails(
                        "train: unknown option",
                        w ->
                                usage(
                                        "Unknown options: '--learning-rate', '0.1'",
                                        train(w, "--learning-rate", "0.1"))),
                fails(
                        "train: --lr 0",
                        w -> usage("learning rate must be > 0, got 0.0", train(w, "--lr", "0"))),
                fails(
                        "train: unknown --schedule",
                        w ->
                                usage(
                                        "unknown schedule 'linear'; known: cosine, constant, step",
                                        train(w, "--schedule", "linear"))),
                fails(
                        "train: missing --out",
                        w ->
                                usage(
                                        "Missing required option: '--out=<out>'",
                                        "train",
                                        "--method",
                                        "ce")),
                fails(
                        "train: --out is a file",
                        w -> {
                            Path out = writeFile(w.resolve("out"));
                            return usage("--out " + out + " exists and is not a folder", train(w));
                        }),
                fails(
                        "train: --out under a file",
                        w -> {
                            Path file = writeFile(w.resolve("file"));
                            return usage(
                                    "--out "
                                            + file.resolve("out")
                                            + ": "
                                            + file
                                            + " is a file, not a folder",
                                    "train",
                                    "--method",
                                    "ce",
                                    "--dataset",
                                    path(tiny),
                                    "--out",
                                    path(file.resolve("out")));
                        }),
                fails(
                        "train: a learning rate at which the loss diverges",
                        w ->
                                failure(
                                        "training diverged: the loss is ",
                                        train(w, "--lr", "1e12", "--schedule", "constant"))),
                fails(
                        "train: MNIST as its own OOD set",
                        w ->
                                usage(
                                        "OOD set 'mnist' is the in-distribution data set itself;"
                                                + " choose other OOD sets",
                                        train(w, "--dataset", "mnist", "--ood", "mnist,uniform"))),
                fails(
                        "train: --out is empty",
                        w ->
                                usage(
                                        "--out is empty; give a folder or file name",
                                        train(w, "--out", ""))),
                fails(
                        "train: --out is a read-only folder",
                        w -> {
                            Path out = readOnly(w.resolve("out"));
                            return usage(
                                    "--out " + out + ": permission denied (a read-only folder)",
                                    train(w));
                        }),
                fails(
                        "train: --out holds files oodlab did not write",
                        w -> {
                            Path out = w.resolve("out");
                            writeFile(createDirectories(out).resolve("notes.txt"));
                            writeFile(out.resolve("results.json"));
                            return usage(
                                    "--out "
                                            + out
                                            + " holds notes.txt, which oodlab did not write, and an"
                                            + " output folder is replaced whole; choose another"
                                            + " folder or move it away",
                                    train(w));
                        }),
                fails(
                        "train: --out in use by a running run",
                        w -> {
                            Path checkpoint = w.resolve("out.checkpoint");
                            holdLock(checkpoint.resolve("run.lock"));
                            return failure(
                                    checkpoint
                                            + " is in use by another run, process "
                                            + ProcessHandle.current().pid()
                                            + " on host elsewhere (started 2025-01-02T03:04:05Z);"
                                            + " wait for it to end or stop it",
                                    train(w, "--lr", "0.01"));
                        }),
                fails(
                        "train: --resume without a checkpoint",
                        w ->
                                failure(
                                        "nothing to resume: no checkpoint folder "
                                                + w.resolve("out.checkpoint"),
                                        train(w, "--resume"))));
    }

    private static Path createDirectories(Path folder) {
        try {
            return Files.createDirectories(folder);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Makes a new folder read-only until the case ends: by its permissions, or for root (whom
     * permissions do not stop) by the immutable attribute; the case is skipped where neither works.
     */
    private static Path readOnly(Path folder) {
        createDirectories(folder);
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            folder.toFile().setWritable(false, false);
            UNDO.add(() -> folder.toFile().setWritable(true));
        } else {
            int rc;
            try {
                rc = new ProcessBuilder("chattr", "+i", folder.toString()).start().waitFor();
            } catch (IOException | InterruptedException e) {
                rc = -1;
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(rc == 0, "chattr +i is not available");
            UNDO.add(
                    () -> {
                        try {
                            new ProcessBuilder("chattr", "-i", folder.toString()).start().waitFor();
                        } catch (IOException | InterruptedException e) {
                            throw new AssertionError(e);
                        }
                    });
        }
        org.junit.jupiter.api.Assumptions.assumeFalse(
                Files.isWritable(folder), "cannot make a read-only folder here");
        return folder;
    }

    private static final List<java.nio.channels.FileChannel> HELD = new ArrayList<>();

    /** Locks a lock file as a running run does, from this JVM, until the tests end. */
    private static void holdLock(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(
                    file,
                    "{\"pid\": "
                            + ProcessHandle.current().pid()
                            + ", \"host\": \"elsewhere\", \"started\": \"2025-01-02T03:04:05Z\"}\n");
            java.nio.channels.FileChannel channel =
                    java.nio.channels.FileChannel.open(
                            file, java.nio.file.StandardOpenOption.WRITE);
            HELD.add(channel);
            assertTrue(channel.tryLock() != null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @org.junit.jupiter.api.AfterAll
    static void releaseLocks() throws IOException {
        for (java.nio.channels.FileChannel channel : HELD) {
            channel.close();
        }
    }

    private static Path writeFile(Path file) {
        try {
            return Files.writeString(file, "a file", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- evaluate

    private static String[] evaluate(Path work, Path modelFolder, String... more) {
        return with(
                List.of(
                        "evaluate",
                        "--model",
                        path(modelFolder),
                        "--ood",
                        "uniform",
                        "--ood-count",
                        "30",
                        "--out",
                        path(work.resolve("out"))),
                more);
    }

    @TestFactory
    Stream<DynamicTest> evaluate() {
        return Stream.of(
                fails(
                        "evaluate: missing model folder",
                        w -> failure("model folder not found: " + absent, evaluate(w, absent))),
                fails(
                        "evaluate: a folder without a model",
                        w -> failure(tiny + " holds no model (no model.json", evaluate(w, tiny))),
                fails(
                        "evaluate: model.json not JSON",
                        w ->
                                failure(
                                        modelBadJson.resolve("model.json") + ": not valid JSON (",
                                        evaluate(w, modelBadJson))),
                fails(
                        "evaluate: model.json without input_shape",
                        w ->
                                failure(
                                        modelMissingKey.resolve("model.json")
                                                + ": missing key 'input_shape'",
                                        evaluate(w, modelMissingKey))),
                fails(
                        "evaluate: garbage model.params",
                        w ->
                                failure(
                                        modelGarbageParams.resolve("model.params")
                                                + " does not fit a lenet model",
                                        evaluate(w, modelGarbageParams))),
                fails(
                        "evaluate: truncated model.params",
                        w ->
                                failure(
                                        modelTruncatedParams.resolve("model.params")
                                                + " does not fit a lenet model",
                                        evaluate(w, modelTruncatedParams))),
                fails(
                        "evaluate: model.params of another architecture",
                        w ->
                                failure(
                                        modelOtherArchitecture.resolve("model.params")
                                                + " does not fit a mlp model: it holds the"
                                                + " parameters of another architecture, or is"
                                                + " damaged (DJL: ",
                                        evaluate(w, modelOtherArchitecture))),
                fails(
                        "evaluate: truncated test data",
                        w ->
                                failure(
                                        truncatedData.resolve("train-images-idx3-ubyte.gz")
                                                + ": cannot be read",
                                        evaluate(w, model, "--dataset", path(truncatedData)))),
                fails(
                        "evaluate: truncated OOD file",
                        w ->
                                failure(
                                        truncatedNoise + ": is truncated",
                                        "evaluate",
                                        "--model",
                                        path(model),
                                        "--ood",
                                        path(truncatedNoise),
                                        "--out",
                                        path(w.resolve("out")))),
                fails(
                        "evaluate: unknown detector",
                        w ->
                                usage(
                                        "unknown detector 'lof'",
                                        evaluate(w, model, "--detector", "lof"))),
                fails(
                        "evaluate: zero OOD count",
                        w ->
                                usage(
                                        "--ood-count must be >= 1, got 0",
                                        "evaluate",
                                        "--model",
                                        path(model),
                                        "--ood-count",
                                        "0")),
                fails(
                        "evaluate: unknown option",
                        w ->
                                usage(
                                        "Unknown options: '--seed', '1'",
                                        evaluate(w, model, "--seed", "1"))),
                fails(
                        "evaluate: --out is the model folder",
                        w -> {
                            Path copy = createDirectories(w.resolve("model"));
                            try {
                                for (String f :
                                        List.of("model.json", "model.params", "results.json")) {
                                    Files.copy(model.resolve(f), copy.resolve(f));
                                }
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                            return usage(
                                    "--out "
                                            + copy
                                            + " holds a trained model, whose results.json is the"
                                            + " training record; evaluate never replaces it:"
                                            + " choose another folder",
                                    evaluate(w, copy, "--out", path(copy)));
                        }),
                fails(
                        "evaluate: --out is a file",
                        w -> {
                            Path out = writeFile(w.resolve("out"));
                            return usage(
                                    "--out " + out + " exists and is not a folder",
                                    evaluate(w, model));
                        }));
    }

    // ---------------------------------------------------------------- toy2d

    @TestFactory
    Stream<DynamicTest> toy2d() {
        return Stream.of(
                fails(
                        "toy2d: unknown method",
                        w ->
                                usage(
                                        "unknown method 'svm' for --method",
                                        "toy2d",
                                        "--method",
                                        "svm",
                                        "--out",
                                        path(w.resolve("out")))),
                fails(
                        "toy2d: zero epochs",
                        w ->
                                usage(
                                        "--epochs must be >= 1, got 0",
                                        "toy2d",
                                        "--method",
                                        "ce",
                                        "--epochs",
                                        "0",
                                        "--out",
                                        path(w.resolve("out")))),
                fails(
                        "toy2d: seed not a number",
                        w ->
                                usage(
                                        "Invalid value for option '--seed': 'x' is not a long",
                                        "toy2d",
                                        "--method",
                                        "ce",
                                        "--seed",
                                        "x")),
                fails(
                        "toy2d: unknown option",
                        w ->
                                usage(
                                        "Unknown options: '--points', '10'",
                                        "toy2d",
                                        "--method",
                                        "ce",
                                        "--points",
                                        "10")),
                fails(
                        "toy2d: --out is a file",
                        w -> {
                            Path out = writeFile(w.resolve("out"));
                            return usage(
                                    "--out " + out + " exists and is not a folder",
                                    "toy2d",
                                    "--method",
                                    "ce",
                                    "--out",
                                    path(out));
                        }),
                fails(
                        "toy2d: --out under a file",
                        w -> {
                            Path file = writeFile(w.resolve("file"));
                            return usage(
                                    "--out "
                                            + file.resolve("out")
                                            + ": "
                                            + file
                                            + " is a file, not a folder",
                                    "toy2d",
                                    "--method",
                                    "ce",
                                    "--out",
                                    path(file.resolve("out")));
                        }));
    }

    // ---------------------------------------------------------------- certify

    private static String[] certify(Path work, Path modelFolder, String... more) {
        return with(
                List.of(
                        "certify",
                        "--model",
                        path(modelFolder),
                        "--sigma",
                        "0.25",
                        "--count",
                        "2",
                        "--n0",
                        "5",
                        "--n",
                        "10",
                        "--out",
                        path(work.resolve("log.tsv"))),
                more);
    }

    @TestFactory
    Stream<DynamicTest> certify() {
        return Stream.of(
                fails(
                        "certify: missing model folder",
                        w -> failure("--model: no such folder: " + absent, certify(w, absent))),
                fails(
                        "certify: a folder without a model",
                        w -> failure(tiny + " is not a model folder", certify(w, tiny))),
                fails(
                        "certify: model.json not JSON",
                        w ->
                                failure(
                                        modelBadJson.resolve("model.json") + ": not valid JSON (",
                                        certify(w, modelBadJson))),
                fails(
                        "certify: model.json without input_shape",
                        w ->
                                failure(
                                        modelMissingKey.resolve("model.json")
                                                + ": missing key 'input_shape'",
                                        certify(w, modelMissingKey))),
                fails(
                        "certify: garbage model.params",
                        w ->
                                failure(
                                        modelGarbageParams.resolve("model.params")
                                                + " does not fit a lenet model",
                                        certify(w, modelGarbageParams))),
                fails(
                        "certify: truncated model.params",
                        w ->
                                failure(
                                        "cannot read parameters from "
                                                + modelTruncatedParams.resolve("model.params"),
                                        certify(w, modelTruncatedParams))),
                fails(
                        "certify: model.params of another architecture",
                        w ->
                                failure(
                                        modelOtherArchitecture.resolve("model.params")
                                                + " does not fit a mlp model: it holds the"
                                                + " parameters of another architecture, or is"
                                                + " damaged (DJL: ",
                                        certify(w, modelOtherArchitecture))),
                fails(
                        "certify: a sigma in words",
                        w ->
                                failure(
                                        modelTextSigma.resolve("model.json")
                                                + ": key 'sigma' must be a number, got \"a"
                                                + " quarter\"",
                                        "certify",
                                        "--model",
                                        path(modelTextSigma),
                                        "--out",
                                        path(w.resolve("log.tsv")))),
                fails(
                        "certify: the model's data set is truncated",
                        w ->
                                failure(
                                        truncatedData.resolve("train-images-idx3-ubyte.gz")
                                                + ": cannot be read",
                                        certify(w, modelOnTruncatedData))),
                fails(
                        "certify: no sigma anywhere",
                        w ->
                                usage(
                                        "--sigma is required: " + model.resolve("model.json"),
                                        "certify",
                                        "--model",
                                        path(model),
                                        "--out",
                                        path(w.resolve("log.tsv")))),
                fails(
                        "certify: negative sigma",
                        w ->
                                usage(
                                        "--sigma must be positive, got -1.0",
                                        certify(w, model, "--sigma", "-1"))),
                fails(
                        "certify: alpha out of range",
                        w ->
                                usage(
                                        "--alpha must be in (0, 1), got 2.0",
                                        certify(w, model, "--alpha", "2"))),
                fails(
                        "certify: zero n0",
                        w -> usage("--n0 must be positive, got 0", certify(w, model, "--n0", "0"))),
                fails(
                        "certify: unknown option",
                        w -> usage("Unknown option: '--radius'", certify(w, model, "--radius"))),
                fails(
                        "certify: --out is a folder",
                        w -> {
                            Path folder = w.resolve("log.tsv");
                            try {
                                Files.createDirectories(folder);
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                            return usage(
                                    "--out " + folder + " is a folder; give a file name",
                                    certify(w, model));
                        }),
                fails(
                        "certify: --out under a file",
                        w -> {
                            Path file = writeFile(w.resolve("file"));
                            Path log = file.resolve("log.tsv");
                            return usage(
                                    "--out " + log + ": " + file + " is a file, not a folder",
                                    "certify",
                                    "--model",
                                    path(model),
                                    "--sigma",
                                    "0.25",
                                    "--out",
                                    path(log));
                        }));
    }

    // ---------------------------------------------------------------- study

    private static String[] study(Path work, String... more) {
        return with(
                List.of(
                        "study",
                        "adversarial-mixup",
                        "--dataset",
                        path(tiny),
                        "--epochs",
                        "1",
                        "--subset",
                        "50",
                        "--ood",
                        "uniform",
                        "--ood-count",
                        "20",
                        "--quiet",
                        "--out",
                        path(work.resolve("out"))),
                more);
    }

    @TestFactory
    Stream<DynamicTest> study() {
        return Stream.of(
                fails(
                        "study: unknown study",
                        w ->
                                usage(
                                        "unknown study 'odin'",
                                        "study",
                                        "odin",
                                        "--out",
                                        path(w.resolve("out")))),
                fails(
                        "study: missing data set folder",
                        w ->
                                failure(
                                        "unknown data set '" + absent + "'",
                                        study(w, "--dataset", path(absent)))),
                fails(
                        "study: truncated data set",
                        w ->
                                failure(
                                        truncatedData.resolve("train-images-idx3-ubyte.gz")
                                                + ": cannot be read",
                                        study(w, "--dataset", path(truncatedData)))),
                fails(
                        "study: truncated OOD file",
                        w ->
                                failure(
                                        truncatedNoise + ": is truncated",
                                        study(w, "--ood", path(truncatedNoise)))),
                fails(
                        "study: seeds not numbers",
                        w ->
                                usage(
                                        "Invalid value for option '--seeds'",
                                        "study",
                                        "adversarial-mixup",
                                        "--seeds",
                                        "a,b",
                                        "--out",
                                        path(w.resolve("out")))),
                fails(
                        "study: repeated seeds",
                        w -> usage("seeds must differ, got [1, 1]", study(w, "--seeds", "1,1"))),
                fails(
                        "study: zero epochs",
                        w ->
                                usage(
                                        "epochs must be >= 1, got 0",
                                        "study",
                                        "adversarial-mixup",
                                        "--epochs",
                                        "0",
                                        "--out",
                                        path(w.resolve("out")))),
                fails(
                        "study: unknown model",
                        w -> usage("unknown model 'svm'", study(w, "--model", "svm"))),
                fails(
                        "study: unknown option",
                        w ->
                                usage(
                                        "Unknown options: '--method', 'ce'",
                                        study(w, "--method", "ce"))),
                fails(
                        "study: --out is a file",
                        w -> {
                            Path out = writeFile(w.resolve("out"));
                            return usage("--out " + out + " exists and is not a folder", study(w));
                        }));
    }
}

package dev.oodlab.bench;

import ai.djl.ndarray.types.Shape;
import dev.oodlab.OodLab;
import dev.oodlab.cli.Main;
import dev.oodlab.data.Datasets;
import dev.oodlab.data.ImageSet;
import dev.oodlab.nn.Network;
import dev.oodlab.train.Fit;
import dev.oodlab.train.ProgressBar;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oodlab bench soak}: trains for several epochs and prints the process's resident memory
 * ({@code VmRSS} of {@code /proc/self/status}) after each, to show that native memory stays flat.
 *
 * <p>Default: LeNet with Adversarial-Mixup on the full Fashion-MNIST training set, 10 epochs, batch
 * 128. The check: the growth of the resident memory from the end of epoch 2 to the end of the last
 * epoch, (RSS_last − RSS_2) / RSS_2, must stay under {@code --max-growth} percent (default 5); the
 * first two epochs are left out because the JVM's heap, the JIT and libtorch's allocator settle
 * there. The command exits with code 1 when the growth is above the limit.
 */
@Command(
        name = "soak",
        mixinStandardHelpOptions = true,
        description = {
            "Train LeNet with Adversarial-Mixup for several epochs and print the resident memory"
                    + " (VmRSS) after each; growth after epoch 2 must stay under --max-growth %%.",
            "Writes build/bench/soak.json."
        })
public final class BenchSoakCommand implements Callable<Integer> {

    @Option(
            names = "--epochs",
            defaultValue = "10",
            description = "epochs, at least 3 (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(
            names = "--steps",
            defaultValue = "0",
            description =
                    "steps per epoch, on the first steps x batch images (default: 0 = the"
                            + " whole training set)")
    int steps;

    @Option(
            names = "--model",
            defaultValue = "lenet",
            description = "mlp or lenet (default: ${DEFAULT-VALUE})")
    String model;

    @Option(
            names = "--method",
            defaultValue = "adversarial-mixup",
            description = "training method (default: ${DEFAULT-VALUE})")
    String method;

    @Option(
            names = "--batch-size",
            defaultValue = "128",
            description = "images per step (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(
            names = "--max-growth",
            defaultValue = "5",
            description =
                    "largest allowed RSS growth after epoch 2, in percent (default:"
                            + " ${DEFAULT-VALUE})")
    double maxGrowth;

    @Option(names = "--seed", defaultValue = "0", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--gc",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "run the Java garbage collector before each reading, so that the Java heap's"
                            + " growth and shrinking do not hide or fake native growth (default:"
                            + " ${DEFAULT-VALUE})")
    boolean gc;

    @Mixin BenchReport.Output output;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Runs the soak test, prints the table and writes the JSON file. */
    @Override
    public Integer call() throws IOException {
        output.check(spec);
        if (epochs < 3 || steps < 0 || batchSize < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--epochs must be at least 3, --steps >= 0 and --batch-size >= 1");
        }
        if (!BenchTrainCommand.MODELS.contains(model)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--model: unknown model '"
                            + model
                            + "'; known: "
                            + String.join(", ", BenchTrainCommand.MODELS));
        }
        if (!BenchTrainCommand.METHODS.contains(method)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--method: unknown method '"
                            + method
                            + "'; known: "
                            + String.join(", ", BenchTrainCommand.METHODS));
        }
        OodLab.init();
        PrintWriter out = spec.commandLine().getOut();
        ImageSet train = Datasets.fashionMnistTrain();
        if (steps > 0 && (long) steps * batchSize < train.size()) {
            train = train.head(steps * batchSize);
        }
        BenchReport report = new BenchReport("soak");
        report.detail("model", model)
                .detail("method", method)
                .detail("epochs", epochs)
                .detail("images_per_epoch", train.size())
                .detail("batch_size", batchSize)
                .detail("seed", seed)
                .detail("rss_source", "VmRSS of /proc/self/status after each epoch");
        long before = BenchMachine.residentBytes();
        report.add("RSS before training", mib(before), "MiB");
        out.printf(Locale.ROOT, "RSS before training: %.1f MiB%n", mib(before));
        out.flush();
        List<Long> rss = new ArrayList<>();
        try (Network net = Network.create(model, new Shape(1, 28, 28), 10, seed)) {
            Fit fit =
                    Fit.builder()
                            .setMethod(BenchTrainCommand.method(method))
                            .optEpochs(epochs)
                            .optBatchSize(batchSize)
                            .optSeed(seed)
                            .optTrainingAccuracy(false)
                            .optProgress(ProgressBar.Mode.OFF)
                            .optEpochListener(
                                    e -> {
                                        if (gc) {
                                            System.gc();
                                        }
                                        long bytes = BenchMachine.residentBytes();
                                        rss.add(bytes);
                                        Runtime rt = Runtime.getRuntime();
                                        long heap = rt.totalMemory();
                                        long used = heap - rt.freeMemory();
                                        out.printf(
                                                Locale.ROOT,
                                                "epoch %2d: RSS %.1f MiB (Java heap committed %.1f"
                                                        + " MiB, used %.1f MiB), %.0f img/s, loss"
                                                        + " %.4f%n",
                                                e.epoch() + 1,
                                                mib(bytes),
                                                mib(heap),
                                                mib(used),
                                                e.imagesPerSecond(),
                                                e.loss());
                                        report.add(
                                                "epoch " + (e.epoch() + 1) + " Java heap committed",
                                                mib(heap),
                                                "MiB");
                                        out.flush();
                                        report.add(
                                                "epoch " + (e.epoch() + 1) + " RSS",
                                                mib(bytes),
                                                "MiB");
                                    })
                            .build();
            fit.run(net, train);
        }
        double growth = growthAfterEpoch2(rss);
        report.add("RSS growth from epoch 2 to " + epochs, growth, "%");
        report.detail("max_growth_percent", maxGrowth);
        boolean ok = growth < maxGrowth;
        report.detail("ok", ok);
        report.print(out);
        Path file = report.write(output.directory());
        out.printf(
                Locale.ROOT,
                "RSS growth after epoch 2: %.2f %% (limit %.1f %%): %s%n",
                growth,
                maxGrowth,
                ok ? "ok" : "TOO MUCH");
        out.println("wrote " + file);
        out.flush();
        if (!ok) {
            PrintWriter err = spec.commandLine().getErr();
            err.printf(
                    Locale.ROOT,
                    "oodlab: resident memory grew %.2f %% after epoch 2, more than %.1f %%%n",
                    growth,
                    maxGrowth);
            err.flush();
            return Main.EXIT_FAILURE;
        }
        return 0;
    }

    /**
     * The growth of the resident memory from the end of epoch 2 to the end of the last epoch.
     *
     * @param rss the resident bytes after each epoch, epoch 1 first (at least 3 values)
     * @return (last − second) / second, in percent
     * @throws IllegalArgumentException with fewer than 3 values or an unreadable value
     */
    static double growthAfterEpoch2(List<Long> rss) {
        if (rss.size() < 3) {
            throw new IllegalArgumentException(
                    "need the RSS of at least 3 epochs, got " + rss.size());
        }
        long second = rss.get(1);
        long last = rss.get(rss.size() - 1);
        if (second <= 0 || last <= 0) {
            throw new IllegalArgumentException("the resident memory could not be read");
        }
        return 100.0 * (last - second) / second;
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}

package dev.oodlab.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.oodlab.OodLab;
import dev.oodlab.cli.CertifyCommand;
import dev.oodlab.nn.Models;
import dev.oodlab.nn.Network;
import dev.oodlab.smoothing.BaseClassifier;
import dev.oodlab.smoothing.Certification;
import dev.oodlab.smoothing.SmoothedClassifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oodlab bench certify}: how close randomized-smoothing certification comes to plain
 * inference. For a model with random weights (the SmoothMix LeNet by default; weights do not change
 * the cost), it measures in alternating rounds ({@link SmoothingBenchmark#measure}):
 *
 * <ul>
 *   <li><b>noisy</b>: noisy copies classified per second by {@link SmoothedClassifier} — Gaussian
 *       noise drawn in Java, copied to the engine, forward pass, argmax read back and counted;
 *   <li><b>plain</b>: images classified per second by batched forward passes over a batch already
 *       in the engine (forward and argmax only).
 * </ul>
 *
 * and reports the medians over the rounds and the ratio noisy / plain (1 means sampling costs
 * nothing on top of inference) as the median of the per-round ratios — each round's two loops run
 * back to back, so their ratio is robust to a machine whose load changes — and the time to certify
 * one image with n = 1000 and the paper's n = 100000 (estimated). Rounds alternate so that a
 * machine shared with other work slows both loops alike. Writes {@code build/bench/certify.json}.
 */
@Command(
        name = "certify",
        mixinStandardHelpOptions = true,
        description = {
            "Noisy forward passes per second of randomized-smoothing certification next to plain"
                    + " batched forward passes of the same model (random weights); prints the"
                    + " ratio.",
            "Writes build/bench/certify.json."
        })
public final class BenchCertifyCommand implements Callable<Integer> {

    @Option(
            names = "--model",
            defaultValue = "smoothmix-lenet",
            description =
                    "architecture, one of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})",
            completionCandidates = ModelNames.class)
    String model;

    @Option(
            names = "--batch",
            defaultValue = "" + SmoothedClassifier.DEFAULT_BATCH_SIZE,
            description = "images per forward pass in both loops (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(
            names = "--batches",
            defaultValue = "8",
            description = "timed forward passes per loop and round (default: ${DEFAULT-VALUE})")
    int batches;

    @Option(
            names = "--rounds",
            defaultValue = "5",
            description = "alternating rounds; medians are reported (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(
            names = "--n",
            defaultValue = "" + CertifyCommand.DEFAULT_N,
            description =
                    "copies for the timed certification of one image (default: ${DEFAULT-VALUE})")
    int n;

    @Option(
            names = "--seed",
            defaultValue = "" + OodLab.DEFAULT_SEED,
            description = "seed of the weights and the noise (default: ${DEFAULT-VALUE})")
    long seed;

    @Mixin BenchReport.Output output;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** The names {@code --model} accepts, for the help text. */
    static final class ModelNames extends java.util.ArrayList<String> {
        ModelNames() {
            super(Models.NAMES.stream().filter(m -> !m.equals("toy-mlp")).toList());
        }
    }

    /** Runs the benchmark, prints the table and writes the JSON file. */
    @Override
    public Integer call() throws IOException {
        output.check(spec);
        for (Object[] option :
                new Object[][] {
                    {"--batch", batch}, {"--batches", batches}, {"--rounds", rounds}, {"--n", n}
                }) {
            if ((int) option[1] < 1) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), option[0] + " must be positive, got " + option[1]);
            }
        }
        OodLab.init();
        Shape shape =
                model.startsWith("resnet") || model.startsWith("vgg")
                        ? new Shape(3, 32, 32)
                        : new Shape(1, 28, 28);
        int classes = 10;
        double[] noisy = new double[rounds];
        double[] plain = new double[rounds];
        double[] ratio = new double[rounds];
        double certifySeconds;
        try (Network network = Network.create(model, shape, classes, seed);
                NDManager manager = network.manager().newSubManager()) {
            BaseClassifier base = images -> network.logits(images, false);
            for (int r = 0; r < rounds; r++) {
                SmoothingBenchmark.Throughput t =
                        SmoothingBenchmark.measure(base, shape, classes, batch, batches, manager);
                noisy[r] = t.noisyPerSecond();
                plain[r] = t.plainPerSecond();
                ratio[r] = noisy[r] / plain[r];
            }
            SmoothedClassifier smoothed = new SmoothedClassifier(base, 0.25, classes, seed, batch);
            NDArray image = manager.zeros(shape).add(0.5f);
            Certification c = smoothed.certify(image, SmoothedClassifier.DEFAULT_N0, n, 0.001);
            certifySeconds = c.seconds();
        }
        double noisyMedian = BenchReport.median(noisy);
        double plainMedian = BenchReport.median(plain);
        BenchReport report = new BenchReport("certify");
        report.detail("model", model)
                .detail("input_shape", shape.toString())
                .detail("batch", batch)
                .detail("batches_per_round", batches)
                .detail("rounds", rounds)
                .detail("seed", seed)
                .detail("threads", System.getProperty("ai.djl.pytorch.num_threads"))
                .detail(
                        "method",
                        "alternating rounds of SmoothingBenchmark.measure; medians over rounds");
        report.add("plain batched forward, median", plainMedian, "img/s");
        report.add("noisy certification forward, median", noisyMedian, "img/s");
        report.add("ratio noisy/plain, median of rounds", BenchReport.median(ratio), "x");
        report.add("ratio noisy/plain (of medians)", noisyMedian / plainMedian, "x");
        report.add(
                "certify one image, n0=" + SmoothedClassifier.DEFAULT_N0 + " n=" + n,
                certifySeconds,
                "s");
        report.add(
                "certify one image, n=100000 (estimated)",
                (SmoothedClassifier.DEFAULT_N0 + 100_000) / noisyMedian,
                "s");
        PrintWriter out = spec.commandLine().getOut();
        report.print(out);
        out.printf(
                Locale.ROOT,
                "certification runs at %.0f %% of the plain batched forward throughput (median"
                        + " of %d paired rounds)%n",
                100 * BenchReport.median(ratio),
                rounds);
        Path file = report.write(output.directory());
        out.println("wrote " + file);
        out.flush();
        return 0;
    }
}

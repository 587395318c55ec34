package dev.oodlab.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.oodlab.OodLab;
import dev.oodlab.data.ImageSet;
import dev.oodlab.nn.Models;
import dev.oodlab.nn.Network;
import dev.oodlab.smoothing.BaseClassifier;
import dev.oodlab.smoothing.SmoothedClassifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oodlab bench certify}: how fast randomized-smoothing certification runs, against plain
 * inference and against the reference implementation's loop. For a model with random weights (the
 * SmoothMix LeNet by default; weights do not change the cost) it measures:
 *
 * <ul>
 *   <li><b>noisy</b> and <b>plain</b>, in alternating rounds ({@link SmoothingBenchmark#measure}):
 *       noisy copies classified per second by {@link SmoothedClassifier} (noise drawn in libtorch
 *       into a reused buffer, forward pass, predictions counted in libtorch), and images classified
 *       per second by batched forward passes over a batch already in the engine (forward, argmax
 *       read back). The ratio noisy / plain is the median of the per-round ratios (each round's two
 *       loops run back to back, so their ratio is robust to a machine whose load changes); 1 means
 *       sampling costs nothing on top of inference. Both come with their GFLOP/s (forward FLOPs of
 *       {@link TrainingFlops}) and the share of the theoretical peak ({@link BenchMachine});
 *   <li><b>certification loop</b>: {@code --count} images of uniform random pixels certified one
 *       after the other with n0 = 100, {@code --n}, α = 0.001, σ = 0.25 ({@link
 *       SmoothedClassifier#certify(ImageSet, int, int, int, double, NDManager)}), after one untimed
 *       image; noisy copies per second = count · (n0 + n) / wall time. With {@code --compare} the
 *       peer script {@code certify_peer.py} (Cohen et al.'s {@code core.py} loop in PyTorch: repeat
 *       the image, add {@code randn·σ}, forward, argmax, bincount, Clopper–Pearson) certifies the
 *       same number of images with the same model, n0, n, batch, σ, seed and thread count, and the
 *       ratio ours ÷ theirs is reported (&gt; 1: oodlab is faster); with {@code --repeats N} the
 *       two alternate N times and the ratio is the median of the N paired ratios;
 *   <li>with {@code --sweep B1,B2,...}: noisy and plain throughput at each batch size (one round
 *       each, about 8,000 images), to choose the batch.
 * </ul>
 *
 * <p>Writes {@code build/bench/certify.json}.
 */
@Command(
        name = "certify",
        mixinStandardHelpOptions = true,
        description = {
            "Randomized-smoothing certification: noisy forward passes per second next to plain"
                    + " batched forward passes of the same model (random weights), and the"
                    + " certification loop against Cohen et al.'s reference loop (--compare).",
            "Writes build/bench/certify.json."
        })
public final class BenchCertifyCommand implements Callable<Integer> {

    /** The model of the peer script. */
    static final String PEER_MODEL = "smoothmix-lenet";

    @Option(
            names = "--model",
            defaultValue = PEER_MODEL,
            description =
                    "architecture, one of ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})",
            completionCandidates = ModelNames.class)
    String model;

    @Option(
            names = "--batch",
            defaultValue = "" + SmoothedClassifier.DEFAULT_BATCH_SIZE,
            description = "images per forward pass in every loop (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(
            names = "--batches",
            defaultValue = "8",
            description = "timed forward passes per loop and round (default: ${DEFAULT-VALUE})")
    int batches;

    @Option(
            names = "--rounds",
            defaultValue = "5",
            description =
                    "alternating rounds of noisy and plain; medians are reported (default:"
                            + " ${DEFAULT-VALUE})")
    int rounds;

    @Option(
            names = "--count",
            defaultValue = "10",
            description = "images certified in the timed loop (default: ${DEFAULT-VALUE})")
    int count;

    @Option(
            names = "--n",
            defaultValue = "10000",
            description = "estimation copies n per image in the loop (default: ${DEFAULT-VALUE})")
    int n;

    @Option(
            names = "--repeats",
            defaultValue = "1",
            description =
                    "timed loops (with --compare: alternating with the peer's; medians are"
                            + " reported) (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(
            names = "--sweep",
            split = ",",
            paramLabel = "B",
            description = "also measure noisy and plain throughput at each of these batch sizes")
    List<Integer> sweep = new ArrayList<>();

    @Option(
            names = "--seed",
            defaultValue = "" + OodLab.DEFAULT_SEED,
            description = "seed of the weights, images and noise (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--compare",
            description = "also run the reference loop with the peer script, if it is present")
    boolean compare;

    @Option(
            names = "--peers",
            paramLabel = "DIR",
            description =
                    "the peer scripts' folder (default: $OODLAB_PEERS, else ../shared/peers next"
                            + " to the repository)")
    Path peers;

    @Option(
            names = "--peer-script",
            paramLabel = "FILE",
            description = "the reference loop (default: certify_peer.py in the peers' folder)")
    Path peerScript;

    @Option(
            names = "--python",
            paramLabel = "EXE",
            defaultValue = Peers.DEFAULT_PYTHON,
            description = "the Python that runs the peer script (default: ${DEFAULT-VALUE})")
    String python;

    @picocli.CommandLine.ParentCommand BenchCommand parent;

    @Mixin BenchReport.Output output;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    private static final int N0 = SmoothedClassifier.DEFAULT_N0;
    private static final double SIGMA = 0.25;
    private static final double ALPHA = 0.001;

    /** The names {@code --model} accepts, for the help text. */
    static final class ModelNames extends java.util.ArrayList<String> {
        ModelNames() {
            super(Models.NAMES.stream().filter(m -> !m.equals("toy-mlp")).toList());
        }
    }

    /** Runs the benchmark, prints the table and writes the JSON file. */
    @Override
    public Integer call() throws IOException, InterruptedException {
        Peers.checkOption(peers, spec);
        if (peerScript != null && !Files.isRegularFile(peerScript)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--peer-script " + peerScript + ": no such file");
        }
        output.check(spec);
        for (Object[] option :
                new Object[][] {
                    {"--batch", batch},
                    {"--batches", batches},
                    {"--rounds", rounds},
                    {"--n", n},
                    {"--count", count},
                    {"--repeats", repeats}
                }) {
            if ((int) option[1] < 1) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), option[0] + " must be positive, got " + option[1]);
            }
        }
        for (int b : sweep) {
            if (b < 1) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--sweep sizes must be positive, got " + b);
            }
        }
        OodLab.init();
        PrintWriter out = spec.commandLine().getOut();
        Shape shape =
                model.startsWith("resnet") || model.startsWith("vgg")
                        ? new Shape(3, 32, 32)
                        : new Shape(1, 28, 28);
        int classes = 10;
        String threads = System.getProperty("ai.djl.pytorch.num_threads");
        BenchMachine.Peak peak = BenchMachine.peak();
        BenchReport report = new BenchReport("certify");
        report.detail("model", model)
                .detail("input_shape", shape.toString())
                .detail("batch", batch)
                .detail("batches_per_round", batches)
                .detail("rounds", rounds)
                .detail("count", count)
                .detail("n0", N0)
                .detail("n", n)
                .detail("sigma", SIGMA)
                .detail("alpha", ALPHA)
                .detail("repeats", repeats)
                .detail("seed", seed)
                .detail("threads", threads)
                .detail("load_average_start", BenchMachine.loadAverageText())
                .detail(
                        "method",
                        "alternating rounds of SmoothingBenchmark.measure (medians over rounds);"
                                + " certification loop over --count random images");
        boolean peerWanted = compare || (parent != null && parent.compare);
        Optional<List<String>> peerCommand = peerWanted ? peerCommand(threads) : Optional.empty();

        double[] noisy = new double[rounds];
        double[] plain = new double[rounds];
        double[] ratio = new double[rounds];
        double[] loop = new double[repeats];
        double[] peerLoop = new double[repeats];
        double[] pairRatio = new double[repeats];
        double flops;
        try (Network network = Network.create(model, shape, classes, seed);
                NDManager manager = network.manager().newSubManager()) {
            flops = TrainingFlops.forwardFlops(network.block(), shape);
            BaseClassifier base = images -> network.logits(images, false);
            for (int r = 0; r < rounds; r++) {
                SmoothingBenchmark.Throughput t =
                        SmoothingBenchmark.measure(base, shape, classes, batch, batches, manager);
                noisy[r] = t.noisyPerSecond();
                plain[r] = t.plainPerSecond();
                ratio[r] = noisy[r] / plain[r];
            }
            for (int b : sweep) {
                int passes = Math.max(2, (8000 + b - 1) / b);
                SmoothingBenchmark.Throughput t =
                        SmoothingBenchmark.measure(base, shape, classes, b, passes, manager);
                report.add("sweep batch " + b + ": plain", t.plainPerSecond(), "img/s");
                report.add("sweep batch " + b + ": noisy", t.noisyPerSecond(), "img/s");
                report.add(
                        "sweep batch " + b + ": noisy/plain",
                        t.noisyPerSecond() / t.plainPerSecond(),
                        "");
            }
            ImageSet images = randomImages(shape, count, seed);
            SmoothedClassifier smoothed = new SmoothedClassifier(base, SIGMA, classes, seed, batch);
            // untimed: one other image with at most 2,000 copies, as the peer warms up
            smoothed.certify(
                    randomImages(shape, 1, seed + 1), 1, N0, Math.min(n, 2000), ALPHA, manager);
            for (int r = 0; r < repeats; r++) {
                long start = System.nanoTime();
                smoothed.certify(images, count, N0, n, ALPHA, manager);
                double seconds = (System.nanoTime() - start) / 1e9;
                loop[r] = (double) count * (N0 + n) / seconds;
                if (peerCommand.isPresent()) {
                    peerLoop[r] = runPeer(peerCommand.get(), out);
                    pairRatio[r] = loop[r] / peerLoop[r];
                }
            }
        }
        double noisyMedian = BenchReport.median(noisy);
        double plainMedian = BenchReport.median(plain);
        report.add("plain batched forward, median", plainMedian, "img/s");
        gflops(report, "plain batched forward", plainMedian, flops, peak);
        report.add("noisy certification forward, median", noisyMedian, "img/s");
        gflops(report, "noisy certification forward", noisyMedian, flops, peak);
        report.add("ratio noisy/plain, median of rounds", BenchReport.median(ratio), "x");
        report.add("ratio noisy/plain (of medians)", noisyMedian / plainMedian, "x");
        double loopMedian = BenchReport.median(loop);
        report.add(
                "certification loop (n0=" + N0 + ", n=" + n + "), median of " + repeats,
                loopMedian,
                "img/s");
        gflops(report, "certification loop", loopMedian, flops, peak);
        report.add("certify one image, n=" + n, (N0 + n) / loopMedian, "s");
        report.add("certify one image, n=100000 (estimated)", (N0 + 100_000) / loopMedian, "s");
        if (peerCommand.isPresent()) {
            report.detail("peer_command", String.join(" ", peerCommand.get()));
            report.detail("peer_note", Peers.STACK_NOTE);
            report.add("peer certification loop, median", BenchReport.median(peerLoop), "img/s");
            report.add(
                    "speed ratio oodlab/peer certification loop (>1 faster), median of "
                            + repeats
                            + " pairs",
                    BenchReport.median(pairRatio),
                    "x");
            report.detail("paired_ratios", java.util.Arrays.toString(pairRatio));
        }
        if (peak != null) {
            report.detail("peak_derivation", peak.derivation());
        }
        report.detail("load_average_end", BenchMachine.loadAverageText());
        report.print(out);
        out.printf(
                Locale.ROOT,
                "certification runs at %.0f %% of the plain batched forward throughput (median"
                        + " of %d paired rounds)%n",
                100 * BenchReport.median(ratio),
                rounds);
        if (peerCommand.isPresent()) {
            out.printf(
                    Locale.ROOT,
                    "certification loop %.2fx the reference loop (paired ratios %s)%n",
                    BenchReport.median(pairRatio),
                    java.util.Arrays.toString(pairRatio));
        }
        out.println("load average (1, 5, 15 min): " + BenchMachine.loadAverageText());
        Path file = report.write(output.directory());
        out.println("wrote " + file);
        out.flush();
        return 0;
    }

    /** GFLOP/s and the share of the peak of a forward throughput. */
    private static void gflops(
            BenchReport report,
            String what,
            double imagesPerSecond,
            double flops,
            BenchMachine.Peak peak) {
        double g = imagesPerSecond * flops / 1e9;
        report.add(what + ", GFLOP/s", g, "GFLOP/s");
        if (peak != null) {
            report.add(what + ", % of peak", 100 * g / peak.gflops(), "%");
        }
    }

    /** The peer's command line, or empty (with the reason on standard error) if it cannot run. */
    private Optional<List<String>> peerCommand(String threads) {
        PrintWriter err = spec.commandLine().getErr();
        if (!model.equals(PEER_MODEL)) {
            err.println(
                    "oodlab: --compare: the peer runs only " + PEER_MODEL + "; comparison skipped");
            err.flush();
            return Optional.empty();
        }
        Path script = peerScript;
        if (script == null) {
            Optional<Path> dir = Peers.locate(peers);
            if (dir.isEmpty()) {
                err.println(
                        "oodlab: --compare: no peer folder (looked in "
                                + Peers.candidates(peers)
                                + "); skipped");
                err.flush();
                return Optional.empty();
            }
            script = dir.get().resolve("certify_peer.py");
        }
        Optional<String> problem =
                Peers.unavailable(python, List.of("numpy", "torch", "scipy"), script);
        if (problem.isPresent()) {
            err.println("oodlab: --compare: " + problem.get() + "; skipped");
            err.flush();
            return Optional.empty();
        }
        return Optional.of(
                List.of(
                        python,
                        script.toString(),
                        "--count",
                        Integer.toString(count),
                        "--n0",
                        Integer.toString(N0),
                        "--n",
                        Integer.toString(n),
                        "--batch",
                        Integer.toString(batch),
                        "--sigma",
                        Double.toString(SIGMA),
                        "--alpha",
                        Double.toString(ALPHA),
                        "--threads",
                        threads == null ? "2" : threads,
                        "--seed",
                        Long.toString(seed)));
    }

    /** Runs the peer once; its noisy copies per second from its JSON line. */
    private static double runPeer(List<String> command, PrintWriter out)
            throws IOException, InterruptedException {
        List<String> lines = Peers.run(command, out);
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i).strip();
            if (line.startsWith("{")) {
                JsonObject json = JsonParser.parseString(line).getAsJsonObject();
                return json.get("noisy_per_second").getAsDouble();
            }
        }
        throw new IllegalStateException(
                "the peer printed no JSON line: " + String.join(" ", command));
    }

    /** {@code size} images of uniform random pixels in [0, 1), labelled 0, from {@code seed}. */
    static ImageSet randomImages(Shape shape, int size, long seed) {
        int d = (int) shape.size();
        float[] pixels = new float[size * d];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble();
        }
        return new ImageSet(
                "uniform",
                pixels,
                new int[size],
                10,
                (int) shape.get(0),
                (int) shape.get(1),
                (int) shape.get(2));
    }
}

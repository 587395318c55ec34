package dev.oodlab.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.oodlab.metrics.Metrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oodlab bench metrics}: how long all five OOD metrics take on n scores, and on n/10.
 *
 * <p>The scores are synthetic and seeded: half in-distribution ~ N(1, 1), half OOD ~ N(0, 1), each
 * rounded to float precision (like float32 network scores), and every tenth rounded to three
 * decimals so that the data has ties. One timed run is {@link Metrics#evaluate(double[],
 * double[])}: checking and copying the scores, the sort, and the pass that yields FPR@95TPR, AUROC,
 * AUPR-In, AUPR-Out and detection error. Runs are preceded by an untimed warm-up.
 *
 * <p>With {@code --compare} it also runs the scikit-learn peer script ({@code metrics_speed.py} in
 * the peers' folder, see {@link Peers}; run with {@code /usr/bin/python3}) on the same sizes when
 * the script and scikit-learn are present, and reports the speed ratio: the sum of the times of
 * scikit-learn's {@code roc_auc_score}, {@code average_precision_score} and numpy's FPR@95TPR
 * (three of the five metrics) divided by our time for all five (&gt; 1: oodlab is faster). Python
 * is never needed otherwise.
 */
@Command(
        name = "metrics",
        mixinStandardHelpOptions = true,
        description = {
            "Time all five OOD metrics on n synthetic scores (half in, half out) and on n/10.",
            "Writes build/bench/metrics.json."
        })
public final class BenchMetricsCommand implements Callable<Integer> {

    @Option(
            names = "--n",
            defaultValue = "10000000",
            description = "number of scores, half in and half out (default: ${DEFAULT-VALUE})")
    int n;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "seed of the synthetic scores (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--repeats",
            defaultValue = "5",
            description = "timed runs per size (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(
            names = "--warmup",
            defaultValue = "2",
            description = "untimed runs per size first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(
            names = "--compare",
            description = "also time scikit-learn with the peer script, if it is present")
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
            description =
                    "the scikit-learn timing script (default: metrics_speed.py in the peers'"
                            + " folder)")
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

    /** Runs the benchmark, prints the table and writes the JSON file. */
    @Override
    public Integer call() throws IOException, InterruptedException {
        Peers.checkOption(peers, spec);
        if (peerScript != null && !Files.isRegularFile(peerScript)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--peer-script " + peerScript + ": no such file");
        }
        output.check(spec);
        if (n < 20) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--n must be at least 20, got " + n);
        }
        if (repeats < 1 || warmup < 0) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--repeats must be >= 1 and --warmup >= 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        BenchReport report = new BenchReport("metrics");
        report.detail("n", n)
                .detail("seed", seed)
                .detail("repeats", repeats)
                .detail("warmup", warmup)
                .detail(
                        "data",
                        "half in ~ N(1,1), half out ~ N(0,1), float precision,"
                                + " every 10th rounded to 3 decimals");
        int[] sizes = {n, n / 10};
        double[] ourMedian = new double[sizes.length];
        double[] ourMin = new double[sizes.length];
        for (int s = 0; s < sizes.length; s++) {
            double[][] scores = syntheticScores(sizes[s], seed);
            BenchReport.Timing timing =
                    BenchReport.time(warmup, repeats, () -> Metrics.evaluate(scores[0], scores[1]));
            ourMedian[s] = timing.median();
            ourMin[s] = timing.min();
            report.add("oodlab five metrics, n=" + sizes[s] + ", median", timing.median(), "s");
            report.add("oodlab five metrics, n=" + sizes[s] + ", min", timing.min(), "s");
            report.add("oodlab throughput, n=" + sizes[s], sizes[s] / timing.median(), "scores/s");
        }
        if (compare || (parent != null && parent.compare)) {
            comparePeer(report, sizes, ourMedian, ourMin);
        }
        report.print(out);
        Path file = report.write(output.directory());
        out.println("wrote " + file);
        out.flush();
        return 0;
    }

    /**
     * The benchmark's synthetic scores: {in, out}, n/2 and n − n/2 of them.
     *
     * @param n the total number of scores
     * @param seed the seed
     * @return the in-distribution and the OOD scores
     */
    static double[][] syntheticScores(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] in = new double[n / 2];
        double[] out = new double[n - n / 2];
        for (int i = 0; i < in.length; i++) {
            in[i] = score(random, 1.0, i);
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = score(random, 0.0, i);
        }
        return new double[][] {in, out};
    }

    private static double score(SplittableRandom random, double mean, int i) {
        double v = (float) (mean + random.nextGaussian());
        return i % 10 == 0 ? Math.round(v * 1000) / 1000.0 : v;
    }

    private void comparePeer(BenchReport report, int[] sizes, double[] ourMedian, double[] ourMin)
            throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Path script = peerScript;
        if (script == null) {
            java.util.Optional<Path> dir = Peers.locate(peers);
            if (dir.isEmpty()) {
                err.println(
                        "oodlab: --compare: no peer folder (looked in "
                                + Peers.candidates(peers)
                                + "); skipped");
                err.flush();
                return;
            }
            script = dir.get().resolve("metrics_speed.py");
        }
        java.util.Optional<String> problem =
                Peers.unavailable(python, List.of("numpy", "sklearn"), script);
        if (problem.isPresent()) {
            err.println("oodlab: --compare: " + problem.get() + "; skipped");
            err.flush();
            return;
        }
        Path json = Files.createTempFile("oodlab-metrics-peer", ".json");
        try {
            List<String> command = new ArrayList<>();
            command.add(python);
            command.add(script.toString());
            command.add("--sizes");
            for (int size : sizes) {
                command.add(Integer.toString(size));
            }
            command.addAll(
                    List.of(
                            "--repeats",
                            Integer.toString(repeats),
                            "--seed",
                            Long.toString(seed),
                            "--json-out",
                            json.toString()));
            report.detail("peer_command", String.join(" ", command));
            Peers.run(command, spec.commandLine().getOut());
            JsonObject peer =
                    JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8))
                            .getAsJsonObject();
            report.detail("peer_env", peer.get("env"));
            report.detail("peer_note", Peers.STACK_NOTE);
            for (int s = 0; s < sizes.length; s++) {
                double min = 0;
                double median = 0;
                for (JsonElement e : peer.getAsJsonArray("results")) {
                    JsonObject r = e.getAsJsonObject();
                    String function = r.get("function").getAsString();
                    if (r.get("n").getAsLong() != sizes[s] || function.equals("numpy_auroc_rank")) {
                        continue; // the rank AUROC duplicates roc_auc_score
                    }
                    report.add(
                            "python " + function + ", n=" + sizes[s] + ", median",
                            r.get("median_s").getAsDouble(),
                            "s");
                    min += r.get("min_s").getAsDouble();
                    median += r.get("median_s").getAsDouble();
                }
                report.add(
                        "python AUROC+AUPR-In+FPR@95 sum, n=" + sizes[s] + ", median", median, "s");
                // Throughput ratio: their time / ours, > 1 means oodlab is faster.
                report.add(
                        "speed ratio oodlab/python (>1 faster), n=" + sizes[s] + ", median",
                        median / ourMedian[s],
                        "x");
                report.add(
                        "speed ratio oodlab/python (>1 faster), n=" + sizes[s] + ", min",
                        min / ourMin[s],
                        "x");
            }
        } finally {
            Files.deleteIfExists(json);
        }
    }
}

package dev.oodlab.bench;

import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.oodlab.OodLab;
import dev.oodlab.data.Datasets;
import dev.oodlab.data.ImageSet;
import dev.oodlab.nn.Network;
import dev.oodlab.train.EpochResult;
import dev.oodlab.train.Fit;
import dev.oodlab.train.ProgressBar;
import dev.oodlab.train.SmoothMix;
import dev.oodlab.train.TrainingMethod;
import dev.oodlab.train.TrainingMethods;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code oodlab bench train}: training throughput (images per second) and achieved GFLOP/s of the
 * peer's two models on Fashion-MNIST, per training method.
 *
 * <p>Models: {@code mlp} (784-256-256-10) and {@code lenet} (conv 6@5×5 pad 2, pool, conv 16@5×5,
 * pool, fc 120, 84, 10), the peer script's exact layers. Methods: {@code ce}, {@code mixup}, {@code
 * adversarial-mixup} for both, and {@code smoothmix} (m = 4 noise samples, T = 2 attack steps) for
 * LeNet. Batch 128, Adam 1e−3, the full 60,000-image training set, one epoch, timed after an
 * untimed warm-up of {@code --warmup} steps (default 300: the JIT compiler needs a few hundred
 * steps to compile the step's Java code; with 30, MLP {@code ce} measured 36k instead of 46k img/s)
 * on the same network; the timed epoch is {@link Fit}'s own (batch gather, forward, backward,
 * update). FLOPs per image come from the layer shapes ({@link TrainingFlops}); the theoretical peak
 * from {@code /proc/cpuinfo} ({@link BenchMachine}).
 *
 * <p>With {@code --compare} the peer script {@code train_fmnist.py} (PyTorch, run with {@code
 * /usr/bin/python3}) trains the same models in its modes {@code ce}, {@code mixup}, {@code advmix}
 * with the same batch size, seed, data and thread count, interleaved model by model with ours, and
 * the ratio ours ÷ theirs of images per second is reported (&gt; 1: oodlab is faster). The peer's
 * figure is its throughput after its 5 warm-up steps. With {@code --repeats N} every model's
 * configurations and its peer run N times, alternating, and the table shows medians (the ratio: the
 * median of the N paired ratios), so that one slow minute of a shared machine does not decide it.
 *
 * <p>The JSON file holds, besides the figures, the list {@code runs}: one object per model and
 * method with {@code model}, {@code method}, {@code images_per_second}, {@code gflops}, {@code
 * peak_gflops} and the rest.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Training throughput (img/s) and achieved GFLOP/s of MLP and LeNet on Fashion-MNIST per"
                    + " method, one epoch after a warm-up.",
            "Writes build/bench/train.json."
        })
public final class BenchTrainCommand implements Callable<Integer> {

    /** The models this benchmark knows. */
    static final List<String> MODELS = List.of("mlp", "lenet");

    /** The methods this benchmark knows, in run order. */
    static final List<String> METHODS = List.of("ce", "mixup", "adversarial-mixup", "smoothmix");

    /** SmoothMix's noise samples m and attack steps T in this benchmark. */
    static final int SMOOTHMIX_NOISE = 4;

    static final int SMOOTHMIX_STEPS = 2;

    @Option(
            names = "--model",
            split = ",",
            paramLabel = "NAME",
            description = "mlp, lenet (default: both)")
    List<String> models;

    @Option(
            names = "--method",
            split = ",",
            paramLabel = "NAME",
            description =
                    "ce, mixup, adversarial-mixup, smoothmix (default: the first three, and"
                            + " smoothmix for lenet)")
    List<String> methods;

    @Option(
            names = "--steps",
            defaultValue = "0",
            description =
                    "timed steps per epoch, on the first steps x batch images (default: 0 ="
                            + " the whole training set)")
    int steps;

    @Option(
            names = "--epochs",
            defaultValue = "1",
            description = "timed epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(
            names = "--warmup",
            defaultValue = "300",
            description =
                    "untimed warm-up steps before the timed epochs (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(
            names = "--repeats",
            defaultValue = "1",
            description =
                    "runs of every configuration (and of the peer, with --compare), alternating;"
                            + " the figures are medians, the ratio the median of the paired"
                            + " ratios (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(
            names = "--batch-size",
            defaultValue = "128",
            description = "images per step (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(
            names = "--seed",
            defaultValue = "0",
            description = "initialisation and shuffling seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--compare",
            description = "also run the PyTorch peer script train_fmnist.py and print ratios")
    boolean compare;

    @Option(
            names = "--peers",
            paramLabel = "DIR",
            description =
                    "the peer scripts' folder (default: $OODLAB_PEERS, else ../shared/peers"
                            + " next to the repository)")
    Path peers;

    @Option(
            names = "--python",
            paramLabel = "EXE",
            defaultValue = Peers.DEFAULT_PYTHON,
            description = "the Python that runs the peer script (default: ${DEFAULT-VALUE})")
    String python;

    @Mixin BenchReport.Output output;

    @ParentCommand BenchCommand parent;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** One model and method to time. */
    record Config(String model, String method) {}

    /** Runs the benchmark, prints the table and writes the JSON file. */
    @Override
    public Integer call() throws IOException, InterruptedException {
        Peers.checkOption(peers, spec);
        output.check(spec);
        List<Config> configs = configs();
        if (steps < 0 || epochs < 1 || warmup < 0 || batchSize < 1 || repeats < 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--steps must be >= 0, --epochs >= 1, --warmup >= 0, --batch-size >= 1"
                            + " and --repeats >= 1");
        }
        OodLab.init();
        PrintWriter out = spec.commandLine().getOut();
        ImageSet train = Datasets.fashionMnistTrain();
        if (steps > 0 && (long) steps * batchSize < train.size()) {
            train = train.head(steps * batchSize);
        }
        ImageSet warmupSet = train.head(Math.min(train.size(), Math.max(1, warmup) * batchSize));
        BenchMachine.Peak peak = BenchMachine.peak();
        BenchReport report = new BenchReport("train");
        report.detail("data", train.name() + ", " + train.size() + " images")
                .detail("batch_size", batchSize)
                .detail("epochs", epochs)
                .detail("warmup_steps", warmup)
                .detail("repeats", repeats)
                .detail("seed", seed)
                .detail("optimizer", "Adam, lr 1e-3 (PyTorch rule)")
                .detail(
                        "flops_rule",
                        "Linear/Conv2d only, 2 per multiply-add; training = 3x forward,"
                                + " adversarial-mixup 5x, smoothmix 2mT+6m = "
                                + TrainingFlops.factor(
                                        "smoothmix", SMOOTHMIX_NOISE, SMOOTHMIX_STEPS)
                                + "x (m = "
                                + SMOOTHMIX_NOISE
                                + ", T = "
                                + SMOOTHMIX_STEPS
                                + ")")
                .detail("load_average_start", BenchMachine.loadAverageText());
        if (peak != null) {
            report.detail("peak_derivation", peak.derivation());
            report.add(
                    "theoretical FP32 peak, " + peak.cores() + " cores", peak.gflops(), "GFLOP/s");
        }
        Optional<String> peerProblem = Optional.empty();
        Path peerScript = null;
        boolean comparing = compare || (parent != null && parent.compare);
        if (comparing) {
            peerProblem = peerProblem();
            if (peerProblem.isPresent()) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("oodlab: --compare: " + peerProblem.get() + "; comparison skipped");
                err.flush();
            } else {
                peerScript = Peers.locate(peers).orElseThrow().resolve("train_fmnist.py");
            }
        }
        Map<String, List<Config>> byModel = new LinkedHashMap<>();
        for (Config c : configs) {
            byModel.computeIfAbsent(c.model(), k -> new ArrayList<>()).add(c);
        }
        List<String> notes = new ArrayList<>();
        for (Map.Entry<String, List<Config>> e : byModel.entrySet()) {
            List<Config> modelConfigs = e.getValue();
            List<List<JsonObject>> ours = new ArrayList<>();
            List<List<JsonObject>> theirs = new ArrayList<>();
            for (int i = 0; i < modelConfigs.size(); i++) {
                ours.add(new ArrayList<>());
                theirs.add(new ArrayList<>());
            }
            for (int r = 0; r < repeats; r++) {
                if (repeats > 1) {
                    out.printf(Locale.ROOT, "%s, repeat %d of %d%n", e.getKey(), r + 1, repeats);
                }
                for (int i = 0; i < modelConfigs.size(); i++) {
                    ours.get(i).add(timeOurs(modelConfigs.get(i), train, warmupSet, peak, out));
                }
                if (peerScript != null) {
                    Map<String, JsonObject> peer =
                            runPeer(peerScript, e.getKey(), modelConfigs, out);
                    for (int i = 0; i < modelConfigs.size(); i++) {
                        theirs.get(i).add(peer.get(modelConfigs.get(i).method()));
                    }
                }
            }
            for (int i = 0; i < modelConfigs.size(); i++) {
                JsonObject run = combine(ours.get(i), theirs.get(i));
                addFigures(report, run);
                report.addRun(run);
            }
        }
        if (peerScript != null) {
            notes.add(Peers.STACK_NOTE);
            report.detail("peer_note", Peers.STACK_NOTE);
        }
        report.detail("load_average_end", BenchMachine.loadAverageText());
        report.print(out);
        for (String note : notes) {
            out.println(note);
        }
        out.println("load average (1, 5, 15 min): " + BenchMachine.loadAverageText());
        out.println("OpenMP wait policy: " + dev.oodlab.OodLab.ompWaitPolicy());
        Path file = report.write(output.directory());
        out.println("wrote " + file);
        out.flush();
        return 0;
    }

    /**
     * One configuration's figures over its repeats: the first run's record with images per second
     * and GFLOP/s replaced by their medians, the peer's throughput by its median, and the ratio by
     * the median of the paired ratios (repeat r of ours against repeat r of the peer; repeats
     * without a peer figure are left out). The per-repeat values are kept in {@code
     * images_per_second_repeats}, {@code peer_images_per_second_repeats} and {@code ratio_repeats}.
     *
     * @param ours our runs, one per repeat, at least one
     * @param peers the peer's figures for this method, one per repeat (entries may be null), or an
     *     empty list without --compare
     */
    static JsonObject combine(List<JsonObject> ours, List<JsonObject> peers) {
        JsonObject run = ours.get(0).deepCopy();
        double[] ips = new double[ours.size()];
        JsonArray ipsList = new JsonArray();
        for (int r = 0; r < ours.size(); r++) {
            ips[r] = ours.get(r).get("images_per_second").getAsDouble();
            ipsList.add(ips[r]);
        }
        double first = ips[0];
        double median = BenchReport.median(ips);
        run.addProperty("images_per_second", median);
        run.addProperty("gflops", run.get("gflops").getAsDouble() * median / first);
        if (run.has("percent_of_peak")) {
            run.addProperty(
                    "percent_of_peak", run.get("percent_of_peak").getAsDouble() * median / first);
        }
        run.addProperty("repeats", ours.size());
        run.add("images_per_second_repeats", ipsList);
        List<Double> peerIps = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        JsonObject firstPeer = null;
        for (int r = 0; r < peers.size() && r < ours.size(); r++) {
            JsonObject peer = peers.get(r);
            if (peer == null) {
                continue;
            }
            if (firstPeer == null) {
                firstPeer = peer.deepCopy();
            }
            double theirs = peer.get("images_per_second").getAsDouble();
            peerIps.add(theirs);
            ratios.add(ips[r] / theirs);
        }
        if (firstPeer != null) {
            firstPeer.addProperty("images_per_second", BenchReport.median(toArray(peerIps)));
            JsonArray peerList = new JsonArray();
            peerIps.forEach(peerList::add);
            firstPeer.add("images_per_second_repeats", peerList);
            run.add("peer", firstPeer);
            run.addProperty("ratio_vs_peer", BenchReport.median(toArray(ratios)));
            JsonArray ratioList = new JsonArray();
            ratios.forEach(ratioList::add);
            run.add("ratio_repeats", ratioList);
        }
        return run;
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The (model, method) pairs to run, checked. */
    List<Config> configs() {
        List<String> ms = models == null || models.isEmpty() ? MODELS : models;
        List<Config> list = new ArrayList<>();
        for (String model : ms) {
            String m = model.toLowerCase(Locale.ROOT);
            if (!MODELS.contains(m)) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--model: unknown model '"
                                + model
                                + "'; known: "
                                + String.join(", ", MODELS));
            }
            List<String> chosen =
                    methods == null || methods.isEmpty()
                            ? (m.equals("lenet") ? METHODS : METHODS.subList(0, 3))
                            : methods;
            for (String method : chosen) {
                String name = method.toLowerCase(Locale.ROOT);
                if (!METHODS.contains(name)) {
                    throw new CommandLine.ParameterException(
                            spec.commandLine(),
                            "--method: unknown method '"
                                    + method
                                    + "'; known: "
                                    + String.join(", ", METHODS));
                }
                list.add(new Config(m, name));
            }
        }
        return list;
    }

    /**
     * The method as benchmarked: the defaults, SmoothMix with m and T fixed and whole batches (one
     * step per batch, so that its images per second compare with the other methods' and with the
     * earlier runs; training chunks each batch into m steps), Adversarial-Mixup as the peer script
     * computes it (each input mixed with its own FGSM example, uniform adversarial target, no clean
     * term), so that both sides do the same work.
     */
    static TrainingMethod method(String name) {
        if (name.equals("adversarial-mixup")) {
            return TrainingMethods.create(
                    name,
                    Map.of(
                            "partner",
                            "same",
                            "adversarial-target",
                            "uniform",
                            "clean-weight",
                            0.0));
        }
        if (name.equals("smoothmix")) {
            return SmoothMix.builder()
                    .optNoiseSamples(SMOOTHMIX_NOISE)
                    .optSteps(SMOOTHMIX_STEPS)
                    .optChunkedBatches(false)
                    .build();
        }
        return TrainingMethods.create(name);
    }

    /** The peer script's name of a model or method ({@code lenet} → {@code cnn}, …). */
    static String peerName(String ours) {
        return switch (ours) {
            case "lenet" -> "cnn";
            case "adversarial-mixup" -> "advmix";
            default -> ours;
        };
    }

    private JsonObject timeOurs(
            Config c, ImageSet train, ImageSet warmupSet, BenchMachine.Peak peak, PrintWriter out) {
        try (Network net = Network.create(c.model(), new Shape(1, 28, 28), 10, seed)) {
            long forward = TrainingFlops.forwardFlops(net.block(), net.inputShape());
            int factor = TrainingFlops.factor(c.method(), SMOOTHMIX_NOISE, SMOOTHMIX_STEPS);
            if (warmup > 0) {
                fit(c.method(), 1).run(net, warmupSet);
            }
            List<EpochResult> history = fit(c.method(), epochs).run(net, train);
            double seconds = history.stream().mapToDouble(EpochResult::seconds).sum();
            long images = (long) train.size() * epochs;
            double ips = images / seconds;
            double gflops = ips * forward * factor / 1e9;
            JsonObject run = new JsonObject();
            run.addProperty("model", c.model());
            run.addProperty("method", c.method());
            run.addProperty("images_per_second", ips);
            run.addProperty("gflops", gflops);
            if (peak != null) {
                run.addProperty("peak_gflops", peak.gflops());
                run.addProperty("percent_of_peak", 100 * gflops / peak.gflops());
            }
            run.addProperty("forward_flops_per_image", forward);
            run.addProperty("flops_factor", factor);
            run.addProperty("train_flops_per_image", forward * factor);
            run.addProperty("images", images);
            run.addProperty("seconds", seconds);
            run.addProperty("epochs", epochs);
            run.addProperty("steps_per_epoch", (train.size() + batchSize - 1) / batchSize);
            run.addProperty("warmup_steps", warmup);
            run.addProperty("final_loss", history.get(history.size() - 1).loss());
            run.addProperty("load_average", BenchMachine.loadAverageText());
            out.printf(
                    Locale.ROOT,
                    "%s %s: %.0f img/s, %.1f GFLOP/s, %.2f s for %d images (loss %.4f)%n",
                    c.model(),
                    c.method(),
                    ips,
                    gflops,
                    seconds,
                    images,
                    history.get(history.size() - 1).loss());
            out.flush();
            return run;
        }
    }

    private Fit fit(String method, int epochCount) {
        return Fit.builder()
                .setMethod(method(method))
                .optEpochs(epochCount)
                .optBatchSize(batchSize)
                .optSeed(seed)
                .optTrainingAccuracy(false)
                .optProgress(ProgressBar.Mode.OFF)
                .build();
    }

    private static void addFigures(BenchReport report, JsonObject run) {
        String name = run.get("model").getAsString() + " " + run.get("method").getAsString();
        report.add(name + ", oodlab", run.get("images_per_second").getAsDouble(), "img/s");
        report.add(name + ", oodlab achieved", run.get("gflops").getAsDouble(), "GFLOP/s");
        if (run.has("peer")) {
            JsonObject peer = run.getAsJsonObject("peer");
            report.add(
                    name + ", pytorch " + peer.get("torch").getAsString(),
                    peer.get("images_per_second").getAsDouble(),
                    "img/s");
            report.add(
                    name + ", ratio oodlab/pytorch (>1 faster)",
                    run.get("ratio_vs_peer").getAsDouble(),
                    "x");
        }
    }

    private Optional<String> peerProblem() {
        Optional<Path> dir = Peers.locate(peers);
        if (dir.isEmpty()) {
            return Optional.of("no peer folder (looked in " + Peers.candidates(peers) + ")");
        }
        Path data;
        try {
            data = Datasets.fashionMnistDirectory();
            Datasets.mnistDigitsDirectory();
        } catch (RuntimeException e) {
            return Optional.of(e.getMessage());
        }
        if (!Files.isRegularFile(data.resolve("train-images-idx3-ubyte.gz"))) {
            return Optional.of("the peer script reads .gz IDX files, none in " + data);
        }
        return Peers.unavailable(
                python,
                List.of("torch", "sklearn", "numpy", "threadpoolctl"),
                dir.get().resolve("train_fmnist.py"));
    }

    /** Runs the peer script for one model and the peer modes of its configs. */
    private Map<String, JsonObject> runPeer(
            Path script, String model, List<Config> configs, PrintWriter out)
            throws IOException, InterruptedException {
        List<String> modes = new ArrayList<>();
        for (Config c : configs) {
            if (!c.method().equals("smoothmix")) {
                modes.add(peerName(c.method()));
            }
        }
        Map<String, JsonObject> results = new LinkedHashMap<>();
        if (modes.isEmpty()) {
            return results;
        }
        List<List<String>> calls = new ArrayList<>();
        if (modes.size() == 3) {
            calls.add(List.of("all"));
        } else {
            for (String mode : modes) {
                calls.add(List.of(mode));
            }
        }
        Path json = Files.createTempFile("oodlab-train-peer", ".jsonl");
        try {
            for (List<String> mode : calls) {
                List<String> command = new ArrayList<>();
                command.addAll(
                        List.of(
                                python,
                                script.toString(),
                                "--model",
                                peerName(model),
                                "--mode",
                                mode.get(0),
                                "--batch-size",
                                Integer.toString(batchSize),
                                "--epochs",
                                Integer.toString(epochs),
                                "--seed",
                                Long.toString(seed),
                                "--threads",
                                System.getProperty(
                                        "ai.djl.pytorch.num_threads",
                                        Integer.toString(
                                                Runtime.getRuntime().availableProcessors())),
                                "--data-dir",
                                Datasets.fashionMnistDirectory().toString(),
                                "--mnist-digits-dir",
                                Datasets.mnistDigitsDirectory().toString(),
                                "--json-out",
                                json.toString()));
                if (steps > 0) {
                    command.add("--max-batches");
                    command.add(Integer.toString(steps));
                }
                out.println("peer command: " + String.join(" ", command));
                Peers.run(command, out);
            }
            for (String line : Files.readAllLines(json, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonObject rec = JsonParser.parseString(line).getAsJsonObject();
                String mode = rec.get("mode").getAsString();
                String ours =
                        switch (mode) {
                            case "advmix" -> "adversarial-mixup";
                            default -> mode;
                        };
                results.put(ours, peerSummary(rec));
            }
        } finally {
            Files.deleteIfExists(json);
        }
        return results;
    }

    /** The peer's throughput after its warm-up steps, averaged over its epochs. */
    static JsonObject peerSummary(JsonObject rec) {
        JsonArray epochList = rec.getAsJsonArray("epochs");
        double sum = 0;
        double whole = 0;
        boolean extrapolated = false;
        for (JsonElement e : epochList) {
            JsonObject epoch = e.getAsJsonObject();
            double ips = epoch.get("imgs_per_s").getAsDouble();
            whole += ips;
            sum +=
                    epoch.has("imgs_per_s_after_warmup")
                            ? epoch.get("imgs_per_s_after_warmup").getAsDouble()
                            : ips;
            extrapolated |= epoch.has("extrapolated") && epoch.get("extrapolated").getAsBoolean();
        }
        int n = epochList.size();
        JsonObject peer = new JsonObject();
        peer.addProperty("images_per_second", sum / n);
        peer.addProperty("images_per_second_whole_epoch", whole / n);
        peer.addProperty("train_flops_per_image", rec.get("train_flops_per_img_est").getAsDouble());
        peer.addProperty(
                "gflops", sum / n * rec.get("train_flops_per_img_est").getAsDouble() / 1e9);
        peer.addProperty("steps_extrapolated", extrapolated);
        JsonObject env = rec.getAsJsonObject("env");
        peer.addProperty("torch", env == null ? "?" : env.get("torch").getAsString());
        if (rec.has("test_acc")) {
            peer.addProperty("test_accuracy", rec.get("test_acc").getAsDouble());
        }
        return peer;
    }
}

package dev.oodlab.cli;

import dev.oodlab.OodLab;
import dev.oodlab.experiment.BenchmarkModel;
import dev.oodlab.experiment.Detectors;
import dev.oodlab.experiment.Experiment;
import dev.oodlab.experiment.OodBenchmark;
import dev.oodlab.io.StagedDirectory;
import dev.oodlab.nn.TorchScriptModel;
import dev.oodlab.notebook.StatusLine;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code oodlab benchmark}: every detector × OOD set × metric for one model ({@link OodBenchmark}),
 * printed as a table, and with {@code --out} written as {@code results.json}, {@code table.csv},
 * {@code table.md} and {@code table.html} (staged, renamed into place at the end). The model is a
 * folder from {@code oodlab train} or a TorchScript file saved by PyTorch.
 */
@Command(
        name = "benchmark",
        mixinStandardHelpOptions = true,
        description = {
            "Every detector x OOD set x metric for one model (a folder from oodlab train or a"
                    + " TorchScript .pt file): AUROC, AUPR-In/Out, FPR@95TPR (both conventions),"
                    + " detection error, group means, test accuracy; the table on standard output,"
                    + " --out also writes results.json, table.csv, table.md, table.html."
        })
public final class BenchmarkCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR|FILE.pt",
            description =
                    "A model folder (from oodlab train) or a TorchScript file whose forward takes"
                            + " a batch (N, C, H, W) in [0, 1] and returns the logits or (logits,"
                            + " features).")
    Path model;

    @Option(
            names = "--dataset",
            description =
                    "In-distribution data: fashion-mnist, mnist, cifar10 or an IDX folder"
                            + " (default: the model folder's; required for a .pt file).")
    String dataset;

    @Option(
            names = "--detectors",
            defaultValue = Detectors.ALL_NAMES,
            paramLabel = "LIST",
            description =
                    "Comma-separated detectors or all (default: ${DEFAULT-VALUE}): "
                            + "${COMPLETION-CANDIDATES}.",
            completionCandidates = Detectors.Names.class)
    String detectors;

    @Option(
            names = "--ood",
            arity = "1..*",
            paramLabel = "GROUP:SETS",
            description =
                    "OOD sets by group, e.g. near:mnist far:uniform,gaussian (the default for"
                            + " fashion-mnist; otherwise the data set's default sets, far). Sets as"
                            + " for evaluate --ood.")
    List<String> ood;

    @Option(
            names = "--seeds",
            split = ",",
            paramLabel = "SEED",
            description =
                    "Seeds of the generated OOD sets and of the --fit-subset draw; rows are means"
                            + " over them (default: "
                            + Experiment.OOD_SEED
                            + ").")
    List<Long> seeds;

    @Option(
            names = "--ood-count",
            paramLabel = "N",
            description =
                    "Images per generated OOD set, and the most taken from the others (default:"
                            + " ${DEFAULT-VALUE}).")
    int oodCount = Experiment.DEFAULT_OOD_COUNT;

    @Option(
            names = "--fit-subset",
            paramLabel = "N",
            description =
                    "Training images the fitted detectors use, drawn per seed (default: 0, all).")
    int fitSubset;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize = dev.oodlab.experiment.OodEvaluation.BATCH_SIZE;

    @Option(
            names = "--mean",
            split = ",",
            paramLabel = "M",
            description =
                    "TorchScript only: per-channel mean subtracted before the model (with --std;"
                            + " one value or one per channel).")
    double[] mean;

    @Option(
            names = "--std",
            split = ",",
            paramLabel = "S",
            description = "TorchScript only: per-channel standard deviation divided by.")
    double[] std;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write the files here.")
    Path out;

    @Option(names = "--quiet", description = "No progress line.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        OodBenchmark.Builder benchmark;
        TorchScriptModel.Normalization normalization;
        boolean explicit;
        try {
            benchmark =
                    OodBenchmark.builder()
                            .optDetectors(List.of(detectors))
                            .optOodCount(oodCount)
                            .optFitSubset(fitSubset)
                            .optBatchSize(batchSize);
            explicit =
                    Stream.of(detectors.split(","))
                            .noneMatch(d -> d.trim().equalsIgnoreCase(Detectors.ALL_NAMES));
            if (ood != null) {
                benchmark.optOod(OodBenchmark.parseOod(ood));
            }
            if (seeds != null) {
                benchmark.optSeeds(seeds);
            }
            normalization = normalization(mean, std);
            if (out != null) {
                OutputPath.folder(spec, "--out", out);
                StagedDirectory.checkReplaceable(
                        out, n -> OodBenchmark.OUTPUT_NAME.matcher(n).matches());
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        OodLab.init();
        PrintWriter err = spec.commandLine().getErr();
        try (BenchmarkModel loaded = BenchmarkModel.load(model, dataset, normalization)) {
            if (explicit && loaded.featureNote() != null) {
                for (String d : Detectors.parseList(detectors)) {
                    if (Detectors.needsFeatures(d)) {
                        throw new IllegalArgumentException(
                                "detector "
                                        + d
                                        + " needs penultimate features, but "
                                        + loaded.featureNote());
                    }
                }
            }
            OodBenchmark.Result result;
            PrintStream stream = WriterStream.of(err);
            try (StatusLine status = quiet ? null : StatusLine.open(stream)) {
                result =
                        benchmark
                                .optProgress(status == null ? null : status::show)
                                .build()
                                .run(loaded);
            }
            stream.flush();
            if (!result.skipped().isEmpty()) {
                err.println(
                        "skipped "
                                + String.join(", ", result.skipped().keySet())
                                + ": "
                                + result.skipped().values().iterator().next());
            }
            if (out != null) {
                result.write(out);
                err.println("wrote " + out);
            }
            err.flush();
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.print(result.toText());
            stdout.flush();
        }
        return 0;
    }

    /** The normalisation of --mean and --std, or null for neither. */
    static TorchScriptModel.Normalization normalization(double[] mean, double[] std) {
        if (mean == null && std == null) {
            return null;
        }
        if (mean == null || std == null) {
            throw new IllegalArgumentException("--mean and --std go together");
        }
        return new TorchScriptModel.Normalization(mean, std);
    }
}

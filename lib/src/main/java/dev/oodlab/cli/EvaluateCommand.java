package dev.oodlab.cli;

import dev.oodlab.OodLab;
import dev.oodlab.experiment.BenchmarkModel;
import dev.oodlab.experiment.Detectors;
import dev.oodlab.experiment.ModelInfo;
import dev.oodlab.experiment.RunEvaluation;
import dev.oodlab.nn.ModelFolder;
import dev.oodlab.nn.TorchScriptModel;
import dev.oodlab.report.RunResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oodlab evaluate}: re-score a model folder written by {@code oodlab train}, or a
 * TorchScript file saved by PyTorch ({@link BenchmarkModel}), with a detector on OOD sets; print
 * the {@code results.json} object, and with {@code --out} write it with {@code results.csv} and the
 * charts (all at once at the end). {@code --out} never names a model folder: its {@code
 * results.json} is the training record. Several detectors ({@code --detector all} or a list) print
 * a JSON array of records, one per detector; a detector that needs features is then skipped, with
 * one line, on a model that has none (named explicitly, it is an error).
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = {
            "Re-score a trained model (a folder with model.json and model.params) with a detector"
                    + " and print the results JSON; --out also writes results.json, results.csv"
                    + " and charts."
        })
public final class EvaluateCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR|FILE.pt",
            description =
                    "Model folder (from oodlab train) or TorchScript file saved by PyTorch (forward"
                            + " returns the logits or (logits, features); needs --dataset).")
    Path model;

    @Option(
            names = "--mean",
            split = ",",
            paramLabel = "M",
            description =
                    "TorchScript only: per-channel mean subtracted before the model (with --std).")
    double[] mean;

    @Option(
            names = "--std",
            split = ",",
            paramLabel = "S",
            description = "TorchScript only: per-channel standard deviation divided by.")
    double[] std;

    @Option(
            names = "--detector",
            defaultValue = Detectors.DEFAULT,
            description =
                    "Detector, a comma-separated list, or all (several print a JSON array):"
                            + " ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            completionCandidates = Detectors.Names.class)
    String detector;

    @Option(
            names = "--dataset",
            description =
                    "In-distribution data to test on (default: the one the model was trained on).")
    String dataset;

    @Mixin OodOptions ood;

    @Option(names = "--out", description = "Also write results.json, results.csv, charts here.")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<String> names;
        boolean explicit;
        TorchScriptModel.Normalization normalization;
        try {
            names = Detectors.parseList(detector);
            explicit =
                    Stream.of(detector.split(","))
                            .noneMatch(d -> d.trim().equalsIgnoreCase(Detectors.ALL_NAMES));
            if (ood.count < 1) {
                throw new IllegalArgumentException("--ood-count must be >= 1, got " + ood.count);
            }
            normalization = BenchmarkCommand.normalization(mean, std);
            if (out != null) {
                if (names.size() > 1) {
                    throw new IllegalArgumentException(
                            "--out takes the files of one detector; for a table of several use"
                                    + " oodlab benchmark --out DIR");
                }
                OutputPath.replacedFolder(spec, "--out", out);
                if (Files.exists(out.resolve(ModelFolder.METADATA))
                        || Files.exists(out.resolve(ModelFolder.PARAMETERS))) {
                    throw new IllegalArgumentException(
                            "--out "
                                    + out
                                    + " holds a trained model, whose results.json is the training"
                                    + " record; evaluate never replaces it: choose another folder");
                }
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        OodLab.init();
        PrintWriter stdout = spec.commandLine().getOut();
        if (!BenchmarkModel.isTorchScript(model) && names.size() == 1 && normalization == null) {
            ModelInfo.read(model); // fails early, naming what is missing
            RunEvaluation evaluation =
                    RunEvaluation.of(model, dataset, ood.sets, ood.count, names.get(0));
            finish(evaluation);
            return 0;
        }
        try (BenchmarkModel loaded = BenchmarkModel.load(model, dataset, normalization)) {
            String note = loaded.featureNote();
            List<String> run = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            for (String name : names) {
                if (note != null && Detectors.needsFeatures(name)) {
                    if (explicit) {
                        throw new IllegalArgumentException(
                                "detector " + name + " needs penultimate features, but " + note);
                    }
                    skipped.add(name);
                } else {
                    run.add(name);
                }
            }
            if (!skipped.isEmpty()) {
                spec.commandLine()
                        .getErr()
                        .println("skipped " + String.join(", ", skipped) + ": " + note);
            }
            if (run.size() == 1 && names.size() == 1) {
                finish(RunEvaluation.of(loaded, ood.sets, ood.count, run.get(0)));
                return 0;
            }
            List<String> json = new ArrayList<>();
            for (String name : run) {
                json.add(
                        RunEvaluation.of(loaded, ood.sets, ood.count, name)
                                .result()
                                .toJson()
                                .strip());
            }
            stdout.print("[\n" + String.join(",\n", json) + "\n]\n");
            stdout.flush();
        }
        return 0;
    }

    private void finish(RunEvaluation evaluation) throws java.io.IOException {
        RunResult result = evaluation.result();
        if (out != null) {
            evaluation.write(out);
            spec.commandLine().getErr().println("wrote " + out);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(result.toJson());
        stdout.flush();
    }
}

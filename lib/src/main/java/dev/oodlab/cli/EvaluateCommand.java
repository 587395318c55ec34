package dev.oodlab.cli;

import dev.oodlab.OodLab;
import dev.oodlab.experiment.Detectors;
import dev.oodlab.experiment.ModelInfo;
import dev.oodlab.experiment.RunEvaluation;
import dev.oodlab.nn.ModelFolder;
import dev.oodlab.report.RunResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oodlab evaluate}: re-score a model folder written by {@code oodlab train} with a detector
 * on OOD sets; print the {@code results.json} object, and with {@code --out} write it with {@code
 * results.csv} and the charts (all at once at the end). {@code --out} never names a model folder:
 * its {@code results.json} is the training record.
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

    @Option(names = "--model", required = true, description = "Model folder (from oodlab train).")
    Path model;

    @Option(
            names = "--detector",
            defaultValue = Detectors.DEFAULT,
            description = "Detector: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
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
        try {
            Detectors.checkName(detector);
            if (ood.count < 1) {
                throw new IllegalArgumentException("--ood-count must be >= 1, got " + ood.count);
            }
            if (out != null) {
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
        ModelInfo.read(model); // fails early, naming what is missing
        RunEvaluation evaluation = RunEvaluation.of(model, dataset, ood.sets, ood.count, detector);
        RunResult result = evaluation.result();
        if (out != null) {
            evaluation.write(out);
            spec.commandLine().getErr().println("wrote " + out);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(result.toJson());
        stdout.flush();
        return 0;
    }
}

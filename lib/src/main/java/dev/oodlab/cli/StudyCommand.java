package dev.oodlab.cli;

import dev.oodlab.OodLab;
import dev.oodlab.experiment.AdversarialMixupStudy;
import dev.oodlab.train.ProgressBar;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code oodlab study adversarial-mixup}: the comparison of the Adversarial-Mixup paper without the
 * notebook ({@link AdversarialMixupStudy}). Writes {@code table.csv}, {@code table.md}, the charts
 * and one {@code results.json} per method and seed into {@code --out}, all at once at the end.
 */
@Command(
        name = "study",
        mixinStandardHelpOptions = true,
        description = {
            "Reproduce a study's table: 'adversarial-mixup' trains cross-entropy, Mixup, M-TLAT and"
                    + " Adversarial-Mixup per seed and scores them (MSP; ODIN, energy and"
                    + " Mahalanobis on the cross-entropy model) on the OOD sets.",
            "Writes table.csv, table.md (mean ± sd over seeds), charts and runs/*/results.json."
        })
public final class StudyCommand implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "STUDY", description = "The study: adversarial-mixup.")
    String study;

    @Option(
            names = "--dataset",
            defaultValue = "fashion-mnist",
            description =
                    "In-distribution data: fashion-mnist, mnist, cifar10 (the paper's setting,"
                            + " from data-scripts/), or a folder of Fashion-MNIST-style IDX files"
                            + " (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(
            names = "--model",
            defaultValue = "lenet",
            description =
                    "Architecture: lenet, mlp; resnet18, vgg16 for cifar10 (default:"
                            + " ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--epochs", defaultValue = "5", description = "Epochs per method (default: 5).")
    int epochs;

    @Option(
            names = "--seeds",
            split = ",",
            defaultValue = "" + OodLab.DEFAULT_SEED,
            description = "Seeds, comma-separated (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Mixin SampleOptions sample;

    @Mixin OodOptions ood;

    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Option(names = "--quiet", description = "No progress bar (the per-epoch lines stay).")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        AdversarialMixupStudy runner;
        try {
            if (!study.equals("adversarial-mixup")) {
                throw new IllegalArgumentException(
                        "unknown study '" + study + "'; known: adversarial-mixup");
            }
            OutputPath.replacedFolder(spec, "--out", out);
            runner =
                    AdversarialMixupStudy.builder()
                            .optDataset(dataset)
                            .optModel(model)
                            .optEpochs(epochs)
                            .optBatchSize(sample.batchSize)
                            .optSubset(sample.subset)
                            .optTestSubset(sample.testSubset)
                            .optSeeds(seeds)
                            .optOodSets(ood.sets)
                            .optOodCount(ood.count)
                            .optProgress(quiet ? ProgressBar.Mode.OFF : ProgressBar.Mode.AUTO)
                            .optLog(WriterStream.of(spec.commandLine().getErr()))
                            .optDiagnostics(true)
                            .build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        OodLab.init();
        AdversarialMixupStudy.Result result = runner.run();
        result.write(out);
        spec.commandLine().getErr().println("wrote " + out);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(result.table().toMarkdown());
        stdout.flush();
        return 0;
    }
}

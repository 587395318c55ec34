package dev.oodlab.cli;

import dev.oodlab.experiment.Experiment;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --ood} and {@code --ood-count} options that train, evaluate and study share. */
final class OodOptions {

    @Option(
            names = "--ood",
            split = ",",
            paramLabel = "SET",
            description =
                    "OOD sets, of the in-distribution image shape: uniform, gaussian (any shape);"
                            + " mnist (28x28 grey); svhn, tinyimagenet-crop, tinyimagenet-resize,"
                            + " lsun-crop, lsun-resize, isun (32x32 colour, fetched by"
                            + " data-scripts/); or paths to image folders, CIFAR-style .bin files"
                            + " or IDX image files (default: mnist,uniform,gaussian; with"
                            + " --dataset cifar10 all eight 32x32 sets).")
    List<String> sets;

    @Option(
            names = "--ood-count",
            paramLabel = "N",
            description =
                    "Images per generated OOD set, and the most taken from the others (default:"
                            + " ${DEFAULT-VALUE}).")
    int count = Experiment.DEFAULT_OOD_COUNT;
}

package dev.oodlab.cli;

import dev.oodlab.experiment.Experiment;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --ood} and {@code --ood-count} options that train, evaluate and study share. */
final class OodOptions {

    @Option(
            names = "--ood",
            split = ",",
            paramLabel = "SET",
            description =
                    "OOD sets: mnist, uniform, gaussian, or paths to IDX image files (28x28, .gz"
                            + " or plain) or image folders (default: mnist,uniform,gaussian).")
    List<String> sets = new ArrayList<>(Experiment.DEFAULT_OOD_SETS);

    @Option(
            names = "--ood-count",
            paramLabel = "N",
            description =
                    "Images per generated OOD set, and the most taken from the others (default:"
                            + " ${DEFAULT-VALUE}).")
    int count = Experiment.DEFAULT_OOD_COUNT;
}

package dev.oodlab.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --subset}, {@code --test-subset} and {@code --batch-size} options that train and study
 * share.
 */
final class SampleOptions {

    @Option(
            names = "--subset",
            defaultValue = "0",
            paramLabel = "N",
            description = "Train on a seeded sample of N training images (default: all).")
    int subset;

    @Option(
            names = "--test-subset",
            defaultValue = "0",
            paramLabel = "N",
            description =
                    "Score a seeded sample of N test images, the same for every run (default:"
                            + " all).")
    int testSubset;

    @Option(
            names = "--batch-size",
            defaultValue = "128",
            description = "Batch size (default: 128).")
    int batchSize;
}

package dev.oodlab.cli;

import dev.oodlab.data.Datasets;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code oodlab data}: what data this machine has. */
@Command(
        name = "data",
        mixinStandardHelpOptions = true,
        description = "Inspect the data sets oodlab can find.",
        subcommands = {DataCommand.Info.class})
public final class DataCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code oodlab data info}: one line per data set split with its size and location. */
    @Command(
            name = "info",
            mixinStandardHelpOptions = true,
            description = {
                "List each data set found, its split sizes and location.",
                "Locations: OODLAB_DATA (default ~/.cache/oodlab), OODLAB_FASHION_MNIST,"
                        + " OODLAB_MNIST_DIGITS."
            })
    static final class Info implements Callable<Integer> {

        @CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<Datasets.Info> infos = Datasets.describe();
            out.printf(
                    "%-14s %-10s %7s  %-8s %s%n",
                    "dataset", "split", "images", "shape", "location");
            for (Datasets.Info i : infos) {
                out.printf(
                        "%-14s %-10s %7s  %-8s %s%n",
                        i.name(),
                        i.split(),
                        i.images() > 0 ? Integer.toString(i.images()) : "-",
                        i.shape(),
                        i.location());
            }
            out.flush();
            return 0;
        }
    }
}

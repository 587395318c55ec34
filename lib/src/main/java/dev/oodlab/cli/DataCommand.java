package dev.oodlab.cli;

import dev.oodlab.data.Datasets;
import java.io.PrintWriter;
import java.util.ArrayList;
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

    /**
     * {@code oodlab data info}: one line per data set split with its size and location. The files
     * are read through, so a truncated or corrupt one shows: its row says {@code unreadable: …},
     * and the command ends with one {@code oodlab:} line naming it and exit code 1.
     */
    @Command(
            name = "info",
            mixinStandardHelpOptions = true,
            description = {
                "List each data set found, its split sizes and location; a data set that is there"
                        + " but cannot be read (truncated, corrupt) is named and the exit code is"
                        + " 1.",
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
                    "%-14s %-10s %9s  %-8s %s%n",
                    "dataset", "split", "images", "shape", "location");
            for (Datasets.Info i : infos) {
                out.printf(
                        "%-14s %-10s %9s  %-8s %s%n",
                        i.name(), i.split(), i.imagesText(), i.shape(), i.location());
            }
            out.flush();
            List<String> unreadable = new ArrayList<>();
            for (Datasets.Info i : infos) {
                if (i.location().startsWith(Datasets.UNREADABLE)) {
                    unreadable.add(
                            i.name()
                                    + " ("
                                    + i.location().substring(Datasets.UNREADABLE.length())
                                    + ")");
                }
            }
            if (!unreadable.isEmpty()) {
                throw new IllegalStateException(
                        "unreadable data: " + String.join("; ", unreadable));
            }
            return 0;
        }
    }
}

package dev.oodlab.spark;

import dev.oodlab.cli.Main;

/**
 * The {@code oodlab} command line with the Spark commands added ({@code sweep}): the main class of
 * {@code ./oodlab sweep} and of {@code spark-submit} with {@code oodlab-spark.jar}.
 */
public final class SparkMain {

    private SparkMain() {}

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the arguments, e.g. {@code sweep --grid grid.json --out sweep}
     */
    public static void main(String[] args) {
        Main.run(Main.commandLine(new SweepCommand()), args);
    }
}

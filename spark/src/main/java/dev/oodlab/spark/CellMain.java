package dev.oodlab.spark;

import dev.oodlab.cli.Main;
import java.io.IOException;
import java.io.InputStream;

/**
 * The main class of a cell's JVM: {@code oodlab} with the given arguments ({@link Main#main}),
 * which ends when its parent — the Spark task that started it — ends: it reads its standard input,
 * a pipe from the parent that carries nothing, and halts when the pipe closes. So a sweep that is
 * killed leaves no cell training on in the background, holding the cell's lock.
 */
public final class CellMain {

    private CellMain() {}

    /**
     * Runs the command line, watching the parent.
     *
     * @param args the {@code oodlab} arguments, e.g. {@code train --method ce --out DIR}
     */
    public static void main(String[] args) {
        Thread watch =
                new Thread(
                        () -> {
                            InputStream in = System.in;
                            try {
                                while (in.read() >= 0) {
                                    // the parent writes nothing; wait for the end of the pipe
                                }
                            } catch (IOException e) {
                                // closed as well
                            }
                            Runtime.getRuntime().halt(143);
                        },
                        "parent-watch");
        watch.setDaemon(true);
        watch.start();
        Main.main(args);
    }
}

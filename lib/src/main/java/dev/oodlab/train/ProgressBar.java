package dev.oodlab.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A text progress bar for training: epoch, batch, loss, accuracy and images per second.
 *
 * <p>Two ways to render: {@link Mode#REDRAW} rewrites one line with {@code \r} (a terminal; at most
 * a few redraws per second), {@link Mode#LINES} prints a new line at every tenth of an epoch
 * (notebooks and logs, where {@code \r} either piles up or is not honoured). {@link Mode#AUTO}
 * chooses REDRAW when the JVM has a console, LINES otherwise. The last line of each epoch always
 * stays.
 */
public final class ProgressBar {

    /** How the bar is drawn. */
    public enum Mode {
        /** REDRAW with a console, LINES without. */
        AUTO,
        /** Redraw one line with carriage returns. */
        REDRAW,
        /** A new line every tenth of an epoch. */
        LINES,
        /** Nothing. */
        OFF
    }

    private static final int WIDTH = 24;
    private static final long REDRAW_NANOS = 250_000_000L;

    private final PrintStream out;
    private final Mode mode;
    private long lastDraw;
    private int lastTenth = -1;

    /**
     * Creates a bar.
     *
     * @param out where to draw, usually {@code System.out}
     * @param mode how to draw
     */
    public ProgressBar(PrintStream out, Mode mode) {
        this.out = out;
        this.mode =
                mode == Mode.AUTO ? (System.console() != null ? Mode.REDRAW : Mode.LINES) : mode;
    }

    /** The mode actually used (AUTO resolved). */
    public Mode mode() {
        return mode;
    }

    /**
     * Reports progress within an epoch.
     *
     * @param epoch the epoch, from 0
     * @param epochs the number of epochs
     * @param batch the number of batches done in this epoch
     * @param batches the number of batches per epoch
     * @param loss the running mean loss
     * @param accuracy the running accuracy in [0, 1] (NaN if unknown)
     * @param imagesPerSecond the running throughput
     */
    public void update(
            int epoch,
            int epochs,
            int batch,
            int batches,
            double loss,
            double accuracy,
            double imagesPerSecond) {
        if (mode == Mode.OFF) {
            return;
        }
        boolean last = batch == batches;
        if (mode == Mode.REDRAW) {
            long now = System.nanoTime();
            if (!last && now - lastDraw < REDRAW_NANOS) {
                return;
            }
            lastDraw = now;
            out.print("\r" + line(epoch, epochs, batch, batches, loss, accuracy, imagesPerSecond));
            if (last) {
                out.println();
            }
            out.flush();
        } else {
            int tenth = (int) (10L * batch / batches);
            if (tenth == lastTenth && !last) {
                return;
            }
            lastTenth = last ? -1 : tenth;
            out.println(line(epoch, epochs, batch, batches, loss, accuracy, imagesPerSecond));
            out.flush();
        }
    }

    /** One rendered line, e.g. {@code epoch 1/5 [######......] 120/469 loss 0.5123 acc 81.2%}. */
    static String line(
            int epoch,
            int epochs,
            int batch,
            int batches,
            double loss,
            double accuracy,
            double imagesPerSecond) {
        int filled = (int) Math.round(WIDTH * (double) batch / batches);
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        String acc =
                Double.isNaN(accuracy)
                        ? ""
                        : String.format(Locale.ROOT, "  acc %5.1f%%", 100 * accuracy);
        return String.format(
                Locale.ROOT,
                "epoch %d/%d [%s] %d/%d  loss %.4f%s  %.0f img/s",
                epoch + 1,
                epochs,
                bar,
                batch,
                batches,
                loss,
                acc,
                imagesPerSecond);
    }
}

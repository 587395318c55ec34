package dev.oodlab.train;

import dev.oodlab.notebook.Notebook;
import dev.oodlab.notebook.StatusLine;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A text progress bar for training: epoch, batch, loss, accuracy and images per second.
 *
 * <p>Two ways to render: {@link Mode#REDRAW} keeps one line that it rewrites (at most a few times a
 * second): in a notebook kernel, when drawing to standard output, one output that the kernel
 * updates in place ({@link StatusLine}), so the saved notebook holds one line for the whole run; on
 * a terminal or another stream, carriage returns, with the last line of each epoch left standing.
 * {@link Mode#LINES} prints a new line at every tenth of an epoch (logs that keep every line).
 * {@link Mode#AUTO} chooses REDRAW in a notebook kernel or with a console, LINES otherwise. No
 * colour codes in any mode. The per-epoch numbers are in the training history ({@link
 * EpochResult}), to be drawn as a learning curve rather than read from a log.
 */
public final class ProgressBar {

    /** How the bar is drawn. */
    public enum Mode {
        /** REDRAW in a notebook kernel or with a console, LINES otherwise. */
        AUTO,
        /** One line rewritten in place (a kernel output updated, or carriage returns). */
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
    private StatusLine kernelLine;

    /**
     * Creates a bar.
     *
     * @param out where to draw, usually {@code System.out}
     * @param mode how to draw
     */
    public ProgressBar(PrintStream out, Mode mode) {
        this.out = out;
        this.mode = mode == Mode.AUTO ? resolveAuto(out) : mode;
    }

    private static Mode resolveAuto(PrintStream out) {
        boolean notebook = out == System.out && Notebook.inKernel();
        return notebook || System.console() != null ? Mode.REDRAW : Mode.LINES;
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
            String text = line(epoch, epochs, batch, batches, loss, accuracy, imagesPerSecond);
            if (kernelLine == null && out == System.out && StatusLine.updatesInPlace()) {
                kernelLine = StatusLine.open(out);
            }
            if (kernelLine != null) {
                kernelLine.show(text); // one output for the whole run
                return;
            }
            out.print("\r" + text);
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

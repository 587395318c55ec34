package dev.oodlab.notebook;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One line of text that is replaced in place: progress that stays one line instead of a log.
 *
 * <p>In a Jupyter kernel that can update an output (rapaio-jupyter-kernel, IJava, JJava), the line
 * is a {@code text/plain} output that each {@link #show} replaces through the kernel's {@code
 * updateDisplay}; the saved notebook holds only the last text. Elsewhere (a terminal, a log, a
 * test) each {@link #show} rewrites the line with a carriage return, and {@link #close} ends it
 * with a newline. No colour codes either way.
 *
 * <pre>{@code
 * try (StatusLine status = StatusLine.open()) {
 *     for (int g = 1; g <= 500; g++) {
 *         ...
 *         status.show("generation " + g + "/500");
 *     }
 * }
 * }</pre>
 *
 * <p>{@link #stream()} turns the line into a {@link PrintStream} for code that logs: every line
 * written to it (ended by {@code \n} or {@code \r}) replaces the one shown, so that a study's log
 * becomes one line that says where the study is.
 */
public final class StatusLine implements AutoCloseable {

    private final Notebook.Display display;
    private final PrintStream out;
    private String id;
    private String shown;
    private boolean closed;
    private PrintStream stream;

    private StatusLine(Notebook.Display display, PrintStream out) {
        this.display = display;
        this.out = out;
    }

    /**
     * A status line on standard output: the kernel's updatable output in a notebook, a
     * carriage-return line elsewhere.
     *
     * @return the line, empty until the first {@link #show}
     */
    public static StatusLine open() {
        return open(System.out);
    }

    /**
     * A status line on a stream: the kernel's updatable output when {@code out} is standard output
     * and a kernel that can update outputs is running, else a carriage-return line on {@code out}.
     *
     * @param out where to write
     * @return the line, empty until the first {@link #show}
     */
    public static StatusLine open(PrintStream out) {
        Objects.requireNonNull(out, "out");
        Notebook.Display d = out == System.out ? Notebook.currentDisplay() : null;
        return new StatusLine(d != null && d.canUpdate() ? d : null, out);
    }

    /**
     * Whether a status line on standard output would be a kernel output updated in place: true in a
     * notebook kernel that can update outputs.
     *
     * @return true in such a kernel
     */
    public static boolean updatesInPlace() {
        return Notebook.currentDisplay().canUpdate();
    }

    /** A status line on a given display, or carriage returns on {@code out} if it is null. */
    static StatusLine on(Notebook.Display display, PrintStream out) {
        return new StatusLine(display, out);
    }

    /**
     * Replaces the text of the line.
     *
     * @param text one line (line breaks become spaces)
     */
    public synchronized void show(String text) {
        if (closed) {
            throw new IllegalStateException("the status line is closed");
        }
        String line = text.replace('\r', ' ').replace('\n', ' ');
        if (line.equals(shown)) {
            return;
        }
        if (display != null && id == null && shown == null) {
            id = display.showUpdatable("text/plain", line);
        } else if (id != null) {
            display.update(id, "text/plain", line);
        }
        if (id == null) {
            // No updatable output: rewrite the line, padding over a longer previous text.
            int pad = shown == null ? 0 : Math.max(0, shown.length() - line.length());
            out.print("\r" + line + " ".repeat(pad));
            out.flush();
        }
        shown = line;
    }

    /**
     * The text shown now.
     *
     * @return the last text, or null before the first {@link #show}
     */
    public synchronized String text() {
        return shown;
    }

    /**
     * Whether the line is a kernel output updated in place (rather than carriage returns).
     *
     * @return true in a notebook kernel that can update outputs, after the first {@link #show}
     */
    public synchronized boolean inKernel() {
        return id != null;
    }

    /**
     * A stream whose every line (ended by {@code \n} or {@code \r}) replaces the text of this line;
     * empty lines are skipped. Pass it where a builder takes a log ({@code optLog(...)}).
     *
     * @return the stream (the same one on every call)
     */
    public synchronized PrintStream stream() {
        if (stream == null) {
            stream = new PrintStream(new LineSplitter(), true, StandardCharsets.UTF_8);
        }
        return stream;
    }

    /** Ends the line: a newline after a carriage-return line; the kernel output stays as it is. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (stream != null) {
            stream.flush();
        }
        closed = true;
        if (id == null && shown != null) {
            out.println();
            out.flush();
        }
    }

    /** Collects bytes into lines and shows each complete one. */
    private final class LineSplitter extends OutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            if (b == '\n' || b == '\r') {
                String text = line.toString(StandardCharsets.UTF_8).strip();
                line.reset();
                if (!text.isEmpty() && !closed) {
                    show(text);
                }
            } else {
                line.write(b);
            }
        }
    }
}

package dev.oodlab.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * A {@link PrintStream} that forwards to a picocli {@link PrintWriter} (the library logs to
 * streams; the commands print through the writers that tests replace). Bytes are decoded as UTF-8
 * at each flush, which {@code println} triggers.
 */
final class WriterStream extends OutputStream {

    private final PrintWriter writer;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    private WriterStream(PrintWriter writer) {
        this.writer = writer;
    }

    /** A UTF-8 print stream onto {@code writer}, flushing at every line. */
    static PrintStream of(PrintWriter writer) {
        return new PrintStream(new WriterStream(writer), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        pending.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        pending.write(b, off, len);
    }

    @Override
    public synchronized void flush() {
        if (pending.size() > 0) {
            writer.print(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
        }
        writer.flush();
    }
}

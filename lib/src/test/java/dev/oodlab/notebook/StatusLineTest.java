package dev.oodlab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A status line is one line, replaced in place: a kernel output updated, or carriage returns. */
class StatusLineTest {

    /** A kernel display that records what it was asked to show and update. */
    private static final class RecordingDisplay implements Notebook.Display {
        final List<String> calls = new ArrayList<>();

        @Override
        public void show(String mimeType, String text) {
            calls.add("show " + mimeType + " " + text);
        }

        @Override
        public void show(Object value) {
            calls.add("show " + value);
        }

        @Override
        public boolean canUpdate() {
            return true;
        }

        @Override
        public String showUpdatable(String mimeType, String text) {
            calls.add("new " + mimeType + " " + text);
            return "id-1";
        }

        @Override
        public void update(String id, String mimeType, String text) {
            calls.add("update " + id + " " + mimeType + " " + text);
        }
    }

    @Test
    void inAKernelTheFirstTextIsAnOutputAndTheNextOnesUpdateIt() {
        RecordingDisplay display = new RecordingDisplay();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (StatusLine line =
                StatusLine.on(display, new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            line.show("epoch 1/3");
            line.show("epoch 1/3"); // unchanged: no message
            line.show("epoch 2/3\n");
            assertTrue(line.inKernel());
            assertEquals("epoch 2/3 ", line.text());
        }
        assertEquals(
                List.of("new text/plain epoch 1/3", "update id-1 text/plain epoch 2/3 "),
                display.calls);
        assertEquals("", bytes.toString(StandardCharsets.UTF_8), "nothing on the stream");
    }

    @Test
    void elsewhereTheLineIsRewrittenWithCarriageReturnsAndEndedOnClose() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StatusLine line = StatusLine.on(null, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertNull(line.text());
        line.show("generation 10/20");
        line.show("generation 20/20");
        line.show("done"); // shorter: padded over the longer text before it
        line.close();
        line.close(); // twice is harmless
        assertEquals(
                "\rgeneration 10/20\rgeneration 20/20\rdone            \n",
                bytes.toString(StandardCharsets.UTF_8));
        assertFalse(line.inKernel());
        assertThrows(IllegalStateException.class, () -> line.show("late"));
    }

    @Test
    void aClosedLineThatShowedNothingPrintsNothing() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StatusLine.on(null, new PrintStream(bytes, true, StandardCharsets.UTF_8)).close();
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void itsStreamTurnsEachLoggedLineIntoTheLinesText() {
        RecordingDisplay display = new RecordingDisplay();
        try (StatusLine line = StatusLine.on(display, System.out)) {
            PrintStream log = line.stream();
            log.println("== seed 1: ce ==");
            log.print("\repoch 1/2 [###...] 10/20");
            log.print("\repoch 1/2 [######] 20/20\n");
            log.println();
            log.print("partial");
            assertEquals("epoch 1/2 [######] 20/20", line.text(), "a partial line is not shown");
            log.println();
            assertEquals("partial", line.text());
        }
        assertEquals(
                List.of(
                        "new text/plain == seed 1: ce ==",
                        "update id-1 text/plain epoch 1/2 [###...] 10/20",
                        "update id-1 text/plain epoch 1/2 [######] 20/20",
                        "update id-1 text/plain partial"),
                display.calls);
    }

    @Test
    void aStreamOtherThanStandardOutputNeverUsesTheKernel() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (StatusLine line =
                StatusLine.open(new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            line.show("x");
            assertFalse(line.inKernel());
        }
        assertEquals("\rx\n", bytes.toString(StandardCharsets.UTF_8));
    }
}

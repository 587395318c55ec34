package dev.oodlab.notebook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class NotebookTest {

    /** Stands in for rapaio's Global: display(String mime, Object value). */
    public static final class FakeRapaio {
        static Object[] last;

        public static String display(String mime, Object value) {
            last = new Object[] {mime, value};
            return "";
        }

        public static String display(Object value) {
            last = new Object[] {value};
            return "";
        }
    }

    /** Stands in for IJava's Display: display(Object value, String... mimeTypes). */
    public static final class FakeIJava {
        static Object[] last;

        public static String display(Object value, String... mimeTypes) {
            last = new Object[] {value, mimeTypes};
            return "id";
        }
    }

    /** rapaio 3: display returns an id, updateDisplay(String id, String mime, Object value). */
    public static final class FakeUpdatingRapaio {
        static Object[] last;

        public static String display(String mime, Object value) {
            last = new Object[] {mime, value};
            return "rapaio-id";
        }

        public static void updateDisplay(String id, String mime, Object value) {
            last = new Object[] {id, mime, value};
        }
    }

    /** IJava: updateDisplay(String id, Object value, String... mimeTypes). */
    public static final class FakeUpdatingIJava {
        static Object[] last;

        public static String display(Object value, String... mimeTypes) {
            last = new Object[] {value, mimeTypes};
            return "ijava-id";
        }

        public static void updateDisplay(String id, Object value, String... mimeTypes) {
            last = new Object[] {id, value, mimeTypes};
        }
    }

    /** A kernel class on the class path with no kernel running: display fails, as rapaio's does. */
    public static final class FakeRapaioWithoutKernel {
        static int calls;

        public static String display(String mime, Object value) {
            calls++;
            throw new NullPointerException("no kernel instance");
        }
    }

    @BeforeEach
    void reset() {
        FakeRapaio.last = null;
        FakeIJava.last = null;
        FakeUpdatingRapaio.last = null;
        FakeUpdatingIJava.last = null;
    }

    private static Notebook.Display kernel(Class<?> fake, boolean mimeFirst) {
        return Notebook.resolve(
                List.of(new Notebook.Candidate(fake.getName(), mimeFirst)),
                NotebookTest.class.getClassLoader(),
                System.out);
    }

    @Test
    void rapaioUpdatesAnOutputWithTheMimeTypeBeforeTheValue() {
        Notebook.Display d = kernel(FakeUpdatingRapaio.class, true);
        assertTrue(d.canUpdate());
        assertEquals("rapaio-id", d.showUpdatable("text/plain", "epoch 1"));
        assertArrayEquals(new Object[] {"text/plain", "epoch 1"}, FakeUpdatingRapaio.last);
        d.update("rapaio-id", "text/plain", "epoch 2");
        assertArrayEquals(
                new Object[] {"rapaio-id", "text/plain", "epoch 2"}, FakeUpdatingRapaio.last);
    }

    @Test
    void ijavaUpdatesAnOutputWithTheValueBeforeTheMimeTypes() {
        Notebook.Display d = kernel(FakeUpdatingIJava.class, false);
        assertTrue(d.canUpdate());
        assertEquals("ijava-id", d.showUpdatable("text/plain", "epoch 1"));
        d.update("ijava-id", "text/plain", "epoch 2");
        assertEquals("ijava-id", FakeUpdatingIJava.last[0]);
        assertEquals("epoch 2", FakeUpdatingIJava.last[1]);
        assertArrayEquals(new String[] {"text/plain"}, (String[]) FakeUpdatingIJava.last[2]);
    }

    @Test
    void aKernelWithoutUpdateDisplayOrWithoutAnIdCannotUpdate() {
        assertFalse(kernel(FakeIJava.class, false).canUpdate(), "no updateDisplay method");
        assertNull(kernel(FakeIJava.class, false).showUpdatable("text/plain", "x"));
        assertFalse(kernel(FakeRapaio.class, true).canUpdate());
        assertFalse(
                Notebook.resolve(List.of(), NotebookTest.class.getClassLoader(), System.out)
                        .canUpdate(),
                "outside a kernel");
    }

    private static Notebook.Display resolve(String... classNames) {
        List<Notebook.Candidate> all =
                List.of(
                        new Notebook.Candidate(FakeRapaio.class.getName(), true),
                        new Notebook.Candidate(FakeIJava.class.getName(), false));
        List<Notebook.Candidate> chosen =
                all.stream().filter(c -> List.of(classNames).contains(c.className())).toList();
        return Notebook.resolve(chosen, NotebookTest.class.getClassLoader(), System.out);
    }

    @Test
    void rapaioGetsMimeTypeFirst() {
        resolve(FakeRapaio.class.getName()).show("text/html", "<b>x</b>");
        assertArrayEquals(new Object[] {"text/html", "<b>x</b>"}, FakeRapaio.last);
    }

    @Test
    void ijavaGetsValueFirstAndMimeTypesAsVarargs() {
        resolve(FakeIJava.class.getName()).show("text/html", "<b>x</b>");
        assertEquals("<b>x</b>", FakeIJava.last[0]);
        assertArrayEquals(new String[] {"text/html"}, (String[]) FakeIJava.last[1]);
    }

    @Test
    void imagesGoThroughThePlainDisplayMethod() {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        resolve(FakeRapaio.class.getName()).show(img);
        assertSame(img, FakeRapaio.last[0]);
        resolve(FakeIJava.class.getName()).show(img);
        assertSame(img, FakeIJava.last[0]);
        assertEquals(0, ((String[]) FakeIJava.last[1]).length);
    }

    @Test
    void firstKernelFoundWins() {
        resolve(FakeRapaio.class.getName(), FakeIJava.class.getName()).show("text/html", "a");
        assertEquals("text/html", FakeRapaio.last[0]);
        assertEquals(null, FakeIJava.last);
    }

    @Test
    void withoutAKernelHtmlIsPrintedAsText() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Notebook.Display d =
                Notebook.resolve(
                        List.of(new Notebook.Candidate("no.such.Kernel", true)),
                        NotebookTest.class.getClassLoader(),
                        out);
        d.show("text/html", "<p>AUROC &lt; 1 &amp; more</p>");
        d.show(new BufferedImage(6, 4, BufferedImage.TYPE_INT_RGB));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("AUROC < 1 & more"), printed);
        assertTrue(printed.contains("[image 6x4]"), printed);
    }

    @Test
    void aKernelClassWithoutARunningKernelPrintsInsteadOfThrowing() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Notebook.Display d =
                Notebook.resolve(
                        List.of(
                                new Notebook.Candidate(
                                        FakeRapaioWithoutKernel.class.getName(), true)),
                        NotebookTest.class.getClassLoader(),
                        out);
        d.show("text/html", "<p>AUROC &lt; 1</p>");
        d.show(new BufferedImage(6, 4, BufferedImage.TYPE_INT_RGB));
        d.show("text/html", "<p>again</p>");
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals("AUROC < 1\n[image 6x4]\nagain\n", printed);
        assertEquals(1, FakeRapaioWithoutKernel.calls, "once found missing, not asked again");
    }

    @Test
    void tableHtmlEscapesTextAndRightAlignsNumbers() {
        Table t =
                Table.create(
                        "t",
                        StringColumn.create("method", "a<b"),
                        DoubleColumn.create("auroc", 0.5));
        String html = Notebook.toHtml(t);
        assertTrue(html.contains("<th>method</th><th>auroc</th>"), html);
        assertTrue(html.contains("<td>a&lt;b</td>"), html);
        assertTrue(html.contains("<td style=\"text-align:right\">0.5</td>"), html);
    }

    @Test
    void aTableWithMaxDecimalsRoundsOnlyItsFloatingPointCells() {
        DoubleColumn x = DoubleColumn.create("x", 0.25, 0.30851, 1.0 / 3, -0.0001, 2.0006);
        x.appendMissing();
        Table t =
                Table.create(
                        "t",
                        x,
                        StringColumn.create("s", "0.123456", "a", "b", "c", "d", "e"),
                        tech.tablesaw.api.IntColumn.create("n", 1, 2, 3, 4, 5, 6));
        String html = Notebook.toHtml(t, 3);
        List<String> xs = cells(html, 0);
        assertEquals(List.of("0.25", "0.309", "0.333", "0", "2.001", ""), xs);
        assertEquals("0.123456", cells(html, 1).get(0)); // text is left alone
        assertEquals("6", cells(html, 2).get(5));
        // negative: the table's own formatting, as toHtml(table)
        assertEquals(Notebook.toHtml(t), Notebook.toHtml(t, -1));
    }

    /** The text of column {@code col} in every body row of an HTML table. */
    private static List<String> cells(String html, int col) {
        List<String> out = new java.util.ArrayList<>();
        java.util.regex.Matcher rows =
                java.util.regex.Pattern.compile("<tr>(<td.*?)</tr>").matcher(html);
        while (rows.find()) {
            java.util.regex.Matcher tds =
                    java.util.regex.Pattern.compile("<td[^>]*>(.*?)</td>").matcher(rows.group(1));
            for (int k = 0; k <= col; k++) {
                tds.find();
            }
            out.add(tds.group(1));
        }
        return out;
    }
}

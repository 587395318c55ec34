package dev.oodlab.notebook;

import dev.oodlab.OodLab;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Display helpers that work the same in every Java kernel: rapaio-jupyter-kernel, IJava and JJava.
 *
 * <p>The kernels disagree on how to show HTML: IJava and JJava have {@code display(Object value,
 * String... mimeTypes)}, rapaio has {@code display(String mimeType, Object value)} — both compile
 * for two strings, with opposite meanings. {@link #html(String)} therefore finds the running
 * kernel's display method by reflection and calls it the right way round; outside a kernel (a test,
 * the CLI) it prints the HTML's text — also where a kernel's classes are on the class path but no
 * kernel runs (its display method fails at the first call). Images need no helper: a {@link
 * BufferedImage} that is a cell's last expression, or passed to {@code display(img)}, is shown as
 * PNG by all three; {@link #image} does the same from library code. Where the kernel can update an
 * output in place (rapaio's and IJava's {@code updateDisplay}), {@link StatusLine} uses that for
 * progress that stays one line.
 */
public final class Notebook {

    /** Kernel display entry points, most specific first: class name and argument order. */
    static final List<Candidate> KERNELS =
            List.of(
                    new Candidate("org.rapaio.jupyter.kernel.global.Global", true),
                    new Candidate("io.github.spencerpark.ijava.runtime.Display", false),
                    new Candidate("org.dflib.jjava.jupyter.kernel.BaseNotebookStatics", false),
                    new Candidate("org.dflib.jjava.kernel.JavaNotebookStatics", false),
                    new Candidate("org.dflib.jjava.JavaNotebookStatics", false));

    /**
     * A kernel's static display class.
     *
     * @param className the class holding the static {@code display} methods
     * @param mimeFirst true for rapaio's {@code display(String mime, Object value)}, false for
     *     IJava's {@code display(Object value, String... mimeTypes)}
     */
    record Candidate(String className, boolean mimeFirst) {}

    /** How to show things: in a kernel, or by printing. */
    interface Display {
        /** Shows {@code text} of the given MIME type. */
        void show(String mimeType, String text);

        /** Shows an object with the kernel's own renderer (images become PNG). */
        void show(Object value);

        /** Whether {@link #showUpdatable} gives outputs that {@link #update} can replace. */
        default boolean canUpdate() {
            return false;
        }

        /**
         * Shows {@code text} as an output that {@link #update} can replace later.
         *
         * @return the output's display id, or null where the kernel cannot update an output
         */
        default String showUpdatable(String mimeType, String text) {
            return null;
        }

        /** Replaces the content of the output {@code id} from {@link #showUpdatable}. */
        default void update(String id, String mimeType, String text) {
            throw new UnsupportedOperationException("this display cannot update an output");
        }
    }

    private static volatile Display display;

    static {
        OodLab.init();
    }

    private Notebook() {}

    /**
     * Shows HTML in the running kernel, or prints its text when there is no kernel.
     *
     * @param html an HTML fragment
     */
    public static void html(String html) {
        display().show("text/html", html);
    }

    /** Shows a Tablesaw table as an HTML table (numbers right-aligned). */
    public static void table(Table table) {
        html(toHtml(table));
    }

    /** Shows an image in the running kernel; outside a kernel prints its size. */
    public static void image(BufferedImage image) {
        display().show(image);
    }

    /** Whether a Java kernel's display method was found. */
    public static boolean inKernel() {
        return !(display() instanceof Printing);
    }

    /**
     * The running kernel's display, or the printing one (package-private for {@link StatusLine}).
     */
    static Display currentDisplay() {
        return display();
    }

    /**
     * Shows a Tablesaw table as an HTML table, its floating-point numbers rounded to at most {@code
     * maxDecimals} decimals with trailing zeros dropped (0.25 stays 0.25, 0.30851 becomes 0.309 at
     * three): a cell shows the value, not the float's last digits.
     */
    public static void table(Table table, int maxDecimals) {
        html(toHtml(table, maxDecimals));
    }

    /** A table as an HTML fragment: header row, one row per table row, numbers right-aligned. */
    public static String toHtml(Table table) {
        return toHtml(table, -1);
    }

    /**
     * {@link #toHtml(Table)} with floating-point numbers rounded to at most {@code maxDecimals}
     * decimals (half up, trailing zeros dropped); a negative {@code maxDecimals} keeps the table's
     * own formatting.
     */
    public static String toHtml(Table table, int maxDecimals) {
        DecimalFormat decimals = null;
        if (maxDecimals >= 0) {
            decimals =
                    new DecimalFormat(
                            maxDecimals == 0 ? "0" : "0." + "#".repeat(maxDecimals),
                            DecimalFormatSymbols.getInstance(Locale.ROOT));
            decimals.setRoundingMode(RoundingMode.HALF_UP);
        }
        StringBuilder sb = new StringBuilder("<table>\n<thead><tr>");
        for (Column<?> c : table.columns()) {
            sb.append("<th>").append(escape(c.name())).append("</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
        for (int r = 0; r < table.rowCount(); r++) {
            sb.append("<tr>");
            for (Column<?> c : table.columns()) {
                boolean numeric = c instanceof tech.tablesaw.api.NumericColumn<?>;
                sb.append(numeric ? "<td style=\"text-align:right\">" : "<td>")
                        .append(escape(cell(c, r, decimals)))
                        .append("</td>");
            }
            sb.append("</tr>\n");
        }
        return sb.append("</tbody>\n</table>").toString();
    }

    /** One cell's text: a floating-point number through {@code decimals} when given. */
    private static String cell(Column<?> c, int row, DecimalFormat decimals) {
        if (decimals != null
                && !c.isMissing(row)
                && (c instanceof DoubleColumn || c instanceof FloatColumn)) {
            String text = decimals.format(((Number) c.get(row)).doubleValue());
            return text.equals("-0") ? "0" : text;
        }
        return c.getString(row);
    }

    /** Escapes {@code & < > "} for HTML text and attributes. */
    public static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }

    /** HTML reduced to its text: tags dropped, the four escapes undone. */
    static String text(String html) {
        return html.replaceAll("(?s)<[^>]*>", "")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&");
    }

    private static Display display() {
        Display d = display;
        if (d == null) {
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            d = resolve(KERNELS, cl != null ? cl : Notebook.class.getClassLoader(), System.out);
            display = d;
        }
        return d;
    }

    /**
     * The display of the first candidate whose static display methods exist under {@code loader}; a
     * printing display on {@code out} when none does.
     */
    static Display resolve(List<Candidate> candidates, ClassLoader loader, PrintStream out) {
        for (Candidate c : candidates) {
            Class<?> cls;
            try {
                cls = Class.forName(c.className(), false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                continue;
            }
            Method typed =
                    c.mimeFirst()
                            ? staticMethod(cls, String.class, Object.class)
                            : staticMethod(cls, Object.class, String[].class);
            if (typed == null) {
                continue;
            }
            Method plain = staticMethod(cls, Object.class);
            boolean mimeFirst = c.mimeFirst();
            // rapaio: updateDisplay(String id, String mime, Object value);
            // IJava, JJava: updateDisplay(String id, Object value, String... mimeTypes).
            Method updater =
                    mimeFirst
                            ? staticMethod(
                                    cls, "updateDisplay", String.class, String.class, Object.class)
                            : staticMethod(
                                    cls,
                                    "updateDisplay",
                                    String.class,
                                    Object.class,
                                    String[].class);
            boolean returnsId = typed.getReturnType() == String.class;
            return new KernelDisplay(
                    typed, plain, updater, returnsId, mimeFirst, new Printing(out));
        }
        return new Printing(out);
    }

    /**
     * A kernel's static display methods. A kernel class can be on the class path with no kernel
     * running (a test or the CLI with the kernel's jar): its display method then fails. So the
     * first call that fails, before any has succeeded, means "no kernel": this display prints from
     * then on, as outside a kernel. A failure after a success is the kernel's and is thrown.
     */
    private static final class KernelDisplay implements Display {
        private final Method typed;
        private final Method plain;
        private final Method updater;
        private final boolean returnsId;
        private final boolean mimeFirst;
        private final Printing printing;
        private volatile boolean worked;
        private volatile boolean noKernel;

        KernelDisplay(
                Method typed,
                Method plain,
                Method updater,
                boolean returnsId,
                boolean mimeFirst,
                Printing printing) {
            this.typed = typed;
            this.plain = plain;
            this.updater = updater;
            this.returnsId = returnsId;
            this.mimeFirst = mimeFirst;
            this.printing = printing;
        }

        @Override
        public boolean canUpdate() {
            return !noKernel && updater != null && returnsId;
        }

        @Override
        public String showUpdatable(String mimeType, String text) {
            if (!canUpdate()) {
                return null;
            }
            Object[] id = new Object[1];
            if (call(
                    mimeFirst
                            ? () -> id[0] = invoke(typed, mimeType, text)
                            : () -> id[0] = invoke(typed, text, new String[] {mimeType}))) {
                return null;
            }
            return id[0] instanceof String v && !v.isEmpty() ? v : null;
        }

        @Override
        public void update(String id, String mimeType, String text) {
            if (updater == null) {
                throw new UnsupportedOperationException("the kernel has no updateDisplay method");
            }
            if (mimeFirst) {
                invoke(updater, id, mimeType, text);
            } else {
                invoke(updater, id, text, new String[] {mimeType});
            }
        }

        @Override
        public void show(String mimeType, String text) {
            if (noKernel) {
                printing.show(mimeType, text);
            } else if (call(
                    mimeFirst
                            ? () -> invoke(typed, mimeType, text)
                            : () -> invoke(typed, text, new String[] {mimeType}))) {
                printing.show(mimeType, text);
            }
        }

        @Override
        public void show(Object value) {
            Runnable kernel;
            if (plain != null) {
                kernel = () -> invoke(plain, value);
            } else if (!mimeFirst) {
                kernel = () -> invoke(typed, value, new String[0]);
            } else {
                kernel = () -> invoke(typed, "image/png", value);
            }
            if (noKernel || call(kernel)) {
                printing.show(value);
            }
        }

        /** Runs a kernel call; true if it failed because no kernel runs (then print instead). */
        private boolean call(Runnable kernel) {
            try {
                kernel.run();
                worked = true;
                return false;
            } catch (IllegalStateException e) {
                if (worked) {
                    throw e;
                }
                noKernel = true;
                return true;
            }
        }
    }

    /** The display used outside a kernel: HTML as text, images as their size. */
    private record Printing(PrintStream out) implements Display {
        @Override
        public void show(String mimeType, String text) {
            out.println(text(text));
        }

        @Override
        public void show(Object value) {
            if (value instanceof BufferedImage img) {
                out.println("[image " + img.getWidth() + "x" + img.getHeight() + "]");
            } else {
                out.println(value);
            }
        }
    }

    private static Method staticMethod(Class<?> cls, Class<?>... parameterTypes) {
        return staticMethod(cls, "display", parameterTypes);
    }

    private static Method staticMethod(Class<?> cls, String name, Class<?>... parameterTypes) {
        try {
            Method m = cls.getMethod(name, parameterTypes);
            return Modifier.isStatic(m.getModifiers()) ? m : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static Object invoke(Method m, Object... args) {
        try {
            return m.invoke(null, args);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(
                    "the kernel's display method failed: " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("the kernel's display method is not accessible", e);
        }
    }
}

package dev.oodlab.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A function written in TorchScript and compiled by libtorch: the way to reach libtorch operators
 * that DJL binds no Java method to, such as {@code aten::_fused_adam_}, {@code
 * aten::cross_entropy_loss} or {@code aten::lerp}, and to run several operators in one native call.
 *
 * <p>The source is the body of a {@code forward} method in TorchScript's serialised dialect (the
 * form of the {@code code/} files in a model saved by {@code torch.jit.save}: operators are written
 * {@code torch.<aten name>}, with every argument positional). It is wrapped into a module class and
 * a ZIP archive in memory (the source, the pickled module object, the format version) and loaded
 * through DJL at the first call, once per process; libtorch compiles the source then. A function
 * holds no tensors.
 *
 * <pre>{@code
 * TorchScriptFunction ce = TorchScriptFunction.of("MeanCrossEntropy", """
 *     def forward(self, logits: Tensor, labels: Tensor) -> Tensor:
 *       return torch.cross_entropy_loss(logits, labels, None, 1, -100, 0.)
 *     """);
 * NDArray loss = ce.apply(logits, labels); // recorded for backward inside a GradientScope
 * }</pre>
 */
public final class TorchScriptFunction {

    private final String name;
    private final String source;
    private volatile PtSymbolBlock module;

    private TorchScriptFunction(String name, String source) {
        this.name = name;
        this.source = source;
    }

    /**
     * A function from the source of its {@code forward} method; nothing is compiled before the
     * first call.
     *
     * @param name the module class's name, a Python identifier
     * @param forward {@code def forward(self, ...) -> ...:} and its body, indented consistently
     * @throws IllegalArgumentException if the name is not an identifier
     */
    public static TorchScriptFunction of(String name, String forward) {
        Objects.requireNonNull(forward, "forward");
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("not a TorchScript class name: " + name);
        }
        return new TorchScriptFunction(name, forward);
    }

    /**
     * Calls the function on arrays, with autograd: inside a {@link GradientScope} the operators are
     * recorded and the result can be back-propagated. The function must return one tensor.
     *
     * @param arguments the tensor arguments, in the order of {@code forward}'s parameters
     * @return the result, in the first argument's manager
     */
    public NDArray apply(NDArray... arguments) {
        NDList inputs = new NDList(arguments.length);
        for (NDArray a : arguments) {
            // DJL reads structure (lists, tuples, dicts) into some array names; pass such an
            // array as an unnamed view
            String n = a.getName();
            boolean structural =
                    n != null
                            && (n.contains(".")
                                    || n.contains("[")
                                    || n.contains("(")
                                    || n.startsWith("module_method:"));
            inputs.add(structural ? a.reshape(a.getShape()) : a);
        }
        return IValueUtils.forward(module(), inputs, true).singletonOrThrow();
    }

    /**
     * Calls the function on libtorch values in inference mode (no autograd), e.g. for an update
     * that writes into parameters in place. The caller closes the arguments and the result.
     *
     * @param arguments the arguments ({@code IValue.from}, {@code IValue.listFrom}, ...)
     * @return the result
     */
    public IValue invoke(IValue... arguments) {
        return IValueUtils.runMethod(module(), "forward", arguments);
    }

    private PtSymbolBlock module() {
        PtSymbolBlock loaded = module;
        if (loaded == null) {
            synchronized (this) {
                loaded = module;
                if (loaded == null) {
                    // a manager of its own, never closed: the module lives as long as the process
                    NDManager manager = NDManager.newBaseManager();
                    try {
                        loaded =
                                JniUtils.loadModule(
                                        (PtNDManager) manager,
                                        new ByteArrayInputStream(archive()),
                                        false,
                                        false);
                    } catch (IOException e) {
                        throw new UncheckedIOException("could not load TorchScript " + name, e);
                    }
                    module = loaded;
                }
            }
        }
        return loaded;
    }

    /** True when every array is libtorch's, so that {@link #apply} can take them. */
    public static boolean accepts(NDArray... arrays) {
        for (NDArray a : arrays) {
            if (!(a instanceof PtNDArray)) {
                return false;
            }
        }
        return true;
    }

    /** What {@code torch.jit.save} writes for a module without tensors. */
    private byte[] archive() {
        StringBuilder code = new StringBuilder();
        code.append("class ").append(name).append("(Module):\n");
        code.append("  __parameters__ = []\n");
        code.append("  __buffers__ = []\n");
        code.append("  training : bool\n");
        source.strip().lines().forEach(line -> code.append("  ").append(line).append('\n'));
        String root = name.toLowerCase(java.util.Locale.ROOT) + "/";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            store(zip, root + "version", ascii("3\n"));
            store(
                    zip,
                    root + "code/__torch__.py",
                    code.toString().getBytes(StandardCharsets.UTF_8));
            store(zip, root + "data.pkl", modulePickle());
            // no constants: an empty tuple
            store(zip, root + "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The module object as pickle protocol 2: an instance of {@code __torch__.<name>} built from
     * the dict {@code {"training": True}}.
     */
    private byte[] modulePickle() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(new byte[] {(byte) 0x80, 2}); // PROTO 2
        p.write('c'); // GLOBAL module\nname\n
        p.writeBytes(ascii("__torch__\n" + name + "\n"));
        p.writeBytes(new byte[] {'q', 0}); // BINPUT 0
        p.write(')'); // EMPTY_TUPLE: no constructor arguments
        p.write(0x81); // NEWOBJ
        p.write('}'); // EMPTY_DICT
        p.write('('); // MARK
        byte[] key = ascii("training");
        p.write('X'); // BINUNICODE, 4-byte little-endian length
        p.writeBytes(new byte[] {(byte) key.length, 0, 0, 0});
        p.writeBytes(key);
        p.writeBytes(new byte[] {'q', 1}); // BINPUT 1
        p.write(0x88); // NEWTRUE
        p.write('u'); // SETITEMS
        p.write('b'); // BUILD
        p.writeBytes(new byte[] {'q', 2}); // BINPUT 2
        p.write('.'); // STOP
        return p.toByteArray();
    }

    private static void store(ZipOutputStream zip, String entryName, byte[] content)
            throws IOException {
        ZipEntry entry = new ZipEntry(entryName);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        entry.setCompressedSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "TorchScriptFunction[" + name + "]";
    }
}

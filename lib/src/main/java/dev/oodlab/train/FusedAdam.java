package dev.oodlab.train;

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
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * libtorch's multi-tensor Adam kernel, {@code aten::_fused_adam_} (the kernel behind {@code
 * torch.optim.Adam(fused=True)}, on the CPU since PyTorch 2.4): one vectorised pass over each
 * weight, gradient and moment pair, for all parameters in one native call.
 *
 * <p>DJL binds no Java method to that operator, but it runs TorchScript, so the call goes through a
 * one-method TorchScript module built here in memory: a ZIP archive with the method's source (which
 * libtorch compiles when it loads the archive), the pickled module object and the format version.
 * The module is loaded once per process and holds no tensors.
 *
 * <p>Measured (docs/benchmarks.md, session 6): the update of the MLP's 269,322 weights took 290–299
 * µs in the training step against 587–611 µs with DJL's per-parameter kernel, which clones each
 * gradient and makes several temporaries.
 */
final class FusedAdam {

    /**
     * The method, in the serialised form of TorchScript: bias corrections from the step count
     * (given as a tensor, shared by all parameters), the update, then the gradients zeroed.
     */
    private static final String CODE =
            """
            class FusedAdam(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              def forward(self: __torch__.FusedAdam,
                weights: List[Tensor],
                gradients: List[Tensor],
                first_moments: List[Tensor],
                second_moments: List[Tensor],
                step: float,
                lr: float,
                beta1: float,
                beta2: float,
                weight_decay: float,
                eps: float) -> NoneType:
                count = torch.full([1], step, dtype=6, device=weights[0].device)
                steps = [count for _ in weights]
                torch._fused_adam_(weights, gradients, first_moments, second_moments,
                    annotate(List[Tensor], []), steps, lr=lr, beta1=beta1, beta2=beta2,
                    weight_decay=weight_decay, eps=eps, amsgrad=False, maximize=False)
                torch._foreach_zero_(gradients)
                return None
            """;

    private static volatile PtSymbolBlock module;

    private FusedAdam() {}

    /**
     * Applies one Adam update (PyTorch's rule, L2 weight decay added to the gradient) to every
     * weight in place and zeroes the gradients. All lists have one entry per parameter, in the same
     * order, all on one device.
     *
     * @param weights the parameters
     * @param gradients their gradients
     * @param firstMoments m, updated in place
     * @param secondMoments v, updated in place
     * @param step the 1-based update count, for the bias corrections
     */
    static void update(
            List<PtNDArray> weights,
            List<PtNDArray> gradients,
            List<PtNDArray> firstMoments,
            List<PtNDArray> secondMoments,
            long step,
            double learningRate,
            double beta1,
            double beta2,
            double weightDecay,
            double epsilon) {
        try (IValue w = list(weights);
                IValue g = list(gradients);
                IValue m = list(firstMoments);
                IValue v = list(secondMoments);
                IValue t = IValue.from((double) step);
                IValue lr = IValue.from(learningRate);
                IValue b1 = IValue.from(beta1);
                IValue b2 = IValue.from(beta2);
                IValue wd = IValue.from(weightDecay);
                IValue eps = IValue.from(epsilon);
                IValue none =
                        IValueUtils.runMethod(
                                module(), "forward", w, g, m, v, t, lr, b1, b2, wd, eps)) {
            // the method returns None; the IValue holding it is freed here
        }
    }

    private static IValue list(List<PtNDArray> arrays) {
        return IValue.listFrom(arrays.toArray(new PtNDArray[0]));
    }

    private static PtSymbolBlock module() {
        PtSymbolBlock loaded = module;
        if (loaded == null) {
            synchronized (FusedAdam.class) {
                loaded = module;
                if (loaded == null) {
                    // a manager of its own that is never closed: the module lives as long as the
                    // process
                    NDManager manager = NDManager.newBaseManager();
                    try {
                        loaded =
                                JniUtils.loadModule(
                                        (PtNDManager) manager,
                                        new ByteArrayInputStream(archive()),
                                        false,
                                        false);
                    } catch (IOException e) {
                        throw new UncheckedIOException("could not load the fused Adam module", e);
                    }
                    module = loaded;
                }
            }
        }
        return loaded;
    }

    /** The TorchScript archive: what {@code torch.jit.save} writes for a module without tensors. */
    private static byte[] archive() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            store(zip, "fused_adam/version", ascii("3\n"));
            store(zip, "fused_adam/code/__torch__.py", CODE.getBytes(StandardCharsets.UTF_8));
            store(zip, "fused_adam/data.pkl", modulePickle());
            // no constants: an empty tuple
            store(zip, "fused_adam/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The module object as pickle protocol 2: an instance of {@code __torch__.FusedAdam} built from
     * the dict {@code {"training": True}}.
     */
    private static byte[] modulePickle() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(new byte[] {(byte) 0x80, 2}); // PROTO 2
        p.write('c'); // GLOBAL module\nname\n
        p.writeBytes(ascii("__torch__\nFusedAdam\n"));
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

    private static void store(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
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
}

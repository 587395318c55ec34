package dev.oodlab.nn;

import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.oodlab.OodLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A user's own model: a TorchScript module saved by PyTorch ({@code torch.jit.script(model)} or
 * {@code torch.jit.trace(model, x)}, then {@code .save("model.pt")}), loaded by DJL's PyTorch
 * engine into a {@link Network} that every detector and evaluation of oodlab accepts.
 *
 * <p>The module's {@code forward} takes a batch (N, C, H, W) of images in [0, 1] — after the
 * optional per-channel {@link Normalization} (x − mean) / std, for models trained on normalised
 * inputs — and returns either
 *
 * <ul>
 *   <li>the logits (N, K): the output-based detectors work (MSP, ODIN, energy, MaxLogit,
 *       KL-matching, GEN); the feature-based ones say that the model has no features ({@link
 *       #featureNote}); or
 *   <li>a tuple (logits (N, K), features (N, D)), the features being the input of the last linear
 *       layer, f = W h + b: the network is then a {@link Classifier} whose feature extractor is the
 *       module and whose head is that layer, W and b copied from the module's parameters — the one
 *       (K × D weight, K bias) pair that reproduces the module's logits from its features on a
 *       probe batch — so every detector works. Its logits are W h + b, equal to the module's own up
 *       to float rounding (checked at load: within 1e-4 of the largest logit).
 * </ul>
 *
 * <p>The module runs in evaluation mode ({@code module.eval()}), always: this is a model to score,
 * not to train. Gradients with respect to the inputs flow through it (ODIN). Loading checks the
 * module on a probe batch of the given input shape, so a file that is not TorchScript, an input
 * shape the module does not take and a forward that returns something else than logits each fail at
 * once with one line ({@link IllegalArgumentException}).
 */
public final class TorchScriptModel {

    /** Images in the probe batch that loading runs. */
    static final int PROBE = 8;

    private TorchScriptModel() {}

    /**
     * A per-channel input normalisation, x ↦ (x − mean_c) / std_c, applied before the module.
     *
     * @param mean one value per channel
     * @param std one positive value per channel
     */
    public record Normalization(double[] mean, double[] std) {

        /** Checks and copies the values. */
        public Normalization {
            mean = Objects.requireNonNull(mean, "mean").clone();
            std = Objects.requireNonNull(std, "std").clone();
            if (mean.length == 0 || mean.length != std.length) {
                throw new IllegalArgumentException(
                        "normalisation needs as many means as standard deviations (one per"
                                + " channel), got "
                                + mean.length
                                + " and "
                                + std.length);
            }
            for (int c = 0; c < mean.length; c++) {
                if (!Double.isFinite(mean[c])) {
                    throw new IllegalArgumentException("normalisation mean must be finite");
                }
                if (!(std[c] > 0) || !Double.isFinite(std[c])) {
                    throw new IllegalArgumentException(
                            "normalisation std must be > 0, got " + std[c]);
                }
            }
        }

        /** Whether this normalisation changes nothing (mean 0, std 1 everywhere). */
        public boolean isIdentity() {
            return Arrays.stream(mean).allMatch(m -> m == 0)
                    && Arrays.stream(std).allMatch(s -> s == 1);
        }

        @Override
        public double[] mean() {
            return mean.clone();
        }

        @Override
        public double[] std() {
            return std.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Normalization n
                    && Arrays.equals(mean, n.mean)
                    && Arrays.equals(std, n.std);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
        }

        @Override
        public String toString() {
            return "mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std);
        }
    }

    /**
     * Loads a TorchScript file with inputs in [0, 1] as they are.
     *
     * @param file the {@code .pt} file
     * @param inputShape one input's shape (C, H, W)
     * @return the network; closing it frees the module
     * @throws IllegalArgumentException with one line naming what is wrong
     */
    public static Network load(Path file, Shape inputShape) {
        return load(file, inputShape, null);
    }

    /**
     * Loads a TorchScript file.
     *
     * @param file the {@code .pt} file
     * @param inputShape one input's shape (C, H, W)
     * @param normalization applied to the inputs before the module, or {@code null} for none
     * @return the network; closing it frees the module
     * @throws IllegalArgumentException with one line naming what is wrong
     */
    public static Network load(Path file, Shape inputShape, Normalization normalization) {
        OodLab.init();
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(inputShape, "inputShape");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("TorchScript model " + file + ": no such file");
        }
        if (normalization != null
                && inputShape.dimension() > 0
                && normalization.mean.length != 1
                && normalization.mean.length != inputShape.get(0)) {
            throw new IllegalArgumentException(
                    "normalisation has "
                            + normalization.mean.length
                            + " values per option, but the inputs have "
                            + inputShape.get(0)
                            + " channels");
        }
        String name = file.getFileName().toString();
        Model model = Model.newInstance(name);
        boolean done = false;
        try {
            PtSymbolBlock module;
            try {
                module =
                        JniUtils.loadModule(
                                (PtNDManager) model.getNDManager(),
                                file,
                                false,
                                new String[0],
                                new String[0],
                                true);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        file
                                + " is not a TorchScript module (save one with"
                                + " torch.jit.script(model).save(...)): "
                                + firstLine(e),
                        e);
            }
            JniUtils.enableInferenceMode(module); // module.eval()
            // loaded as trainable (a module loaded otherwise holds inference tensors, which
            // autograd cannot save: no input gradient for ODIN), then frozen
            try (NDManager params = model.getNDManager().newSubManager()) {
                for (NDArray p : JniUtils.moduleGetParams(module, (PtNDManager) params)) {
                    p.setRequiresGradient(false);
                }
            }
            ModuleBlock block = new ModuleBlock(name, module, normalization, inputShape);
            try (NDManager probeScope = model.getNDManager().newSubManager()) {
                Network network = build(model, block, probeScope, inputShape);
                done = true;
                return network;
            }
        } finally {
            if (!done) {
                model.close();
            }
        }
    }

    private static Network build(
            Model model, ModuleBlock block, NDManager probeScope, Shape inputShape) {
        String name = block.name;
        Probe probe = block.probe(probeScope);
        if (probe.features == null) {
            block.whyNoFeatures =
                    "the TorchScript model "
                            + name
                            + " returns only logits; return (logits, features) from"
                            + " forward to use the feature-based detectors";
            model.setBlock(block);
        } else {
            block.output = 1;
            LinearHead head = probe.head(block.module, probeScope, model.getNDManager());
            if (head == null) {
                block.output = 0;
                block.whyNoFeatures =
                        "the TorchScript model "
                                + name
                                + " returns features, but no linear layer among its"
                                + " parameters (a "
                                + probe.numClasses
                                + " x "
                                + probe.dimension
                                + " weight and a "
                                + probe.numClasses
                                + " bias) maps them to its logits";
                model.setBlock(block);
            } else {
                block.dimension = probe.dimension;
                model.setBlock(new Classifier(name, block, head, probe.numClasses, inputShape));
            }
        }
        return Network.wrap(model, inputShape, probe.numClasses);
    }

    /**
     * Why the feature-based detectors cannot run on a network, or {@code null} if they can: a
     * TorchScript model that returns only logits, or whose last layer was not found.
     *
     * @param network any network
     * @return one line, or {@code null}
     */
    public static String featureNote(Network network) {
        if (network.block() instanceof ModuleBlock m) {
            return m.whyNoFeatures;
        }
        return network.block() instanceof Classifier ? null : "the model has no features";
    }

    /** Whether a network was loaded from TorchScript. */
    public static boolean isTorchScript(Network network) {
        return network.block() instanceof ModuleBlock
                || network.block() instanceof Classifier c && c.features() instanceof ModuleBlock;
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String line = message.strip().lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    /** What the probe batch showed: K, and D with the features if the module returns them. */
    private record Probe(NDArray logits, NDArray features, int numClasses, int dimension) {

        /**
         * The (K × D weight, K bias) pair of the module's parameters that maps its features to its
         * logits, as a head; {@code null} if there is none.
         */
        LinearHead head(PtSymbolBlock module, NDManager probeScope, NDManager manager) {
            try (NDManager scope = probeScope.newSubManager()) {
                NDList params = JniUtils.moduleGetParams(module, (PtNDManager) scope);
                Map<String, NDArray> byName = new LinkedHashMap<>();
                for (NDArray p : params) {
                    byName.put(p.getName(), p);
                }
                double scale = 1 + logits.abs().max().getFloat();
                List<String> names = new ArrayList<>(byName.keySet());
                // the last layer is usually registered last: try candidates from the end
                for (int i = names.size() - 1; i >= 0; i--) {
                    String n = names.get(i);
                    NDArray w = byName.get(n);
                    if (!n.endsWith("weight")
                            || !w.getShape().equals(new Shape(numClasses, dimension))) {
                        continue;
                    }
                    String biasName = n.substring(0, n.length() - "weight".length()) + "bias";
                    NDArray b = byName.get(biasName);
                    if (b == null || !b.getShape().equals(new Shape(numClasses))) {
                        b = scope.zeros(new Shape(numClasses));
                    }
                    NDArray again = Linear.linear(features, w, b).singletonOrThrow();
                    double error = again.sub(logits).abs().max().getFloat();
                    if (error <= 1e-4 * scale) {
                        return new LinearHead(
                                w.toType(DataType.FLOAT32, true),
                                b.toType(DataType.FLOAT32, true),
                                manager);
                    }
                }
                return null;
            }
        }
    }

    /**
     * The module as a block: normalises the inputs, calls {@code forward} (autograd on, evaluation
     * mode), checks the output and returns the logits (output 0) or the features (output 1).
     */
    static final class ModuleBlock extends AbstractBlock {

        private final String name;
        private final PtSymbolBlock module;
        private final Normalization normalization;
        private final Shape inputShape;
        int output;
        int numClasses = -1;
        int dimension = -1;
        String whyNoFeatures;

        ModuleBlock(
                String name, PtSymbolBlock module, Normalization normalization, Shape inputShape) {
            super((byte) 1);
            this.name = name;
            this.module = module;
            this.normalization =
                    normalization == null || normalization.isIdentity() ? null : normalization;
            this.inputShape = inputShape;
        }

        /** Runs the module on a probe batch in [0, 1] and checks what it returns. */
        Probe probe(NDManager scope) {
            long c = inputShape.dimension() > 0 ? inputShape.get(0) : 1;
            Shape batch = new Shape(PROBE).addAll(inputShape);
            // a fixed pattern in [0, 1] (not zeros: ReLU features of zeros can be all zero)
            float[] pixels = new float[(int) batch.size()];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) (((7L * i + 3L * (i / 28) + c) % 17) / 16.0);
            }
            NDArray x = scope.create(pixels, batch);
            NDList out;
            try {
                out = call(x);
            } catch (EngineException | IllegalStateException e) {
                throw new IllegalArgumentException(
                        "the TorchScript model "
                                + name
                                + " does not take a batch of shape "
                                + batch
                                + " (the data's images are "
                                + inputShape
                                + "): "
                                + firstLine(e),
                        e);
            }
            {
                if (out.size() < 1 || out.size() > 2) {
                    throw new IllegalArgumentException(
                            "the TorchScript model "
                                    + name
                                    + " returns "
                                    + out.size()
                                    + " tensors; forward must return the logits (N, K) or a"
                                    + " tuple (logits, features)");
                }
                NDArray logits = out.get(0);
                checkLogits(logits, PROBE);
                numClasses = (int) logits.getShape().get(1);
                if (out.size() == 1) {
                    return new Probe(logits, null, numClasses, -1);
                }
                NDArray features = out.get(1);
                if (features.getShape().dimension() != 2 || features.getShape().get(0) != PROBE) {
                    throw new IllegalArgumentException(
                            "the TorchScript model "
                                    + name
                                    + " returns features of shape "
                                    + features.getShape()
                                    + " for "
                                    + PROBE
                                    + " images; forward's second output must be (N, D), the"
                                    + " input of the last linear layer");
                }
                return new Probe(
                        logits.toType(DataType.FLOAT32, false),
                        features.toType(DataType.FLOAT32, false),
                        numClasses,
                        (int) features.getShape().get(1));
            }
        }

        private void checkLogits(NDArray logits, long n) {
            Shape s = logits.getShape();
            if (s.dimension() != 2 || s.get(0) != n || s.get(1) < 2) {
                throw new IllegalArgumentException(
                        "the TorchScript model "
                                + name
                                + " returns a tensor of shape "
                                + s
                                + " for a batch of "
                                + n
                                + " images; forward must return logits of shape (N, K) with K"
                                + " >= 2 classes, or a tuple (logits, features)");
            }
            if (numClasses > 0 && s.get(1) != numClasses) {
                throw new IllegalStateException(
                        "the TorchScript model " + name + " changed its number of classes");
            }
        }

        private NDList call(NDArray x) {
            NDArray input = x;
            if (normalization != null) {
                int channels = (int) x.getShape().get(1);
                float[] mean = new float[channels];
                float[] std = new float[channels];
                for (int c = 0; c < channels; c++) {
                    int k = normalization.mean.length == 1 ? 0 : c;
                    mean[c] = (float) normalization.mean[k];
                    std[c] = (float) normalization.std[k];
                }
                NDManager m = x.getManager();
                Shape perChannel = new Shape(channels, 1, 1);
                input = x.sub(m.create(mean, perChannel)).div(m.create(std, perChannel));
            } else if (x.getName() != null && !x.getName().isEmpty()) {
                // DJL reads structure into some array names: pass an unnamed view
                input = x.reshape(x.getShape());
            }
            // autograd only where an input gradient is asked for (ODIN, attacks)
            return IValueUtils.forward(module, new NDList(input), x.hasGradient());
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore parameterStore,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            NDList out = call(x);
            long n = x.getShape().get(0);
            if (out.size() <= output) {
                throw new IllegalStateException(
                        "the TorchScript model " + name + " returned " + out.size() + " tensors");
            }
            try {
                checkLogits(out.get(0), n);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            NDArray result = out.get(output);
            if (output == 1 && !result.getShape().equals(new Shape(n, dimension))) {
                throw new IllegalStateException(
                        "the TorchScript model "
                                + name
                                + " returned features of shape "
                                + result.getShape()
                                + ", not ("
                                + n
                                + ", "
                                + dimension
                                + ")");
            }
            for (int i = 0; i < out.size(); i++) {
                if (i != output) {
                    out.get(i).close();
                }
            }
            return new NDList(
                    result.getDataType() == DataType.FLOAT32
                            ? result
                            : result.toType(DataType.FLOAT32, false));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            long n = inputShapes[0].get(0);
            return new Shape[] {new Shape(n, output == 1 ? dimension : numClasses)};
        }

        @Override
        public String toString() {
            return "TorchScript[" + name + "]";
        }
    }

    /** The last layer f = W h + b, its weight and bias copied from the module. */
    static final class LinearHead extends AbstractBlock {

        private final Parameter weight;
        private final Parameter bias;

        LinearHead(NDArray w, NDArray b, NDManager manager) {
            super((byte) 1);
            weight =
                    addParameter(
                            Parameter.builder()
                                    .setName("weight")
                                    .setType(Parameter.Type.WEIGHT)
                                    .optRequiresGrad(false)
                                    .build());
            bias =
                    addParameter(
                            Parameter.builder()
                                    .setName("bias")
                                    .setType(Parameter.Type.BIAS)
                                    .optRequiresGrad(false)
                                    .build());
            NDArray wCopy = w.duplicate();
            NDArray bCopy = b.duplicate();
            wCopy.attach(manager);
            bCopy.attach(manager);
            weight.setArray(wCopy);
            bias.setArray(bCopy);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore parameterStore,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            NDArray w = parameterStore.getValue(weight, x.getDevice(), training);
            NDArray b = parameterStore.getValue(bias, x.getDevice(), training);
            return Linear.linear(x, w, b);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {
                new Shape(inputShapes[0].get(0), weight.getArray().getShape().get(0))
            };
        }

        @Override
        public String toString() {
            return "LinearHead" + weight.getArray().getShape();
        }
    }
}

package dev.oodlab.nn;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import dev.oodlab.OodLab;
import dev.oodlab.data.ImageSet;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A model ready to run: a DJL {@link Model} holding an initialised block, the parameter store that
 * feeds it, and the two operations everything else in oodlab builds on — the forward pass ({@link
 * #logits}, {@link #features}) and the input gradient ({@link #inputGradient}).
 *
 * <p>Any DJL block works ({@link #of}); the penultimate features are available when the block is a
 * {@link Classifier}. Inputs are (N, …) float32 arrays; outputs are created in the input's manager,
 * so a per-batch sub-manager frees them. Close the network to free its parameters.
 */
public final class Network implements AutoCloseable {

    private final Model model;
    private final Block block;
    private final Shape inputShape;
    private final int numClasses;
    private final List<Parameter> trainable = new ArrayList<>();
    private ParameterStore store;
    private boolean freezeForInputGradients = true;

    private Network(Model model, Shape inputShape, int numClasses) {
        this.model = model;
        this.block = model.getBlock();
        this.inputShape = inputShape;
        this.numClasses = numClasses;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                trainable.add(p.getValue());
            }
        }
        this.store = new ParameterStore(model.getNDManager(), false);
    }

    /**
     * Builds the named architecture ({@link Models#NAMES}) and initialises it from {@code seed}.
     *
     * @param name the model name, e.g. {@code "lenet"}
     * @param inputShape one input's shape, e.g. (1, 28, 28)
     * @param numClasses K
     * @param seed seeds libtorch's generator before the weights are drawn
     * @return the initialised network
     */
    public static Network create(String name, Shape inputShape, int numClasses, long seed) {
        return of(Models.create(name, inputShape, numClasses), inputShape, numClasses, seed);
    }

    /**
     * Initialises any block: weights by Xavier-uniform ({@link XavierInitializer}), biases zero,
     * drawn after {@code Engine.setRandomSeed(seed)}.
     *
     * @param block the block (a {@link Classifier} to get {@link #features})
     * @param inputShape one input's shape
     * @param numClasses K, the width of the block's output
     * @param seed the initialisation seed
     * @return the initialised network
     */
    public static Network of(Block block, Shape inputShape, int numClasses, long seed) {
        OodLab.init();
        Model model =
                Model.newInstance(
                        block instanceof Classifier c
                                ? c.name()
                                : block.getClass().getSimpleName());
        model.setBlock(block);
        Engine.getInstance().setRandomSeed((int) seed);
        block.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1).addAll(inputShape));
        return new Network(model, inputShape, numClasses);
    }

    /**
     * Wraps a model whose block is already initialised (e.g. loaded by DJL).
     *
     * @param model the model; the network closes it on {@link #close()}
     * @param inputShape one input's shape
     * @param numClasses K
     * @return the network
     */
    public static Network wrap(Model model, Shape inputShape, int numClasses) {
        OodLab.init();
        Objects.requireNonNull(model.getBlock(), "the model has no block");
        return new Network(model, inputShape, numClasses);
    }

    /** The DJL model (its manager owns the parameters). */
    public Model model() {
        return model;
    }

    /** The block. */
    public Block block() {
        return block;
    }

    /** The manager that owns the parameters. */
    public NDManager manager() {
        return model.getNDManager();
    }

    /** One input's shape, e.g. (1, 28, 28). */
    public Shape inputShape() {
        return inputShape;
    }

    /** The number of classes K. */
    public int numClasses() {
        return numClasses;
    }

    /** The parameters a training step updates (those that require a gradient), in block order. */
    public List<Parameter> trainableParameters() {
        return List.copyOf(trainable);
    }

    /**
     * Logits (N, K) for inputs x.
     *
     * @param x inputs (N, …), in [0, 1]
     * @param training whether layers such as batch norm and dropout run in training mode
     * @return the logits, in x's manager
     */
    public NDArray logits(NDArray x, boolean training) {
        return block.forward(store, new NDList(x), training).singletonOrThrow();
    }

    /**
     * Penultimate features (N, D) for inputs x (see {@link Classifier}).
     *
     * @throws IllegalStateException if the block is not a {@link Classifier}
     */
    public NDArray features(NDArray x, boolean training) {
        return classifier().features().forward(store, new NDList(x), training).singletonOrThrow();
    }

    /** Logits (N, K) from penultimate features (N, D): the classifier's head alone. */
    public NDArray head(NDArray features, boolean training) {
        return classifier()
                .head()
                .forward(store, new NDList(features), training)
                .singletonOrThrow();
    }

    /** The block as a {@link Classifier}, or an exception saying that features are unavailable. */
    public Classifier classifier() {
        if (block instanceof Classifier c) {
            return c;
        }
        throw new IllegalStateException(
                "the block is a "
                        + block.getClass().getSimpleName()
                        + ", not a Classifier:"
                        + " penultimate features are unavailable");
    }

    /**
     * The gradient ∇ₓ objective(x) with respect to the inputs, for attacks and input
     * pre-processing.
     *
     * <p>A fresh leaf (x detached, marked as requiring a gradient) goes through {@code objective};
     * the backward pass runs in this thread's open {@link GradientScope} (inside a training step)
     * or in a scope of its own. The parameters are frozen during the pass, so no parameter gradient
     * is computed or left behind (see {@link #setFreezeForInputGradients}); nothing but the
     * returned array stays in x's manager.
     *
     * @param x inputs (N, …); not modified
     * @param objective maps the leaf to a scalar to differentiate, e.g. a summed cross-entropy
     * @return ∇ₓ objective, same shape as x, attached to x's manager, not requiring a gradient
     */
    public NDArray inputGradient(NDArray x, Function<NDArray, NDArray> objective) {
        NDManager caller = x.getManager();
        try (NDManager sub = caller.newSubManager()) {
            NDArray leaf = x.stopGradient();
            leaf.attach(sub);
            leaf.setRequiresGradient(true);
            List<Parameter> frozen = freezeForInputGradients ? freezeTrainable() : List.of();
            try {
                GradientScope open = GradientScope.current();
                if (open != null) {
                    open.backward(objective.apply(leaf));
                } else {
                    try (GradientScope scope = GradientScope.open()) {
                        scope.backward(objective.apply(leaf));
                    }
                }
            } finally {
                for (Parameter p : frozen) {
                    p.freeze(false);
                }
            }
            if (!freezeForInputGradients) {
                zeroParameterGradients();
            }
            NDArray grad = leaf.getGradient().duplicate();
            grad.attach(caller);
            return grad;
        }
    }

    /**
     * Whether {@link #inputGradient} freezes the parameters during its backward pass (default
     * {@code true}). With {@code false} the backward pass also computes parameter gradients, which
     * are then zeroed: the same result, slower. Kept so the difference can be measured.
     */
    public void setFreezeForInputGradients(boolean freeze) {
        this.freezeForInputGradients = freeze;
    }

    /** Sets every parameter gradient to zero (PyTorch accumulates gradients across backward). */
    public void zeroParameterGradients() {
        for (Parameter p : trainable) {
            NDArray array = p.getArray();
            if (array instanceof PtNDArray pt) {
                JniUtils.zeroGrad(pt);
            } else {
                try (NDArray g = array.getGradient()) {
                    g.subi(g);
                }
            }
        }
    }

    /**
     * Logits of a whole image set, in batches, copied to one float[] of N × K values (row-major),
     * with the model in inference mode; each batch's arrays are freed before the next.
     *
     * @param set the images
     * @param batchSize images per forward pass
     * @return the logits, image after image
     */
    public float[] logits(ImageSet set, int batchSize) {
        return forEachBatch(set, batchSize, numClasses, x -> logits(x, false));
    }

    /**
     * Runs {@code f} on consecutive batches of {@code set} (in inference mode) and concatenates its
     * (N, width) outputs into one float[].
     *
     * @param set the images
     * @param batchSize images per batch
     * @param width the number of values f returns per image
     * @param f maps a batch (n, C, H, W) to (n, width) values
     * @return all values, image after image
     */
    public float[] forEachBatch(
            ImageSet set, int batchSize, int width, Function<NDArray, NDArray> f) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
        }
        int n = set.size();
        float[] out = new float[n * width];
        int size = set.imageSize();
        Shape one = new Shape(set.channels(), set.height(), set.width());
        if (one.size() != inputShape.size()) {
            throw new IllegalArgumentException(
                    set.name()
                            + ": images of shape "
                            + one
                            + " do not fit a model for "
                            + inputShape);
        }
        float[] buffer = new float[batchSize * size];
        for (int start = 0; start < n; start += batchSize) {
            int count = Math.min(batchSize, n - start);
            System.arraycopy(set.pixels(), start * size, buffer, 0, count * size);
            try (NDManager batch = manager().newSubManager()) {
                NDArray x =
                        batch.create(
                                java.nio.FloatBuffer.wrap(buffer, 0, count * size),
                                new Shape(count).addAll(inputShape));
                float[] values = f.apply(x).toFloatArray();
                if (values.length != count * width) {
                    throw new IllegalStateException(
                            "expected "
                                    + width
                                    + " values per image, got "
                                    + values.length / (double) count);
                }
                System.arraycopy(values, 0, out, start * width, values.length);
            }
        }
        return out;
    }

    /**
     * Writes the parameters in DJL's block format (what {@code Block.saveParameters} writes).
     *
     * @param file the file, conventionally {@code model.params}
     */
    public void saveParameters(Path file) {
        try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write parameters to " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the parameters by those in {@code file} (written by {@link #saveParameters}).
     *
     * @param file the parameters file
     * @throws IllegalArgumentException if the file does not match this architecture
     */
    public void loadParameters(Path file) {
        List<NDArray> old = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            old.add(p.getValue().getArray());
        }
        try (DataInputStream in =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            block.loadParameters(manager(), in);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read parameters from " + file + ": " + e.getMessage(), e);
        } catch (MalformedModelException e) {
            // DJL's words ("Unsupported encoding version: 3") say nothing of the cause: each block
            // type writes its own version, so another architecture's file fails this way.
            throw new IllegalArgumentException(
                    file
                            + " does not fit a "
                            + model.getName()
                            + " model: it holds the parameters of another architecture, or is"
                            + " damaged (DJL: "
                            + e.getMessage()
                            + ")",
                    e);
        }
        // DJL's loader replaces the arrays without closing the old ones or marking the new ones.
        for (NDArray array : old) {
            array.close();
        }
        for (Parameter p : trainable) {
            p.getArray().setRequiresGradient(true);
        }
        store = new ParameterStore(manager(), false);
    }

    private List<Parameter> freezeTrainable() {
        List<Parameter> frozen = new ArrayList<>(trainable.size());
        for (Parameter p : trainable) {
            if (p.requiresGradient()) {
                p.freeze(true);
                frozen.add(p);
            }
        }
        return frozen;
    }

    /** Closes the model and its parameters. */
    @Override
    public void close() {
        model.close();
    }

    @Override
    public String toString() {
        return "Network[" + block + "]";
    }
}

package dev.oodlab.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Objects;

/**
 * A classifier split into a feature extractor and a head: {@code logits = head(features(x))}.
 *
 * <p>The split is what feature-space detectors need: the Mahalanobis detector (Lee et al., NeurIPS
 * 2018) fits class-conditional Gaussians to the output of {@link #features()}, the penultimate
 * layer (spatially averaged for convolutional networks), shape (N, D). The head is usually one
 * linear layer producing the logits (N, K).
 *
 * <p>As a DJL {@link Block} the classifier runs both parts in one forward call, so it plugs into a
 * DJL {@code Model} like any other block; its parameters are named {@code features_…} and {@code
 * head_…}.
 */
public final class Classifier extends AbstractBlock {

    private static final byte VERSION = 1;

    private final String name;
    private final Block features;
    private final Block head;
    private final int numClasses;
    private final Shape inputShape;

    /**
     * Creates a classifier from its two parts.
     *
     * @param name the architecture name, e.g. {@code "lenet"}
     * @param features maps (N, C, H, W) inputs to (N, D) features
     * @param head maps (N, D) features to (N, K) logits
     * @param numClasses K, the number of classes
     * @param inputShape the shape of one input image (C, H, W)
     */
    public Classifier(String name, Block features, Block head, int numClasses, Shape inputShape) {
        super(VERSION);
        this.name = Objects.requireNonNull(name, "name");
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be >= 2, got " + numClasses);
        }
        this.features = addChildBlock("features", features);
        this.head = addChildBlock("head", head);
        this.numClasses = numClasses;
        this.inputShape = Objects.requireNonNull(inputShape, "inputShape");
    }

    /** The architecture name this classifier was built under. */
    public String name() {
        return name;
    }

    /** The feature extractor: (N, C, H, W) to penultimate features (N, D). */
    public Block features() {
        return features;
    }

    /** The head: features (N, D) to logits (N, K). */
    public Block head() {
        return head;
    }

    /** The number of classes K. */
    public int numClasses() {
        return numClasses;
    }

    /** The shape of one input image (C, H, W). */
    public Shape inputShape() {
        return inputShape;
    }

    /** The shape of a batch of {@code n} inputs (n, C, H, W). */
    public Shape batchShape(long n) {
        return new Shape(n).addAll(inputShape);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDList h = features.forward(parameterStore, inputs, training, params);
        return head.forward(parameterStore, h, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return head.getOutputShapes(features.getOutputShapes(inputShapes));
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        features.initialize(manager, dataType, inputShapes);
        head.initialize(manager, dataType, features.getOutputShapes(inputShapes));
    }

    @Override
    public String toString() {
        return "Classifier[" + name + ", " + inputShape + " -> " + numClasses + " classes]";
    }
}

package dev.oodlab.experiment;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What is needed to rebuild a trained model and say how it was made; saved as {@code model.json}
 * next to {@code model.params} ({@link ModelDirectory}).
 *
 * @param model the architecture name ({@link dev.oodlab.nn.Models#NAMES})
 * @param inputShape one input's shape, e.g. {1, 28, 28}
 * @param numClasses K
 * @param dataset the in-distribution data set it was trained on (a name or folder)
 * @param method the training method
 * @param seed the run's seed
 * @param epochs the number of training epochs
 * @param batchSize images per training step
 * @param subset the number of training images used (the whole set: its size)
 * @param options the method's options that were set, e.g. {@code {"epsilon": 0.05}}
 * @param outliers the outlier source of the confidence losses, or {@code null}
 */
public record ModelInfo(
        String model,
        long[] inputShape,
        int numClasses,
        String dataset,
        String method,
        long seed,
        int epochs,
        int batchSize,
        int subset,
        Map<String, Object> options,
        String outliers) {

    /** Checks the fields and copies the arrays and maps. */
    public ModelInfo {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(method, "method");
        inputShape = Objects.requireNonNull(inputShape, "inputShape").clone();
        if (inputShape.length == 0 || Arrays.stream(inputShape).anyMatch(d -> d <= 0)) {
            throw new IllegalArgumentException(
                    "input shape must be positive, got " + Arrays.toString(inputShape));
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("classes must be >= 2, got " + numClasses);
        }
        options =
                Collections.unmodifiableMap(
                        new LinkedHashMap<>(options == null ? Map.of() : options));
    }

    @Override
    public long[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelInfo m
                && model.equals(m.model)
                && Arrays.equals(inputShape, m.inputShape)
                && numClasses == m.numClasses
                && dataset.equals(m.dataset)
                && method.equals(m.method)
                && seed == m.seed
                && epochs == m.epochs
                && batchSize == m.batchSize
                && subset == m.subset
                && options.equals(m.options)
                && Objects.equals(outliers, m.outliers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, Arrays.hashCode(inputShape), numClasses, dataset, method, seed);
    }

    @Override
    public String toString() {
        return model
                + " "
                + Arrays.toString(inputShape)
                + " → "
                + numClasses
                + " classes, "
                + method
                + " on "
                + dataset
                + ", seed "
                + seed
                + ", "
                + epochs
                + " epochs";
    }
}

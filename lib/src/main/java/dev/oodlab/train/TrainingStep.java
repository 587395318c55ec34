package dev.oodlab.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.oodlab.nn.Losses;
import dev.oodlab.nn.Network;
import java.util.Objects;

/**
 * What a {@link TrainingMethod} sees of one step: the network, the batch (and an outlier batch for
 * methods that train on OOD samples), the epoch, and the random source.
 *
 * <p>All arrays live in the step's manager (a per-step sub-manager in the loop), so whatever a
 * method creates from them is freed when the step ends. A method that computes the logits of the
 * clean batch anyway hands them to {@link #reportCleanLogits} so the loop can count training
 * accuracy without a second forward pass.
 */
public final class TrainingStep {

    private final Network network;
    private final NDArray x;
    private final NDArray labels;
    private final NDArray outliers;
    private final int epoch;
    private final RandomSource random;
    private NDArray cleanLogits;

    /**
     * Creates a step.
     *
     * @param network the model being trained
     * @param x the in-distribution inputs (N, C, H, W) in [0, 1]
     * @param labels their labels (N), class indices
     * @param outliers an outlier batch (M, C, H, W) in [0, 1], or {@code null}
     * @param epoch the epoch, counted from 0
     * @param random the step's random draws
     */
    public TrainingStep(
            Network network,
            NDArray x,
            NDArray labels,
            NDArray outliers,
            int epoch,
            RandomSource random) {
        this.network = Objects.requireNonNull(network, "network");
        this.x = Objects.requireNonNull(x, "x");
        this.labels = Objects.requireNonNull(labels, "labels");
        this.outliers = outliers;
        this.epoch = epoch;
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The model being trained. */
    public Network network() {
        return network;
    }

    /** The in-distribution inputs (N, C, H, W). */
    public NDArray x() {
        return x;
    }

    /** The labels (N). */
    public NDArray labels() {
        return labels;
    }

    /** The outlier batch, or {@code null} when the loop has no outlier set. */
    public NDArray outliers() {
        return outliers;
    }

    /** The epoch, counted from 0. */
    public int epoch() {
        return epoch;
    }

    /** The step's random draws. */
    public RandomSource random() {
        return random;
    }

    /** Records the logits (N, K) of the clean batch x, if the method computed them. */
    public void reportCleanLogits(NDArray logits) {
        this.cleanLogits = logits;
    }

    /** The logits reported by {@link #reportCleanLogits}, or {@code null}. */
    public NDArray cleanLogits() {
        return cleanLogits;
    }

    /** The manager of the batch: arrays created from it are freed with the step. */
    public NDManager manager() {
        return x.getManager();
    }

    /** The number of in-distribution samples N. */
    public int batchSize() {
        return (int) x.getShape().get(0);
    }

    /** The number of classes K. */
    public int numClasses() {
        return network.numClasses();
    }

    /** Logits of the network in training mode. */
    public NDArray logits(NDArray input) {
        return network.logits(input, true);
    }

    /** The labels as one-hot rows (N, K). */
    public NDArray oneHotLabels() {
        return Losses.oneHot(labels, numClasses());
    }

    /**
     * The outlier batch.
     *
     * @param method the name of the method that needs it, for the error message
     * @throws IllegalStateException if the loop was given no outlier set
     */
    public NDArray requireOutliers(String method) {
        if (outliers == null) {
            throw new IllegalStateException(
                    method + " trains on outliers: give the loop an outlier set (optOutliers)");
        }
        return outliers;
    }
}

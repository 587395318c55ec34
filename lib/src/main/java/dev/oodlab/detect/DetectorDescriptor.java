package dev.oodlab.detect;

import dev.oodlab.data.ImageSet;
import dev.oodlab.nn.Network;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the command line and the evaluation know about a post-hoc detector: its name, a line of
 * help, its paper, how to build it for a trained network, and whether its scores are the maximum
 * softmax probability itself (then an evaluation reuses the confidences it has computed anyway
 * instead of scoring again). The list of detectors ({@code
 * dev.oodlab.experiment.Detectors#DESCRIPTORS}) holds one per detector: adding a detector is its
 * {@link OodScorer} class, one line there, and its test.
 *
 * <pre>{@code
 * DetectorDescriptor.of("energy", "free energy, T = 1", "Liu et al., NeurIPS 2020", Energy::new)
 * DetectorDescriptor.fitted("mahalanobis", "...", "Lee et al., NeurIPS 2018", Mahalanobis::fit)
 * }</pre>
 *
 * @param name the name on the command line and in {@code results.json}, lower case
 * @param help one line: what it scores, with its defaults
 * @param paper the paper it follows, or the empty string
 * @param factory builds the detector for a trained network
 * @param scoresAreMaxSoftmax whether its scores equal the maximum softmax probability
 */
public record DetectorDescriptor(
        String name, String help, String paper, Factory factory, boolean scoresAreMaxSoftmax) {

    /** Builds a detector for a trained network. */
    @FunctionalInterface
    public interface Factory {
        /**
         * The detector.
         *
         * @param network the trained network
         * @param train the training set, read only by detectors fitted on it
         * @param batchSize images per forward pass when fitting
         * @return the detector
         */
        OodScorer create(Network network, Supplier<ImageSet> train, int batchSize);
    }

    /** A detector that fits something on the training set (network, training set, batch size). */
    @FunctionalInterface
    public interface Fitting {
        /**
         * Fits the detector.
         *
         * @param network the trained network
         * @param train the training set
         * @param batchSize images per forward pass
         * @return the fitted detector
         */
        OodScorer fit(Network network, ImageSet train, int batchSize);
    }

    /** Checks that every part is there. */
    public DetectorDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(help, "help");
        Objects.requireNonNull(paper, "paper");
        Objects.requireNonNull(factory, "factory");
    }

    /**
     * A detector that needs nothing but the network.
     *
     * @param name its name
     * @param help one line
     * @param paper its paper
     * @param create makes it, e.g. {@code Energy::new}
     * @return the descriptor
     */
    public static DetectorDescriptor of(
            String name, String help, String paper, Supplier<? extends OodScorer> create) {
        return new DetectorDescriptor(
                name, help, paper, (network, train, batchSize) -> create.get(), false);
    }

    /**
     * A detector fitted on the training set.
     *
     * @param name its name
     * @param help one line
     * @param paper its paper
     * @param fit fits it, e.g. {@code Mahalanobis::fit}
     * @return the descriptor
     */
    public static DetectorDescriptor fitted(String name, String help, String paper, Fitting fit) {
        return new DetectorDescriptor(
                name,
                help,
                paper,
                (network, train, batchSize) -> fit.fit(network, train.get(), batchSize),
                false);
    }

    /**
     * This descriptor, marked as scoring with the maximum softmax probability itself.
     *
     * @return a copy with {@link #scoresAreMaxSoftmax()} true
     */
    public DetectorDescriptor maxSoftmax() {
        return new DetectorDescriptor(name, help, paper, factory, true);
    }

    /**
     * The detector for a trained network.
     *
     * @param network the trained network
     * @param train the training set (read only by fitted detectors)
     * @param batchSize images per forward pass when fitting
     * @return the detector
     */
    public OodScorer create(Network network, Supplier<ImageSet> train, int batchSize) {
        return factory.create(network, train, batchSize);
    }
}

package dev.oodlab.experiment;

import dev.oodlab.data.ImageSet;
import dev.oodlab.detect.DetectorDescriptor;
import dev.oodlab.detect.Energy;
import dev.oodlab.detect.Mahalanobis;
import dev.oodlab.detect.MaxSoftmax;
import dev.oodlab.detect.Odin;
import dev.oodlab.detect.OodScorer;
import dev.oodlab.nn.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The post-hoc detectors, one {@link DetectorDescriptor} each, with their papers' defaults. {@code
 * train --detector}, {@code evaluate --detector} and the evaluation read this list: a new detector
 * is its {@link OodScorer} class, one line in {@link #DESCRIPTORS}, and its test.
 */
public final class Detectors {

    /** The default detector, the maximum softmax probability. */
    public static final String DEFAULT = "msp";

    /** Every detector, in the order help lists them. */
    public static final List<DetectorDescriptor> DESCRIPTORS =
            List.of(
                    DetectorDescriptor.of(
                                    DEFAULT,
                                    "maximum softmax probability",
                                    "Hendrycks and Gimpel, ICLR 2017",
                                    MaxSoftmax::new)
                            .maxSoftmax(),
                    DetectorDescriptor.of(
                            "odin",
                            "temperature scaling and input perturbation, T = 1000, eps = 0.0014",
                            "Liang, Li, Srikant, ICLR 2018",
                            Odin::new),
                    DetectorDescriptor.of(
                            "energy",
                            "free energy, T = 1",
                            "Liu et al., NeurIPS 2020",
                            Energy::new),
                    DetectorDescriptor.fitted(
                            "mahalanobis",
                            "class-conditional Gaussians of the features, fitted on the training"
                                    + " set, no input pre-processing",
                            "Lee, Lee, Lee, Shin, NeurIPS 2018",
                            Mahalanobis::fit));

    /** The names {@link #create} accepts, in the order of {@link #DESCRIPTORS}. */
    public static final List<String> NAMES =
            DESCRIPTORS.stream().map(DetectorDescriptor::name).toList();

    private Detectors() {}

    /**
     * The descriptor of a name.
     *
     * @param name a detector name, in any case
     * @return the descriptor
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static DetectorDescriptor descriptor(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        for (DetectorDescriptor d : DESCRIPTORS) {
            if (d.name().equals(key)) {
                return d;
            }
        }
        throw new IllegalArgumentException(
                "unknown detector '" + name + "'; known: " + String.join(", ", NAMES));
    }

    /**
     * Checks a detector name.
     *
     * @param name a name
     * @return the name in lower case
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static String checkName(String name) {
        return descriptor(name).name();
    }

    /**
     * The named detector for a trained network ({@link DetectorDescriptor#create}).
     *
     * @param name one of {@link #NAMES}
     * @param network the trained network
     * @param train the training set (only detectors fitted on it read it)
     * @param batchSize images per forward pass when fitting
     * @return the detector
     */
    public static OodScorer create(
            String name, Network network, Supplier<ImageSet> train, int batchSize) {
        return descriptor(name).create(network, train, batchSize);
    }

    /** The detector names, for picocli's help and completion. */
    public static final class Names extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        /** The names of {@link #DESCRIPTORS}. */
        public Names() {
            super(NAMES);
        }
    }
}

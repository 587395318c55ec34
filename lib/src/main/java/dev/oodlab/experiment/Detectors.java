package dev.oodlab.experiment;

import dev.oodlab.data.ImageSet;
import dev.oodlab.detect.Ash;
import dev.oodlab.detect.DetectorDescriptor;
import dev.oodlab.detect.Dice;
import dev.oodlab.detect.Energy;
import dev.oodlab.detect.GeneralizedEntropy;
import dev.oodlab.detect.GradNorm;
import dev.oodlab.detect.KlMatching;
import dev.oodlab.detect.Knn;
import dev.oodlab.detect.Mahalanobis;
import dev.oodlab.detect.MaxLogit;
import dev.oodlab.detect.MaxSoftmax;
import dev.oodlab.detect.Odin;
import dev.oodlab.detect.OodScorer;
import dev.oodlab.detect.React;
import dev.oodlab.detect.RelativeMahalanobis;
import dev.oodlab.detect.Scale;
import dev.oodlab.detect.Vim;
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
                            Mahalanobis::fit),
                    DetectorDescriptor.of(
                            "maxlogit",
                            "the largest logit",
                            "Hendrycks et al., ICML 2022",
                            MaxLogit::new),
                    DetectorDescriptor.fitted(
                            "kl-matching",
                            "KL divergence to the nearest mean softmax of a predicted class,"
                                    + " fitted on the training set",
                            "Hendrycks et al., ICML 2022",
                            KlMatching::fit),
                    DetectorDescriptor.of(
                            "gen",
                            "generalized entropy of the top M = min(100, K) probabilities,"
                                    + " gamma = 0.1",
                            "Liu, Lochman, Zach, CVPR 2023",
                            GeneralizedEntropy::new),
                    DetectorDescriptor.fitted(
                            "react",
                            "energy after clipping the features at their 90th training"
                                    + " percentile",
                            "Sun, Guo, Li, NeurIPS 2021",
                            React::fit),
                    DetectorDescriptor.of(
                            "ash-p",
                            "energy after pruning all but the top 10 % of each sample's"
                                    + " features",
                            "Djurisic et al., ICLR 2023",
                            () -> new Ash(Ash.Variant.PRUNE)),
                    DetectorDescriptor.of(
                            "ash-b",
                            "energy after pruning and binarizing the features, p = 90",
                            "Djurisic et al., ICLR 2023",
                            () -> new Ash(Ash.Variant.BINARIZE)),
                    DetectorDescriptor.of(
                            "ash-s",
                            "energy after pruning and exponentially scaling the features,"
                                    + " p = 90",
                            "Djurisic et al., ICLR 2023",
                            () -> new Ash(Ash.Variant.SCALE)),
                    DetectorDescriptor.of(
                            "scale",
                            "energy of the unpruned features scaled by the ASH factor, p = 85",
                            "Xu et al., ICLR 2024",
                            Scale::new),
                    DetectorDescriptor.fitted(
                            "dice",
                            "energy with the last layer's smallest contributions dropped,"
                                    + " sparsity 0.9, fitted on the training set",
                            "Sun and Li, ECCV 2022",
                            Dice::fit),
                    DetectorDescriptor.fitted(
                            "knn",
                            "distance to the k = 50th nearest normalized training feature,"
                                    + " exact",
                            "Sun, Ming, Zhu, Li, ICML 2022",
                            Knn::fit),
                    DetectorDescriptor.fitted(
                            "vim",
                            "energy minus the scaled norm of the feature's residual off the"
                                    + " principal subspace",
                            "Wang, Li, Feng, Zhang, CVPR 2022",
                            Vim::fit),
                    DetectorDescriptor.of(
                            "gradnorm",
                            "norm of the gradient of KL(u || p) to the last layer, closed form",
                            "Huang, Geng, Li, NeurIPS 2021",
                            GradNorm::new),
                    DetectorDescriptor.fitted(
                            "rmd",
                            "class Mahalanobis distance minus the distance to one background"
                                    + " Gaussian",
                            "Ren et al., 2021",
                            RelativeMahalanobis::fit));

    /** The word that {@link #parseList} expands to every name of {@link #NAMES}. */
    public static final String ALL_NAMES = "all";

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
     * Reads a comma-separated list of detector names, {@code all} standing for every one.
     *
     * @param list e.g. {@code "msp,energy,knn"} or {@code "all"}
     * @return the names in lower case, in the given order, without repeats
     * @throws IllegalArgumentException for an empty list or an unknown name, listing the known ones
     */
    public static List<String> parseList(String list) {
        List<String> names = new ArrayList<>();
        for (String part : list.split(",", -1)) {
            String name = part.trim();
            if (name.isEmpty()) {
                throw new IllegalArgumentException(
                        "empty detector name in '"
                                + list
                                + "'; known: "
                                + String.join(", ", NAMES)
                                + " or "
                                + ALL_NAMES);
            }
            List<String> expanded =
                    name.equalsIgnoreCase(ALL_NAMES) ? NAMES : List.of(checkName(name));
            for (String n : expanded) {
                if (!names.contains(n)) {
                    names.add(n);
                }
            }
        }
        return List.copyOf(names);
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

    /**
     * The detectors that read only the model's logits (and, for ODIN, the input gradient): every
     * other one needs the penultimate features h and, except Mahalanobis, KNN and relative
     * Mahalanobis, the last layer f = W h + b.
     */
    public static final java.util.Set<String> OUTPUT_ONLY =
            java.util.Set.of("msp", "odin", "energy", "maxlogit", "kl-matching", "gen");

    /**
     * Whether a detector needs the penultimate features (a {@link dev.oodlab.nn.Classifier}).
     *
     * @param name a detector name, in any case
     * @return {@code false} for the {@link #OUTPUT_ONLY} detectors
     * @throws IllegalArgumentException for an unknown name
     */
    public static boolean needsFeatures(String name) {
        return !OUTPUT_ONLY.contains(checkName(name));
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

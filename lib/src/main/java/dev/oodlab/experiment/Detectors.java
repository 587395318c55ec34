package dev.oodlab.experiment;

import dev.oodlab.data.ImageSet;
import dev.oodlab.detect.Ash;
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

/** The post-hoc detectors by name, with their papers' defaults. */
public final class Detectors {

    /** The names {@link #create} accepts. */
    public static final List<String> NAMES =
            List.of(
                    "msp",
                    "odin",
                    "energy",
                    "mahalanobis",
                    "maxlogit",
                    "kl-matching",
                    "gen",
                    "react",
                    "ash-p",
                    "ash-b",
                    "ash-s",
                    "scale",
                    "dice",
                    "knn",
                    "vim",
                    "gradnorm",
                    "rmd");

    /** The word that {@link #parseList} expands to every name of {@link #NAMES}. */
    public static final String ALL = "all";

    private Detectors() {}

    /**
     * Checks a detector name.
     *
     * @param name a name
     * @return the name in lower case
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static String checkName(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        if (!NAMES.contains(key)) {
            throw new IllegalArgumentException(
                    "unknown detector '" + name + "'; known: " + String.join(", ", NAMES));
        }
        return key;
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
                                + ALL);
            }
            List<String> expanded = name.equalsIgnoreCase(ALL) ? NAMES : List.of(checkName(name));
            for (String n : expanded) {
                if (!names.contains(n)) {
                    names.add(n);
                }
            }
        }
        return List.copyOf(names);
    }

    /**
     * The named detector for a trained network: {@code msp} ({@link MaxSoftmax}), {@code odin}
     * ({@link Odin}, T = 1000, ε = 0.0014), {@code energy} ({@link Energy}, T = 1), {@code
     * mahalanobis} ({@link Mahalanobis} fitted on the training set, no input pre-processing),
     * {@code maxlogit} ({@link MaxLogit}), {@code kl-matching} ({@link KlMatching}), {@code gen}
     * ({@link GeneralizedEntropy}, γ = 0.1, M = min(100, K)), {@code react} ({@link React}, 90th
     * percentile), {@code ash-p}, {@code ash-b}, {@code ash-s} ({@link Ash}, p = 90), {@code scale}
     * ({@link Scale}, p = 85), {@code dice} ({@link Dice}, sparsity 0.9), {@code knn} ({@link Knn},
     * k = 50), {@code vim} ({@link Vim}, the paper's principal dimension), {@code gradnorm} ({@link
     * GradNorm}) and {@code rmd} ({@link RelativeMahalanobis}). Those fitted on training statistics
     * read the training set once, here.
     *
     * @param name one of {@link #NAMES}
     * @param network the trained network
     * @param train the training set (read only by the fitted detectors)
     * @param batchSize images per forward pass when fitting
     * @return the detector
     */
    public static OodScorer create(
            String name, Network network, Supplier<ImageSet> train, int batchSize) {
        return switch (checkName(name)) {
            case "msp" -> new MaxSoftmax();
            case "odin" -> new Odin();
            case "energy" -> new Energy();
            case "mahalanobis" -> Mahalanobis.fit(network, train.get(), batchSize);
            case "maxlogit" -> new MaxLogit();
            case "kl-matching" -> KlMatching.fit(network, train.get(), batchSize);
            case "gen" -> new GeneralizedEntropy();
            case "react" -> React.fit(network, train.get(), batchSize);
            case "ash-p" -> new Ash(Ash.Variant.PRUNE);
            case "ash-b" -> new Ash(Ash.Variant.BINARIZE);
            case "ash-s" -> new Ash(Ash.Variant.SCALE);
            case "scale" -> new Scale();
            case "dice" -> Dice.fit(network, train.get(), batchSize);
            case "knn" -> Knn.fit(network, train.get(), batchSize);
            case "vim" -> Vim.fit(network, train.get(), batchSize);
            case "gradnorm" -> new GradNorm();
            case "rmd" -> RelativeMahalanobis.fit(network, train.get(), batchSize);
            default -> throw new IllegalStateException(name);
        };
    }
}

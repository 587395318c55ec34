package dev.oodlab.experiment;

import dev.oodlab.data.ImageSet;
import dev.oodlab.detect.Energy;
import dev.oodlab.detect.Mahalanobis;
import dev.oodlab.detect.MaxSoftmax;
import dev.oodlab.detect.Odin;
import dev.oodlab.detect.OodScorer;
import dev.oodlab.nn.Network;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** The post-hoc detectors by name, with their papers' defaults. */
public final class Detectors {

    /** The names {@link #create} accepts. */
    public static final List<String> NAMES = List.of("msp", "odin", "energy", "mahalanobis");

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
     * The named detector for a trained network: {@code msp} ({@link MaxSoftmax}), {@code odin}
     * ({@link Odin}, T = 1000, ε = 0.0014), {@code energy} ({@link Energy}, T = 1), {@code
     * mahalanobis} ({@link Mahalanobis} fitted on the training set, no input pre-processing).
     *
     * @param name one of {@link #NAMES}
     * @param network the trained network
     * @param train the training set (only Mahalanobis reads it)
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
            default -> throw new IllegalStateException(name);
        };
    }
}

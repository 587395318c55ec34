package dev.oodlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.oodlab.cli.EvaluateCommand;
import dev.oodlab.cli.TrainCommand;
import dev.oodlab.data.ImageSet;
import dev.oodlab.detect.DetectorDescriptor;
import dev.oodlab.detect.Energy;
import dev.oodlab.detect.MaxSoftmax;
import dev.oodlab.detect.Odin;
import dev.oodlab.detect.OodScorer;
import dev.oodlab.nn.Network;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The list of detectors: names, {@code all}, and the one-line errors of bad input. */
class DetectorsTest {

    private static final Set<String> OUTPUT_ONLY =
            Set.of("msp", "odin", "energy", "maxlogit", "kl-matching", "gen");

    @Test
    void allExpandsToEveryDetectorInOrder() {
        assertEquals(Detectors.NAMES, Detectors.parseList("all"));
        assertEquals(Detectors.NAMES, Detectors.parseList("msp,ALL"));
    }

    @Test
    void aListKeepsItsOrderAndDropsRepeats() {
        assertEquals(List.of("knn", "msp", "ash-s"), Detectors.parseList("knn, MSP,ash-s,knn"));
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Detectors.parseList("msp,lof"));
        assertEquals(
                "unknown detector 'lof'; known: " + String.join(", ", Detectors.NAMES),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Detectors.parseList("msp,,knn"));
    }

    @Test
    void theCommandLineHelpNamesEveryDetector() {
        String evaluate = new CommandLine(new EvaluateCommand()).getUsageMessage();
        String train = new CommandLine(new TrainCommand()).getUsageMessage();
        for (String name : Detectors.NAMES) {
            assertTrue(evaluate.contains(name), "evaluate --help lacks " + name);
            assertTrue(train.contains(name), "train --help lacks " + name);
        }
    }

    @Test
    void featureDetectorsOnAModelWithoutFeaturesFailInOneLine() {
        SequentialBlock plain =
                new SequentialBlock()
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(3).build());
        float[] px = new float[60 * 4];
        int[] labels = new int[60];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i * 37 % 11) / 10f;
        }
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 3;
        }
        ImageSet train = new ImageSet("plain/train", px, labels, 3, 1, 2, 2);
        try (Network network = Network.of(plain, new Shape(1, 2, 2), 3, 1);
                NDManager m = network.manager().newSubManager()) {
            for (String name : Detectors.NAMES) {
                if (OUTPUT_ONLY.contains(name)) {
                    OodScorer scorer = Detectors.create(name, network, () -> train, 16);
                    assertEquals(4, scorer.scores(network, m.ones(new Shape(4, 1, 2, 2))).length);
                    continue;
                }
                IllegalArgumentException e =
                        assertThrows(
                                IllegalArgumentException.class,
                                () ->
                                        Detectors.create(name, network, () -> train, 16)
                                                .scores(network, m.ones(new Shape(4, 1, 2, 2))),
                                name);
                assertEquals(
                        "detector "
                                + name
                                + " needs penultimate features, but the model (SequentialBlock)"
                                + " is not a Classifier that exposes them",
                        e.getMessage());
            }
        }
    }

    @Test
    void namesAreTheListsInItsOrder() {
        assertEquals(
                Detectors.DESCRIPTORS.stream().map(DetectorDescriptor::name).toList(),
                Detectors.NAMES);
        assertEquals(Detectors.DEFAULT, Detectors.NAMES.get(0));
        assertTrue(Detectors.NAMES.containsAll(List.of("msp", "odin", "energy", "mahalanobis")));
    }

    @Test
    void detectorsWithoutFittingNeedNoNetworkToBeBuilt() {
        assertInstanceOf(MaxSoftmax.class, Detectors.create("MSP", null, () -> null, 1));
        assertInstanceOf(Odin.class, Detectors.create("odin", null, () -> null, 1));
        assertInstanceOf(Energy.class, Detectors.create("energy", null, () -> null, 1));
    }

    @Test
    void onlyMspReusesTheConfidences() {
        List<String> reusing =
                Detectors.DESCRIPTORS.stream()
                        .filter(DetectorDescriptor::scoresAreMaxSoftmax)
                        .map(DetectorDescriptor::name)
                        .toList();
        assertEquals(List.of("msp"), reusing);
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Detectors.checkName("knn?"));
        assertEquals(
                "unknown detector 'knn?'; known: " + String.join(", ", Detectors.NAMES),
                e.getMessage());
    }
}

package dev.oodlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oodlab.detect.DetectorDescriptor;
import dev.oodlab.detect.Energy;
import dev.oodlab.detect.MaxSoftmax;
import dev.oodlab.detect.Odin;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The list of detectors. */
class DetectorsTest {

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

package dev.oodlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.oodlab.data.Datasets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an {@link Experiment} on CIFAR-10 takes by default (no data or training needed). */
class Cifar10ExperimentTest {

    @Test
    void cifar10DefaultsToThePapersEightOodSets() {
        Experiment e = Experiment.builder().setMethod("ce").optDataset("cifar10").build();
        assertEquals(
                List.of(
                        "svhn",
                        "tinyimagenet-crop",
                        "tinyimagenet-resize",
                        "lsun-crop",
                        "lsun-resize",
                        "isun",
                        "uniform",
                        "gaussian"),
                e.oodSets());
        assertEquals(
                List.of("mnist", "uniform", "gaussian"),
                Experiment.builder().setMethod("ce").build().oodSets());
        assertEquals(
                List.of("svhn"),
                Experiment.builder()
                        .setMethod("ce")
                        .optDataset("cifar10")
                        .optOodSets(List.of("svhn"))
                        .build()
                        .oodSets());
    }

    @Test
    void theFgsmStepDefaultsTo8Over255OnCifar10Only() {
        for (String method : List.of("adversarial-mixup", "m-tlat")) {
            MethodOptions cifar =
                    Experiment.builder()
                            .setMethod(method)
                            .optDataset("cifar10")
                            .build()
                            .methodOptions();
            assertEquals(8.0 / 255, cifar.epsilon(), 0.0, method);
            assertNull(
                    Experiment.builder().setMethod(method).build().methodOptions().epsilon(),
                    method + " on Fashion-MNIST keeps the method's own default");
        }
        MethodOptions given =
                Experiment.builder()
                        .setMethod("adversarial-mixup")
                        .optDataset("cifar10")
                        .optMethodOptions(new MethodOptions(0.5, 0.02, null, null))
                        .build()
                        .methodOptions();
        assertEquals(0.02, given.epsilon(), 0.0, "a given epsilon is kept");
        assertEquals(0.5, given.alpha(), 0.0);
        assertNull(
                Experiment.builder()
                        .setMethod("mixup")
                        .optDataset("cifar10")
                        .build()
                        .methodOptions()
                        .epsilon(),
                "mixup has no epsilon");
    }

    @Test
    void anEmptyOodListOrNegativeTestSubsetIsRefused() {
        IllegalArgumentException empty =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Experiment.builder().setMethod("ce").optOodSets(List.of()).build());
        assertEquals("at least one OOD set is needed", empty.getMessage());
        IllegalArgumentException test =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Experiment.builder().setMethod("ce").optTestSubset(-1).build());
        assertEquals("test subset must be >= 0, got -1", test.getMessage());
        assertEquals(Datasets.CIFAR10_OOD, Datasets.defaultOodSets("CIFAR10"));
    }
}

package dev.oodlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.oodlab.data.Datasets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How {@link Main} turns an exception into its one line: the operating system's reason is kept
 * wherever a wrapping message leaves it out.
 */
class MainTest {

    @Test
    void aFileSystemErrorThatIsOnlyAPathSaysWhy() {
        assertEquals(
                "/data/model.params: permission denied",
                Main.message(new AccessDeniedException("/data/model.params")));
        assertEquals(
                "/data/x: no such file or folder",
                Main.message(new NoSuchFileException("/data/x")));
    }

    @Test
    void aWrappedPermissionErrorKeepsPermissionDenied() {
        IOException denied = new AccessDeniedException("/runs/a.checkpoint/epoch-0001");
        assertEquals(
                "cannot write checkpoint to /runs/a.checkpoint/epoch-0001:"
                        + " /runs/a.checkpoint/epoch-0001: permission denied",
                Main.message(
                        new UncheckedIOException(
                                "cannot write checkpoint to /runs/a.checkpoint/epoch-0001: "
                                        + denied.getMessage(),
                                denied)));
        // a reason the message already gives is not repeated
        FileSystemException busy =
                new FileSystemException("/runs/a", null, "Device or resource busy");
        assertEquals(
                "cannot move /runs/a: Device or resource busy",
                Main.message(
                        new UncheckedIOException(
                                "cannot move /runs/a: Device or resource busy", busy)));
    }

    @Test
    void aFullDiskIsNamedEvenWhenTheWrappingMessageDropsIt() {
        assertEquals(
                "cannot write parameters to /runs/a/model.params: No space left on device",
                Main.message(
                        new UncheckedIOException(
                                "cannot write parameters to /runs/a/model.params",
                                new IOException("No space left on device"))));
    }

    @Test
    void mnistIsNeverItsOwnDefaultOodSet() {
        assertEquals(List.of("uniform", "gaussian"), Datasets.defaultOodSets("mnist"));
        assertEquals(
                List.of("mnist", "uniform", "gaussian"), Datasets.defaultOodSets("fashion-mnist"));
    }
}

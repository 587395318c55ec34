package dev.oodlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CheckpointLock} within one process (the lock between processes is tested with real JVMs in
 * {@code TrainResumeTest}).
 */
class CheckpointLockTest {

    @TempDir Path dir;

    @Test
    void theLockFileNamesItsOwnerAndIsEmptiedAndRemovedOnRelease() throws IOException {
        Path folder = dir.resolve("run.checkpoint");
        try (CheckpointLock lock = CheckpointLock.acquire(folder, null)) {
            JsonObject owner =
                    JsonParser.parseString(Files.readString(folder.resolve(CheckpointFolder.LOCK)))
                            .getAsJsonObject();
            assertEquals(ProcessHandle.current().pid(), owner.get("pid").getAsLong());
            assertEquals(CheckpointLock.host(), owner.get("host").getAsString());
            assertTrue(owner.has("started"));
        }
        assertFalse(Files.exists(folder), "a folder that held only the lock is removed");
    }

    @Test
    void aSecondRunInTheSameProcessIsRefusedUntilTheFirstEnds() {
        Path folder = dir.resolve("run.checkpoint");
        CheckpointLock first = CheckpointLock.acquire(folder, null);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> CheckpointLock.acquire(folder, null));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                folder
                                        + " is in use by another run, process "
                                        + ProcessHandle.current().pid()),
                e.getMessage());
        first.close();
        first.close(); // twice: harmless
        CheckpointLock.acquire(folder, null).close();
    }

    @Test
    void aLockLeftByAProcessThatEndedIsTakenOverAndSaidSo() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("run.checkpoint"));
        Files.writeString(
                folder.resolve(CheckpointFolder.LOCK),
                "{\"pid\": 999999999, \"host\": \"h1\", \"started\": \"2025-01-02T03:04:05Z\"}\n");
        Files.writeString(folder.resolve(CheckpointFolder.SETTINGS), "{}");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (CheckpointLock lock =
                CheckpointLock.acquire(
                        folder, new PrintStream(log, true, StandardCharsets.UTF_8))) {
            assertTrue(
                    Files.readString(folder.resolve(CheckpointFolder.LOCK))
                            .contains("\"pid\":" + ProcessHandle.current().pid()));
        }
        assertEquals(
                "lock: took over the lock of "
                        + folder
                        + " left by process 999999999 on host h1 (started 2025-01-02T03:04:05Z),"
                        + " which ended without releasing it",
                log.toString(StandardCharsets.UTF_8).strip());
        // released normally: the file stays (the folder holds more), empty
        assertEquals("", Files.readString(folder.resolve(CheckpointFolder.LOCK)));
    }
}

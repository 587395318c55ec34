package dev.oodlab.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The process's resident memory (Linux {@code /proc/self/status}, line {@code VmRSS}), which
 * includes native memory that libtorch holds and the JVM heap does not show. Used to check that a
 * training run does not leak from one epoch to the next.
 */
public final class ProcessMemory {

    private static final Path STATUS = Paths.get("/proc/self/status");

    private ProcessMemory() {}

    /**
     * The resident set size now.
     *
     * @return bytes, or -1 where {@code /proc/self/status} is not available (not Linux)
     */
    public static long residentBytes() {
        try {
            return residentBytes(Files.readString(STATUS, StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Parses the {@code VmRSS: 123456 kB} line of a {@code /proc/<pid>/status} text.
     *
     * @param status the file's text
     * @return bytes, or -1 if the text has no such line
     */
    static long residentBytes(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                long value = Long.parseLong(parts[0]);
                return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value;
            }
        }
        return -1;
    }
}

package dev.oodlab.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the benchmarks say about the machine: the CPU's theoretical FP32 peak, the load average and
 * the process's resident memory, all read from {@code /proc}.
 *
 * <p><b>Theoretical peak</b> = cores × clock × FP32 FLOPs per cycle per core, the rule of the peer
 * script {@code cpu_peak.py}:
 *
 * <ul>
 *   <li>cores: the processors this JVM may use ({@code Runtime.availableProcessors()});
 *   <li>clock: the {@code cpu MHz} line of {@code /proc/cpuinfo} (in a VM the TSC frequency; no
 *       boost is assumed), else BogoMIPS / 2;
 *   <li>FLOPs per cycle from the ISA flags and the micro-architecture: AMD Zen 1 (family 0x17,
 *       model &lt; 0x30) 2 × 128-bit FMA = 16; later AMD with AVX2 + FMA 2 × 256-bit FMA = 32;
 *       otherwise {@code avx512f} 2 × 512-bit FMA = 64 (assumed two FMA units), AVX2 + FMA 32, AVX
 *       16, else SSE 8.
 * </ul>
 */
public final class BenchMachine {

    /**
     * The first processor's block of {@code /proc/cpuinfo}, and the peak derived from it.
     *
     * @param modelName the {@code model name} line
     * @param cores the cores counted
     * @param gigahertz the clock used
     * @param flopsPerCycle FP32 FLOPs per cycle per core
     * @param reason why that many FLOPs per cycle (the rule that matched)
     */
    public record Peak(
            String modelName, int cores, double gigahertz, int flopsPerCycle, String reason) {

        /**
         * The theoretical FP32 peak.
         *
         * @return cores × GHz × FLOPs per cycle, in GFLOP/s
         */
        public double gflops() {
            return cores * gigahertz * flopsPerCycle;
        }

        /**
         * How the peak was derived, e.g. {@code 2 cores x 2.600 GHz x 64 FLOP/cycle (AVX-512 ...)}.
         *
         * @return one line
         */
        public String derivation() {
            return String.format(
                    Locale.ROOT,
                    "%d cores x %.3f GHz x %d FP32 FLOP/cycle (%s) = %.1f GFLOP/s",
                    cores,
                    gigahertz,
                    flopsPerCycle,
                    reason,
                    gflops());
        }
    }

    private BenchMachine() {}

    /**
     * The peak of this machine, from {@code /proc/cpuinfo}.
     *
     * @return the peak; {@code null} where {@code /proc/cpuinfo} cannot be read
     */
    public static Peak peak() {
        try {
            String text = Files.readString(Paths.get("/proc/cpuinfo"), StandardCharsets.ISO_8859_1);
            return peak(text, Runtime.getRuntime().availableProcessors());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The peak described by a {@code /proc/cpuinfo} text.
     *
     * @param cpuinfo the file's text (only the first processor's block is read)
     * @param cores the number of cores to count
     * @return the peak
     * @throws IllegalArgumentException if the text has neither {@code cpu MHz} nor {@code bogomips}
     */
    public static Peak peak(String cpuinfo, int cores) {
        Map<String, String> info = firstBlock(cpuinfo);
        double mhz = number(info.get("cpu MHz"));
        double bogomips = number(info.get("bogomips"));
        double ghz = mhz > 0 ? mhz / 1000 : bogomips / 2000;
        if (!(ghz > 0)) {
            throw new IllegalArgumentException(
                    "/proc/cpuinfo has neither 'cpu MHz' nor 'bogomips'");
        }
        Set<String> flags = Set.of(info.getOrDefault("flags", "").trim().split("\\s+"));
        String vendor = info.getOrDefault("vendor_id", "");
        int family = (int) number(info.get("cpu family"));
        int model = (int) number(info.get("model"));
        int flops;
        String reason;
        if (vendor.equals("AuthenticAMD") && family >= 0x1A && flags.contains("avx512f")) {
            // Zen 5 (family 1Ah) executes 512-bit FMAs natively on its server parts; Zen 4
            // (19h) splits them into two 256-bit halves and stays at 32 below
            flops = 64;
            reason = "AMD Zen 5, 2x512-bit FMA";
        } else if (vendor.equals("AuthenticAMD") && family == 0x17 && model < 0x30) {
            flops = 16;
            reason = "AMD Zen 1, 2x128-bit FMA";
        } else if (vendor.equals("AuthenticAMD")
                && family >= 0x17
                && flags.contains("avx2")
                && flags.contains("fma")) {
            flops = 32;
            reason = "AMD Zen 2 or later, 2x256-bit FMA";
        } else if (flags.contains("avx512f")) {
            flops = 64;
            reason = "AVX-512, 2 FMA units assumed";
        } else if (flags.contains("avx2") && flags.contains("fma")) {
            flops = 32;
            reason = "AVX2 + FMA, 2 FMA units";
        } else if (flags.contains("avx")) {
            flops = 16;
            reason = "AVX without FMA";
        } else {
            flops = 8;
            reason = "SSE";
        }
        return new Peak(info.getOrDefault("model name", "unknown"), cores, ghz, flops, reason);
    }

    /**
     * The 1-, 5- and 15-minute load averages from {@code /proc/loadavg}.
     *
     * @return three numbers, or {@code null} where the file cannot be read
     */
    public static double[] loadAverage() {
        try {
            String[] parts =
                    Files.readString(Paths.get("/proc/loadavg"), StandardCharsets.US_ASCII)
                            .trim()
                            .split("\\s+");
            return new double[] {
                Double.parseDouble(parts[0]),
                Double.parseDouble(parts[1]),
                Double.parseDouble(parts[2])
            };
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The load averages as text, e.g. {@code 0.12 0.30 0.41}.
     *
     * @return the three numbers, or {@code unknown}
     */
    public static String loadAverageText() {
        double[] load = loadAverage();
        return load == null
                ? "unknown"
                : String.format(Locale.ROOT, "%.2f %.2f %.2f", load[0], load[1], load[2]);
    }

    /**
     * This process's resident memory: the {@code VmRSS} line of {@code /proc/self/status}.
     *
     * @return bytes, or −1 where it cannot be read
     */
    public static long residentBytes() {
        return residentBytes(Paths.get("/proc/self/status"));
    }

    /**
     * The {@code VmRSS} line of a {@code /proc/<pid>/status}-style file.
     *
     * @param status the file
     * @return bytes, or −1 where the file or the line is missing
     */
    static long residentBytes(Path status) {
        try {
            List<String> lines = Files.readAllLines(status, StandardCharsets.ISO_8859_1);
            for (String line : lines) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    long value = Long.parseLong(parts[0]);
                    String unit = parts.length > 1 ? parts[1] : "kB";
                    return unit.equalsIgnoreCase("kB") ? value * 1024 : value;
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static Map<String, String> firstBlock(String cpuinfo) {
        Map<String, String> info = new LinkedHashMap<>();
        for (String line : cpuinfo.split("\n")) {
            if (line.isBlank()) {
                if (!info.isEmpty()) {
                    break;
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                info.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        return info;
    }

    private static double number(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

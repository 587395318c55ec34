package dev.oodlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The theoretical peak from /proc/cpuinfo texts, and VmRSS parsing. */
class BenchMachineTest {

    @TempDir Path dir;

    private static String cpuinfo(String vendor, int family, int model, String mhz, String flags) {
        return "processor\t: 0\n"
                + "vendor_id\t: "
                + vendor
                + "\n"
                + "cpu family\t: "
                + family
                + "\n"
                + "model\t\t: "
                + model
                + "\n"
                + "model name\t: Test CPU\n"
                + (mhz == null ? "" : "cpu MHz\t\t: " + mhz + "\n")
                + "flags\t\t: "
                + flags
                + "\n"
                + "bogomips\t: 4890.86\n"
                + "\n"
                + "processor\t: 1\n"
                + "vendor_id\t: GenuineIntel\n"
                + "flags\t\t: sse\n";
    }

    @Test
    void zen3WithAvx2IsThirtyTwoFlopsPerCycle() {
        // The peer's machine (RESULTS.md): 2 x 2.4454 GHz x 32 = 156.5 GFLOP/s.
        BenchMachine.Peak peak =
                BenchMachine.peak(
                        cpuinfo("AuthenticAMD", 25, 1, "2445.4", "fpu avx avx2 fma f16c"), 2);
        assertEquals(32, peak.flopsPerCycle());
        assertEquals(2.4454, peak.gigahertz(), 1e-9);
        assertEquals(156.5056, peak.gflops(), 1e-9);
        assertEquals("Test CPU", peak.modelName());
    }

    @Test
    void zen5WithAvx512IsSixtyFourAndZen4ThirtyTwo() {
        // family 26 (1Ah), as /proc/cpuinfo of an AMD EPYC Zen 5 guest shows it
        BenchMachine.Peak zen5 =
                BenchMachine.peak(
                        cpuinfo("AuthenticAMD", 26, 2, "2096.042", "avx avx2 fma avx512f"), 2);
        assertEquals(64, zen5.flopsPerCycle());
        assertEquals(2 * 2.096042 * 64, zen5.gflops(), 1e-9);
        assertEquals(
                32,
                BenchMachine.peak(cpuinfo("AuthenticAMD", 25, 17, "2400", "avx2 fma avx512f"), 2)
                        .flopsPerCycle());
    }

    @Test
    void zen1IsSixteenAndIntelAvx512IsSixtyFour() {
        assertEquals(
                16,
                BenchMachine.peak(cpuinfo("AuthenticAMD", 0x17, 1, "2000", "avx avx2 fma"), 1)
                        .flopsPerCycle());
        BenchMachine.Peak intel =
                BenchMachine.peak(
                        cpuinfo("GenuineIntel", 6, 167, "2599.998", "avx avx2 fma avx512f"), 2);
        assertEquals(64, intel.flopsPerCycle());
        assertEquals(2 * 2.599998 * 64, intel.gflops(), 1e-9);
        assertEquals(
                32,
                BenchMachine.peak(cpuinfo("GenuineIntel", 6, 85, "3000", "avx avx2 fma"), 1)
                        .flopsPerCycle());
        assertEquals(
                16,
                BenchMachine.peak(cpuinfo("GenuineIntel", 6, 42, "3000", "sse avx"), 1)
                        .flopsPerCycle());
        assertEquals(
                8,
                BenchMachine.peak(cpuinfo("GenuineIntel", 6, 15, "3000", "sse sse2"), 1)
                        .flopsPerCycle());
    }

    @Test
    void withoutCpuMhzTheClockIsHalfTheBogomips() {
        BenchMachine.Peak peak =
                BenchMachine.peak(cpuinfo("GenuineIntel", 6, 85, null, "avx avx2 fma"), 1);
        assertEquals(2.44543, peak.gigahertz(), 1e-9);
    }

    @Test
    void aTextWithoutAClockIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> BenchMachine.peak("flags : avx\n", 1));
    }

    @Test
    void residentBytesReadsVmRssInKilobytes() throws IOException {
        Path status = dir.resolve("status");
        Files.writeString(
                status, "Name:\tjava\nVmPeak:\t 999 kB\nVmRSS:\t  123456 kB\nThreads: 9\n");
        assertEquals(123456L * 1024, BenchMachine.residentBytes(status));
        Files.writeString(status, "Name:\tjava\n");
        assertEquals(-1, BenchMachine.residentBytes(status));
        assertEquals(-1, BenchMachine.residentBytes(dir.resolve("absent")));
    }
}

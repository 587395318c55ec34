package dev.oodlab;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/**
 * Process-wide settings that must be in place before DJL's engine starts.
 *
 * <p>DJL reads its thread counts and offline flag once, when the PyTorch engine loads; charts need
 * a headless AWT. {@link #init()} sets each of these system properties unless the user already set
 * it, so a notebook, the CLI and the tests all run with the same defaults:
 *
 * <ul>
 *   <li>{@code ai.djl.offline=true}: never download natives or models at run time;
 *   <li>{@code ai.djl.pytorch.num_threads} = available processors, {@code
 *       ai.djl.pytorch.num_interop_threads=1} (measured faster on small models);
 *   <li>the OpenMP wait policy of libtorch's threads, in the native environment ({@code
 *       OMP_WAIT_POLICY}), unless the environment already sets it: chosen by {@link
 *       #ompWaitPolicy(double, int)} from the cores other processes keep busy when the library
 *       starts, watched for 150 ms (else from the 1-minute load average; system property {@code
 *       oodlab.omp_wait_policy}: {@code auto}, the default; {@code PASSIVE}; {@code ACTIVE}; {@code
 *       default} keeps the OpenMP runtime's own). The runtime's default (threads spin briefly after
 *       each parallel region, then sleep) made training 1.6–2.3× faster on an idle 2-core machine;
 *       on a machine shared with other busy processes a spinning thread that loses its core stalls
 *       every parallel region, and training ran 10–30× slower than with {@code PASSIVE}, whose
 *       threads sleep (measured, see docs/benchmarks.md);
 *   <li>glibc's allocator keeps freed blocks of up to {@value #MMAP_THRESHOLD_BYTES} bytes for
 *       reuse ({@code mallopt(M_MMAP_THRESHOLD)}, {@code mallopt(M_TRIM_THRESHOLD)}) unless the
 *       environment sets {@code MALLOC_MMAP_THRESHOLD_} or the system property {@code
 *       oodlab.malloc} is {@code default}. libtorch allocates a fresh tensor for most operations
 *       (the optimizer's temporaries, activations); by default glibc maps blocks of a few hundred
 *       kilobytes from the kernel and returns them on free, so every step paid for page faults on
 *       memory it had just released. Measured: LeNet training +30–45 % img/s, MLP +0–40 %
 *       (docs/benchmarks.md);
 *   <li>{@code java.awt.headless=true};
 *   <li>slf4j-simple logs warnings and errors only.
 * </ul>
 *
 * <p>Every entry point of the library that creates NDArrays or charts calls {@code init()} first;
 * calling it again is free.
 */
public final class OodLab {

    /** The seed used wherever the caller gives none. */
    public static final long DEFAULT_SEED = 42L;

    /** Environment variable that switches notebooks and long runs into their quick mode. */
    public static final String QUICK_ENV = "OODLAB_QUICK";

    /**
     * System property with the OpenMP wait policy {@link #init()} puts into the native environment
     * ({@code PASSIVE} unless set; {@code default} leaves the runtime's own).
     */
    public static final String OMP_WAIT_POLICY_PROPERTY = "oodlab.omp_wait_policy";

    private static volatile String chosenWaitPolicy = "not set";

    /**
     * System property that switches off the allocator settings of {@link #init()} ({@code
     * default}).
     */
    public static final String MALLOC_PROPERTY = "oodlab.malloc";

    /** Blocks up to this size come from the heap and are kept for reuse (32 MiB). */
    public static final int MMAP_THRESHOLD_BYTES = 32 << 20;

    /** Free memory at the top of the heap up to this size is kept, not returned (512 MiB). */
    public static final int TRIM_THRESHOLD_BYTES = 512 << 20;

    private static volatile boolean initialised;

    private OodLab() {}

    /** Sets the engine, AWT and logging properties that are not already set. Idempotent. */
    public static void init() {
        if (initialised) {
            return;
        }
        synchronized (OodLab.class) {
            if (initialised) {
                return;
            }
            setIfAbsent("ai.djl.offline", "true");
            String policy = System.getProperty(OMP_WAIT_POLICY_PROPERTY, "auto");
            String why = "";
            if (System.getenv("OMP_WAIT_POLICY") == null && policy.equalsIgnoreCase("auto")) {
                int processors = Runtime.getRuntime().availableProcessors();
                double busy = otherBusyCores();
                if (busy >= 0) {
                    why =
                            String.format(
                                    Locale.ROOT,
                                    " (other processes busy on %.2f of %d cores at start)",
                                    busy,
                                    processors);
                } else {
                    busy = loadAverage();
                    why = String.format(Locale.ROOT, " (1-minute load average %.2f)", busy);
                }
                policy = ompWaitPolicy(busy, processors);
            }
            if (System.getenv("OMP_WAIT_POLICY") != null) {
                chosenWaitPolicy = System.getenv("OMP_WAIT_POLICY") + " (from the environment)";
            } else {
                chosenWaitPolicy = policy + why;
                setNativeEnvironment("OMP_WAIT_POLICY", policy);
            }
            keepFreedBlocks();
            setIfAbsent(
                    "ai.djl.pytorch.num_threads",
                    Integer.toString(Runtime.getRuntime().availableProcessors()));
            setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
            setIfAbsent("ai.djl.pytorch.graph_optimizer", "false");
            setIfAbsent("java.awt.headless", "true");
            setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            // DJL probes for CUDA on every start and warns when there is no GPU: not news on CPU.
            setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
            initialised = true;
        }
    }

    /**
     * The OpenMP wait policy for a machine on which other processes keep {@code load} cores busy
     * when the library starts: {@code default} below 0.75 × {@code processors}, else {@code
     * PASSIVE}; {@code PASSIVE} when the load is unknown (negative or NaN). {@code default} leaves
     * the OpenMP runtime's own policy: threads spin for a short while after each parallel region,
     * then sleep, which is fastest when the cores are free. {@code PASSIVE} threads sleep at once,
     * so that other busy processes do not stall every parallel region. {@code ACTIVE}, spinning
     * without end, is never chosen: idle threads would keep their cores busy, e.g. between notebook
     * cells.
     *
     * @param load the 1-minute load average, or a negative number if unknown
     * @param processors the processors available to the JVM
     * @return {@code default} or {@code PASSIVE}
     */
    public static String ompWaitPolicy(double load, int processors) {
        return load >= 0 && load < 0.75 * processors ? "default" : "PASSIVE";
    }

    /**
     * The OpenMP wait policy {@link #init()} chose, as the benchmarks report it: {@code PASSIVE},
     * {@code default} (the runtime's: a short spin, then sleep), or the environment's value.
     */
    public static String ompWaitPolicy() {
        return chosenWaitPolicy;
    }

    /** How long {@link #otherBusyCores()} watches the machine. */
    private static final long BUSY_SAMPLE_MILLIS = 150;

    /**
     * Cores kept busy by other processes right now: the machine's busy CPU time ({@code
     * /proc/stat}) over {@value #BUSY_SAMPLE_MILLIS} ms, less this process's own ({@code
     * /proc/self/stat}), in cores. Unlike the 1-minute load average it does not count a process
     * that has just finished, such as the previous benchmark or notebook: with the load average, a
     * run started right after another chose {@code PASSIVE} on an idle machine and trained 1.5×
     * slower (docs/benchmarks.md, "The OpenMP wait policy"). Negative if the files cannot be read.
     */
    static double otherBusyCores() {
        try {
            Path stat = Paths.get("/proc/stat");
            Path self = Paths.get("/proc/self/stat");
            long[] before = cpuTicks(java.nio.file.Files.readString(stat));
            long ownBefore = processTicks(java.nio.file.Files.readString(self));
            Thread.sleep(BUSY_SAMPLE_MILLIS);
            long[] after = cpuTicks(java.nio.file.Files.readString(stat));
            long ownAfter = processTicks(java.nio.file.Files.readString(self));
            return busyCores(before, after, ownAfter - ownBefore);
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * The machine's CPU time from the text of {@code /proc/stat}: {busy, total, cpus}, in clock
     * ticks summed over all CPUs (busy = total − idle − iowait; steal counts as busy, since a host
     * that takes the cores away stalls spinning threads as well).
     *
     * @throws IllegalArgumentException if the text has no {@code cpu} line
     */
    static long[] cpuTicks(String procStat) {
        long busy = -1;
        long total = 0;
        long cpus = 0;
        for (String line : procStat.split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                // user nice system idle iowait irq softirq steal (guest time is inside user)
                for (int i = 1; i < f.length && i <= 8; i++) {
                    total += Long.parseLong(f[i]);
                }
                busy = total - Long.parseLong(f[4]) - (f.length > 5 ? Long.parseLong(f[5]) : 0);
            } else if (line.matches("cpu\\d+ .*")) {
                cpus++;
            }
        }
        if (busy < 0 || cpus == 0) {
            throw new IllegalArgumentException("no cpu lines in /proc/stat");
        }
        return new long[] {busy, total, cpus};
    }

    /**
     * This process's CPU time, user + system, in clock ticks, from the text of {@code
     * /proc/self/stat} (fields 14 and 15; the command name in parentheses may hold spaces).
     */
    static long processTicks(String procSelfStat) {
        String[] f = procSelfStat.substring(procSelfStat.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state): utime is field 14, stime field 15
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * Cores busy with other processes between two {@link #cpuTicks} samples, given this process's
     * own ticks in between: (Δbusy − own) ÷ (Δtotal ÷ cpus), at least 0.
     */
    static double busyCores(long[] before, long[] after, long ownTicks) {
        long total = after[1] - before[1];
        if (total <= 0) {
            throw new IllegalArgumentException("no time passed between the samples");
        }
        double perCpu = total / (double) after[2];
        return Math.max(0, (after[0] - before[0] - ownTicks) / perCpu);
    }

    private static double loadAverage() {
        try {
            String text =
                    java.nio.file.Files.readString(Paths.get("/proc/loadavg"))
                            .trim()
                            .split("\\s+")[0];
            return Double.parseDouble(text);
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Whether quick mode is on: the environment variable {@code OODLAB_QUICK} or the system
     * property {@code oodlab.quick} is {@code 1} or {@code true}. Notebooks and studies shrink
     * epochs and subsets in quick mode so that the whole series runs in CI within minutes.
     */
    public static boolean quickMode() {
        String value = System.getProperty("oodlab.quick", System.getenv(QUICK_ENV));
        return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
    }

    /**
     * System property naming the data directory; it takes precedence over {@code $OODLAB_DATA}
     * (tests and embedding programs set it, since a JVM cannot change its own environment).
     */
    public static final String DATA_DIRECTORY_PROPERTY = "oodlab.data";

    /**
     * The data directory: the system property {@value #DATA_DIRECTORY_PROPERTY} if set, else {@code
     * $OODLAB_DATA} if set, else {@code ~/.cache/oodlab}. The set-up script unpacks the MNIST
     * digits there, and the data-scripts download into it.
     */
    public static Path dataDirectory() {
        String property = System.getProperty(DATA_DIRECTORY_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Paths.get(property);
        }
        String env = System.getenv("OODLAB_DATA");
        if (env != null && !env.isBlank()) {
            return Paths.get(env);
        }
        return Paths.get(System.getProperty("user.home"), ".cache", "oodlab");
    }

    /**
     * A path as a reader of shared output should see it: under the user's home directory it is
     * written from {@code ~} ({@code ~/.cache/oodlab}), so that a notebook's committed outputs and
     * logs name no account of the machine that ran them; any other path is returned unchanged.
     *
     * @param path the path
     * @return the path as text, {@code ~/…} when it lies under {@code user.home}
     */
    public static String displayPath(Path path) {
        return displayPath(path, Paths.get(System.getProperty("user.home")));
    }

    /** {@link #displayPath(Path)} with the home directory given (for tests). */
    static String displayPath(Path path, Path home) {
        Path absolute = path.toAbsolutePath().normalize();
        Path h = home.toAbsolutePath().normalize();
        if (h.getNameCount() == 0 || !absolute.startsWith(h)) {
            return path.toString();
        }
        Path rest = h.relativize(absolute);
        return rest.toString().isEmpty() ? "~" : "~/" + rest.toString().replace('\\', '/');
    }

    /**
     * Sets a variable in the process's C environment (what libgomp reads when libtorch loads)
     * unless the environment already has it, or {@code value} is empty or {@code default}. Java
     * cannot change its environment, so this calls libc's {@code setenv} through JNA; where that
     * fails (another platform) nothing changes.
     */
    private static void setNativeEnvironment(String key, String value) {
        if (System.getenv(key) != null
                || value == null
                || value.isBlank()
                || value.equalsIgnoreCase("default")
                || com.sun.jna.Platform.isWindows()) {
            return;
        }
        try {
            com.sun.jna.NativeLibrary.getInstance(com.sun.jna.Platform.C_LIBRARY_NAME)
                    .getFunction("setenv")
                    .invokeInt(new Object[] {key, value, 0});
        } catch (RuntimeException | LinkageError e) {
            // Not fatal: the engine then runs with the OpenMP runtime's default wait policy.
        }
    }

    /**
     * Tells glibc's malloc to serve blocks below {@link #MMAP_THRESHOLD_BYTES} from its heap and to
     * keep up to {@link #TRIM_THRESHOLD_BYTES} of free memory instead of unmapping it, so that the
     * tensors libtorch allocates and frees at every step reuse memory that is already mapped.
     * Skipped where the environment sets the thresholds itself, where {@value #MALLOC_PROPERTY} is
     * {@code default}, and off Linux.
     */
    private static void keepFreedBlocks() {
        if (System.getenv("MALLOC_MMAP_THRESHOLD_") != null
                || "default".equalsIgnoreCase(System.getProperty(MALLOC_PROPERTY))
                || !com.sun.jna.Platform.isLinux()) {
            return;
        }
        try {
            com.sun.jna.Function mallopt =
                    com.sun.jna.NativeLibrary.getInstance(com.sun.jna.Platform.C_LIBRARY_NAME)
                            .getFunction("mallopt");
            final int mTrimThreshold = -1;
            final int mMmapThreshold = -3;
            mallopt.invokeInt(new Object[] {mMmapThreshold, MMAP_THRESHOLD_BYTES});
            mallopt.invokeInt(new Object[] {mTrimThreshold, TRIM_THRESHOLD_BYTES});
        } catch (RuntimeException | LinkageError e) {
            // Not fatal (e.g. a C library without mallopt): the allocator keeps its defaults.
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}

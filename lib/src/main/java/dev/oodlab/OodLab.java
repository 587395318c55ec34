package dev.oodlab;

import java.nio.file.Path;
import java.nio.file.Paths;

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
     * Whether quick mode is on: the environment variable {@code OODLAB_QUICK} or the system
     * property {@code oodlab.quick} is {@code 1} or {@code true}. Notebooks and studies shrink
     * epochs and subsets in quick mode so that the whole series runs in CI within minutes.
     */
    public static boolean quickMode() {
        String value = System.getProperty("oodlab.quick", System.getenv(QUICK_ENV));
        return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
    }

    /**
     * The data directory: {@code $OODLAB_DATA} if set, else {@code ~/.cache/oodlab}. The set-up
     * script unpacks the MNIST digits there, and the data-scripts download into it.
     */
    public static Path dataDirectory() {
        String env = System.getenv("OODLAB_DATA");
        if (env != null && !env.isBlank()) {
            return Paths.get(env);
        }
        return Paths.get(System.getProperty("user.home"), ".cache", "oodlab");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}

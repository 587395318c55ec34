package dev.oodlab.data;

import static dev.oodlab.data.ScriptRunner.env;
import static dev.oodlab.data.ScriptRunner.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.oodlab.data.ScriptRunner.Result;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/install-kernel.sh}: the kernelspec runs a copy of the kernel jar whose {@code
 * LoopThread} is {@code scripts/kernel-fix/LoopThread.java}, and a second run changes nothing. The
 * rapaio jar is a stand-in placed where the script keeps its download (so nothing is fetched),
 * holding a {@code LoopThread} with 3.0.1's two start faults: the running flag set after {@code
 * Thread.start()}, and a loop that ends on the first exception of its body.
 */
@Timeout(120)
class InstallKernelTest {

    private static final String PKG = "org.rapaio.jupyter.kernel.channels";
    private static final String LOOP = PKG + ".LoopThread";

    /** 3.0.1's LoopThread as the kernel has it (members and behaviour), written for this test. */
    private static final String ORIGINAL =
            """
            package org.rapaio.jupyter.kernel.channels;
            public final class LoopThread extends Thread {
                private volatile boolean running = false;
                private final long sleep;
                private final Runnable body;
                public LoopThread(String name, long sleep, Runnable body) {
                    super(name); this.sleep = sleep; this.body = body;
                }
                @Override public void run() {
                    while (running) {
                        body.run();
                        try { Thread.sleep(sleep); } catch (InterruptedException e) { running = false; return; }
                    }
                }
                @Override public synchronized void start() { super.start(); running = true; }
                public void shutdown() { running = false; }
            }
            """;

    @TempDir Path tmp;
    private Path kdir;

    @BeforeEach
    void standIn() throws IOException {
        ScriptRunner.assumeTools("jupyter", "javac", "jar", "javap");
        assumeTrue(ToolProvider.getSystemJavaCompiler() != null, "no system Java compiler");
        kdir = tmp.resolve("jupyter/kernels/java");
        Files.createDirectories(kdir);
        Path classes = compile(ORIGINAL, tmp.resolve("original"));
        try (OutputStream f =
                        Files.newOutputStream(kdir.resolve("rapaio-jupyter-kernel-3.0.1.jar"));
                JarOutputStream jar = new JarOutputStream(f)) {
            String name = LOOP.replace('.', '/') + ".class";
            jar.putNextEntry(new JarEntry(name));
            jar.write(Files.readAllBytes(classes.resolve(name)));
            jar.closeEntry();
        }
    }

    private static Path compile(String source, Path dir) throws IOException {
        Path src = dir.resolve("src/LoopThread.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Path out = dir.resolve("classes");
        Files.createDirectories(out);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", out.toString(), src.toString());
        assertEquals(0, rc, "the stand-in compiles");
        return out;
    }

    private Result install() throws Exception {
        Map<String, String> env =
                env(
                        "HOME", tmp.resolve("home").toString(),
                        "JUPYTER_DATA_DIR", tmp.resolve("jupyter").toString());
        return run(tmp, env, "scripts/install-kernel.sh");
    }

    /** The jar that kernel.json's argv runs. */
    private Path kernelJar() throws IOException {
        String json = Files.readString(kdir.resolve("kernel.json"), StandardCharsets.UTF_8);
        List<String> jars = Stream.of(json.split("\"")).filter(s -> s.endsWith(".jar")).toList();
        assertEquals(1, jars.size(), json);
        return Path.of(jars.get(0));
    }

    private static Constructor<?> loopThread(Path jar, URLClassLoader[] keep) throws Exception {
        URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
        keep[0] = loader;
        return loader.loadClass(LOOP).getConstructor(String.class, long.class, Runnable.class);
    }

    /**
     * run() on a thread not yet started: with the flag true from construction the body runs (once,
     * as it shuts the loop down); with 3.0.1's flag, set only by start(), it does not run at all.
     */
    private static int turnsBeforeStart(Constructor<?> c) throws Exception {
        AtomicInteger turns = new AtomicInteger();
        Thread[] self = new Thread[1];
        self[0] =
                (Thread)
                        c.newInstance(
                                "t",
                                1L,
                                (Runnable)
                                        () -> {
                                            turns.incrementAndGet();
                                            shutdown(self[0]);
                                        });
        self[0].run();
        return turns.get();
    }

    private static void shutdown(Thread t) {
        try {
            t.getClass().getMethod("shutdown").invoke(t);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a loop whose first turn throws still reaches its second turn. */
    private static boolean survivesAThrowingTurn(Constructor<?> c) throws Exception {
        AtomicInteger turns = new AtomicInteger();
        CountDownLatch second = new CountDownLatch(1);
        Thread t =
                (Thread)
                        c.newInstance(
                                "t",
                                1L,
                                (Runnable)
                                        () -> {
                                            if (turns.incrementAndGet() == 1) {
                                                throw new NullPointerException(
                                                        "handlers not yet set");
                                            }
                                            second.countDown();
                                        });
        t.setUncaughtExceptionHandler((th, e) -> {});
        t.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        boolean reached = false;
        while (!reached && t.isAlive() && System.nanoTime() < deadline) {
            reached = second.await(20, TimeUnit.MILLISECONDS);
        }
        reached = reached || second.getCount() == 0;
        shutdown(t);
        t.join(10_000);
        return reached;
    }

    @Test
    void kernelspecRunsTheJarWithTheFixedLoopThread() throws Exception {
        Result r = install();
        assertEquals(0, r.exit(), r.toString());
        Path jar = kernelJar();
        assertTrue(
                jar.getFileName()
                        .toString()
                        .matches("rapaio-jupyter-kernel-3\\.0\\.1-oodlab-[0-9a-f]{12}\\.jar"),
                jar.toString());
        assertTrue(Files.isRegularFile(jar), jar + " exists");
        assertEquals(kdir.toRealPath(), jar.getParent().toRealPath());

        URLClassLoader[] keep = new URLClassLoader[1];
        Constructor<?> fixed = loopThread(jar, keep);
        Constructor<?> original =
                loopThread(kdir.resolve("rapaio-jupyter-kernel-3.0.1.jar"), new URLClassLoader[1]);
        assertEquals(1, turnsBeforeStart(fixed));
        assertEquals(0, turnsBeforeStart(original), "the stand-in has 3.0.1's late flag");
        assertTrue(survivesAThrowingTurn(fixed));
        assertFalse(survivesAThrowingTurn(original), "the stand-in ends on an exception");
        keep[0].close();
    }

    @Test
    void aSecondRunChangesNothing() throws Exception {
        assertEquals(0, install().exit());
        Path jar = kernelJar();
        byte[] bytes = Files.readAllBytes(jar);
        long modified = Files.getLastModifiedTime(jar).toMillis();
        String json = Files.readString(kdir.resolve("kernel.json"));

        Result again = install();
        assertEquals(0, again.exit(), again.toString());
        assertEquals(jar, kernelJar());
        assertArrayEquals(bytes, Files.readAllBytes(jar));
        assertEquals(modified, Files.getLastModifiedTime(jar).toMillis(), "not rebuilt");
        assertEquals(json, Files.readString(kdir.resolve("kernel.json")));
        try (Stream<Path> files = Files.list(kdir)) {
            assertEquals(3, files.count(), "the download, the fixed jar, kernel.json");
        }
    }

    @Test
    void anIncompatibleKernelJarIsRefusedWithOneLine() throws Exception {
        Path other =
                compile(
                        ORIGINAL.replace("public void shutdown()", "public void halt()"),
                        tmp.resolve("other"));
        Path jarPath = kdir.resolve("rapaio-jupyter-kernel-3.0.1.jar");
        try (OutputStream f = Files.newOutputStream(jarPath);
                JarOutputStream jar = new JarOutputStream(f)) {
            String name = LOOP.replace('.', '/') + ".class";
            jar.putNextEntry(new JarEntry(name));
            jar.write(Files.readAllBytes(other.resolve(name)));
            jar.closeEntry();
        }
        Result r = install();
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.output().contains("has no LoopThread member 'void shutdown();'"), r.output());
        assertFalse(Files.exists(kdir.resolve("kernel.json")), "no kernelspec written");
    }
}

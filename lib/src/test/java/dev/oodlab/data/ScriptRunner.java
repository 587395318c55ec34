package dev.oodlab.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * Runs the repository's bash scripts in a clean environment, and builds archives for them. Public
 * for the launcher's test ({@code dev.oodlab.LauncherTest}), which runs a copy of {@code ./oodlab}.
 */
public final class ScriptRunner {

    /** What a script run gave: exit code and its stdout and stderr together. */
    public record Result(int exit, String output) {
        @Override
        public String toString() {
            return "exit " + exit + ":\n" + output;
        }
    }

    /** A tar member: a file (content), a folder (content null) or a symlink (target set). */
    record Member(String name, byte[] content, String symlinkTarget) {
        static Member file(String name, byte[] content) {
            return new Member(name, content, null);
        }

        static Member dir(String name) {
            return new Member(name, null, null);
        }

        static Member symlink(String name, String target) {
            return new Member(name, null, target);
        }
    }

    private ScriptRunner() {}

    /** Skips the calling test unless bash, tar, curl and the coreutils checksum tools exist. */
    static void assumeTools(String... more) {
        List<String> tools =
                new ArrayList<>(List.of("bash", "tar", "curl", "gzip", "sha256sum", "md5sum"));
        tools.addAll(List.of(more));
        for (String tool : tools) {
            assumeTrue(onPath(tool), tool + " is not installed");
        }
    }

    public static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Paths.get(d, tool))) {
                return true;
            }
        }
        return false;
    }

    /** The repository root: the nearest folder upwards holding {@code data-scripts/common.sh}. */
    public static Path root() {
        Path p = Paths.get("").toAbsolutePath();
        while (p != null) {
            if (Files.isRegularFile(p.resolve("data-scripts/common.sh"))) {
                return p;
            }
            p = p.getParent();
        }
        throw new IllegalStateException(
                "repository root not found above " + Paths.get("").toAbsolutePath());
    }

    /**
     * Runs {@code bash <root>/<script> args} in {@code workDir} with the inherited environment
     * minus proxies and every {@code OODLAB_*} / download override variable, plus {@code env}.
     */
    static Result run(Path workDir, Map<String, String> env, String script, String... args)
            throws IOException, InterruptedException {
        return run(workDir, env, root().resolve(script), args);
    }

    /**
     * Runs {@code bash script args} in {@code workDir}, with the environment of {@link #run(Path,
     * Map, String, String...)}.
     *
     * @param workDir the working folder
     * @param env variables set on top of the cleaned environment
     * @param script the script file (anywhere, e.g. a copy in a test's folder)
     * @param args its arguments
     * @return the exit code and the output
     */
    public static Result run(Path workDir, Map<String, String> env, Path script, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb =
                new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
        Map<String, String> e = pb.environment();
        e.keySet()
                .removeIf(
                        k -> {
                            String u = k.toUpperCase(Locale.ROOT);
                            return u.endsWith("_PROXY")
                                    || u.startsWith("OODLAB_")
                                    || u.startsWith("IJAVA_")
                                    || List.of(
                                                    "CIFAR10_URL",
                                                    "MNIST_URL",
                                                    "SVHN_URL",
                                                    "ODIN_OOD_URL")
                                            .contains(u);
                        });
        e.put("NO_PROXY", "127.0.0.1,localhost");
        e.put("no_proxy", "127.0.0.1,localhost");
        e.put("OODLAB_DOWNLOAD_RETRIES", "0");
        e.putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(script + " did not finish:\n" + out);
        }
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    }

    /** Environment map from key, value pairs. */
    public static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /**
     * A .tar.gz holding the members as given: names are written verbatim (absolute and '..' names
     * included), long ones through a PAX header. Written by hand (ustar) so that the tests need no
     * archive library.
     */
    static byte[] tarGz(List<Member> members) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        for (Member m : members) {
            String name =
                    m.content() == null && m.symlinkTarget() == null && !m.name().endsWith("/")
                            ? m.name() + "/"
                            : m.name();
            byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
            if (nameBytes.length > 100) {
                String record = " path=" + name + "\n";
                int len = record.getBytes(StandardCharsets.UTF_8).length;
                int total = len + Integer.toString(len).length();
                if (Integer.toString(total).length() != Integer.toString(len).length()) {
                    total++;
                }
                byte[] pax = (total + record).getBytes(StandardCharsets.UTF_8);
                tar.writeBytes(header("PaxHeader", 'x', pax.length, ""));
                tar.writeBytes(pad(pax));
            }
            char type = m.symlinkTarget() != null ? '2' : m.content() == null ? '5' : '0';
            int size = m.content() == null ? 0 : m.content().length;
            tar.writeBytes(
                    header(name, type, size, m.symlinkTarget() == null ? "" : m.symlinkTarget()));
            if (m.content() != null) {
                tar.writeBytes(pad(m.content()));
            }
        }
        tar.writeBytes(new byte[1024]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(tar.toByteArray());
        }
        return out.toByteArray();
    }

    private static byte[] header(String name, char type, long size, String link) {
        byte[] h = new byte[512];
        put(h, 0, 100, name);
        put(h, 100, 8, type == '5' ? "0000755" : "0000644");
        put(h, 108, 8, "0000000");
        put(h, 116, 8, "0000000");
        put(h, 124, 12, String.format("%011o", size));
        put(h, 136, 12, String.format("%011o", 1700000000L));
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        h[156] = (byte) type;
        put(h, 157, 100, link);
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, 7, String.format("%06o", sum));
        return h;
    }

    /** Writes the string's bytes into the field, truncated to its length (NUL-padded). */
    private static void put(byte[] h, int at, int length, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, at, Math.min(length, b.length));
    }

    private static byte[] pad(byte[] data) {
        return java.util.Arrays.copyOf(data, (data.length + 511) / 512 * 512);
    }

    /** Hex SHA-256 of the bytes. */
    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a sha256sum-style file listing the given names with the SHA-256 of their bytes. */
    static Path sums(Path file, Map<String, byte[]> files) throws IOException {
        StringBuilder sb = new StringBuilder();
        files.forEach(
                (name, bytes) -> sb.append(sha256(bytes)).append("  ").append(name).append('\n'));
        return Files.writeString(file, sb.toString());
    }
}

package dev.oodlab.data;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file server on 127.0.0.1 (a free port) for the tests of the fetch scripts: serves byte arrays
 * by path, honours {@code Range: bytes=N-} (206), logs every request, and can be told to fail the
 * next requests of a path: {@link Fault#TRUNCATE} announces the whole length, sends half and drops
 * the connection; {@link Fault#ERROR_500} answers 500.
 */
final class LocalHttpServer implements AutoCloseable {

    enum Fault {
        TRUNCATE,
        ERROR_500
    }

    /** One request: the path and its Range header (or null). */
    record Request(String path, String range) {}

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    LocalHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL, without a trailing slash. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Serves {@code bytes} at {@code /name}. */
    void put(String name, byte[] bytes) {
        files.put("/" + name, bytes);
    }

    /** The next requests of {@code /name} fail with these faults, in order. */
    void failNext(String name, Fault... next) {
        faults.computeIfAbsent("/" + name, k -> new ArrayDeque<>()).addAll(List.of(next));
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String range = ex.getRequestHeaders().getFirst("Range");
        requests.add(new Request(path, range));
        try (ex) {
            byte[] body = files.get(path);
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            Deque<Fault> queue = faults.get(path);
            Fault fault = queue == null ? null : queue.poll();
            if (fault == Fault.ERROR_500) {
                ex.sendResponseHeaders(500, -1);
                return;
            }
            if (fault == Fault.TRUNCATE) {
                ex.sendResponseHeaders(200, body.length);
                OutputStream os = ex.getResponseBody();
                os.write(body, 0, body.length / 2);
                os.flush();
                // closing with bytes missing makes the server drop the connection
                return;
            }
            int from = 0;
            Matcher m = range == null ? null : RANGE.matcher(range);
            if (m != null && m.matches()) {
                from = Integer.parseInt(m.group(1));
                if (from >= body.length) {
                    ex.getResponseHeaders().set("Content-Range", "bytes */" + body.length);
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                ex.getResponseHeaders()
                        .set(
                                "Content-Range",
                                "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                ex.sendResponseHeaders(206, body.length - from);
            } else {
                ex.sendResponseHeaders(200, body.length);
            }
            ex.getResponseBody().write(body, from, body.length - from);
        } catch (IOException e) {
            // a truncated response ends here; nothing to report to the client
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

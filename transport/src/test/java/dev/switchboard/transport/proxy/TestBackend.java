package dev.switchboard.transport.proxy;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An application backend on 127.0.0.1 for proxy tests: answers with whatever {@link #answer} says
 * (status, body, delay) and keeps each request's headers and body.
 */
public final class TestBackend implements AutoCloseable {

    /** One answer: status, body, and how long to wait before sending it. */
    public record Answer(int status, String body, Duration delay) {
        public static Answer ok(String body) {
            return new Answer(200, body, Duration.ZERO);
        }
    }

    /** A request as the backend saw it. */
    public record Seen(String path, Headers headers, String body) {}

    /** Chooses the answer to a request's body. */
    public interface Responder {
        Answer answer(String path, String body);
    }

    public final List<Seen> seen = new CopyOnWriteArrayList<>();
    public volatile Responder responder = (path, body) -> Answer.ok("{\"result\":{}}");
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    public TestBackend() throws IOException {
        this(0);
    }

    public TestBackend(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", ex -> {
            try (ex) {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                seen.add(new Seen(ex.getRequestURI().getPath(), ex.getRequestHeaders(), body));
                Answer a = responder.answer(ex.getRequestURI().getPath(), body);
                if (!a.delay().isZero()) {
                    try {
                        Thread.sleep(a.delay().toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
                if (out.length > 0) {
                    try (OutputStream os = ex.getResponseBody()) {
                        os.write(out);
                    }
                }
            } catch (IOException e) {
                // The client went away (a timeout on its side): nothing to answer.
            }
        });
        server.setExecutor(pool);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}

package dev.switchboard.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.protocol.ProtocolCodec;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A unidirectional HTTP stream read by the JDK's {@link HttpClient}, line by line on a thread of
 * its own: SSE events (their {@code id} and {@code data}) or newline-delimited pushes.
 */
public final class UniStream implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(5);

    /** One message: the SSE event's id ({@code null} without one, or on an HTTP stream) and its JSON. */
    public record Event(String id, JsonNode data) {}

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT)
            .build();
    private static final Event END = new Event(null, null);

    public final int status;
    public final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;

    private UniStream(HttpResponse<InputStream> response, boolean sse) {
        this.response = response;
        this.status = response.statusCode();
        this.reader = new Thread(() -> read(sse), "uni-stream-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code url} with {@code method} ({@code GET} or {@code POST} with {@code body}). */
    public static UniStream open(String method, String url, String body, Map<String, String> headers, boolean sse)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return new UniStream(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()), sse);
    }

    private void read(boolean sse) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String line;
            while ((line = r.readLine()) != null) {
                if (!sse) {
                    if (!line.isBlank()) {
                        events.add(new Event(null, ProtocolCodec.mapper().readTree(line)));
                    }
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    events.add(new Event(id, ProtocolCodec.mapper().readTree(line.substring(6))));
                    id = null;
                }
            }
        } catch (Exception e) {
            // The stream ended (closed by either side): END below says so.
        }
        events.add(END);
    }

    /** The next message, skipping pings; fails when none comes within {@link #WAIT} or the stream ended. */
    public Event next() throws InterruptedException {
        while (true) {
            Event e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (e == null || e == END) {
                throw new AssertionError(e == null ? "no message within " + WAIT : "the stream ended");
            }
            if (!e.data().isEmpty()) {
                return e;
            }
        }
    }

    /** The next message, pings included, or {@code null} once the stream ended. */
    public Event nextOrEnd() throws InterruptedException {
        Event e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("neither a message nor the end within " + WAIT);
        }
        return e == END ? null : e;
    }

    @Override
    public void close() throws Exception {
        reader.interrupt();
        response.body().close();
    }
}

package dev.switchboard.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.protocol.ProtocolCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A raw WebSocket client over a real socket (the JDK's), speaking JSON lines, for integration
 * tests that need to send exactly the bytes they choose — malformed ones included.
 */
public final class WsTestClient implements AutoCloseable {

    /** How long a test waits for one expected message. */
    public static final Duration WAIT = Duration.ofSeconds(5);

    private final WebSocket ws;
    private final LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private final CompletableFuture<int[]> closed = new CompletableFuture<>();
    private final CompletableFuture<String> closeReason = new CompletableFuture<>();
    private final boolean autoPong;
    private final boolean paused;

    private WsTestClient(URI uri, boolean autoPong, boolean paused) {
        this(uri, autoPong, paused, java.util.Map.of());
    }

    private WsTestClient(URI uri, boolean autoPong, boolean paused, java.util.Map<String, String> headers) {
        this(uri, autoPong, paused, headers, HttpClient.newHttpClient());
    }

    private WsTestClient(
            URI uri, boolean autoPong, boolean paused, java.util.Map<String, String> headers, HttpClient client) {
        this.autoPong = autoPong;
        this.paused = paused;
        WebSocket.Builder b = client.newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(b::header);
        this.ws = b.buildAsync(uri, new Listener()).join();
    }

    /** Opens a connection whose upgrade request carries these headers (e.g. a session cookie). */
    public static WsTestClient open(String url, java.util.Map<String, String> headers) {
        return new WsTestClient(URI.create(url), true, false, headers);
    }

    /** Opens a connection through this client (say, one that trusts a test CA for {@code wss://}). */
    public static WsTestClient open(String url, HttpClient client) {
        return new WsTestClient(URI.create(url), true, false, java.util.Map.of(), client);
    }

    /** Opens a connection that answers server pings. */
    public static WsTestClient open(String url) {
        return new WsTestClient(URI.create(url), true, false);
    }

    /** Opens a connection whose upgrade carries an {@code Origin} header, as a browser's does. */
    public static WsTestClient openWithOrigin(String url, String origin) {
        return new WsTestClient(URI.create(url), true, false, java.util.Map.of("Origin", origin));
    }

    /** Opens a connection that stops reading after its first message, like a stuck client. */
    public static WsTestClient openStuck(String url) {
        return new WsTestClient(URI.create(url), true, true);
    }

    /** Opens a connection that never answers server pings. */
    public static WsTestClient openSilent(String url) {
        return new WsTestClient(URI.create(url), false, false);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                for (String line : partial.toString().split("\n")) {
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        JsonNode n = ProtocolCodec.mapper().readTree(line);
                        if (n.isEmpty() && autoPong) {
                            webSocket.sendText("{}", true);
                        }
                        inbox.add(n);
                    } catch (Exception e) {
                        inbox.add(ProtocolCodec.mapper().createObjectNode().put("unparseable", line));
                    }
                }
                partial.setLength(0);
            }
            if (!paused || inbox.size() < 2) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            // The reason first: a caller that saw the code may read the reason at once.
            closeReason.complete(reason);
            closed.complete(new int[] {statusCode});
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeReason.complete(error.toString());
            closed.complete(new int[] {-1});
        }
    }

    public void send(String text) {
        ws.sendText(text, true).join();
    }

    public void sendBinary(byte[] data) {
        ws.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    /** Sends {@code connect} with a token and returns the connect result. */
    public JsonNode connect(String token) {
        send("{\"id\":1,\"connect\":{\"token\":\"" + token + "\"}}");
        return reply(1);
    }

    /** Waits for the reply to command {@code id}. */
    public JsonNode reply(long id) {
        return await(n -> n.path("id").asLong() == id);
    }

    /** Waits for a push of a kind on a channel. */
    public JsonNode push(String channel, String kind) {
        return await(n -> n.path("push").has(kind)
                        && n.path("push").path("channel").asText("").equals(channel))
                .path("push")
                .get(kind);
    }

    /** Waits for the first message (seen or new) matching the predicate. */
    public synchronized JsonNode await(Predicate<JsonNode> match) {
        for (JsonNode n : seen) {
            if (match.test(n)) {
                seen.remove(n);
                return n;
            }
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode n;
            try {
                n = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
            if (n == null) {
                throw new AssertionError("no matching message within " + WAIT + "; unmatched: " + seen);
            }
            if (match.test(n)) {
                return n;
            }
            seen.add(n);
        }
    }

    /** The next message not yet taken, waiting at most {@code wait}; {@code null} if none came. */
    public synchronized JsonNode poll(Duration wait) {
        if (!seen.isEmpty()) {
            return seen.remove(0);
        }
        try {
            return inbox.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Every message received so far that no await took, then clears them. */
    public synchronized List<JsonNode> drain() {
        inbox.drainTo(seen);
        List<JsonNode> out = new ArrayList<>(seen);
        seen.clear();
        return out;
    }

    /** Waits for the server to close the connection and returns the close code. */
    public int awaitClose() {
        try {
            return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)[0];
        } catch (Exception e) {
            throw new AssertionError("connection not closed within " + WAIT);
        }
    }

    /** Starts a normal WebSocket close from the client side with a code and reason. */
    public void sendClose(int code, String reason) {
        ws.sendClose(code, reason).join();
    }

    public String closeReason() {
        return closeReason.getNow(null);
    }

    public boolean isOpen() {
        return !closed.isDone();
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            ws.abort();
        }
    }
}

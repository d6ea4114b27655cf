package dev.switchboard.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One WebSocket connection over the JDK's {@link java.net.http.WebSocket}.
 *
 * <p>Why the JDK client: it adds no dependency (nothing for users' security teams to vet or
 * patch beyond the JDK itself), it speaks text frames and assembles fragmented messages, it has
 * explicit receive backpressure ({@code request(n)}: the next message is read only after the
 * previous one was handled, so a slow application slows the socket instead of growing a queue),
 * and TLS, proxies and timeouts come from {@link HttpClient} and the JDK's trust store.
 *
 * <p>Receiving: one message is requested at a time; the owner calls {@link #requestNext()} when it
 * has handled a message. Sending: the JDK allows one outstanding send, so sends are chained in
 * order. Handler callbacks run on the HTTP client's threads.
 */
final class Transport {

    /** Receives a transport's events; {@link #closed} or {@link #failed} is the last one. */
    interface Handler {
        void message(String text);

        void closed(int code, String reason);

        void failed(Throwable error);
    }

    /** How long a closing transport waits for the server's close frame before dropping the socket. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

    private final Handler handler;
    private final int maxMessageSize;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket ws;
    private CompletableFuture<Transport> opened;
    private CompletableFuture<?> sendTail = CompletableFuture.completedFuture(null);

    private Transport(Handler handler, int maxMessageSize) {
        this.handler = handler;
        this.maxMessageSize = maxMessageSize;
    }

    /**
     * Starts opening a WebSocket; {@link #opened()} completes when the handshake is done. Nothing
     * may be sent before that.
     */
    static Transport open(HttpClient http, URI uri, Duration timeout, int maxMessageSize, Handler handler) {
        Transport t = new Transport(handler, maxMessageSize);
        t.opened = http.newWebSocketBuilder()
                .connectTimeout(timeout)
                .buildAsync(uri, t.new Listener())
                .thenApply(ws -> {
                    t.ws = ws;
                    return t;
                });
        return t;
    }

    /** Completes when the opening handshake succeeded, fails when it did not. */
    CompletableFuture<Transport> opened() {
        return opened;
    }

    /** Sends one text frame after every frame sent before it. Failures close the transport. */
    synchronized void send(String text) {
        WebSocket w = ws;
        sendTail = sendTail.thenCompose(x -> w.sendText(text, true));
        sendTail.whenComplete((r, e) -> {
            if (e != null) {
                fail(e);
            }
        });
    }

    /** Asks for the next inbound message. */
    void requestNext() {
        WebSocket w = ws;
        if (w != null && !finished.get()) {
            w.request(1);
        }
    }

    /**
     * Closes gracefully (after frames already queued), then drops the socket after
     * {@link #CLOSE_GRACE}. No handler callback follows.
     */
    synchronized void close(int code, String reason) {
        finished.set(true);
        WebSocket w = ws;
        if (w == null) {
            opened.thenAccept(t -> t.ws.abort());
            return;
        }
        sendTail.handle((r, e) -> null)
                .thenCompose(x -> w.sendClose(code, reason))
                .whenComplete((r, e) -> CompletableFuture.delayedExecutor(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                        .execute(w::abort));
    }

    /** Drops the socket at once. No handler callback follows. */
    void abort() {
        finished.set(true);
        WebSocket w = ws;
        if (w != null) {
            w.abort();
        } else {
            opened.thenAccept(t -> t.ws.abort());
        }
    }

    private void fail(Throwable e) {
        if (finished.compareAndSet(false, true)) {
            WebSocket w = ws;
            if (w != null) {
                w.abort();
            }
            handler.failed(e);
        }
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public void onOpen(WebSocket webSocket) {
            ws = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (finished.get()) {
                return null;
            }
            if (partial.length() + data.length() > maxMessageSize) {
                partial.setLength(0);
                if (finished.compareAndSet(false, true)) {
                    webSocket.abort();
                    handler.closed(1009, "message size limit");
                }
                return null;
            }
            if (!last) {
                partial.append(data);
                webSocket.request(1);
                return null;
            }
            String text;
            if (partial.length() == 0) {
                text = data.toString();
            } else {
                partial.append(data);
                text = partial.toString();
                partial.setLength(0);
            }
            handler.message(text);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            fail(new java.io.IOException("binary frame on a JSON connection"));
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            if (finished.compareAndSet(false, true)) {
                handler.closed(statusCode, reason);
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            fail(error);
        }
    }
}

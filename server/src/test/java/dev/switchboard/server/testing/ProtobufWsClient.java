package dev.switchboard.server.testing;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.MessageLite;
import dev.switchboard.wire.proto.Command;
import dev.switchboard.wire.proto.ConnectRequest;
import dev.switchboard.wire.proto.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
 * A raw protobuf WebSocket client for tests: sends the exact frames it is given (varint
 * length-delimited {@code Command}s, or anything malformed) and splits the binary frames it
 * receives into {@code Reply}s, answering pings with an empty command as the SDKs do.
 */
public final class ProtobufWsClient implements AutoCloseable {

    private final WebSocket ws;
    private final LinkedBlockingQueue<Reply> inbox = new LinkedBlockingQueue<>();
    private final List<Reply> seen = new ArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    /** Binary frames received, for tests that check batching. */
    public final List<Integer> repliesPerFrame = java.util.Collections.synchronizedList(new ArrayList<>());

    private ProtobufWsClient(URI uri, String subprotocol) {
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WsTestClient.WAIT);
        if (subprotocol != null) {
            b.subprotocols(subprotocol);
        }
        this.ws = b.buildAsync(uri, new Listener()).join();
    }

    /** Opens a connection offering the {@code centrifuge-protobuf} subprotocol, as centrifuge-java does. */
    public static ProtobufWsClient open(String url) {
        return new ProtobufWsClient(URI.create(url), "centrifuge-protobuf");
    }

    /** Opens a connection with no subprotocol (the URL selects the encoding, if anything does). */
    public static ProtobufWsClient openWithoutSubprotocol(String url) {
        return new ProtobufWsClient(URI.create(url), null);
    }

    /** The subprotocol the server's handshake answered with, {@code ""} for none. */
    public String subprotocol() {
        return ws.getSubprotocol();
    }

    /** Frames commands as an SDK does: each behind its varint length, all in one binary frame. */
    public static byte[] frame(MessageLite... commands) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (MessageLite c : commands) {
                c.writeDelimitedTo(out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    public void send(MessageLite... commands) {
        sendBinary(frame(commands));
    }

    public void sendBinary(byte[] bytes) {
        ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    public void sendText(String text) {
        ws.sendText(text, true).join();
    }

    /** Connects with a token and returns the connect reply. */
    public Reply connect(String token) {
        send(Command.newBuilder()
                .setId(1)
                .setConnect(ConnectRequest.newBuilder().setToken(token))
                .build());
        return reply(1);
    }

    public Reply reply(int id) {
        return await(r -> r.getId() == id);
    }

    public synchronized Reply await(Predicate<Reply> match) {
        for (Reply r : seen) {
            if (match.test(r)) {
                seen.remove(r);
                return r;
            }
        }
        long deadline = System.nanoTime() + WsTestClient.WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Reply r;
            try {
                r = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (r == null) {
                throw new AssertionError("no matching reply within " + WsTestClient.WAIT + "; unmatched: " + seen);
            }
            if (match.test(r)) {
                return r;
            }
            seen.add(r);
        }
    }

    /** The close code the server sent, waiting for it. */
    public int awaitClose() {
        return closed.orTimeout(WsTestClient.WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .join();
    }

    @Override
    public void close() {
        ws.abort();
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            partial.write(b, 0, b.length);
            if (last) {
                byte[] whole = partial.toByteArray();
                partial.reset();
                split(webSocket, whole);
            }
            webSocket.request(1);
            return null;
        }

        private void split(WebSocket webSocket, byte[] frame) {
            CodedInputStream in = CodedInputStream.newInstance(frame);
            int n = 0;
            try {
                while (!in.isAtEnd()) {
                    int length = in.readRawVarint32();
                    Reply r = Reply.parseFrom(in.readRawBytes(length));
                    n++;
                    if (r.getId() == 0 && !r.hasPush()) {
                        // The server's ping: answer with an empty command.
                        webSocket.sendBinary(ByteBuffer.wrap(new byte[] {0}), true);
                        continue;
                    }
                    inbox.add(r);
                }
            } catch (IOException e) {
                throw new IllegalStateException("server sent a malformed frame", e);
            }
            repliesPerFrame.add(n);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            closed.completeExceptionally(new AssertionError("text frame on a protobuf connection: " + data));
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }

    /** How long {@link #await} waits. */
    public static Duration waitTime() {
        return WsTestClient.WAIT;
    }
}

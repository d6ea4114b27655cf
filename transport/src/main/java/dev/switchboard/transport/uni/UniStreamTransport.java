package dev.switchboard.transport.uni;

import dev.switchboard.core.node.Client;
import dev.switchboard.core.node.Transport;
import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.core.protocol.ProtocolFormat;
import dev.switchboard.core.protocol.UniJsonCodec;
import dev.switchboard.transport.websocket.LingeringClose;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's view of one unidirectional HTTP stream ({@code uni_sse} or {@code uni_http_stream}):
 * each message the node writes becomes one chunk of the response, an SSE event or a line.
 *
 * <p>As on WebSocket, writes from any thread go into a lock-free queue drained on the event loop,
 * and every byte queued or not yet taken by the socket is counted: past {@code maxQueuedBytes}
 * (the client queue bound) the peer does not read and is disconnected with 3008 instead of
 * growing memory. A close sends the {@code disconnect} push (except to a peer that does not
 * read), ends the chunked response and closes the connection within {@link LingeringClose}'s grace.
 *
 * <p>On SSE every event but the ping carries an {@code id}: the client's {@link Client#resumeId()}
 * taken when the message is written (publications are written under the client's lock right after
 * their offset is counted, so the id is exactly the positions the event leaves the browser at).
 */
final class UniStreamTransport implements Transport {

    /** How messages are framed on the stream. */
    enum Framing {
        /** {@code text/event-stream}: {@code id: ..\ndata: <json>\n\n}; pings as {@code data: {}} without id. */
        SSE,
        /** Newline-delimited JSON: one {@code Push} per line. */
        LINES
    }

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);

    private final Channel channel;
    private final Framing framing;
    private final String name;
    private final long maxQueuedBytes;
    private final Map<String, List<String>> headers;
    private final Queue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile Disconnect closedWith;
    private volatile Client client;

    UniStreamTransport(
            Channel channel, Framing framing, String name, long maxQueuedBytes, Map<String, List<String>> headers) {
        this.channel = channel;
        this.framing = framing;
        this.name = name;
        this.maxQueuedBytes = maxQueuedBytes;
        this.headers = headers;
    }

    /** The session, for SSE event ids; set right after the node made it, before its connect. */
    void client(Client c) {
        this.client = c;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ProtocolFormat format() {
        return ProtocolFormat.UNI_JSON;
    }

    @Override
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The disconnect this side closed with, or {@code null} when the peer went away first. */
    Disconnect closedWith() {
        return closedWith;
    }

    @Override
    public void write(byte[] message) {
        if (closing.get()) {
            return;
        }
        enqueue(frame(message));
    }

    private void enqueue(byte[] framed) {
        if (queuedBytes.addAndGet(framed.length) > maxQueuedBytes) {
            close(Disconnect.SLOW);
            return;
        }
        queue.add(framed);
        if (flushScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(this::drain);
        }
    }

    /** One message framed for the stream; UNI_JSON messages never hold a line break. */
    private byte[] frame(byte[] message) {
        if (framing == Framing.LINES) {
            byte[] out = Arrays.copyOf(message, message.length + 1);
            out[message.length] = '\n';
            return out;
        }
        Client c = client;
        boolean ping = Arrays.equals(message, ProtocolCodec.PING);
        byte[] id = ping || c == null ? null : c.resumeId().getBytes(StandardCharsets.US_ASCII);
        int idLen = id == null ? 0 : ID.length + id.length + 1;
        byte[] out = new byte[idLen + DATA.length + message.length + 2];
        int n = 0;
        if (id != null) {
            System.arraycopy(ID, 0, out, 0, ID.length);
            System.arraycopy(id, 0, out, ID.length, id.length);
            out[idLen - 1] = '\n';
            n = idLen;
        }
        System.arraycopy(DATA, 0, out, n, DATA.length);
        System.arraycopy(message, 0, out, n + DATA.length, message.length);
        out[out.length - 2] = '\n';
        out[out.length - 1] = '\n';
        return out;
    }

    private void drain() {
        flushScheduled.set(false);
        boolean wrote = false;
        byte[] m;
        while ((m = queue.poll()) != null) {
            if (!channel.isActive()) {
                queue.clear();
                return;
            }
            long size = m.length;
            channel.write(new DefaultHttpContent(Unpooled.wrappedBuffer(m)))
                    .addListener(f -> queuedBytes.addAndGet(-size));
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    @Override
    public void close(Disconnect disconnect) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closedWith = disconnect;
        if (disconnect == Disconnect.SLOW) {
            // The peer does not read: nothing more is queued for it, the connection is cut.
            channel.eventLoop().execute(() -> {
                queue.clear();
                channel.close();
            });
            return;
        }
        queue.add(frame(UniJsonCodec.disconnectPush(disconnect)));
        channel.eventLoop().execute(() -> {
            drain();
            LingeringClose.after(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
        });
    }
}

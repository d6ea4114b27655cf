package dev.switchboard.transport.stream;

import dev.switchboard.core.node.Client;
import dev.switchboard.core.node.Transport;
import dev.switchboard.core.protocol.ClientCodec;
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
 * The node's view of one HTTP response that stays open as a connection's server → client stream:
 * the unidirectional {@code uni_sse} and {@code uni_http_stream}, and the bidirectional
 * emulation's {@code http_stream} and {@code sse} (whose commands arrive in {@code /emulation}
 * requests). Each message the node writes becomes one chunk of the response, framed as
 * {@link Framing} says.
 *
 * <p>As on WebSocket, writes from any thread go into a lock-free queue drained on the event loop,
 * and every byte queued or not yet taken by the socket is counted: past {@code maxQueuedBytes}
 * (the client queue bound) the peer does not read and is disconnected with 3008 instead of
 * growing memory. A close sends the {@code disconnect} push (except to a peer that does not
 * read), ends the chunked response and closes the connection within {@link LingeringClose}'s grace.
 *
 * <p>With {@link Framing#SSE_RESUMABLE} every event but the ping carries an {@code id}: the
 * client's {@link Client#resumeId()} taken when the message is written (publications are written
 * under the client's lock right after their offset is counted, so the id is exactly the positions
 * the event leaves the browser at).
 *
 * <pre>{@code
 * StreamTransport t = new StreamTransport(channel, "sse", Framing.SSE, ProtocolFormat.JSON, true, maxQueued, headers);
 * Client client = node.newClient(t);
 * channel.pipeline().replace(router, "stream", new StreamHandler(client, t));
 * }</pre>
 */
public final class StreamTransport implements Transport {

    /** How messages are framed on the stream. */
    public enum Framing {
        /** Newline-delimited JSON, one message per line. */
        LINES,
        /** Protobuf: each message preceded by its length as a varint. */
        VARINT,
        /** {@code text/event-stream}: one {@code data: <json>} event per message. */
        SSE,
        /** As {@link #SSE}, each event but the ping with an {@code id} a reconnect resumes from. */
        SSE_RESUMABLE
    }

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);

    private final Channel channel;
    private final Framing framing;
    private final ProtocolFormat format;
    private final boolean emulated;
    private final String name;
    private final long maxQueuedBytes;
    private final Map<String, List<String>> headers;
    private final Queue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile Disconnect closedWith;
    private volatile Client client;

    /**
     * @param name the transport's name in stats and hooks ({@code "uni_sse"}, {@code "http_stream"}, ...)
     * @param format the encoding of the messages the node writes
     * @param emulated the bidirectional emulation: commands come in {@code /emulation} requests
     * @param maxQueuedBytes bytes not yet taken by the socket past which the client is slow (3008)
     * @param headers the request headers the connection keeps for its connect decision
     */
    public StreamTransport(
            Channel channel,
            String name,
            Framing framing,
            ProtocolFormat format,
            boolean emulated,
            long maxQueuedBytes,
            Map<String, List<String>> headers) {
        this.channel = channel;
        this.framing = framing;
        this.format = format;
        this.emulated = emulated;
        this.name = name;
        this.maxQueuedBytes = maxQueuedBytes;
        this.headers = headers;
    }

    /** The session, for SSE event ids; set right after the node made it, before its connect. */
    public void client(Client c) {
        this.client = c;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ProtocolFormat format() {
        return format;
    }

    @Override
    public boolean emulated() {
        return emulated;
    }

    @Override
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The disconnect this side closed with, or {@code null} when the peer went away first. */
    public Disconnect closedWith() {
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

    /** One message framed for the stream; JSON messages never hold a raw line break. */
    private byte[] frame(byte[] message) {
        return switch (framing) {
            case LINES -> {
                byte[] out = Arrays.copyOf(message, message.length + 1);
                out[message.length] = '\n';
                yield out;
            }
            case VARINT -> {
                byte[] out = new byte[message.length + 5];
                int n = 0;
                int v = message.length;
                while ((v & ~0x7F) != 0) {
                    out[n++] = (byte) ((v & 0x7F) | 0x80);
                    v >>>= 7;
                }
                out[n++] = (byte) v;
                System.arraycopy(message, 0, out, n, message.length);
                yield Arrays.copyOf(out, n + message.length);
            }
            case SSE -> event(null, message);
            case SSE_RESUMABLE -> {
                Client c = client;
                boolean ping = Arrays.equals(message, ProtocolCodec.PING);
                yield event(ping || c == null ? null : c.resumeId().getBytes(StandardCharsets.US_ASCII), message);
            }
        };
    }

    private static byte[] event(byte[] id, byte[] message) {
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
        queue.add(frame(disconnectPush(disconnect)));
        channel.eventLoop().execute(() -> {
            drain();
            LingeringClose.after(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
        });
    }

    /** The {@code disconnect} push in this stream's encoding: a stream has no close code of its own. */
    private byte[] disconnectPush(Disconnect d) {
        if (format == ProtocolFormat.UNI_JSON) {
            return UniJsonCodec.disconnectPush(d);
        }
        return ClientCodec.of(format).encode(ProtocolCodec.push(null, "disconnect", g -> {
            g.writeNumberField("code", d.code());
            g.writeStringField("reason", d.reason());
        }));
    }
}

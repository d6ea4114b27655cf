package dev.switchboard.transport.emulation;

import dev.switchboard.core.node.Transport;
import dev.switchboard.core.protocol.ClientCodec;
import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.core.protocol.ProtocolFormat;
import dev.switchboard.transport.websocket.LingeringClose;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server → client half of an emulated connection: an HTTP response that stays open, each
 * message one chunk framed as {@link StreamFraming} says. Bounded like a WebSocket: bytes written
 * and not yet taken by the socket are counted, and past {@code maxQueuedBytes} the client is slow
 * (3008) and cut. A disconnect is sent as a {@code disconnect} push before the response ends,
 * since a stream has no close code of its own.
 */
final class HttpStreamTransport implements Transport {

    private final Channel channel;
    private final String name;
    private final StreamFraming framing;
    private final ProtocolFormat format;
    private final long maxQueuedBytes;
    private final Map<String, List<String>> headers;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile Disconnect closedWith;

    HttpStreamTransport(
            Channel channel,
            String name,
            StreamFraming framing,
            ProtocolFormat format,
            long maxQueuedBytes,
            Map<String, List<String>> headers) {
        this.channel = channel;
        this.name = name;
        this.framing = framing;
        this.format = format;
        this.maxQueuedBytes = maxQueuedBytes;
        this.headers = headers;
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
    public Map<String, List<String>> headers() {
        return headers;
    }

    @Override
    public boolean emulated() {
        return true;
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
        send(message);
    }

    private void send(byte[] message) {
        if (queuedBytes.addAndGet(message.length) > maxQueuedBytes) {
            close(Disconnect.SLOW);
            return;
        }
        channel.writeAndFlush(new DefaultHttpContent(framing.frame(channel.alloc(), message)))
                .addListener(f -> queuedBytes.addAndGet(-message.length));
    }

    @Override
    public void close(Disconnect disconnect) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closedWith = disconnect;
        if (disconnect != Disconnect.SLOW) {
            byte[] push = ProtocolCodec.push(null, "disconnect", g -> {
                g.writeNumberField("code", disconnect.code());
                g.writeStringField("reason", disconnect.reason());
            });
            send(ClientCodec.of(format).encode(push));
        }
        // Bounded: a peer that never reads does not keep the connection past the grace.
        LingeringClose.after(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
    }
}

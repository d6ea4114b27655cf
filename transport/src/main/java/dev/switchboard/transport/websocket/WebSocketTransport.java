package dev.switchboard.transport.websocket;

import dev.switchboard.core.node.Transport;
import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolFormat;
import dev.switchboard.core.protocol.UniJsonCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's view of one WebSocket connection.
 *
 * <p>Writes from any thread go into a lock-free queue; one task on the channel's event loop
 * drains it, joining queued messages into as few frames as possible and flushing once: JSON
 * messages with newlines into text frames, protobuf ones each behind its varint length into binary
 * frames. Messages are wrapped, not copied, so one encoded publication is shared by every
 * connection. Bytes queued or in Netty's outbound buffer are counted; past the limit the client
 * is too slow and is disconnected with 3008 instead of growing memory.
 *
 * <p>With a write delay ({@code client.write_delay}) the drain runs that long after the first
 * message queued since the last one, so that messages arriving meanwhile share its frame and its
 * socket write: each write costs a system call and the kernel's TCP work, whatever its size, which
 * at high fan-out is most of a node's CPU.
 */
final class WebSocketTransport implements Transport {

    /** Largest frame a batch of messages is joined into. */
    static final int MAX_BATCH_BYTES = 64 * 1024;
    /**
     * Bytes a control frame is counted for beyond its payload: its header, plus our bookkeeping,
     * so that empty pings are not free.
     */
    static final int CONTROL_FRAME_OVERHEAD = 64;
    /** How long a closing connection may take to flush its close frame before it is cut. */
    static final long CLOSE_GRACE_MILLIS = LingeringClose.GRACE_MILLIS;

    private static final byte[] NEWLINE = {'\n'};

    /** Most bytes put between or before messages: a newline (JSON) or a varint length (protobuf). */
    private static final int MAX_SEPARATOR_BYTES = 5;

    private final Channel channel;
    private final long maxQueuedBytes;
    private final Queue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Set when closing as slow: a drain already scheduled drops the queue instead of writing it. */
    private volatile boolean dropQueued;

    private volatile Disconnect closedWith;
    private final Map<String, List<String>> headers;
    private final ProtocolFormat format;
    private final TrafficMetrics.Counter sent;
    private final TrafficMetrics.Counter flushed;
    private final long writeDelayNanos;
    /** One task object for every drain this connection schedules. */
    private final Runnable drainTask = this::drain;

    WebSocketTransport(Channel channel, long maxQueuedBytes) {
        this(channel, maxQueuedBytes, Map.of(), ProtocolFormat.JSON);
    }

    WebSocketTransport(Channel channel, long maxQueuedBytes, Map<String, List<String>> headers, ProtocolFormat format) {
        this(channel, maxQueuedBytes, headers, format, TrafficMetrics.Counter.NOOP);
    }

    WebSocketTransport(
            Channel channel,
            long maxQueuedBytes,
            Map<String, List<String>> headers,
            ProtocolFormat format,
            TrafficMetrics.Counter sent) {
        this(channel, maxQueuedBytes, headers, format, sent, TrafficMetrics.Counter.NOOP, 0);
    }

    /**
     * @param headers upgrade-request headers kept for the connect decision (lower-case names)
     * @param format the encoding the upgrade selected
     * @param sent counts each message accepted for writing
     * @param flushed counts each socket write (one flush of one or more frames) and its bytes
     * @param writeDelayNanos how long the first queued message waits for others; 0 = none
     */
    WebSocketTransport(
            Channel channel,
            long maxQueuedBytes,
            Map<String, List<String>> headers,
            ProtocolFormat format,
            TrafficMetrics.Counter sent,
            TrafficMetrics.Counter flushed,
            long writeDelayNanos) {
        this.sent = sent;
        this.flushed = flushed;
        this.writeDelayNanos = writeDelayNanos;
        this.channel = channel;
        this.maxQueuedBytes = maxQueuedBytes;
        this.headers = headers;
        this.format = format;
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
    public String name() {
        return format == ProtocolFormat.UNI_JSON ? "uni_websocket" : "websocket";
    }

    /** True once this side started closing: nothing more is read or written for the client. */
    boolean isClosing() {
        return closing.get();
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
        if (queuedBytes.addAndGet(message.length) > maxQueuedBytes) {
            close(Disconnect.SLOW);
            return;
        }
        queue.add(message);
        // Counted when queued (no listener per write): a queue dropped on a slow client's close is counted too.
        sent.message(message.length);
        if (flushScheduled.compareAndSet(false, true)) {
            if (writeDelayNanos > 0) {
                channel.eventLoop().schedule(drainTask, writeDelayNanos, TimeUnit.NANOSECONDS);
            } else {
                channel.eventLoop().execute(drainTask);
            }
        }
    }

    private void drain() {
        flushScheduled.set(false);
        if (dropQueued) {
            queue.clear();
            return;
        }
        boolean wrote = false;
        List<byte[]> batch = new ArrayList<>();
        int batchBytes = 0;
        int drained = 0;
        byte[] m;
        while ((m = queue.poll()) != null) {
            drained += m.length;
            if (!batch.isEmpty() && batchBytes + m.length + MAX_SEPARATOR_BYTES > MAX_BATCH_BYTES) {
                writeBatch(batch, batchBytes);
                wrote = true;
                batch = new ArrayList<>();
                batchBytes = 0;
            }
            batch.add(m);
            batchBytes += m.length + MAX_SEPARATOR_BYTES;
        }
        if (!batch.isEmpty()) {
            writeBatch(batch, batchBytes);
            wrote = true;
        }
        if (wrote) {
            channel.flush();
            flushed.message(drained);
        }
    }

    private void writeBatch(List<byte[]> batch, int bytes) {
        if (format == ProtocolFormat.PROTOBUF) {
            writeProtobufBatch(batch);
            return;
        }
        ByteBuf buf;
        long counted = 0;
        if (batch.size() == 1) {
            buf = Unpooled.wrappedBuffer(batch.get(0));
            counted = batch.get(0).length;
        } else {
            byte[][] parts = new byte[batch.size() * 2 - 1][];
            for (int i = 0; i < batch.size(); i++) {
                parts[i * 2] = batch.get(i);
                counted += batch.get(i).length;
                if (i > 0) {
                    parts[i * 2 - 1] = NEWLINE;
                }
            }
            buf = Unpooled.wrappedBuffer(parts);
        }
        long release = counted;
        channel.write(new TextWebSocketFrame(buf)).addListener(f -> queuedBytes.addAndGet(-release));
    }

    /** Each message behind its length as a varint, as the protobuf SDKs read a frame. */
    private void writeProtobufBatch(List<byte[]> batch) {
        byte[][] parts = new byte[batch.size() * 2][];
        long counted = 0;
        for (int i = 0; i < batch.size(); i++) {
            byte[] m = batch.get(i);
            parts[i * 2] = varint(m.length);
            parts[i * 2 + 1] = m;
            counted += m.length;
        }
        long release = counted;
        channel.write(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(parts)))
                .addListener(f -> queuedBytes.addAndGet(-release));
    }

    /** The unsigned varint encoding of a length (protobuf's base-128, low group first). */
    static byte[] varint(int value) {
        byte[] out = new byte[5];
        int n = 0;
        int v = value;
        while ((v & ~0x7F) != 0) {
            out[n++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[n++] = (byte) v;
        return java.util.Arrays.copyOf(out, n);
    }

    @Override
    public void close(Disconnect disconnect) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closedWith = disconnect;
        boolean flushQueued = disconnect != Disconnect.SLOW;
        dropQueued = !flushQueued;
        if (flushQueued && format == ProtocolFormat.UNI_JSON) {
            // Unidirectional clients read the reason as their last message too, as on uni SSE and HTTP streams.
            queue.add(UniJsonCodec.disconnectPush(disconnect));
        }
        channel.eventLoop().execute(() -> sendCloseFrame(disconnect.code(), disconnect.reason(), flushQueued));
    }

    /**
     * Closes with a WebSocket-level status the node has no {@link Disconnect} for (1009 message
     * too big). Must run on the event loop.
     */
    void closeWithStatus(int status, String reason) {
        if (closing.compareAndSet(false, true)) {
            sendCloseFrame(status, reason, false);
        }
    }

    /**
     * The peer sent a close frame: echo it and close (RFC 6455 §5.5.1), on the same bounded
     * terms as our own close. Must run on the event loop.
     */
    void peerClosed(CloseWebSocketFrame frame) {
        if (!closing.compareAndSet(false, true)) {
            channel.close();
            return;
        }
        queue.clear();
        writeClose(new CloseWebSocketFrame(true, 0, frame.content().retain()));
    }

    private void sendCloseFrame(int status, String reason, boolean flushQueued) {
        if (flushQueued) {
            drain();
        }
        queue.clear();
        writeClose(new CloseWebSocketFrame(status, truncate(reason)));
    }

    private void writeClose(CloseWebSocketFrame frame) {
        LingeringClose.after(channel.writeAndFlush(frame));
    }

    /**
     * Writes a control frame (a pong) under the same byte bound as messages: a peer that sends
     * pings but never reads the pongs is disconnected as slow (3008) instead of growing our
     * outbound buffer. Must run on the event loop; takes ownership of the frame.
     */
    void writeControl(WebSocketFrame frame) {
        long size = frame.content().readableBytes() + CONTROL_FRAME_OVERHEAD;
        if (closing.get()) {
            frame.release();
            return;
        }
        if (queuedBytes.addAndGet(size) > maxQueuedBytes) {
            frame.release();
            close(Disconnect.SLOW);
            return;
        }
        channel.writeAndFlush(frame).addListener(f -> queuedBytes.addAndGet(-size));
    }

    /** A close frame's reason must fit in 123 bytes. */
    static String truncate(String reason) {
        if (reason.getBytes(StandardCharsets.UTF_8).length <= 123) {
            return reason;
        }
        // Cut on a code point boundary: a split character would be replaced by three bytes.
        StringBuilder out = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < reason.length(); ) {
            int cp = reason.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > 123) {
                break;
            }
            out.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return out.toString();
    }
}

package dev.switchboard.redis;

import dev.switchboard.core.engine.BrokerEventHandler;
import dev.switchboard.core.engine.HistoryResult;
import dev.switchboard.core.engine.Publication;
import dev.switchboard.core.engine.StreamPosition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one channel's pub/sub messages to the node in offset order with no hole: it tracks
 * the last offset delivered, and when a message skips ahead (a lost pub/sub message, a
 * reconnect) it reads the missing range from the stream and delivers it first. Only when the
 * stream no longer holds the range, or its epoch changed, does it report insufficient state.
 *
 * <p>Thread-safe: pub/sub messages and history completions arrive on different threads and are
 * serialised by this object's monitor.
 */
final class StreamTracker {

    private static final Logger log = LoggerFactory.getLogger(StreamTracker.class);

    /** Reads a channel's stream after an offset. */
    interface Reader {
        CompletableFuture<HistoryResult> readAfter(String channel, long offset, int limit);

        /** Moves a rolled-back stream to a new epoch, so no offset is reused for other data. */
        CompletableFuture<Void> resetEpoch(String channel, String rolledBackEpoch);
    }

    /** Delays a retry of a failed read. */
    interface Retry {
        void later(Runnable task);
    }

    private final String channel;
    private final BrokerEventHandler handler;
    private final Reader reader;
    private final Retry retry;
    private final int fillLimit;
    private final int maxPending;
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private String epoch;
    private long last;
    private boolean ready;
    private boolean filling;
    private boolean closed;
    private long filled;
    private long lost;

    StreamTracker(
            String channel, BrokerEventHandler handler, Reader reader, Retry retry, int fillLimit, int maxPending) {
        this.channel = channel;
        this.handler = handler;
        this.reader = reader;
        this.retry = retry;
        this.fillLimit = fillLimit;
        this.maxPending = maxPending;
    }

    /**
     * Sets the position the node starts from: the stream's top when the subscription took
     * effect. Messages queued before are delivered if newer.
     *
     * @param streamEpoch the stream's epoch, or {@code null} if it has none yet
     */
    synchronized void start(String streamEpoch, long top) {
        this.epoch = streamEpoch;
        this.last = top;
        this.ready = true;
        drain();
    }

    synchronized void onMessage(byte[] message) {
        if (closed) {
            return;
        }
        if (!ready || filling) {
            enqueue(message);
            return;
        }
        process(message);
    }

    /** Reads whatever the stream has past the last delivered offset (after a reconnect). */
    synchronized void resync() {
        if (closed || !ready || filling) {
            return;
        }
        filling = true;
        fill();
    }

    synchronized void close() {
        closed = true;
        pending.clear();
    }

    /** Publications recovered from the stream by gap fills, for stats. */
    synchronized long filledCount() {
        return filled;
    }

    private void enqueue(byte[] message) {
        if (pending.size() >= maxPending) {
            // What is queued with an offset is in the stream and the fill brings it back.
            pending.pollFirst();
            lost++;
        }
        pending.addLast(message);
    }

    private void drain() {
        byte[] m;
        while (!filling && !closed && (m = pending.pollFirst()) != null) {
            process(m);
        }
    }

    private void process(byte[] m) {
        try {
            switch (m[0]) {
                case 'p' -> publication(m);
                case 'j' -> handler.handleJoin(channel, PublicationCodec.decodeInfo(m, 1));
                case 'l' -> handler.handleLeave(channel, PublicationCodec.decodeInfo(m, 1));
                default -> log.warn("dropping unknown message on channel {}", channel);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("dropping malformed message on channel {}: {}", channel, e.toString());
        }
    }

    private void publication(byte[] m) throws IOException {
        int c1 = indexOf(m, (byte) ':', 1);
        int c2 = indexOf(m, (byte) ':', c1 + 1);
        long offset = Long.parseLong(new String(m, 1, c1 - 1, StandardCharsets.US_ASCII));
        String msgEpoch = new String(m, c1 + 1, c2 - c1 - 1, StandardCharsets.UTF_8);
        if (offset == 0) {
            handler.handlePublication(channel, PublicationCodec.decode(0, m, c2 + 1), new StreamPosition(0, ""));
            return;
        }
        if (epoch == null) {
            epoch = msgEpoch;
        } else if (!epoch.equals(msgEpoch)) {
            // The stream was lost (Redis restarted without persistence, keys evicted): positions
            // of the old epoch mean nothing now.
            log.info("channel {}: stream epoch changed, subscribers must recover", channel);
            epoch = msgEpoch;
            last = offset - 1;
            handler.handleInsufficientState(channel);
        }
        if (offset <= last) {
            return;
        }
        if (offset > last + 1) {
            filling = true;
            pending.addFirst(m);
            fill();
            return;
        }
        last = offset;
        handler.handlePublication(
                channel, PublicationCodec.decode(offset, m, c2 + 1), new StreamPosition(offset, msgEpoch));
    }

    private void fill() {
        long from = last;
        reader.readAfter(channel, from, fillLimit + 1).whenComplete((h, err) -> {
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (err != null) {
                    log.debug("channel {}: gap fill read failed, retrying: {}", channel, err.toString());
                    retry.later(this::retryFill);
                    return;
                }
                applyFill(from, h);
                filling = false;
                drain();
            }
        });
    }

    private synchronized void retryFill() {
        if (!closed && filling) {
            fill();
        }
    }

    private void applyFill(long from, HistoryResult h) {
        StreamPosition top = h.position();
        boolean sameEpoch = epoch == null || epoch.equals(top.epoch());
        if (sameEpoch && epoch != null && top.offset() < from) {
            // The stream is behind what this node delivered: Redis lost acknowledged writes.
            log.warn(
                    "channel {}: stream went back from offset {} to {}; starting a new epoch, subscribers must recover",
                    channel,
                    from,
                    top.offset());
            reader.resetEpoch(channel, epoch);
            last = top.offset();
            handler.handleInsufficientState(channel);
            return;
        }
        boolean complete = sameEpoch
                && h.publications().size() <= fillLimit
                && (h.publications().isEmpty()
                        ? top.offset() <= from
                        : h.publications().get(0).offset() == from + 1);
        if (!complete) {
            log.warn(
                    "channel {}: publications after offset {} are gone from the stream; subscribers must recover",
                    channel,
                    from);
            epoch = top.epoch();
            last = top.offset();
            handler.handleInsufficientState(channel);
            return;
        }
        epoch = top.epoch();
        for (Publication p : h.publications()) {
            if (p.offset() != last + 1) {
                break;
            }
            last = p.offset();
            filled++;
            handler.handlePublication(channel, p, new StreamPosition(p.offset(), top.epoch()));
        }
    }

    private static int indexOf(byte[] b, byte x, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        throw new IllegalArgumentException("malformed publication frame");
    }
}

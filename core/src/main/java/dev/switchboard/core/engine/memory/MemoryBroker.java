package dev.switchboard.core.engine.memory;

import dev.switchboard.core.engine.Broker;
import dev.switchboard.core.engine.BrokerEventHandler;
import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.HistoryFilter;
import dev.switchboard.core.engine.HistoryResult;
import dev.switchboard.core.engine.Publication;
import dev.switchboard.core.engine.PublishOptions;
import dev.switchboard.core.engine.StreamPosition;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@link Broker} for a single node: history in memory, delivery by direct call.
 *
 * <p>Each channel has its own lock; a publication is stored and handed to the node under that
 * lock, so delivery per channel follows offset order. Expired streams and idempotency keys are
 * dropped by {@link #sweep()}, which {@link MemoryEngine} calls periodically.
 *
 * <pre>{@code
 * MemoryBroker broker = new MemoryBroker();
 * broker.start(handler);
 * broker.publish("chat", data, options).join();
 * }</pre>
 */
public final class MemoryBroker implements Broker {

    private record IdempotentResult(StreamPosition position, long expireAtMillis) {}

    private final Clock clock;
    private final Map<String, MemoryStream> streams = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Map<String, IdempotentResult> idempotency = new ConcurrentHashMap<>();
    private final Map<String, Boolean> subscribed = new ConcurrentHashMap<>();
    private volatile BrokerEventHandler handler;

    public MemoryBroker() {
        this(Clock.systemUTC());
    }

    /** A broker reading time from the given clock, for tests of expiry. */
    public MemoryBroker(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public void start(BrokerEventHandler handler) {
        this.handler = Objects.requireNonNull(handler);
    }

    private Object lock(String channel) {
        return locks.computeIfAbsent(channel, c -> new Object());
    }

    private MemoryStream stream(String channel, long now) {
        MemoryStream s = streams.get(channel);
        if (s != null && s.metaExpired(now)) {
            streams.remove(channel, s);
            s = null;
        }
        if (s == null) {
            s = new MemoryStream(newEpoch());
            streams.put(channel, s);
        }
        return s;
    }

    private static String newEpoch() {
        return Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    }

    @Override
    public CompletableFuture<StreamPosition> publish(String channel, byte[] data, PublishOptions options) {
        long now = clock.millis();
        String idemKey = options.idempotencyKey() == null ? null : channel + '\u0000' + options.idempotencyKey();
        synchronized (lock(channel)) {
            if (idemKey != null) {
                IdempotentResult previous = idempotency.get(idemKey);
                if (previous != null && previous.expireAtMillis() > now) {
                    return CompletableFuture.completedFuture(previous.position());
                }
            }
            StreamPosition position;
            Publication publication;
            if (options.withHistory()) {
                MemoryStream s = stream(channel, now);
                publication = new Publication(s.nextOffset(), data, options.info(), options.tags(), now);
                s.append(
                        publication,
                        options.historySize(),
                        options.historyTtl().toMillis(),
                        options.historyMetaTtl().toMillis(),
                        now);
                position = s.position();
            } else {
                publication = new Publication(0, data, options.info(), options.tags(), now);
                position = new StreamPosition(0, "");
            }
            if (idemKey != null) {
                idempotency.put(
                        idemKey,
                        new IdempotentResult(
                                position, now + options.idempotentResultTtl().toMillis()));
            }
            if (subscribed.containsKey(channel)) {
                handler.handlePublication(channel, publication, position);
            }
            return CompletableFuture.completedFuture(position);
        }
    }

    @Override
    public CompletableFuture<Void> publishJoin(String channel, ClientInfo info) {
        synchronized (lock(channel)) {
            if (subscribed.containsKey(channel)) {
                handler.handleJoin(channel, info);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> publishLeave(String channel, ClientInfo info) {
        synchronized (lock(channel)) {
            if (subscribed.containsKey(channel)) {
                handler.handleLeave(channel, info);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> publishToNode(String nodeId, byte[] message) {
        // One node: every message is for this one.
        handler.handleNodeMessage(message);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> publishControl(byte[] message) {
        handler.handleControl(message);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> subscribe(String channel) {
        subscribed.put(channel, Boolean.TRUE);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String channel) {
        subscribed.remove(channel);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<HistoryResult> history(String channel, HistoryFilter filter) {
        long now = clock.millis();
        synchronized (lock(channel)) {
            MemoryStream existing = streams.get(channel);
            boolean created = existing == null || existing.metaExpired(now);
            MemoryStream s = stream(channel, now);
            if (created) {
                // A read fixes the epoch of a channel nobody published to; it lasts as the reader says.
                s.touch(filter.metaTtl().toMillis(), now);
            }
            List<Publication> pubs = s.read(filter, now);
            return CompletableFuture.completedFuture(new HistoryResult(pubs, s.position()));
        }
    }

    @Override
    public CompletableFuture<Void> removeHistory(String channel) {
        synchronized (lock(channel)) {
            MemoryStream s = streams.get(channel);
            if (s != null) {
                s.clear();
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Drops streams whose position expired and idempotency keys past their TTL. */
    void sweep() {
        long now = clock.millis();
        streams.entrySet().removeIf(e -> e.getValue().metaExpired(now));
        idempotency.entrySet().removeIf(e -> e.getValue().expireAtMillis() <= now);
        locks.keySet().removeIf(ch -> !streams.containsKey(ch) && !subscribed.containsKey(ch));
    }

    /** Number of channels with a stream in memory, for stats. */
    public int streamCount() {
        return streams.size();
    }

    @Override
    public void close() {
        subscribed.clear();
    }
}

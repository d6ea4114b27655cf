package dev.switchboard.redis;

import dev.switchboard.core.engine.EventQueue;
import dev.switchboard.core.engine.LifecycleEvent;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Lifecycle events in a Redis stream ({@link RedisKeys#events()}), consumed by the nodes' webhook
 * dispatchers through one consumer group, so each event goes to one node at a time and survives
 * any node. Delivered entries are acknowledged and deleted, so the stream's length is the
 * backlog; it is capped at {@link RedisEngineOptions#maxEventBacklog()} (the oldest go).
 *
 * <p><b>Bound for a dead consumer.</b> Entries a node claimed and never acknowledged are claimed
 * by another node once they were idle for {@link #CLAIM_AFTER}; a live node retrying them
 * {@linkplain #keep keeps} them. Consumers with nothing pending, idle for
 * {@link #FORGET_CONSUMER_AFTER}, are deleted from the group.
 *
 * <p>Durability is Redis's: with neither AOF nor RDB a Redis restart loses the queued events.
 *
 * <pre>{@code
 * EventQueue queue = new RedisEventQueue(redisConnections);
 * }</pre>
 */
public final class RedisEventQueue implements EventQueue {

    /** The consumer group every node's dispatcher reads through. */
    static final String GROUP = "webhooks";

    /**
     * How long an entry claimed by one node stays unacknowledged before another takes it over:
     * longer than any one delivery attempt and retry pause (the dispatcher keeps its entries in
     * between), short enough that a crashed node's batch is retried within half a minute.
     */
    public static final Duration CLAIM_AFTER = Duration.ofSeconds(30);

    /** How long a consumer with nothing pending stays in the group (a restarted node's old id). */
    static final Duration FORGET_CONSUMER_AFTER = Duration.ofHours(1);

    private static final LuaScript ADD = LuaScript.load("events_add.lua");
    private static final LuaScript CLAIM = LuaScript.load("events_claim.lua");
    private static final LuaScript KEEP = LuaScript.load("events_keep.lua");
    private static final LuaScript ACK = LuaScript.load("events_ack.lua");
    private static final LuaScript BACKLOG = LuaScript.load("events_backlog.lua");

    private final RedisConnections redis;
    private final byte[][] stream;
    private final byte[] maxBacklog;
    private final Duration claimAfter;
    private volatile long nextReclaimNanos;

    /** A queue on the engine's shared connection; the connections stay owned by the caller. */
    public RedisEventQueue(RedisConnections redis) {
        this(redis, CLAIM_AFTER);
    }

    /** A queue whose claimed entries are taken over after {@code claimAfter}, for tests. */
    RedisEventQueue(RedisConnections redis, Duration claimAfter) {
        this.redis = redis;
        this.stream = new byte[][] {redis.keys().events()};
        this.maxBacklog = ascii(Integer.toString(redis.options().maxEventBacklog()));
        this.claimAfter = claimAfter;
    }

    @Override
    public CompletableFuture<Void> add(LifecycleEvent event) {
        CompletableFuture<byte[]> f = RedisConnections.call(
                () -> ADD.run(redis.async(), ScriptOutputType.VALUE, stream, maxBacklog, event.toJson()));
        return f.thenApply(id -> null);
    }

    @Override
    public CompletableFuture<List<QueuedEvent>> claim(String consumer, int max) {
        // Taking over others' stale entries scans the pending list: once a second is enough.
        long now = System.nanoTime();
        boolean reclaim = now - nextReclaimNanos >= 0;
        if (reclaim) {
            nextReclaimNanos = now + Duration.ofSeconds(1).toNanos();
        }
        CompletableFuture<List<Object>> f = RedisConnections.call(() -> CLAIM.run(
                redis.async(),
                ScriptOutputType.MULTI,
                stream,
                ascii(GROUP),
                utf8(consumer),
                ascii(Integer.toString(max)),
                ascii(Long.toString(claimAfter.toMillis())),
                ascii(reclaim ? "1" : "0"),
                ascii(Long.toString(FORGET_CONSUMER_AFTER.toMillis()))));
        return f.thenApply(flat -> {
            List<QueuedEvent> out = new ArrayList<>(flat.size() / 2);
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                out.add(new QueuedEvent(
                        new String((byte[]) flat.get(i), StandardCharsets.US_ASCII), (byte[]) flat.get(i + 1)));
            }
            return out;
        });
    }

    @Override
    public CompletableFuture<Void> keep(String consumer, List<QueuedEvent> events) {
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        byte[][] args = new byte[events.size() + 2][];
        args[0] = ascii(GROUP);
        args[1] = utf8(consumer);
        for (int i = 0; i < events.size(); i++) {
            args[i + 2] = ascii(events.get(i).queueId());
        }
        CompletableFuture<Long> f =
                RedisConnections.call(() -> KEEP.run(redis.async(), ScriptOutputType.INTEGER, stream, args));
        return f.thenApply(n -> null);
    }

    @Override
    public CompletableFuture<Void> ack(List<QueuedEvent> events) {
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        byte[][] args = new byte[events.size() + 1][];
        args[0] = ascii(GROUP);
        for (int i = 0; i < events.size(); i++) {
            args[i + 1] = ascii(events.get(i).queueId());
        }
        CompletableFuture<Long> f =
                RedisConnections.call(() -> ACK.run(redis.async(), ScriptOutputType.INTEGER, stream, args));
        return f.thenApply(n -> null);
    }

    @Override
    public CompletableFuture<Backlog> backlog() {
        CompletableFuture<List<Long>> f =
                RedisConnections.call(() -> BACKLOG.run(redis.async(), ScriptOutputType.MULTI, stream));
        return f.thenApply(r -> r.get(0) == 0 ? Backlog.EMPTY : new Backlog(r.get(0), r.get(1)));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

package dev.switchboard.redis;

import dev.switchboard.core.engine.Broker;
import dev.switchboard.core.engine.BrokerEventHandler;
import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.HistoryFilter;
import dev.switchboard.core.engine.HistoryResult;
import dev.switchboard.core.engine.Publication;
import dev.switchboard.core.engine.PublishOptions;
import dev.switchboard.core.engine.StreamPosition;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Broker} on Redis: one Lua script per publish (idempotency, offset, stream append,
 * TTLs, PUBLISH), history from the stream, and delivery through a {@link PubSubSession} whose
 * per-channel {@link StreamTracker}s fill any gap from the stream before delivering newer
 * publications.
 *
 * <pre>{@code
 * RedisConnections redis = new RedisConnections(RedisEngineOptions.builder("redis://127.0.0.1:6379").build());
 * Broker broker = new RedisBroker(redis, nodeId);
 * }</pre>
 */
public final class RedisBroker implements Broker {

    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);
    private static final LuaScript PUBLISH = LuaScript.load("publish.lua");
    private static final LuaScript HISTORY = LuaScript.load("history.lua");
    private static final LuaScript EPOCH_RESET = LuaScript.load("epoch_reset.lua");
    /** Messages a tracker queues while it fills a gap. */
    static final int MAX_PENDING_PER_CHANNEL = 10_000;

    private final RedisConnections redis;
    private final RedisKeys keys;
    private final String nodeId;
    private final byte[] publishCommand;
    private final Map<String, StreamTracker> trackers = new ConcurrentHashMap<>();
    private volatile BrokerEventHandler handler;
    private final RoutingKeyCache routingKeyCache;
    private volatile PubSubSession pubsub;

    public RedisBroker(RedisConnections redis, String nodeId) {
        this(redis, nodeId, new RoutingKeyCache());
    }

    /** With the cache this node's {@link RedisConnectionRegistry} routes through, fed by this broker's pub/sub. */
    RedisBroker(RedisConnections redis, String nodeId, RoutingKeyCache routingKeyCache) {
        this.redis = redis;
        this.keys = redis.keys();
        this.publishCommand = b(keys.publishCommand());
        this.nodeId = nodeId;
        this.routingKeyCache = routingKeyCache;
    }

    @Override
    public void start(BrokerEventHandler h) {
        this.handler = h;
        PubSubRouter router = new PubSubRouter(keys, nodeId, this);
        this.pubsub =
                redis.cluster() ? new ShardedPubSubSession(redis, router) : new SinglePubSubSession(redis, router);
        pubsub.start();
    }

    RedisKeys keys() {
        return keys;
    }

    RoutingKeyCache routingKeyCache() {
        return routingKeyCache;
    }

    BrokerEventHandler handler() {
        return handler;
    }

    Map<String, StreamTracker> trackers() {
        return trackers;
    }

    private static String newEpoch() {
        return Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] b(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    @Override
    public CompletableFuture<StreamPosition> publish(String channel, byte[] data, PublishOptions o) {
        byte[] payload = PublicationCodec.encode(data, o.info(), o.tags(), System.currentTimeMillis());
        String idem = o.idempotencyKey();
        // Without an idempotency key the script declares only the keys it touches: on a cluster,
        // a never-existing third key would make Redis answer TRYAGAIN while the slot migrates.
        byte[][] k = idem == null
                ? new byte[][] {keys.stream(channel), keys.meta(channel)}
                : new byte[][] {keys.stream(channel), keys.meta(channel), keys.idempotency(channel, idem)};
        byte[] epoch = b(newEpoch());
        CompletableFuture<List<Object>> f = redis.retryingUnexecuted(() -> PUBLISH.run(
                redis.async(),
                ScriptOutputType.MULTI,
                k,
                payload,
                b(o.withHistory() ? o.historySize() : 0),
                b(o.withHistory() ? seconds(o.historyTtl()) : 0),
                b(seconds(o.historyMetaTtl())),
                keys.pubSub(channel),
                epoch,
                b(idem == null ? 0 : seconds(o.idempotentResultTtl())),
                publishCommand));
        return f.handle((r, e) -> {
            if (e != null) {
                throw new java.util.concurrent.CompletionException(RedisConnections.toProtocolError(e));
            }
            return new StreamPosition((Long) r.get(0), PublicationCodec.utf8((byte[]) r.get(1)));
        });
    }

    private CompletableFuture<Void> publishRaw(byte[] pubSubChannel, byte[] message) {
        return redis.retryingUnexecuted(() -> redis.publish(pubSubChannel, message))
                .handle((r, e) -> {
                    if (e != null) {
                        throw new java.util.concurrent.CompletionException(RedisConnections.toProtocolError(e));
                    }
                    return null;
                });
    }

    private static byte[] tagged(char type, byte[] body) {
        byte[] out = new byte[body.length + 1];
        out[0] = (byte) type;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    @Override
    public CompletableFuture<Void> publishJoin(String channel, ClientInfo info) {
        return publishRaw(keys.pubSub(channel), tagged('j', PublicationCodec.encodeInfo(info)));
    }

    @Override
    public CompletableFuture<Void> publishLeave(String channel, ClientInfo info) {
        return publishRaw(keys.pubSub(channel), tagged('l', PublicationCodec.encodeInfo(info)));
    }

    @Override
    public CompletableFuture<Void> publishToNode(String nodeId, byte[] message) {
        return publishRaw(keys.node(nodeId), tagged('m', message));
    }

    @Override
    public CompletableFuture<Void> publishControl(byte[] message) {
        return publishRaw(keys.control(), message);
    }

    /**
     * Subscribes in Redis, then reads the stream's top so the tracker knows where this node
     * starts: the future completes only once both are done, so nothing published afterwards
     * can be missed.
     */
    @Override
    public CompletableFuture<Void> subscribe(String channel) {
        StreamTracker t = new StreamTracker(
                channel, handler, readers, pubsub::retryLater, redis.options().gapFillLimit(), MAX_PENDING_PER_CHANNEL);
        StreamTracker previous = trackers.put(channel, t);
        if (previous != null) {
            previous.close();
        }
        return pubsub.subscribe(keys.pubSub(channel))
                .thenCompose(v ->
                        redis.async().hmget(keys.meta(channel), b("e"), b("s")).toCompletableFuture())
                .handle((kvs, e) -> {
                    if (e != null) {
                        trackers.remove(channel, t);
                        t.close();
                        throw new java.util.concurrent.CompletionException(RedisConnections.toProtocolError(e));
                    }
                    String epoch = kvs.get(0).hasValue()
                            ? PublicationCodec.utf8(kvs.get(0).getValue())
                            : null;
                    long top = kvs.get(1).hasValue()
                            ? Long.parseLong(PublicationCodec.utf8(kvs.get(1).getValue()))
                            : 0;
                    t.start(epoch, top);
                    return null;
                });
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String channel) {
        StreamTracker t = trackers.remove(channel);
        if (t != null) {
            t.close();
        }
        return pubsub.unsubscribe(keys.pubSub(channel));
    }

    private final StreamTracker.Reader readers = new StreamTracker.Reader() {
        @Override
        public CompletableFuture<HistoryResult> readAfter(String channel, long offset, int limit) {
            return RedisBroker.this.readAfter(channel, offset, limit);
        }

        @Override
        public CompletableFuture<Void> resetEpoch(String channel, String rolledBackEpoch) {
            CompletableFuture<byte[]> f = EPOCH_RESET.run(
                    redis.async(),
                    ScriptOutputType.VALUE,
                    new byte[][] {keys.stream(channel), keys.meta(channel)},
                    b(rolledBackEpoch),
                    b(newEpoch()));
            return f.handle((r, e) -> {
                if (e != null) {
                    log.warn("channel {}: could not start a new epoch: {}", channel, e.toString());
                }
                return null;
            });
        }
    };

    /** Reads publications after an offset, for gap fills. */
    CompletableFuture<HistoryResult> readAfter(String channel, long offset, int limit) {
        return history(channel, new HistoryFilter(new StreamPosition(offset, ""), limit, false));
    }

    @Override
    public CompletableFuture<HistoryResult> history(String channel, HistoryFilter filter) {
        long since = filter.since() == null ? -1 : filter.since().offset();
        CompletableFuture<List<Object>> f = redis.retryingUnexecuted(() -> HISTORY.run(
                redis.async(),
                ScriptOutputType.MULTI,
                new byte[][] {keys.stream(channel), keys.meta(channel)},
                b(since),
                b(filter.limit()),
                b(filter.reverse() ? "1" : "0"),
                b(seconds(filter.metaTtl())),
                b(newEpoch())));
        return f.handle((r, e) -> {
            if (e != null) {
                throw new java.util.concurrent.CompletionException(RedisConnections.toProtocolError(e));
            }
            return toHistory(r);
        });
    }

    @SuppressWarnings("unchecked")
    private static HistoryResult toHistory(List<Object> r) {
        long top = Long.parseLong(PublicationCodec.utf8((byte[]) r.get(0)));
        String epoch = PublicationCodec.utf8((byte[]) r.get(1));
        List<Object> entries = (List<Object>) r.get(2);
        List<Publication> pubs = new ArrayList<>(entries.size());
        for (Object entry : entries) {
            List<Object> e = (List<Object>) entry;
            String id = PublicationCodec.utf8((byte[]) e.get(0));
            long offset = Long.parseLong(id.substring(0, id.indexOf('-')));
            List<Object> fields = (List<Object>) e.get(1);
            try {
                pubs.add(PublicationCodec.decode(offset, (byte[]) fields.get(1), 0));
            } catch (java.io.IOException ex) {
                throw new IllegalStateException("malformed stream entry " + id, ex);
            }
        }
        return new HistoryResult(pubs, new StreamPosition(top, epoch));
    }

    @Override
    public CompletableFuture<Void> removeHistory(String channel) {
        return redis.async().del(keys.stream(channel)).toCompletableFuture().handle((r, e) -> {
            if (e != null) {
                throw new java.util.concurrent.CompletionException(RedisConnections.toProtocolError(e));
            }
            return null;
        });
    }

    /**
     * {@code PUBSUB NUMSUB} of the nodes' own channels, in one command; on a cluster
     * {@code PUBSUB SHARDNUMSUB}, one per node, each sent to the primary that owns the channel's
     * slot (where its node subscribes).
     */
    @Override
    public CompletableFuture<Set<String>> nodesNotListening(Collection<String> nodeIds) {
        List<String> ids = List.copyOf(nodeIds);
        if (ids.isEmpty()) {
            return CompletableFuture.completedFuture(Set.of());
        }
        byte[][] channels = ids.stream().map(keys::node).toArray(byte[][]::new);
        List<CompletableFuture<Map<byte[], Long>>> counts = new ArrayList<>();
        if (redis.cluster()) {
            for (byte[] ch : channels) {
                counts.add(redis.async().pubsubShardNumsub(ch).toCompletableFuture());
            }
        } else {
            counts.add(redis.async().pubsubNumsub(channels).toCompletableFuture());
        }
        return CompletableFuture.allOf(counts.toArray(new CompletableFuture[0])).thenApply(v -> {
            Map<String, Long> listeners = new HashMap<>();
            for (CompletableFuture<Map<byte[], Long>> f : counts) {
                f.join().forEach((ch, n) -> listeners.merge(new String(ch, StandardCharsets.UTF_8), n, Long::sum));
            }
            Set<String> quiet = new HashSet<>();
            for (int i = 0; i < ids.size(); i++) {
                if (listeners.getOrDefault(new String(channels[i], StandardCharsets.UTF_8), 0L) == 0) {
                    quiet.add(ids.get(i));
                }
            }
            return quiet;
        });
    }

    @Override
    public boolean healthy() {
        PubSubSession s = pubsub;
        return redis.isOpen() && s != null && s.healthy();
    }

    /** Publications this node recovered from streams after pub/sub gaps, for stats and tests. */
    public long gapFilledCount() {
        long n = 0;
        for (StreamTracker t : trackers.values()) {
            n += t.filledCount();
        }
        return n;
    }

    /** Times the pub/sub connection was found deaf and restarted. */
    public long pubSubRestarts() {
        PubSubSession s = pubsub;
        return s == null ? 0 : s.restarts();
    }

    @Override
    public void close() {
        PubSubSession s = pubsub;
        if (s != null) {
            s.close();
        }
        trackers.values().forEach(StreamTracker::close);
        trackers.clear();
        log.debug("redis broker closed");
    }
}

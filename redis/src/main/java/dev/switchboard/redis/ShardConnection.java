package dev.switchboard.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Redis Cluster primary's pub/sub connection for a {@link ShardedPubSubSession}, and the
 * channels placed on it. Lettuce does not reconnect it: its re-subscribe would send every channel
 * in one {@code SSUBSCRIBE}, which Redis refuses for channels of different slots. The connection
 * reconnects itself, with backoff, subscribes each channel on its own and has each one caught up;
 * it is probed through a channel whose slot this primary serves, and replaced when a probe is not
 * heard. All its state changes run on the session's one thread.
 */
final class ShardConnection {

    private static final Logger log = LoggerFactory.getLogger(ShardConnection.class);
    private static final String PROBE = "probe:";

    /** What a shard connection needs from its session; every call is made on {@link #exec()}. */
    interface Session {
        ScheduledExecutorService exec();

        RedisConnections redis();

        PubSubRouter router();

        /** Tells this session's probes from other nodes'. */
        String probeId();

        boolean closed();

        /** A channel placed here could not be subscribed (a moved slot, say): place it again. */
        void lost(String channel);

        /** A channel placed here is subscribed again after a gap: fill it from its stream. */
        void caughtUp(String channel);

        /** The connection dropped; it reconnects by itself. */
        void dropped(ShardConnection shard);

        /** Redis unsubscribed a channel by itself: its slot moved away. */
        void unsubscribedByRedis(ShardConnection shard, String channel);

        /** A deaf connection was replaced. */
        void restarted();
    }

    private final Session session;
    private final RedisConnections redis;

    final String nodeId;
    final RedisURI uri;
    final Set<String> channels = new HashSet<>();
    final AtomicLong probeSent = new AtomicLong();
    final AtomicLong probeSeen = new AtomicLong();
    /** A channel in one of this primary's slots; picked again if that slot moves away. */
    volatile byte[] probeChannel;

    private final Listener listener = new Listener();
    volatile StatefulRedisPubSubConnection<byte[], byte[]> conn;
    /** Completes with the connection once it is up; a new one while it reconnects. */
    volatile CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> ready = new CompletableFuture<>();

    volatile boolean deaf;
    private boolean removed;
    private int attempts;

    ShardConnection(RedisClusterNode owner, Session session) {
        this.session = session;
        this.redis = session.redis();
        this.nodeId = owner.getNodeId();
        this.uri = redis.nodeUri(owner.getUri());
        this.probeChannel = probeChannelFor(owner);
        connect();
    }

    private byte[] probeChannelFor(RedisClusterNode owner) {
        for (int i = 0; ; i++) {
            byte[] ch = redis.keys().probe(session.probeId() + "-" + i);
            if (owner.hasSlot(SlotHash.getSlot(ch)) || owner.getSlots().isEmpty()) {
                return ch;
            }
        }
    }

    private void connect() {
        redis.client()
                .connectPubSubAsync(ByteArrayCodec.INSTANCE, uri)
                .toCompletableFuture()
                .whenCompleteAsync(
                        (c, e) -> {
                            if (removed || session.closed()) {
                                if (c != null) {
                                    c.closeAsync();
                                }
                                return;
                            }
                            if (e != null) {
                                attempts++;
                                session.exec().schedule(this::connect, backoffMillis(attempts), TimeUnit.MILLISECONDS);
                                return;
                            }
                            attempts = 0;
                            c.addListener(listener);
                            conn = c;
                            ready.complete(c);
                            subscribeAll();
                        },
                        session.exec());
    }

    private long backoffMillis(int attempt) {
        long min = redis.options().reconnectMinDelay().toMillis();
        long max = redis.options().reconnectMaxDelay().toMillis();
        long cap = Math.min(max, min << Math.min(attempt, 10));
        return Math.max(min, ThreadLocalRandom.current().nextLong(cap + 1));
    }

    /** On a new connection: the probe channel and every placed channel, each caught up. */
    private void subscribeAll() {
        StatefulRedisPubSubConnection<byte[], byte[]> c = conn;
        c.async().ssubscribe(probeChannel);
        for (String k : List.copyOf(channels)) {
            c.async()
                    .ssubscribe(bytes(k))
                    .toCompletableFuture()
                    .whenCompleteAsync(
                            (v, e) -> {
                                if (e != null) {
                                    session.lost(k);
                                } else if (channels.contains(k)) {
                                    session.caughtUp(k);
                                }
                            },
                            session.exec());
        }
    }

    /**
     * Subscribes once the connection is up, waiting at most the command timeout; a channel
     * placed here while the shard reconnects is subscribed by {@link #subscribeAll} anyway.
     */
    CompletableFuture<Void> ssubscribe(String k) {
        return ready.thenCompose(c -> c.async().ssubscribe(bytes(k)).toCompletableFuture())
                .orTimeout(redis.options().commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void down() {
        conn = null;
        if (ready.isDone()) {
            ready = new CompletableFuture<>();
        }
    }

    void sunsubscribe(String k) {
        StatefulRedisPubSubConnection<byte[], byte[]> c = conn;
        if (c != null && c.isOpen()) {
            c.async().sunsubscribe(bytes(k));
        }
    }

    String nodeId() {
        return nodeId;
    }

    boolean reconnecting() {
        StatefulRedisPubSubConnection<byte[], byte[]> c = conn;
        return c == null || !c.isOpen();
    }

    boolean healthy() {
        return !deaf && !reconnecting();
    }

    /** The connection dropped (not closed by us): reconnect, with backoff. */
    void dropped(RedisChannelHandler<?, ?> connection) {
        if (conn != connection || removed) {
            return;
        }
        down();
        if (connection.isOpen()) {
            connection.closeAsync();
        }
        session.dropped(this);
        log.warn("pub/sub connection to shard {} lost; reconnecting", uri);
        attempts = 1;
        session.exec().schedule(this::connect, backoffMillis(attempts), TimeUnit.MILLISECONDS);
    }

    void probe() {
        StatefulRedisPubSubConnection<byte[], byte[]> c = conn;
        if (session.closed() || removed || c == null || !c.isOpen()) {
            return;
        }
        long n = probeSent.incrementAndGet();
        byte[] msg = (PROBE + session.probeId() + ":" + n).getBytes(StandardCharsets.US_ASCII);
        redis.publish(probeChannel, msg).whenComplete((receivers, e) -> {
            if (e != null || session.closed()) {
                return; // the shard is down: that is an outage, handled by placement
            }
            session.exec()
                    .schedule(
                            () -> checkProbe(n, c),
                            redis.options().probeTimeout().toMillis(),
                            TimeUnit.MILLISECONDS);
        });
    }

    private void checkProbe(long n, StatefulRedisPubSubConnection<byte[], byte[]> probed) {
        if (session.closed() || probeSeen.get() >= n) {
            deaf = false;
            return;
        }
        if (removed || conn != probed || !probed.isOpen()) {
            return;
        }
        if (probeSlotMovedAway(probed)) {
            return;
        }
        deaf = true;
        session.restarted();
        log.warn("pub/sub connection to shard {} deaf: probe {} not received; replacing it", uri, n);
        down();
        probed.removeListener(listener);
        probed.closeAsync();
        deaf = false;
        connect();
    }

    /**
     * When the probe channel's slot now belongs to another primary, the probe went there: that is
     * no sign of deafness. A new probe channel is picked among this primary's slots instead.
     */
    private boolean probeSlotMovedAway(StatefulRedisPubSubConnection<byte[], byte[]> c) {
        Partitions partitions = redis.clusterClient().getPartitions();
        RedisClusterNode owner = partitions.getMasterBySlot(SlotHash.getSlot(probeChannel));
        if (owner != null && owner.getNodeId().equals(nodeId)) {
            return false;
        }
        RedisClusterNode self = partitions.getPartitionByNodeId(nodeId);
        if (self != null && !self.getSlots().isEmpty()) {
            byte[] old = probeChannel;
            probeChannel = probeChannelFor(self);
            c.async().sunsubscribe(old);
            c.async().ssubscribe(probeChannel);
        }
        return true;
    }

    void close() {
        removed = true;
        StatefulRedisPubSubConnection<byte[], byte[]> c = conn;
        conn = null;
        ready.completeExceptionally(new IllegalStateException("shard connection closed"));
        if (c != null) {
            c.removeListener(listener);
            c.closeAsync();
        }
    }

    static String key(byte[] name) {
        return new String(name, StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.ISO_8859_1);
    }

    private final class Listener extends RedisPubSubAdapter<byte[], byte[]> {
        @Override
        public void smessage(byte[] channel, byte[] message) {
            if (Arrays.equals(channel, probeChannel)) {
                String s = new String(message, StandardCharsets.US_ASCII);
                String mine = PROBE + session.probeId() + ":";
                if (s.startsWith(mine)) {
                    probeSeen.accumulateAndGet(Long.parseLong(s.substring(mine.length())), Math::max);
                }
                return;
            }
            session.router().route(channel, message);
        }

        @Override
        public void sunsubscribed(byte[] channel, long count) {
            String k = key(channel);
            session.exec().execute(() -> session.unsubscribedByRedis(ShardConnection.this, k));
        }
    }
}

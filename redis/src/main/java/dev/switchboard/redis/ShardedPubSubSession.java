package dev.switchboard.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sharded pub/sub across a Redis Cluster's primaries: each pub/sub channel is subscribed with
 * {@code SSUBSCRIBE} on a connection to the primary that owns its slot, so a node holds
 * connections only to the shards where it has subscribers, and each message crosses only its
 * shard.
 *
 * <p>Placement follows the topology. Whenever the primaries' slots change (a replica promoted
 * after a failover, a slot migrated), when a shard's connection drops, and when Redis
 * unsubscribes a channel by itself (it sends {@code SUNSUBSCRIBE} when the channel's slot moves
 * away), the affected channels are subscribed where their slot now lives and their trackers read
 * the gap from their streams: a subscriber sees every publication, or an explicit epoch change
 * when a failover lost acknowledged writes, never a silent hole.
 *
 * <p>Each shard connection is probed through a channel of its own whose slot that shard serves;
 * a probe not heard in time replaces the connection, as on one Redis. Every decision about
 * placement runs on one thread, so placements never race.
 */
final class ShardedPubSubSession implements PubSubSession {

    private static final Logger log = LoggerFactory.getLogger(ShardedPubSubSession.class);
    private static final String PROBE = "probe:";
    private static final String THREAD_NAME = "switchboard-redis-sharded-pubsub";
    /** How long {@link #start()} waits for the fixed channels to be subscribed. */
    private static final long START_TIMEOUT_FACTOR = 2;

    private final RedisConnections redis;
    private final PubSubRouter router;
    private final String probeId = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    private final ScheduledThreadPoolExecutor exec;
    private final StateListener stateListener = new StateListener();
    // Pub/sub channel names as ISO-8859-1 strings: one char per byte, so every name round-trips.
    private final Set<String> wanted = java.util.concurrent.ConcurrentHashMap.newKeySet();
    // Confined to exec: where each wanted channel is subscribed, and the shards by primary id.
    private final Map<String, Shard> placed = new HashMap<>();
    private final Map<String, Shard> shards = new HashMap<>();
    private final Set<String> lost = new HashSet<>();
    private final AtomicLong restarts = new AtomicLong();
    private long topology;
    private volatile boolean closed;

    ShardedPubSubSession(RedisConnections redis, PubSubRouter router) {
        this.redis = redis;
        this.router = router;
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, THREAD_NAME);
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        this.exec = s;
    }

    private static String key(byte[] name) {
        return new String(name, StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void start() {
        redis.client().addListener(stateListener);
        List<CompletableFuture<Void>> fixed = new ArrayList<>();
        for (byte[] ch : new byte[][] {router.controlChannel(), router.nodeChannel(), router.changesChannel()}) {
            fixed.add(subscribe(ch));
        }
        try {
            CompletableFuture.allOf(fixed.toArray(new CompletableFuture[0]))
                    .get(redis.options().commandTimeout().toMillis() * START_TIMEOUT_FACTOR, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot subscribe to the cluster's shards: " + e, e);
        }
        router.routingKeys().feedUp();
        long every = redis.options().probeInterval().toMillis();
        exec.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
        exec.scheduleWithFixedDelay(this::checkTopology, TOPOLOGY_CHECK_MS, TOPOLOGY_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    /** Least time between two topology re-reads this session asks for. */
    static final long REFRESH_SPACING_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final AtomicLong lastRefresh = new AtomicLong();

    /**
     * Asks Lettuce to re-read the topology, at most every 200 ms: when a shard goes down, every
     * channel on it fails at once, and each would otherwise ask (one CLUSTER NODES per node each).
     */
    private void refreshTopology() {
        long now = System.nanoTime();
        long last = lastRefresh.get();
        if (now - last >= REFRESH_SPACING_NANOS && lastRefresh.compareAndSet(last, now)) {
            redis.clusterClient().refreshPartitionsAsync();
        }
    }

    /** How often the client's view of the slots is compared with the placements (cheap: no I/O). */
    static final long TOPOLOGY_CHECK_MS = 100;

    @Override
    public CompletableFuture<Void> subscribe(byte[] pubSubChannel) {
        String k = key(pubSubChannel);
        CompletableFuture<Void> done = new CompletableFuture<>();
        exec.execute(() -> {
            wanted.add(k);
            place(k).whenComplete((v, e) -> {
                if (e != null) {
                    done.completeExceptionally(new CompletionException(RedisConnections.toProtocolError(e)));
                } else {
                    done.complete(null);
                }
            });
        });
        return done;
    }

    @Override
    public CompletableFuture<Void> unsubscribe(byte[] pubSubChannel) {
        String k = key(pubSubChannel);
        exec.execute(() -> {
            wanted.remove(k);
            lost.remove(k);
            Shard s = placed.remove(k);
            if (s != null) {
                s.channels.remove(k);
                s.sunsubscribe(k);
                if (s.channels.isEmpty()) {
                    // No channel left on that shard: no connection to it either.
                    s.close();
                    shards.remove(s.nodeId, s);
                }
            }
        });
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void retryLater(Runnable task) {
        if (!closed) {
            long delay = 100 + ThreadLocalRandom.current().nextLong(200);
            exec.schedule(task, delay, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public boolean healthy() {
        if (closed) {
            return false;
        }
        // Read from another thread: a stale answer is fine, a concurrent-modification one is not.
        if (Thread.currentThread().getName().equals(THREAD_NAME)) {
            return lost.isEmpty() && shards.values().stream().allMatch(Shard::healthy);
        }
        try {
            return exec.submit(() -> lost.isEmpty() && shards.values().stream().allMatch(Shard::healthy))
                    .get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public long restarts() {
        return restarts.get();
    }

    // ---- placement (on exec) ----

    private RedisClusterNode ownerOf(Partitions partitions, String k) {
        return partitions.getMasterBySlot(SlotHash.getSlot(bytes(k)));
    }

    /** Subscribes a wanted channel on the shard that owns its slot now, leaving any other shard. */
    private CompletableFuture<Void> place(String k) {
        RedisClusterNode owner = ownerOf(redis.clusterClient().getPartitions(), k);
        if (owner == null) {
            lost.add(k);
            refreshTopology();
            return CompletableFuture.failedFuture(new IllegalStateException("no primary serves the slot of " + k));
        }
        Shard s = shards.computeIfAbsent(owner.getNodeId(), id -> new Shard(owner));
        Shard previous = placed.put(k, s);
        if (previous != null && previous != s) {
            previous.channels.remove(k);
            previous.sunsubscribe(k);
        }
        s.channels.add(k);
        lost.remove(k);
        return s.ssubscribe(k)
                .whenCompleteAsync(
                        (v, e) -> {
                            // While the shard reconnects, it subscribes the channel itself once back.
                            if (e != null && wanted.contains(k) && placed.get(k) == s && !s.reconnecting()) {
                                // A stale view of the slots (MOVED) or a shard going down: place it again
                                // once the topology is re-read.
                                lost.add(k);
                                refreshTopology();
                            }
                        },
                        exec);
    }

    /** Places again every channel not subscribed where its slot lives, and catches them up. */
    private void reconcile() {
        if (closed) {
            return;
        }
        Partitions partitions = redis.clusterClient().getPartitions();
        List<String> moving = new ArrayList<>();
        for (String k : wanted) {
            RedisClusterNode owner = ownerOf(partitions, k);
            Shard cur = placed.get(k);
            if (owner != null && (cur == null || !cur.nodeId.equals(owner.getNodeId()) || lost.contains(k))) {
                moving.add(k);
            }
        }
        for (String k : moving) {
            place(k).thenRunAsync(() -> caughtUp(k), exec);
        }
        shards.values().removeIf(s -> {
            if (s.channels.isEmpty()) {
                s.close();
                return true;
            }
            return false;
        });
        if (!moving.isEmpty()) {
            log.info("cluster topology changed: {} pub/sub channel(s) subscribed on their new shards", moving.size());
        }
    }

    private void caughtUp(String k) {
        byte[] ch = bytes(k);
        if (java.util.Arrays.equals(ch, router.changesChannel())) {
            router.routingKeys().feedUp();
        } else {
            router.resync(ch);
        }
    }

    private long fingerprint(Partitions partitions) {
        long h = 1;
        for (RedisClusterNode n : partitions) {
            if (n.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                h = 31 * h + n.getNodeId().hashCode() * 17L + n.getSlots().hashCode();
            }
        }
        return h;
    }

    private void checkTopology() {
        long now = fingerprint(redis.clusterClient().getPartitions());
        if (now != topology || !lost.isEmpty()) {
            topology = now;
            reconcile();
        }
    }

    private void tick() {
        for (Shard s : shards.values()) {
            s.probe();
        }
    }

    @Override
    public void close() {
        closed = true;
        redis.client().removeListener(stateListener);
        CompletableFuture<?> done = new CompletableFuture<>();
        try {
            exec.execute(() -> {
                shards.values().forEach(Shard::close);
                shards.clear();
                placed.clear();
                done.complete(null);
            });
            done.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("closing shard connections: {}", e.toString());
        } finally {
            exec.shutdownNow();
        }
    }

    /**
     * One primary's pub/sub connection and the channels placed on it. Lettuce does not reconnect
     * it: its re-subscribe would send every channel in one {@code SSUBSCRIBE}, which Redis refuses
     * for channels of different slots. The shard reconnects itself, with backoff, subscribes each
     * channel on its own and catches each one up. All its state changes run on exec.
     */
    private final class Shard {
        final String nodeId;
        final RedisURI uri;
        final Set<String> channels = new HashSet<>();
        final AtomicLong probeSent = new AtomicLong();
        final AtomicLong probeSeen = new AtomicLong();
        final byte[] probeChannel;
        final ShardListener listener = new ShardListener(this);
        volatile StatefulRedisPubSubConnection<byte[], byte[]> conn;
        /** Completes with the connection once it is up; a new one while it reconnects. */
        volatile CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> ready = new CompletableFuture<>();

        volatile boolean deaf;
        private boolean removed;
        private int attempts;

        Shard(RedisClusterNode owner) {
            this.nodeId = owner.getNodeId();
            this.uri = redis.nodeUri(owner.getUri());
            this.probeChannel = probeChannelFor(owner);
            connect();
        }

        private byte[] probeChannelFor(RedisClusterNode owner) {
            for (int i = 0; ; i++) {
                byte[] ch = redis.keys().probe(probeId + "-" + i);
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
                                if (removed || closed) {
                                    if (c != null) {
                                        c.closeAsync();
                                    }
                                    return;
                                }
                                if (e != null) {
                                    attempts++;
                                    exec.schedule(this::connect, backoffMillis(attempts), TimeUnit.MILLISECONDS);
                                    return;
                                }
                                attempts = 0;
                                c.addListener(listener);
                                conn = c;
                                ready.complete(c);
                                subscribeAll();
                            },
                            exec);
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
                                        lost.add(k);
                                        refreshTopology();
                                    } else if (channels.contains(k)) {
                                        caughtUp(k);
                                    }
                                },
                                exec);
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
            if (channels.contains(key(router.changesChannel()))) {
                router.routingKeys().feedDown();
            }
            log.warn("pub/sub connection to shard {} lost; reconnecting and re-reading the cluster topology", uri);
            refreshTopology();
            attempts = 1;
            exec.schedule(this::connect, backoffMillis(attempts), TimeUnit.MILLISECONDS);
        }

        void probe() {
            StatefulRedisPubSubConnection<byte[], byte[]> c = conn;
            if (closed || removed || c == null || !c.isOpen()) {
                return;
            }
            long n = probeSent.incrementAndGet();
            byte[] msg = (PROBE + probeId + ":" + n).getBytes(StandardCharsets.US_ASCII);
            redis.publish(probeChannel, msg).whenComplete((receivers, e) -> {
                if (e != null || closed) {
                    return; // the shard is down: that is an outage, handled by placement
                }
                exec.schedule(
                        () -> checkProbe(n, c), redis.options().probeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            });
        }

        private void checkProbe(long n, StatefulRedisPubSubConnection<byte[], byte[]> probed) {
            if (closed || probeSeen.get() >= n) {
                deaf = false;
                return;
            }
            if (removed || conn != probed || !probed.isOpen()) {
                return;
            }
            deaf = true;
            restarts.incrementAndGet();
            log.warn("pub/sub connection to shard {} deaf: probe {} not received; replacing it", uri, n);
            down();
            probed.removeListener(listener);
            probed.closeAsync();
            deaf = false;
            connect();
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
    }

    private final class ShardListener extends RedisPubSubAdapter<byte[], byte[]> {
        private final Shard shard;

        ShardListener(Shard shard) {
            this.shard = shard;
        }

        @Override
        public void smessage(byte[] channel, byte[] message) {
            if (java.util.Arrays.equals(channel, shard.probeChannel)) {
                String s = new String(message, StandardCharsets.US_ASCII);
                String mine = PROBE + probeId + ":";
                if (s.startsWith(mine)) {
                    shard.probeSeen.accumulateAndGet(Long.parseLong(s.substring(mine.length())), Math::max);
                }
                return;
            }
            router.route(channel, message);
        }

        @Override
        public void sunsubscribed(byte[] channel, long count) {
            String k = key(channel);
            exec.execute(() -> {
                // Redis unsubscribed a channel we still want here: its slot moved away.
                if (wanted.contains(k) && placed.get(k) == shard) {
                    log.info(
                            "shard {} dropped a subscription (its slot moved); subscribing where it lives now",
                            shard.uri);
                    lost.add(k);
                    refreshTopology();
                }
            });
        }
    }

    private final class StateListener implements RedisConnectionStateListener {
        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            if (!closed) {
                exec.execute(() -> shards.values().forEach(s -> s.dropped(connection)));
            }
        }
    }
}

package dev.switchboard.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
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
final class ShardedPubSubSession implements PubSubSession, ShardConnection.Session {

    private static final Logger log = LoggerFactory.getLogger(ShardedPubSubSession.class);
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
    private final Map<String, ShardConnection> placed = new HashMap<>();
    private final Map<String, ShardConnection> shards = new HashMap<>();
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
        return ShardConnection.key(name);
    }

    private static byte[] bytes(String key) {
        return ShardConnection.bytes(key);
    }

    // ---- what shard connections need (called on exec) ----

    @Override
    public ScheduledExecutorService exec() {
        return exec;
    }

    @Override
    public RedisConnections redis() {
        return redis;
    }

    @Override
    public PubSubRouter router() {
        return router;
    }

    @Override
    public String probeId() {
        return probeId;
    }

    @Override
    public boolean closed() {
        return closed;
    }

    @Override
    public void lost(String k) {
        lost.add(k);
        refreshTopology();
    }

    @Override
    public void dropped(ShardConnection shard) {
        if (shard.channels.contains(key(router.changesChannel()))) {
            router.routingKeys().feedDown();
        }
        refreshTopology();
    }

    @Override
    public void unsubscribedByRedis(ShardConnection shard, String k) {
        if (wanted.contains(k) && placed.get(k) == shard) {
            log.info("shard {} dropped a subscription (its slot moved); subscribing where it lives now", shard.uri);
            lost(k);
        }
    }

    @Override
    public void restarted() {
        restarts.incrementAndGet();
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
            ShardConnection s = placed.remove(k);
            if (s != null) {
                s.channels.remove(k);
                s.sunsubscribe(k);
                if (s.channels.isEmpty()) {
                    // No channel left on that shard: no connection to it either.
                    s.close();
                    shards.remove(s.nodeId(), s);
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
            return lost.isEmpty() && shards.values().stream().allMatch(ShardConnection::healthy);
        }
        try {
            return exec.submit(() -> lost.isEmpty() && shards.values().stream().allMatch(ShardConnection::healthy))
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
            lost(k);
            return CompletableFuture.failedFuture(new IllegalStateException("no primary serves the slot of " + k));
        }
        ShardConnection s = shards.computeIfAbsent(owner.getNodeId(), id -> new ShardConnection(owner, this));
        ShardConnection previous = placed.put(k, s);
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
                                // A stale view of the slots (MOVED): place it again once re-read.
                                lost(k);
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
            ShardConnection cur = placed.get(k);
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

    @Override
    public void caughtUp(String k) {
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
        for (ShardConnection s : shards.values()) {
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
                shards.values().forEach(ShardConnection::close);
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

    private final class StateListener implements RedisConnectionStateListener {
        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            if (!closed) {
                exec.execute(() -> shards.values().forEach(s -> s.dropped(connection)));
            }
        }
    }
}

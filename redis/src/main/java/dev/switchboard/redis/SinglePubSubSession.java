package dev.switchboard.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one pub/sub connection to a standalone or Sentinel-managed Redis: routes messages
 * through a {@link PubSubRouter} and watches its own health.
 *
 * <p>After Lettuce reconnects it, every channel is subscribed again and every tracker reads
 * what it missed from the stream. A connection can also go deaf without disconnecting (seen
 * after a Sentinel failover), so a probe is published to this node's own channel periodically;
 * if it does not come back in time the connection is replaced, with the same catch-up.
 */
final class SinglePubSubSession implements PubSubSession {

    private static final Logger log = LoggerFactory.getLogger(SinglePubSubSession.class);
    private static final String PROBE = "probe:";

    private final RedisConnections redis;
    private final PubSubRouter router;
    private final byte[] nodeChannel;
    private final byte[] controlChannel;
    private final byte[] changesChannel;
    private final RoutingKeyCache routingKeys;
    private final Set<String> channels = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler;
    private final AtomicLong probeSent = new AtomicLong();
    private final AtomicLong probeSeen = new AtomicLong();
    private final AtomicLong restarts = new AtomicLong();
    private final Listener listener = new Listener();
    private final StateListener stateListener = new StateListener();
    private volatile StatefulRedisPubSubConnection<byte[], byte[]> conn;
    private volatile boolean deaf;
    private volatile boolean closed;

    SinglePubSubSession(RedisConnections redis, PubSubRouter router) {
        this.redis = redis;
        this.router = router;
        this.nodeChannel = router.nodeChannel();
        this.controlChannel = router.controlChannel();
        this.changesChannel = router.changesChannel();
        this.routingKeys = router.routingKeys();
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "switchboard-redis-pubsub");
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        this.scheduler = s;
    }

    @Override
    public void start() {
        redis.client().addListener(stateListener);
        conn = open();
        conn.sync().subscribe(controlChannel, nodeChannel, changesChannel);
        routingKeys.feedUp();
        long every = redis.options().probeInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::probe, every, every, TimeUnit.MILLISECONDS);
    }

    private StatefulRedisPubSubConnection<byte[], byte[]> open() {
        StatefulRedisPubSubConnection<byte[], byte[]> c = redis.newPubSub();
        c.addListener(listener);
        return c;
    }

    @Override
    public CompletableFuture<Void> subscribe(byte[] pubSubChannel) {
        channels.add(new String(pubSubChannel, StandardCharsets.UTF_8));
        return conn.async().subscribe(pubSubChannel).toCompletableFuture().handle((r, e) -> {
            if (e != null) {
                throw new CompletionException(RedisConnections.toProtocolError(e));
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> unsubscribe(byte[] pubSubChannel) {
        channels.remove(new String(pubSubChannel, StandardCharsets.UTF_8));
        return conn.async().unsubscribe(pubSubChannel).toCompletableFuture().handle((r, e) -> null);
    }

    @Override
    public void retryLater(Runnable task) {
        if (!closed) {
            long delay = 100 + ThreadLocalRandom.current().nextLong(200);
            scheduler.schedule(task, delay, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public boolean healthy() {
        StatefulRedisPubSubConnection<byte[], byte[]> c = conn;
        return c != null && c.isOpen() && !deaf;
    }

    @Override
    public long restarts() {
        return restarts.get();
    }

    // ---- catch-up after a reconnect or a restart ----

    private void resubscribeAndResync(StatefulRedisPubSubConnection<byte[], byte[]> c) {
        byte[][] all = allChannels();
        c.async().subscribe(all).toCompletableFuture().whenComplete((r, e) -> {
            if (e != null) {
                log.debug("resubscribe failed, retrying: {}", e.toString());
                retryLater(() -> resubscribeAndResync(c));
                return;
            }
            routingKeys.feedUp();
            router.resyncAll();
        });
    }

    private byte[][] allChannels() {
        byte[][] all = new byte[channels.size() + 3][];
        int i = 0;
        all[i++] = controlChannel;
        all[i++] = nodeChannel;
        all[i++] = changesChannel;
        for (String ch : channels) {
            if (i == all.length) {
                break;
            }
            all[i++] = ch.getBytes(StandardCharsets.UTF_8);
        }
        return i == all.length ? all : Arrays.copyOf(all, i);
    }

    // ---- deaf-connection probe ----

    private void probe() {
        if (closed) {
            return;
        }
        long n = probeSent.incrementAndGet();
        redis.async()
                .publish(nodeChannel, (PROBE + n).getBytes(StandardCharsets.US_ASCII))
                .toCompletableFuture()
                .whenComplete((receivers, e) -> {
                    if (e != null) {
                        return; // Redis is down: that is an outage, not a deaf connection.
                    }
                    scheduler.schedule(
                            () -> checkProbe(n), redis.options().probeTimeout().toMillis(), TimeUnit.MILLISECONDS);
                });
    }

    private void checkProbe(long n) {
        if (closed || probeSeen.get() >= n) {
            deaf = false;
            return;
        }
        StatefulRedisPubSubConnection<byte[], byte[]> c = conn;
        if (c != null && c.isOpen()) {
            deaf = true;
            log.warn(
                    "pub/sub connection deaf: probe {} not received in {}; restarting it",
                    n,
                    redis.options().probeTimeout());
            restart();
        }
    }

    /** Replaces the pub/sub connection with a new one and catches every channel up. */
    synchronized void restart() {
        if (closed) {
            return;
        }
        restarts.incrementAndGet();
        routingKeys.feedDown();
        StatefulRedisPubSubConnection<byte[], byte[]> old = conn;
        try {
            StatefulRedisPubSubConnection<byte[], byte[]> fresh = open();
            conn = fresh;
            resubscribeAndResync(fresh);
        } catch (RuntimeException e) {
            log.warn("could not open a new pub/sub connection: {}", e.toString());
            return;
        }
        if (old != null) {
            old.removeListener(listener);
            old.closeAsync();
        }
    }

    @Override
    public void close() {
        closed = true;
        redis.client().removeListener(stateListener);
        scheduler.shutdownNow();
        StatefulRedisPubSubConnection<byte[], byte[]> c = conn;
        if (c != null) {
            c.close();
        }
    }

    private final class Listener extends RedisPubSubAdapter<byte[], byte[]> {
        @Override
        public void message(byte[] channel, byte[] message) {
            if (router.route(channel, message)) {
                return;
            }
            String s = new String(message, StandardCharsets.US_ASCII);
            if (s.startsWith(PROBE)) {
                probeSeen.accumulateAndGet(Long.parseLong(s.substring(PROBE.length())), Math::max);
            }
        }
    }

    private final class StateListener implements RedisConnectionStateListener {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
            if (connection == conn && !closed) {
                log.info("pub/sub connection re-established; catching channels up from their streams");
                // Lettuce resubscribes by itself; subscribing again is harmless and tells us when.
                scheduler.execute(() -> resubscribeAndResync(conn));
            }
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            if (connection == conn && !closed) {
                routingKeys.feedDown();
                log.warn("pub/sub connection lost; reconnecting");
            }
        }
    }
}

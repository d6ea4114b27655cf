package dev.switchboard.redis;

import dev.switchboard.core.protocol.ProtocolError;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.RedisClusterURIUtil;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * The engine's Lettuce client and its shared command connection, configured so an outage fails
 * fast instead of buffering: commands are rejected while disconnected, the request queue is
 * bounded, every command has a timeout, and reconnects back off with full jitter.
 *
 * <p>Two shapes behind one {@link #async()}: a standalone or Sentinel-managed Redis through a
 * {@link RedisClient}, or a Redis Cluster through a {@link RedisClusterClient}
 * ({@code redis+cluster://} URLs), which routes each command to its slot's primary, follows
 * MOVED and ASK, and refreshes its view of the topology periodically and whenever a redirect or
 * repeated reconnects suggest it changed. Pub/sub gets connections of its own:
 * {@link #newPubSub()} on one Redis, {@link #nodePubSubClient()} for one shard of a cluster.
 */
public final class RedisConnections implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisConnections.class);

    private final RedisEngineOptions options;
    private final RedisKeys keys;
    private final ClientResources resources;
    /** Whether {@link #resources} are this instance's to shut down (not shared by the shards of an engine). */
    private final boolean ownsResources;

    private final RedisClient client;
    private final RedisClusterClient clusterClient;
    private final RedisURI seed;
    private final StatefulConnection<byte[], byte[]> connection;
    private final RedisClusterAsyncCommands<byte[], byte[]> async;
    private Disposable topologyEvents;

    /**
     * Connects to Redis.
     *
     * @throws IllegalStateException when Redis cannot be reached at start (the message names the
     *     redacted URL)
     */
    public RedisConnections(RedisEngineOptions options) {
        this(options, null);
    }

    /**
     * Connects to Redis on {@code shared} resources (Lettuce's event loops and timers), which the
     * caller shuts down after closing every connections object using them; {@code null} for
     * resources of its own.
     */
    RedisConnections(RedisEngineOptions options, ClientResources shared) {
        this.options = options;
        this.keys = new RedisKeys(options.prefix(), options.cluster());
        this.ownsResources = shared == null;
        this.resources = shared != null ? shared : newResources(options);
        try {
            if (options.cluster()) {
                List<RedisURI> seeds = clusterSeeds(options);
                this.seed = seeds.get(0);
                this.clusterClient = RedisClusterClient.create(resources, seeds);
                clusterClient.setOptions(clusterOptions(options));
                // Shard pub/sub connections are plain connections to one primary, which
                // ShardedPubSubSession reconnects itself (channel by channel), not Lettuce.
                this.client = RedisClient.create(resources);
                client.setOptions(
                        clientOptions(options).mutate().autoReconnect(false).build());
                StatefulRedisClusterConnection<byte[], byte[]> c = clusterClient.connect(ByteArrayCodec.INSTANCE);
                this.connection = c;
                this.async = c.async();
                // Lettuce rejects a command whose node connection is still being opened (with
                // REJECT_COMMANDS), so every primary's is opened now, and again whenever the
                // topology changes (a promoted replica, a primary added).
                connectToPrimaries(c, true);
                this.topologyEvents = resources
                        .eventBus()
                        .get()
                        .filter(e -> e instanceof ClusterTopologyChangedEvent)
                        .subscribe(e -> connectToPrimaries(c, false));
            } else {
                this.seed =
                        RedisURI.create(options.url().replaceFirst("(?i)^redis\\+sentinel://", "redis-sentinel://"));
                seed.setTimeout(options.commandTimeout());
                this.clusterClient = null;
                this.client = RedisClient.create(resources, seed);
                client.setOptions(clientOptions(options));
                StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE);
                this.connection = c;
                this.async = c.async();
            }
        } catch (RedisException | IllegalArgumentException e) {
            shutdownQuietly();
            throw new IllegalStateException(
                    "cannot connect to Redis at " + options.redactedUrl() + ": " + rootMessage(e), e);
        }
        log.info("connected to Redis{} at {}", options.cluster() ? " Cluster" : "", options.redactedUrl());
    }

    /** Opens the connection to every primary; waits for them at start (bounded by the command timeout). */
    private void connectToPrimaries(StatefulRedisClusterConnection<byte[], byte[]> c, boolean wait) {
        List<CompletableFuture<?>> opening = new ArrayList<>();
        for (RedisClusterNode n : clusterClient.getPartitions()) {
            if (n.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                // By host and port: that is how Lettuce keys the connections it routes slots to.
                opening.add(
                        c.getConnectionAsync(n.getUri().getHost(), n.getUri().getPort())
                                .exceptionally(e -> null));
            }
        }
        if (wait) {
            try {
                CompletableFuture.allOf(opening.toArray(new CompletableFuture[0]))
                        .get(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                log.warn("not every Redis Cluster primary answered at start: {}", e.toString());
            }
        }
    }

    private static ClientOptions clientOptions(RedisEngineOptions options) {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(options.requestQueueSize())
                .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()))
                .build();
    }

    private static ClusterClientOptions clusterOptions(RedisEngineOptions options) {
        return ClusterClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(options.requestQueueSize())
                .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()))
                .maxRedirects(MAX_REDIRECTS)
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(options.clusterRefreshInterval())
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(options.clusterRefreshInterval())
                        .refreshTriggersReconnectAttempts(1)
                        .closeStaleConnections(true)
                        .build())
                .build();
    }

    /** Redirects (MOVED, ASK) one command may follow: a slot moves at most twice while a command waits. */
    static final int MAX_REDIRECTS = 5;

    /** The seed nodes of a {@code redis+cluster://} URL, with its password, TLS and timeout. */
    static List<RedisURI> clusterSeeds(RedisEngineOptions options) {
        String url = options.url()
                .replaceFirst("(?i)^rediss\\+cluster://", "rediss://")
                .replaceFirst("(?i)^redis\\+cluster://", "redis://");
        List<RedisURI> seeds = new ArrayList<>(RedisClusterURIUtil.toRedisURIs(URI.create(url)));
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("no seed node in the cluster url");
        }
        seeds.forEach(u -> u.setTimeout(options.commandTimeout()));
        return seeds;
    }

    private void shutdownQuietly() {
        try {
            if (clusterClient != null) {
                clusterClient.shutdown(0, 1, TimeUnit.SECONDS);
            }
            if (client != null) {
                client.shutdown(0, 1, TimeUnit.SECONDS);
            }
        } finally {
            if (ownsResources) {
                resources.shutdown(0, 1, TimeUnit.SECONDS);
            }
        }
    }

    /** Lettuce's event loops and timers for these options: reconnect backoff with jitter, the latency recorder. */
    static ClientResources newResources(RedisEngineOptions options) {
        LettuceTransport.apply(options.ioTransport());
        var builder = DefaultClientResources.builder()
                .reconnectDelay(Delay.fullJitter(
                        options.reconnectMinDelay(), options.reconnectMaxDelay(), 2, TimeUnit.MILLISECONDS));
        if (options.commandLatencyRecorder() != null) {
            builder.commandLatencyRecorder(options.commandLatencyRecorder());
        }
        return builder.build();
    }

    public RedisEngineOptions options() {
        return options;
    }

    /** Key and channel names placed for this Redis (by slot on a cluster). */
    public RedisKeys keys() {
        return keys;
    }

    /** Whether this is a Redis Cluster. */
    public boolean cluster() {
        return clusterClient != null;
    }

    /** Async commands on the shared connection; on a cluster, each goes to its key's slot. */
    public RedisClusterAsyncCommands<byte[], byte[]> async() {
        return async;
    }

    /**
     * Publishes to one of the engine's pub/sub channels: {@code SPUBLISH} on a cluster (the
     * message crosses only the channel's shard), {@code PUBLISH} otherwise.
     */
    public CompletableFuture<Long> publish(byte[] channel, byte[] message) {
        RedisFuture<Long> f =
                clusterClient != null ? async.spublish(channel, message) : async.publish(channel, message);
        return f.toCompletableFuture();
    }

    /** Whether the shared connection is up. */
    public boolean isOpen() {
        return connection.isOpen();
    }

    /** A new pub/sub connection to a standalone or Sentinel-managed Redis; the caller closes it. */
    public StatefulRedisPubSubConnection<byte[], byte[]> newPubSub() {
        if (clusterClient != null) {
            throw new IllegalStateException("a cluster subscribes per shard: use nodePubSubClient()");
        }
        return client.connectPubSub(ByteArrayCodec.INSTANCE);
    }

    /** The Lettuce client, to listen for connection state changes (on a cluster: of shard pub/sub connections). */
    RedisClient client() {
        return client;
    }

    /** The cluster client, whose partitions say which primary serves each slot; {@code null} outside a cluster. */
    RedisClusterClient clusterClient() {
        return clusterClient;
    }

    /**
     * The address of one cluster node with the seed's password, TLS and timeout, for a pub/sub
     * connection of its own ({@code client().connectPubSubAsync(codec, uri)}).
     */
    RedisURI nodeUri(RedisURI node) {
        return nodeUri(seed, node);
    }

    static RedisURI nodeUri(RedisURI seed, RedisURI node) {
        return RedisURI.builder(seed)
                .withHost(node.getHost())
                .withPort(node.getPort())
                .build();
    }

    /**
     * Maps a Redis failure to what callers see: a temporary internal error (HTTP 503, protocol
     * error 100 with {@code temporary: true}) for anything that retrying may fix.
     */
    public static Throwable toProtocolError(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (c instanceof ProtocolError) {
            return c;
        }
        if (c instanceof RedisCommandTimeoutException || c instanceof TimeoutException) {
            return ProtocolError.INTERNAL.withMessage("engine timeout");
        }
        if (c instanceof RedisConnectionException || c instanceof RedisException) {
            return ProtocolError.INTERNAL.withMessage("engine unavailable");
        }
        return ProtocolError.INTERNAL;
    }

    /**
     * Runs a command again, after a short growing pause, while Redis answers that it did not run
     * it: {@code TRYAGAIN} (a multi-key command while its slot migrates), {@code CLUSTERDOWN}
     * (a failover not yet complete) or Lettuce's rejection while the connection to the slot's
     * primary is down (until the topology refresh finds the promoted replica). Such a retry can
     * never apply a command twice. A failure whose outcome is unknown (a timeout after sending)
     * is not retried: it fails as a temporary error, and the caller may retry with an idempotency
     * key. Gives up after the command timeout.
     */
    public <T> CompletableFuture<T> retryingUnexecuted(Supplier<CompletableFuture<T>> command) {
        long deadline = System.nanoTime() + options.commandTimeout().toNanos();
        return attempt(command, deadline, 0);
    }

    private <T> CompletableFuture<T> attempt(Supplier<CompletableFuture<T>> command, long deadline, int tries) {
        CompletableFuture<T> f;
        try {
            f = command.get();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.handle((r, e) -> {
                    if (e == null) {
                        return CompletableFuture.completedFuture(r);
                    }
                    long pause = Math.min(RETRY_MAX_PAUSE_MS, RETRY_FIRST_PAUSE_MS << Math.min(tries, 4));
                    if (notExecuted(e) && System.nanoTime() + pause * 1_000_000L < deadline) {
                        return CompletableFuture.supplyAsync(
                                        () -> null, CompletableFuture.delayedExecutor(pause, TimeUnit.MILLISECONDS))
                                .thenCompose(x -> attempt(command, deadline, tries + 1));
                    }
                    return CompletableFuture.<T>failedFuture(e);
                })
                .thenCompose(x -> x);
    }

    /** First pause before retrying a command Redis did not run. */
    static final long RETRY_FIRST_PAUSE_MS = 10;
    /** Longest pause between two retries of a command Redis did not run. */
    static final long RETRY_MAX_PAUSE_MS = 200;

    /** Whether a failure certainly means the command did not run. */
    static boolean notExecuted(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        String m = c.getMessage();
        if (m == null || !(c instanceof RedisException)) {
            return false;
        }
        return m.startsWith("TRYAGAIN") || m.startsWith("CLUSTERDOWN") || m.startsWith("Currently not connected");
    }

    /** Runs a Redis call so that every failure, even a synchronous one, is a temporary ProtocolError. */
    public static <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> command) {
        CompletableFuture<T> f;
        try {
            f = command.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(toProtocolError(e));
        }
        return f.exceptionallyCompose(e -> CompletableFuture.failedFuture(toProtocolError(e)));
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    @Override
    public void close() {
        if (topologyEvents != null) {
            topologyEvents.dispose();
        }
        try {
            connection.close();
        } finally {
            try {
                if (clusterClient != null) {
                    clusterClient.shutdown(0, 2, TimeUnit.SECONDS);
                }
            } finally {
                client.shutdown(0, 2, TimeUnit.SECONDS);
                if (ownsResources) {
                    resources.shutdown(0, 2, TimeUnit.SECONDS);
                }
            }
        }
    }
}

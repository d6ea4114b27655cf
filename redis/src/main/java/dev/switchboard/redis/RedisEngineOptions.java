package dev.switchboard.redis;

import io.lettuce.core.metrics.CommandLatencyRecorder;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Options of the Redis engine. Immutable; build with {@link #builder(String)}.
 *
 * <pre>{@code
 * RedisEngineOptions options = RedisEngineOptions.builder("redis://127.0.0.1:6379")
 *     .prefix("myapp")
 *     .commandTimeout(Duration.ofSeconds(2))
 *     .build();
 * }</pre>
 */
public final class RedisEngineOptions {

    /** Default {@link #prefix()}: every key and pub/sub channel starts with it. */
    public static final String DEFAULT_PREFIX = "sb";
    /** Default {@link #commandTimeout()}: a command not answered within this fails (temporary error). */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(3);
    /**
     * Default {@link #requestQueueSize()}: commands queued per connection before new ones are
     * refused. Lettuce's own default is unbounded, which turns an outage into a memory leak.
     */
    public static final int DEFAULT_REQUEST_QUEUE_SIZE = 10_000;
    /** Default {@link #reconnectMinDelay()}: first reconnect attempt after this (with full jitter). */
    public static final Duration DEFAULT_RECONNECT_MIN_DELAY = Duration.ofMillis(50);
    /** Default {@link #reconnectMaxDelay()}: reconnect attempts back off up to this (with full jitter). */
    public static final Duration DEFAULT_RECONNECT_MAX_DELAY = Duration.ofSeconds(2);
    /** Default {@link #probeInterval()}: how often the pub/sub connection is probed for deafness. */
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(2);
    /** Default {@link #probeTimeout()}: a probe not back within this restarts the pub/sub connection. */
    public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(2);
    /**
     * Default {@link #nodeTimeout()}: a node whose last heartbeat is older than this is evicted,
     * with its connections: five of the default 500 ms heartbeats, so a busy node is not evicted for
     * one late heartbeat, and an in-flight call to a dead node still fails in under 3 s.
     */
    public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofMillis(2500);
    /** Default {@link #gapFillLimit()}: the most publications one gap fill reads; a larger hole is insufficient state. */
    public static final int DEFAULT_GAP_FILL_LIMIT = 10_000;
    /**
     * Default {@link #maxEventBacklog()}: lifecycle events not yet delivered to the backend that
     * Redis keeps (a few hundred bytes each) before it drops the oldest.
     */
    public static final int DEFAULT_MAX_EVENT_BACKLOG = 100_000;
    /**
     * Default {@link #ioTransport()}: {@code auto}, Lettuce's own choice (epoll, else io_uring,
     * else NIO, as they load). The server passes the transport its {@code io_transport} resolved to.
     */
    public static final String DEFAULT_IO_TRANSPORT = LettuceTransport.AUTO;

    /**
     * Default {@link #clusterRefreshInterval()}: how often the engine re-reads a Redis Cluster's
     * topology, besides when a redirect or a lost connection suggests it changed. A promoted
     * replica is found within about this long after the cluster agrees on it.
     */
    public static final Duration DEFAULT_CLUSTER_REFRESH_INTERVAL = Duration.ofSeconds(1);

    private final String url;
    private final List<String> urls;
    private final String prefix;
    private final Duration commandTimeout;
    private final int requestQueueSize;
    private final Duration reconnectMinDelay;
    private final Duration reconnectMaxDelay;
    private final Duration probeInterval;
    private final Duration probeTimeout;
    private final Duration nodeTimeout;
    private final int gapFillLimit;
    private final int maxEventBacklog;
    private final CommandLatencyRecorder commandLatencyRecorder;
    private final Duration clusterRefreshInterval;
    private final String ioTransport;

    private RedisEngineOptions(Builder b) {
        this.url = b.url;
        this.urls = List.copyOf(b.urls);
        this.prefix = b.prefix;
        this.commandTimeout = b.commandTimeout;
        this.requestQueueSize = b.requestQueueSize;
        this.reconnectMinDelay = b.reconnectMinDelay;
        this.reconnectMaxDelay = b.reconnectMaxDelay;
        this.probeInterval = b.probeInterval;
        this.probeTimeout = b.probeTimeout;
        this.nodeTimeout = b.nodeTimeout;
        this.gapFillLimit = b.gapFillLimit;
        this.maxEventBacklog = b.maxEventBacklog;
        this.commandLatencyRecorder = b.commandLatencyRecorder;
        this.clusterRefreshInterval = b.clusterRefreshInterval;
        this.ioTransport = b.ioTransport;
    }

    /**
     * Options for a Redis URL: {@code redis://[:password@]host[:port][/db]}, {@code rediss://} for
     * TLS, {@code redis+sentinel://[:password@]host[:port][,host2[:port2]][/db]#masterName}, or
     * {@code redis+cluster://[:password@]host:port[,host2:port2...]} ({@code rediss+cluster://} for
     * TLS) for a Redis Cluster reached through those seed nodes.
     */
    public static Builder builder(String url) {
        return new Builder(url);
    }

    /**
     * Options for several independent Redis servers (or Sentinel groups): channels are spread over
     * them by consistent hashing of their names, and the first one also holds the registries and
     * node messages. One URL is the same as {@link #builder(String)}. Cluster URLs cannot be
     * combined: a Redis Cluster shards by itself.
     */
    public static Builder builder(List<String> urls) {
        if (urls == null || urls.isEmpty()) {
            throw new IllegalArgumentException("at least one redis url is needed");
        }
        Builder b = new Builder(urls.get(0));
        for (String u : urls.subList(1, urls.size())) {
            new Builder(u); // validates the scheme
        }
        if (urls.size() > 1 && urls.stream().anyMatch(RedisEngineOptions::isClusterUrl)) {
            throw new IllegalArgumentException(
                    "a redis+cluster:// url shards by itself: it cannot be one of several redis urls");
        }
        b.urls = List.copyOf(urls);
        return b;
    }

    /** The Redis URL (of the first shard), possibly holding a password: never log it, use {@link #redactedUrl()}. */
    public String url() {
        return url;
    }

    /**
     * Whether the URL names a Redis Cluster ({@code redis+cluster://} or {@code rediss+cluster://}):
     * keys, scripts and pub/sub are then placed by slot, and pub/sub is sharded.
     */
    public boolean cluster() {
        return isClusterUrl(url);
    }

    private static boolean isClusterUrl(String url) {
        return url.regionMatches(true, 0, "redis+cluster://", 0, 16)
                || url.regionMatches(true, 0, "rediss+cluster://", 0, 17);
    }

    /** Every shard's URL: one, unless built with {@link #builder(List)} and several. */
    public List<String> urls() {
        return urls;
    }

    /** These options for shard {@code i} alone: its URL, every other option the same. */
    RedisEngineOptions forShard(int i) {
        Builder b = new Builder(urls.get(i));
        b.prefix = prefix;
        b.commandTimeout = commandTimeout;
        b.requestQueueSize = requestQueueSize;
        b.reconnectMinDelay = reconnectMinDelay;
        b.reconnectMaxDelay = reconnectMaxDelay;
        b.probeInterval = probeInterval;
        b.probeTimeout = probeTimeout;
        b.nodeTimeout = nodeTimeout;
        b.gapFillLimit = gapFillLimit;
        b.maxEventBacklog = maxEventBacklog;
        b.commandLatencyRecorder = commandLatencyRecorder;
        b.clusterRefreshInterval = clusterRefreshInterval;
        b.ioTransport = ioTransport;
        return b.build();
    }

    /** The URL (every shard's, comma-separated) with any password replaced, safe to log. */
    public String redactedUrl() {
        return String.join(
                ", ",
                urls.stream().map(u -> u.replaceAll("//[^@/]*@", "//***@")).toList());
    }

    public String prefix() {
        return prefix;
    }

    public Duration commandTimeout() {
        return commandTimeout;
    }

    public int requestQueueSize() {
        return requestQueueSize;
    }

    public Duration reconnectMinDelay() {
        return reconnectMinDelay;
    }

    public Duration reconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    public Duration probeInterval() {
        return probeInterval;
    }

    public Duration probeTimeout() {
        return probeTimeout;
    }

    public Duration nodeTimeout() {
        return nodeTimeout;
    }

    public int gapFillLimit() {
        return gapFillLimit;
    }

    /** Most lifecycle events waiting in Redis for the backend; beyond it the oldest are dropped. */
    public int maxEventBacklog() {
        return maxEventBacklog;
    }

    /**
     * Where Lettuce reports each command's latency, or {@code null} for Lettuce's default. The
     * server sets one that records into its Micrometer registry, so this module needs no Micrometer.
     */
    public CommandLatencyRecorder commandLatencyRecorder() {
        return commandLatencyRecorder;
    }

    /** How often a Redis Cluster's topology is re-read (unused outside a cluster). */
    public Duration clusterRefreshInterval() {
        return clusterRefreshInterval;
    }

    /**
     * The socket I/O of the Redis client: {@code auto}, {@code nio}, {@code epoll} or {@code
     * io_uring}. Lettuce takes it once per JVM (see {@link LettuceTransport}).
     */
    public String ioTransport() {
        return ioTransport;
    }

    /** Builder of {@link RedisEngineOptions}. */
    public static final class Builder {
        private final String url;
        private List<String> urls;
        private String prefix = DEFAULT_PREFIX;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private int requestQueueSize = DEFAULT_REQUEST_QUEUE_SIZE;
        private Duration reconnectMinDelay = DEFAULT_RECONNECT_MIN_DELAY;
        private Duration reconnectMaxDelay = DEFAULT_RECONNECT_MAX_DELAY;
        private Duration probeInterval = DEFAULT_PROBE_INTERVAL;
        private Duration probeTimeout = DEFAULT_PROBE_TIMEOUT;
        private Duration nodeTimeout = DEFAULT_NODE_TIMEOUT;
        private int gapFillLimit = DEFAULT_GAP_FILL_LIMIT;
        private int maxEventBacklog = DEFAULT_MAX_EVENT_BACKLOG;
        private CommandLatencyRecorder commandLatencyRecorder;
        private Duration clusterRefreshInterval = DEFAULT_CLUSTER_REFRESH_INTERVAL;
        private String ioTransport = DEFAULT_IO_TRANSPORT;

        private Builder(String url) {
            this.url = Objects.requireNonNull(url, "url");
            this.urls = List.of(url);
            if (!url.matches(
                    "(?i)(redis|rediss|redis\\+sentinel|redis-sentinel|redis\\+cluster|rediss\\+cluster)://.*")) {
                throw new IllegalArgumentException(
                        "redis url must start with redis://, rediss://, redis+sentinel://, redis+cluster:// or rediss+cluster://");
            }
        }

        public Builder prefix(String v) {
            if (v == null || !v.matches("[A-Za-z0-9_.\\-]{1,32}")) {
                throw new IllegalArgumentException("redis prefix must be 1-32 of [A-Za-z0-9_.-]");
            }
            prefix = v;
            return this;
        }

        public Builder commandTimeout(Duration v) {
            commandTimeout = positive(v, "command_timeout");
            return this;
        }

        public Builder requestQueueSize(int v) {
            if (v <= 0) {
                throw new IllegalArgumentException("request_queue_size must be > 0");
            }
            requestQueueSize = v;
            return this;
        }

        public Builder reconnectMinDelay(Duration v) {
            reconnectMinDelay = positive(v, "reconnect_min_delay");
            return this;
        }

        public Builder reconnectMaxDelay(Duration v) {
            reconnectMaxDelay = positive(v, "reconnect_max_delay");
            return this;
        }

        public Builder probeInterval(Duration v) {
            probeInterval = positive(v, "probe_interval");
            return this;
        }

        public Builder probeTimeout(Duration v) {
            probeTimeout = positive(v, "probe_timeout");
            return this;
        }

        public Builder nodeTimeout(Duration v) {
            nodeTimeout = positive(v, "node_timeout");
            return this;
        }

        public Builder gapFillLimit(int v) {
            if (v <= 0) {
                throw new IllegalArgumentException("gap_fill_limit must be > 0");
            }
            gapFillLimit = v;
            return this;
        }

        public Builder maxEventBacklog(int v) {
            if (v <= 0) {
                throw new IllegalArgumentException("max_event_backlog must be > 0");
            }
            maxEventBacklog = v;
            return this;
        }

        /**
         * Lettuce's hook for command latencies (first response and completion, per command type),
         * called on Lettuce's I/O threads: it must be cheap. {@code null} keeps Lettuce's default.
         */
        public Builder commandLatencyRecorder(CommandLatencyRecorder v) {
            commandLatencyRecorder = v;
            return this;
        }

        public Builder clusterRefreshInterval(Duration v) {
            clusterRefreshInterval = positive(v, "cluster_refresh_interval");
            return this;
        }

        /**
         * {@code auto}, {@code nio}, {@code epoll} or {@code io_uring}; a native transport that
         * does not load leaves Lettuce on NIO, with a warning.
         *
         * @throws IllegalArgumentException for another name
         */
        public Builder ioTransport(String v) {
            ioTransport = LettuceTransport.check(v);
            return this;
        }

        public RedisEngineOptions build() {
            if (reconnectMaxDelay.compareTo(reconnectMinDelay) < 0) {
                throw new IllegalArgumentException("reconnect_max_delay must be >= reconnect_min_delay");
            }
            return new RedisEngineOptions(this);
        }

        private static Duration positive(Duration v, String key) {
            if (v == null || v.isZero() || v.isNegative()) {
                throw new IllegalArgumentException(key + " must be > 0");
            }
            return v;
        }
    }
}

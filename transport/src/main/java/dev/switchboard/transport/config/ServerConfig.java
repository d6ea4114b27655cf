package dev.switchboard.transport.config;

import dev.switchboard.core.channel.ChannelRules;
import dev.switchboard.core.node.NodeOptions;
import dev.switchboard.transport.IoTransport;
import dev.switchboard.transport.api.ApiExecutor;
import dev.switchboard.transport.webhook.WebhookConfig;
import dev.switchboard.transport.websocket.OriginCheck;
import dev.switchboard.transport.websocket.WebSocketCompression;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The whole configuration of a Switchboard server node, as bound from a config tree by
 * {@link ConfigBinder} (the application's YAML file, the environment, Spring properties), or
 * built in code.
 *
 * <p>Immutable. The node's own options ({@code client.*}, {@code presence.*}, {@code node_name},
 * {@code allow_anonymous_connect}, two {@code channel.*} limits) are the core's
 * {@link NodeOptions}, kept as they are: no copy here. Every other default is a named constant
 * here or in the section classes ({@link TokenConfig}, {@link ChannelConfig}, {@link HttpConfig}).
 * Builders check each value as it is set and throw {@link ConfigException} naming the key;
 * {@link #validate()} adds the checks that depend on the file system (key files).
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.builder()
 *     .port(0)                                   // any free port, handy in tests
 *     .token(TokenConfig.builder().hmacSecret(secret).build())
 *     .apiKey(apiKey)
 *     .node(NodeOptions.builder().pingInterval(Duration.ofSeconds(10)).pongTimeout(Duration.ofSeconds(4)).build())
 *     .build();
 * NodeOptions options = config.toNodeOptions();
 * }</pre>
 */
public final class ServerConfig {

    /** Default {@code port}: TCP port for WebSocket, HTTP API, metrics and health. */
    public static final int DEFAULT_PORT = 8000;
    /** Default {@code address}: bind on every interface. */
    public static final String DEFAULT_ADDRESS = "0.0.0.0";
    /**
     * Default {@code internal_port}: {@code 0}, none: the HTTP API, {@code /metrics},
     * {@code /health} and {@code /ready} share the public port with the client transports.
     */
    public static final int DEFAULT_INTERNAL_PORT = 0;
    /**
     * Default {@code internal_address}: {@code 127.0.0.1}, this machine only; set it to a private
     * network's interface for Prometheus, load balancer checks and backends on other hosts.
     */
    public static final String DEFAULT_INTERNAL_ADDRESS = "127.0.0.1";
    /** Default {@code engine}: the in-memory engine, one node and nothing else to run. */
    public static final EngineType DEFAULT_ENGINE = EngineType.MEMORY;
    /** Default {@code redis.url}: a Redis on this machine. Used only with {@code engine: redis}. */
    public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
    /** Default {@link #redisUrls()}: none, so the one {@link #redisUrl()} is used. */
    public static final List<String> DEFAULT_REDIS_URLS = List.of();
    /** Default {@code client.max_message_size}: largest WebSocket frame accepted from a client, in bytes. */
    public static final int DEFAULT_CLIENT_MAX_MESSAGE_SIZE = 65_536;
    /**
     * Default {@code client.write_delay}: none, every message is written as soon as its
     * connection's event loop gets to it (lowest latency; one socket write per message at low rates).
     */
    public static final Duration DEFAULT_CLIENT_WRITE_DELAY = Duration.ZERO;
    /** Longest {@code client.write_delay} accepted: beyond it the delay is the latency, not a batching window. */
    public static final Duration MAX_CLIENT_WRITE_DELAY = Duration.ofSeconds(1);
    /**
     * Default {@code client.allowed_origins}: none listed, so a browser's WebSocket upgrade must come
     * from the origin the {@code Host} header names (see {@link OriginCheck}).
     */
    public static final List<String> DEFAULT_CLIENT_ALLOWED_ORIGINS = List.of();
    /** Default {@code http_api.enabled}: the HTTP server API at {@code /api} is served (it needs {@code api_key}). */
    public static final boolean DEFAULT_HTTP_API_ENABLED = true;
    /**
     * Default {@code http_api.max_response_size}: 4 MiB; a larger API result is answered with
     * error 106 and a batch stops running commands once its replies reach it.
     */
    public static final int DEFAULT_HTTP_API_MAX_RESPONSE_SIZE = (int) ApiExecutor.DEFAULT_MAX_RESPONSE_BYTES;
    /** Default {@code metrics.enabled}: Prometheus metrics at {@code /metrics}. */
    public static final boolean DEFAULT_METRICS_ENABLED = true;
    /** Default {@code health.enabled}: health JSON at {@code /health}. */
    public static final boolean DEFAULT_HEALTH_ENABLED = true;
    /** Default of {@code uni_websocket.enabled}, {@code uni_sse.enabled}, {@code uni_http_stream.enabled}: off, as in Centrifugo. */
    public static final boolean DEFAULT_UNI_ENABLED = false;
    /** Default {@code shutdown_timeout}: how long a graceful stop may take before the process exits anyway. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Default {@code shutdown.drain_delay}: none. Behind a load balancer set it to a little more
     * than the time the balancer takes to act on {@code /ready} (check interval × failures), so
     * that it stops sending new clients before the node tells its clients to reconnect.
     */
    public static final Duration DEFAULT_DRAIN_DELAY = Duration.ZERO;

    /**
     * Default {@code io_threads}: {@code 0}, one WebSocket and HTTP I/O thread per available
     * processor. Netty's own default is twice that, sized for handlers that may block; ours never
     * do, and every extra thread is another wake-up per burst of messages.
     */
    public static final int DEFAULT_IO_THREADS = 0;
    /** Largest {@code io_threads} accepted. */
    public static final int MAX_IO_THREADS = 1024;
    /**
     * Default {@code io_transport}: {@link IoTransport#AUTO}, the best socket I/O that loads here
     * (io_uring, else epoll, else Java NIO), named in the start log. The Redis engine's client uses
     * the same one.
     */
    public static final IoTransport DEFAULT_IO_TRANSPORT = IoTransport.AUTO;

    /** URL schemes accepted in {@code redis.url}. */
    public static final Set<String> REDIS_SCHEMES =
            Set.of("redis", "rediss", "redis-sentinel", "redis+sentinel", "redis+cluster", "rediss+cluster");
    /** Default {@code redis.prefix}: every Redis key and pub/sub channel of this deployment starts with it. */
    public static final String DEFAULT_REDIS_PREFIX = "sb";
    /**
     * Default {@link #redisClusterRefreshInterval()}: a node re-reads a Redis Cluster's topology
     * every second, besides whenever a redirect or a lost connection suggests it changed.
     */
    public static final Duration DEFAULT_REDIS_CLUSTER_REFRESH_INTERVAL = Duration.ofSeconds(1);

    private static final ServerConfig DEFAULTS = builder().build();

    private final int port;
    private final String address;
    private final EngineType engine;
    private final String redisUrl;
    private final List<String> redisUrls;
    private final String redisPrefix;
    private final Duration redisClusterRefreshInterval;
    private final TokenConfig token;
    private final String apiKey;
    private final NodeOptions node;
    private final int clientMaxMessageSize;
    private final Duration clientWriteDelay;
    private final List<String> clientAllowedOrigins;
    private final ChannelConfig channel;
    private final boolean httpApiEnabled;
    private final boolean metricsEnabled;
    private final boolean healthEnabled;
    private final boolean uniWebSocketEnabled;
    private final boolean uniSseEnabled;
    private final boolean uniHttpStreamEnabled;
    private final Duration shutdownTimeout;
    private final Duration drainDelay;
    private final int internalPort;
    private final String internalAddress;
    private final int ioThreads;
    private final IoTransport ioTransport;
    private final int httpApiMaxResponseSize;
    private final HttpConfig http;
    private final ProxiesConfig proxies;
    private final WebhookConfig webhook;
    private final LogConfig log;
    private final TlsConfig tls;
    private final WebSocketCompression webSocketCompression;
    private final AdminConfig admin;

    private ServerConfig(Builder b) {
        port = b.port;
        address = b.address;
        engine = b.engine;
        redisUrl = b.redisUrl;
        redisUrls = b.redisUrls;
        redisPrefix = b.redisPrefix;
        redisClusterRefreshInterval = b.redisClusterRefreshInterval;
        token = b.token;
        apiKey = b.apiKey;
        node = b.node;
        clientMaxMessageSize = b.clientMaxMessageSize;
        clientWriteDelay = b.clientWriteDelay;
        clientAllowedOrigins = b.clientAllowedOrigins;
        channel = b.channel;
        httpApiEnabled = b.httpApiEnabled;
        metricsEnabled = b.metricsEnabled;
        healthEnabled = b.healthEnabled;
        uniWebSocketEnabled = b.uniWebSocketEnabled;
        uniSseEnabled = b.uniSseEnabled;
        uniHttpStreamEnabled = b.uniHttpStreamEnabled;
        shutdownTimeout = b.shutdownTimeout;
        drainDelay = b.drainDelay;
        internalPort = b.internalPort;
        internalAddress = b.internalAddress;
        ioThreads = b.ioThreads;
        ioTransport = b.ioTransport;
        httpApiMaxResponseSize = b.httpApiMaxResponseSize;
        http = b.http;
        proxies = b.proxies;
        webhook = b.webhook;
        log = b.log;
        tls = b.tls;
        webSocketCompression = b.webSocketCompression;
        admin = b.admin;
    }

    /** Every default: what a node runs with when there is no config file and no environment. */
    public static ServerConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@code port}; {@code 0} picks a free port (the server reports the real one). */
    public int port() {
        return port;
    }
    /** {@code address}: the interface to bind. */
    public String address() {
        return address;
    }
    /**
     * {@code internal_port}: when not 0, the HTTP API, {@code /metrics}, {@code /health} and
     * {@code /ready} listen only there, and the public {@link #port()} serves only client transports.
     */
    public int internalPort() {
        return internalPort;
    }

    /** {@code internal_address}: the interface {@link #internalPort()} binds. */
    public String internalAddress() {
        return internalAddress;
    }

    /** {@code engine}. */
    public EngineType engine() {
        return engine;
    }
    /** {@code redis.url}. */
    public String redisUrl() {
        return redisUrl;
    }

    /**
     * Several independent Redis servers to spread channels over (consistent hashing by channel;
     * the first also holds the registries and node messages), or empty for {@link #redisUrl()}.
     */
    public List<String> redisUrls() {
        return redisUrls;
    }

    /** {@code redis.prefix}. */
    public String redisPrefix() {
        return redisPrefix;
    }

    /** How often a node re-reads a Redis Cluster's topology (unused outside a cluster). */
    public Duration redisClusterRefreshInterval() {
        return redisClusterRefreshInterval;
    }
    /** {@code token}. */
    public TokenConfig token() {
        return token;
    }
    /** {@code api_key}: key for the HTTP server API ({@code Authorization: apikey <key>}), or {@code null}. Never log it. */
    public String apiKey() {
        return apiKey;
    }
    /**
     * The node's core options as the keys set them: {@code node_name}, {@code allow_anonymous_connect},
     * {@code client.*} but {@code max_message_size}, {@code presence.*},
     * {@code channel.max_publication_size} and {@code channel.history_max_publication_limit}. Its
     * id and channel rules are not the node's: {@link #toNodeOptions()} sets those.
     */
    public NodeOptions node() {
        return node;
    }
    /** {@code client.max_message_size}: WebSocket frame limit in bytes; larger frames close the connection (1009). */
    public int clientMaxMessageSize() {
        return clientMaxMessageSize;
    }

    /**
     * {@code client.write_delay}: how long a WebSocket connection's first queued message waits for
     * more before they go out in one frame and one socket write; zero writes at once.
     */
    public Duration clientWriteDelay() {
        return clientWriteDelay;
    }
    /**
     * {@code client.allowed_origins}: the origin patterns a browser's WebSocket upgrade must match,
     * trimmed; empty for the same-origin rule. {@link OriginCheck#of} makes the check of them.
     */
    public List<String> clientAllowedOrigins() {
        return clientAllowedOrigins;
    }
    /** {@code channel}. */
    public ChannelConfig channel() {
        return channel;
    }
    /** {@code http_api.enabled}. */
    public boolean httpApiEnabled() {
        return httpApiEnabled;
    }
    /** {@code metrics.enabled}. */
    public boolean metricsEnabled() {
        return metricsEnabled;
    }
    /** {@code health.enabled}. */
    public boolean healthEnabled() {
        return healthEnabled;
    }
    /** {@code uni_websocket.enabled}: serve {@code /connection/uni_websocket}. */
    public boolean uniWebSocketEnabled() {
        return uniWebSocketEnabled;
    }
    /** {@code uni_sse.enabled}: serve {@code /connection/uni_sse}. */
    public boolean uniSseEnabled() {
        return uniSseEnabled;
    }
    /** {@code uni_http_stream.enabled}: serve {@code /connection/uni_http_stream}. */
    public boolean uniHttpStreamEnabled() {
        return uniHttpStreamEnabled;
    }
    /** {@code io_threads} as configured; {@code 0} means one per available processor. */
    public int ioThreads() {
        return ioThreads;
    }
    /** {@code io_transport} as configured; {@link IoTransport#resolve()} gives the one in use. */
    public IoTransport ioTransport() {
        return ioTransport;
    }
    /** {@code http_api.max_response_size}, in bytes. */
    public int httpApiMaxResponseSize() {
        return httpApiMaxResponseSize;
    }

    /** The number of I/O threads to start: {@link #ioThreads()}, or the processor count when that is 0. */
    public int effectiveIoThreads() {
        return ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
    }

    /** {@code shutdown_timeout}. */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** {@code shutdown.drain_delay}: how long a stopping node stays not-ready but serving. */
    public Duration drainDelay() {
        return drainDelay;
    }
    /** {@code http}: timeouts and limits of plain HTTP connections. */
    public HttpConfig http() {
        return http;
    }

    /** {@code client.proxy}: the HTTP proxies to the application's backend. */
    public ProxiesConfig proxies() {
        return proxies;
    }

    /** {@code webhook}: lifecycle events POSTed to the application's backend. */
    public WebhookConfig webhook() {
        return webhook;
    }

    /** {@code log}: read by the standalone server, which owns the logging backend; the library ignores it. */
    public LogConfig log() {
        return log;
    }

    /** {@code tls}: TLS on the public port. */
    public TlsConfig tls() {
        return tls;
    }

    /** {@code websocket.compression*}: permessage-deflate, off by default. */
    public WebSocketCompression webSocketCompression() {
        return webSocketCompression;
    }

    /** {@code admin}: the operator's page, read by the standalone server; the library ignores it. */
    public AdminConfig admin() {
        return admin;
    }

    /**
     * Checks what depends on this machine: that key files exist and hold usable keys. {@link ConfigLoader} calls it; call it yourself for configs built in code.
     *
     * @return this config
     * @throws ConfigException naming the key
     */
    public ServerConfig validate() {
        ConfigValidator.validate(this);
        return this;
    }

    /** The core channel rules ({@code channel} section). @throws ConfigException naming the key */
    public ChannelRules toChannelRules() {
        return channel.toChannelRules();
    }

    /**
     * The core node options for this config.
     *
     * @throws ConfigException naming the key, should the core refuse a value
     */
    public NodeOptions toNodeOptions() {
        ChannelRules rules = toChannelRules();
        List<String> serverSide = node.serverSideChannels();
        for (int i = 0; i < serverSide.size(); i++) {
            String ch = serverSide.get(i);
            String key = "client.subscribe_to_channels[" + i + "]";
            if (!rules.isValidName(ch)) {
                throw new ConfigException(
                        key, "\"" + ch + "\" is not a valid channel name (channel.pattern," + " channel.max_length)");
            }
            if (rules.optionsFor(ch).isEmpty()) {
                throw new ConfigException(
                        key,
                        "namespace \"" + ChannelRules.namespaceOf(ch) + "\" of channel \"" + ch
                                + "\" is not configured in channel.namespaces");
            }
        }
        // Each node made from this config is a node of its own: a fresh id every time.
        return node.toBuilder()
                .id(UUID.randomUUID().toString())
                .channelRules(rules)
                .build();
    }

    /** A summary safe to log: secrets are shown as set or unset, never their values. */
    @Override
    public String toString() {
        return "ServerConfig{port=" + port + ", address=" + address + ", nodeName=" + node.name() + ", engine="
                + engine.configName() + ", token=" + token + ", apiKey=" + (apiKey == null ? "unset" : "<redacted>")
                + ", allowAnonymousConnect=" + node.allowAnonymous() + ", clientMaxMessageSize=" + clientMaxMessageSize
                + ", clientWriteDelay=" + clientWriteDelay
                + ", clientAllowedOrigins=" + clientAllowedOrigins
                + ", channel=" + channel
                + ", httpApi=" + httpApiEnabled + ", metrics=" + metricsEnabled + ", health=" + healthEnabled
                + ", uni=" + uniWebSocketEnabled + "/" + uniSseEnabled + "/" + uniHttpStreamEnabled
                + ", internalPort=" + internalPort
                + ", internalAddress=" + internalAddress + ", http=" + http + ", proxies=" + proxies + ", webhook="
                + webhook + ", log=" + log + ", tls=" + tls + ", " + webSocketCompression + ", admin=" + admin + '}';
    }

    /** Builder of {@link ServerConfig}; every field starts at its default. */
    public static final class Builder {
        private int port = DEFAULT_PORT;
        private String address = DEFAULT_ADDRESS;
        private EngineType engine = DEFAULT_ENGINE;
        private String redisUrl = DEFAULT_REDIS_URL;
        private List<String> redisUrls = DEFAULT_REDIS_URLS;
        private String redisPrefix = DEFAULT_REDIS_PREFIX;
        private Duration redisClusterRefreshInterval = DEFAULT_REDIS_CLUSTER_REFRESH_INTERVAL;
        private TokenConfig token = TokenConfig.empty();
        private String apiKey;
        private NodeOptions node = NodeOptions.builder().build();
        private int clientMaxMessageSize = DEFAULT_CLIENT_MAX_MESSAGE_SIZE;
        private Duration clientWriteDelay = DEFAULT_CLIENT_WRITE_DELAY;
        private List<String> clientAllowedOrigins = DEFAULT_CLIENT_ALLOWED_ORIGINS;
        private ChannelConfig channel = ChannelConfig.defaults();
        private boolean httpApiEnabled = DEFAULT_HTTP_API_ENABLED;
        private boolean metricsEnabled = DEFAULT_METRICS_ENABLED;
        private boolean healthEnabled = DEFAULT_HEALTH_ENABLED;
        private boolean uniWebSocketEnabled = DEFAULT_UNI_ENABLED;
        private boolean uniSseEnabled = DEFAULT_UNI_ENABLED;
        private boolean uniHttpStreamEnabled = DEFAULT_UNI_ENABLED;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private Duration drainDelay = DEFAULT_DRAIN_DELAY;
        private int internalPort = DEFAULT_INTERNAL_PORT;
        private String internalAddress = DEFAULT_INTERNAL_ADDRESS;
        private int ioThreads = DEFAULT_IO_THREADS;
        private IoTransport ioTransport = DEFAULT_IO_TRANSPORT;
        private int httpApiMaxResponseSize = DEFAULT_HTTP_API_MAX_RESPONSE_SIZE;
        private HttpConfig http = HttpConfig.defaults();
        private ProxiesConfig proxies = ProxiesConfig.none();
        private WebhookConfig webhook = WebhookConfig.disabled();
        private LogConfig log = LogConfig.defaults();
        private TlsConfig tls = TlsConfig.disabled();
        private WebSocketCompression webSocketCompression = WebSocketCompression.OFF;
        private AdminConfig admin = AdminConfig.disabled();

        private Builder() {}

        private Builder(ServerConfig c) {
            port = c.port;
            address = c.address;
            engine = c.engine;
            redisUrl = c.redisUrl;
            redisUrls = c.redisUrls;
            redisPrefix = c.redisPrefix;
            redisClusterRefreshInterval = c.redisClusterRefreshInterval;
            token = c.token;
            apiKey = c.apiKey;
            node = c.node;
            clientMaxMessageSize = c.clientMaxMessageSize;
            clientWriteDelay = c.clientWriteDelay;
            clientAllowedOrigins = c.clientAllowedOrigins;
            channel = c.channel;
            httpApiEnabled = c.httpApiEnabled;
            metricsEnabled = c.metricsEnabled;
            healthEnabled = c.healthEnabled;
            uniWebSocketEnabled = c.uniWebSocketEnabled;
            uniSseEnabled = c.uniSseEnabled;
            uniHttpStreamEnabled = c.uniHttpStreamEnabled;
            shutdownTimeout = c.shutdownTimeout;
            drainDelay = c.drainDelay;
            internalPort = c.internalPort;
            internalAddress = c.internalAddress;
            ioThreads = c.ioThreads;
            ioTransport = c.ioTransport;
            httpApiMaxResponseSize = c.httpApiMaxResponseSize;
            http = c.http;
            proxies = c.proxies;
            webhook = c.webhook;
            log = c.log;
            tls = c.tls;
            webSocketCompression = c.webSocketCompression;
            admin = c.admin;
        }

        public Builder port(int v) {
            port = Check.between("port", v, 0, 65_535);
            return this;
        }

        public Builder address(String v) {
            address = Check.requiredText("address", v);
            return this;
        }

        public Builder internalPort(int v) {
            internalPort = Check.between("internal_port", v, 0, 65_535);
            return this;
        }

        public Builder internalAddress(String v) {
            internalAddress = Check.requiredText("internal_address", v);
            return this;
        }

        public Builder engine(EngineType v) {
            engine = Objects.requireNonNull(v, "engine");
            return this;
        }

        /**
         * @throws ConfigException unless a {@code redis://}, {@code rediss://}, {@code redis+sentinel://},
         *     {@code redis-sentinel://}, {@code redis+cluster://} or {@code rediss+cluster://} URL
         */
        public Builder redisUrl(String v) {
            redisUrl = checkedRedisUrl("redis.url", v);
            return this;
        }

        /**
         * @throws ConfigException unless each is a URL {@link #redisUrl} accepts, and no cluster URL
         *     is one of several (a Redis Cluster shards by itself)
         */
        public Builder redisUrls(List<String> v) {
            List<String> urls = Objects.requireNonNull(v, "redis.urls").stream()
                    .map(u -> checkedRedisUrl("redis.urls", u))
                    .toList();
            if (urls.size() > 1
                    && urls.stream()
                            .anyMatch(u -> u.toLowerCase(java.util.Locale.ROOT).contains("+cluster://"))) {
                throw new ConfigException(
                        "redis.urls", "a redis+cluster:// URL shards by itself: it cannot be one of several");
            }
            redisUrls = urls;
            return this;
        }

        private static String checkedRedisUrl(String key, String v) {
            String url = Check.requiredText(key, v).trim();
            String scheme;
            try {
                scheme = new URI(url).getScheme();
            } catch (URISyntaxException e) {
                // The URL may hold a password: describe the problem without echoing it.
                throw new ConfigException(key, "is not a valid URL (" + e.getReason() + ")");
            }
            if (scheme == null || !REDIS_SCHEMES.contains(scheme)) {
                throw new ConfigException(
                        key,
                        "must start with redis://, rediss://, redis+sentinel://, redis-sentinel://, redis+cluster:// or rediss+cluster://");
            }
            return url;
        }

        /** @throws ConfigException unless 1-32 of {@code [A-Za-z0-9_.-]} */
        public Builder redisPrefix(String v) {
            String p = Check.requiredText("redis.prefix", v);
            if (!p.matches("[A-Za-z0-9_.\\-]{1,32}")) {
                throw new ConfigException("redis.prefix", "must be 1-32 of [A-Za-z0-9_.-]");
            }
            redisPrefix = p;
            return this;
        }

        /** @throws ConfigException unless positive */
        public Builder redisClusterRefreshInterval(Duration v) {
            redisClusterRefreshInterval = Check.positive("redis.cluster_refresh_interval", v);
            return this;
        }

        public Builder token(TokenConfig v) {
            token = Objects.requireNonNull(v, "token");
            return this;
        }
        /** {@code null} or blank: no HTTP API key (the HTTP API then refuses every call). */
        public Builder apiKey(String v) {
            apiKey = v == null || v.isBlank() ? null : v.trim();
            return this;
        }
        /** The node's core options; see {@link ServerConfig#node()}. */
        public Builder node(NodeOptions v) {
            node = Objects.requireNonNull(v, "node");
            return this;
        }
        /** Frames below 1 KiB could not even carry a connect command with a token. */
        public Builder clientMaxMessageSize(int v) {
            clientMaxMessageSize = Check.atLeast("client.max_message_size", v, 1024);
            return this;
        }

        /** Zero or more, at most {@link #MAX_CLIENT_WRITE_DELAY}. */
        public Builder clientWriteDelay(Duration v) {
            Check.nonNegative("client.write_delay", v);
            if (v.compareTo(MAX_CLIENT_WRITE_DELAY) > 0) {
                throw new ConfigException(
                        "client.write_delay",
                        "must be at most " + Durations.format(MAX_CLIENT_WRITE_DELAY) + ", got " + Durations.format(v));
            }
            clientWriteDelay = v;
            return this;
        }

        /**
         * Origins whose browser pages may open WebSockets: {@code https://app.example.com},
         * {@code https://*.example.com} ({@code *} is any run of characters), {@code null} for
         * sandboxed and {@code file:} pages, or {@code *} for all. Empty: only the origin the
         * {@code Host} header names (see {@link OriginCheck}).
         *
         * @throws ConfigException naming {@code client.allowed_origins[i]} for a pattern that could never match
         */
        public Builder clientAllowedOrigins(List<String> v) {
            Objects.requireNonNull(v, "client.allowed_origins");
            for (int i = 0; i < v.size(); i++) {
                String problem = OriginCheck.problem(v.get(i));
                if (problem != null) {
                    throw new ConfigException("client.allowed_origins[" + i + "]", problem);
                }
            }
            clientAllowedOrigins = v.stream().map(String::trim).toList();
            return this;
        }

        public Builder channel(ChannelConfig v) {
            channel = Objects.requireNonNull(v, "channel");
            return this;
        }

        public Builder httpApiEnabled(boolean v) {
            httpApiEnabled = v;
            return this;
        }

        public Builder metricsEnabled(boolean v) {
            metricsEnabled = v;
            return this;
        }

        public Builder healthEnabled(boolean v) {
            healthEnabled = v;
            return this;
        }

        public Builder uniWebSocketEnabled(boolean v) {
            uniWebSocketEnabled = v;
            return this;
        }

        public Builder uniSseEnabled(boolean v) {
            uniSseEnabled = v;
            return this;
        }

        public Builder uniHttpStreamEnabled(boolean v) {
            uniHttpStreamEnabled = v;
            return this;
        }
        /** {@code 0}: one per available processor. */
        public Builder ioThreads(int v) {
            ioThreads = Check.between("io_threads", v, 0, MAX_IO_THREADS);
            return this;
        }
        /**
         * {@code auto} (the default) picks the best that loads; an explicit {@code epoll} or
         * {@code io_uring} that does not load here fails the server's start.
         */
        public Builder ioTransport(IoTransport v) {
            ioTransport = Objects.requireNonNull(v, "io_transport");
            return this;
        }

        public Builder httpApiMaxResponseSize(int v) {
            httpApiMaxResponseSize = Check.atLeast("http_api.max_response_size", v, 1024);
            return this;
        }

        public Builder shutdownTimeout(Duration v) {
            shutdownTimeout = Check.positive("shutdown_timeout", v);
            return this;
        }

        public Builder http(HttpConfig v) {
            http = Objects.requireNonNull(v, "http");
            return this;
        }

        public Builder proxies(ProxiesConfig v) {
            proxies = Objects.requireNonNull(v, "proxies");
            return this;
        }

        public Builder drainDelay(Duration v) {
            drainDelay = Check.nonNegative("shutdown.drain_delay", v);
            return this;
        }

        public Builder webhook(WebhookConfig v) {
            webhook = Objects.requireNonNull(v, "webhook");
            return this;
        }

        public Builder log(LogConfig v) {
            log = Objects.requireNonNull(v, "log");
            return this;
        }

        /** WebSocket permessage-deflate ({@code websocket.compression*}). */
        public Builder webSocketCompression(WebSocketCompression v) {
            webSocketCompression = Objects.requireNonNull(v, "webSocketCompression");
            return this;
        }

        /** TLS on the public port; {@link ServerConfig#validate()} reads and checks its files. */
        public Builder tls(TlsConfig v) {
            tls = Objects.requireNonNull(v, "tls");
            return this;
        }

        /** The admin page; served by the standalone server only. */
        public Builder admin(AdminConfig v) {
            admin = Objects.requireNonNull(v, "admin");
            return this;
        }

        /** @throws ConfigException naming {@code shutdown.drain_delay} when it is not shorter than the timeout */
        public ServerConfig build() {
            if (internalPort != 0 && internalPort == port) {
                throw new ConfigException("internal_port", "must differ from port (" + port + ")");
            }
            if (drainDelay.compareTo(shutdownTimeout) >= 0) {
                throw new ConfigException(
                        "shutdown.drain_delay",
                        "must be shorter than shutdown_timeout (" + Durations.format(shutdownTimeout)
                                + "): the drain is part of the graceful stop");
            }
            return new ServerConfig(this);
        }
    }
}

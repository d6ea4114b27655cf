package dev.switchboard.transport.config;

import static dev.switchboard.transport.config.KeyType.BOOL;
import static dev.switchboard.transport.config.KeyType.BYTES;
import static dev.switchboard.transport.config.KeyType.DURATION;
import static dev.switchboard.transport.config.KeyType.ENGINE;
import static dev.switchboard.transport.config.KeyType.HEADERS;
import static dev.switchboard.transport.config.KeyType.INT;
import static dev.switchboard.transport.config.KeyType.IO_TRANSPORT;
import static dev.switchboard.transport.config.KeyType.STRING;
import static dev.switchboard.transport.config.KeyType.STRINGS;

import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.core.channel.ChannelRules;
import dev.switchboard.core.node.NodeOptions;
import dev.switchboard.transport.proxy.ProxyConfig;
import dev.switchboard.transport.webhook.WebhookConfig;
import dev.switchboard.transport.websocket.WebSocketCompression;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The table of every configuration key. Loading, the environment variables, the sample that
 * {@code genconfig} writes and the checked tables of {@code docs/configuration.md} all come from
 * here.
 *
 * <p>Adding a node option, say {@code client.max_subscribe_batch}:
 * <ol>
 *   <li>the core: {@code NodeOptions.DEFAULT_MAX_SUBSCRIBE_BATCH}, its field, getter and builder
 *       setter, which throws {@link dev.switchboard.core.InvalidOptionException} naming the option
 *       (and a line in {@code NodeOptions.Builder(NodeOptions)}, which {@code NodeOptionsTest} checks);</li>
 *   <li>one entry in {@link #CLIENT}: {@code node(path, type, NodeOptions.DEFAULT_..., NodeOptions.Builder::setter,
 *       doc).core(name)}. The value goes straight to the core's builder: no copy in between, and
 *       embedders set it on the {@code NodeOptions} they give {@link ServerConfig.Builder#node};</li>
 *   <li>a row in {@code docs/configuration.md}: {@code ConfigDocsTest} fails until it is there
 *       with the right default and variable.</li>
 * </ol>
 * An option of the library itself (a transport or HTTP limit) is the same with its section
 * class ({@link HttpConfig}, {@link TokenConfig}, {@link ChannelConfig}, {@link ServerConfig})
 * in place of the core: its builder setter checks the value and names the key.
 * The binder, the unknown-key check, the environment variable, the sample and the mapping of core
 * errors to the key follow from the entry.
 *
 * <pre>{@code
 * for (ConfigKey<?, ?> key : ConfigKeys.ALL) {
 *     System.out.println(key.path() + " = " + key.defaultYaml() + "  # " + key.env());
 * }
 * }</pre>
 */
public final class ConfigKeys {

    /** Prefix of every Switchboard environment variable. */
    public static final String ENV_PREFIX = "SWITCHBOARD_";

    // The table is laid out by hand, one key per entry: spotless:off
    /** Identity, engine and Redis. */
    static final List<ConfigKey<ConfigBuilders, ?>> NODE = List.of(
        server("port", INT, ServerConfig.DEFAULT_PORT, ServerConfig.Builder::port,
            "TCP port for WebSocket (and, without internal_port, HTTP API, metrics and health); 0 picks a free port."),
        server("address", STRING, ServerConfig.DEFAULT_ADDRESS, ServerConfig.Builder::address,
            "Interface to bind; 127.0.0.1 keeps the node private to this machine."),
        server("internal_port", INT, ServerConfig.DEFAULT_INTERNAL_PORT, ServerConfig.Builder::internalPort,
            "When set, the HTTP API, /metrics, /health and /ready listen only on this port; the public port serves clients only."),
        server("internal_address", STRING, ServerConfig.DEFAULT_INTERNAL_ADDRESS, ServerConfig.Builder::internalAddress,
            "Interface the internal port binds; 127.0.0.1 keeps it to this machine."),
        node("node_name", STRING, (String) null, ConfigKeys::nodeName,
            "Name shown in `info` and metrics; empty means the host name.").unset("host name").core("node name"),
        server("engine", ENGINE, ServerConfig.DEFAULT_ENGINE, ServerConfig.Builder::engine,
            "Engine: memory (one node, nothing else to run) or redis (many nodes)."),
        server("redis.url", STRING, ServerConfig.DEFAULT_REDIS_URL, ServerConfig.Builder::redisUrl,
            "Redis URL, used only with engine: redis (redis://, rediss://, redis+sentinel://, or redis+cluster://host:port,host:port for a Redis Cluster)."),
        server("redis.urls", STRINGS, ServerConfig.DEFAULT_REDIS_URLS, ServerConfig.Builder::redisUrls,
            "Several independent Redis servers: channels are spread over them by consistent hashing; replaces redis.url."),
        server("redis.cluster_refresh_interval", DURATION, ServerConfig.DEFAULT_REDIS_CLUSTER_REFRESH_INTERVAL,
            ServerConfig.Builder::redisClusterRefreshInterval,
            "How often a node re-reads a Redis Cluster's topology, besides on redirects and lost connections."),
        server("redis.prefix", STRING, ServerConfig.DEFAULT_REDIS_PREFIX, ServerConfig.Builder::redisPrefix,
            "Prefix of every Redis key and pub/sub channel; nodes of one deployment share it."));

    /** The {@code token} section. */
    static final List<ConfigKey<ConfigBuilders, ?>> TOKEN = List.of(
        token("token.hmac_secret", STRING, (String) null, TokenConfig.Builder::hmacSecret,
            "Shared secret for HS256 connection and subscription tokens; keep it private."),
        token("token.rsa_public_key", STRING, (String) null, TokenConfig.Builder::rsaPublicKey,
            "RSA public key for RS/PS tokens: inline PEM or a PEM file path."),
        token("token.ecdsa_public_key", STRING, (String) null, TokenConfig.Builder::ecdsaPublicKey,
            "ECDSA public key for ES tokens: inline PEM or a PEM file path."),
        token("token.jwks_file", STRING, (String) null, TokenConfig.Builder::jwksFile,
            "JWK set file whose RSA/EC keys are picked by the token's kid."),
        token("token.audience", STRING, (String) null, TokenConfig.Builder::audience,
            "When set, tokens must carry this aud claim."),
        token("token.issuer", STRING, (String) null, TokenConfig.Builder::issuer,
            "When set, tokens must carry this iss claim."));

    /** Who may call and connect. */
    static final List<ConfigKey<ConfigBuilders, ?>> ACCESS = List.of(
        server("api_key", STRING, (String) null, ServerConfig.Builder::apiKey,
            "Key for the HTTP server API (header \"Authorization: apikey <key>\"); keep it private."),
        node("allow_anonymous_connect", BOOL, NodeOptions.DEFAULT_ALLOW_ANONYMOUS, NodeOptions.Builder::allowAnonymous,
            "Let clients connect without a token, as anonymous user \"\".").core("allow_anonymous"));

    /** The {@code client} section. */
    static final List<ConfigKey<ConfigBuilders, ?>> CLIENT = List.of(
        node("client.ping_interval", DURATION, NodeOptions.DEFAULT_PING_INTERVAL, NodeOptions.Builder::pingInterval,
            "How often the server pings each client.").core("ping_interval"),
        node("client.pong_timeout", DURATION, NodeOptions.DEFAULT_PONG_TIMEOUT, NodeOptions.Builder::pongTimeout,
            "Disconnect (3012) a client that does not pong within this; shorter than ping_interval.").core("pong_timeout"),
        node("client.queue_max_bytes", BYTES, NodeOptions.DEFAULT_CLIENT_QUEUE_MAX_BYTES,
            NodeOptions.Builder::clientQueueMaxBytes, "Disconnect (3008) a client with more unsent bytes than this.").core("client_queue_max_size"),
        node("client.channel_limit", INT, NodeOptions.DEFAULT_CLIENT_CHANNEL_LIMIT, NodeOptions.Builder::clientChannelLimit,
            "Most channels one connection may subscribe to.").core("client_channel_limit"),
        node("client.user_connection_limit", INT, NodeOptions.DEFAULT_USER_CONNECTION_LIMIT,
            NodeOptions.Builder::userConnectionLimit, "Most connections one user may hold on a node; 0 means no limit.").core("user_connection_limit"),
        node("client.connect_timeout", DURATION, NodeOptions.DEFAULT_CONNECT_TIMEOUT,
            NodeOptions.Builder::connectTimeout, "Close a socket that sends no connect command within this.").core("connect_timeout"),
        node("client.command_rate_limit", INT, NodeOptions.DEFAULT_COMMAND_RATE_LIMIT,
            NodeOptions.Builder::commandRateLimit, "Commands per second one connection may send; 0 means no limit.").core("command_rate_limit"),
        node("client.command_burst", INT, NodeOptions.DEFAULT_COMMAND_BURST, NodeOptions.Builder::commandBurst,
            "Commands a connection may send at once above the rate.").core("command_burst"),
        node("client.max_pending_commands", INT, NodeOptions.DEFAULT_MAX_PENDING_COMMANDS,
            NodeOptions.Builder::maxPendingCommands, "Unanswered commands one connection may have in flight.").core("max_pending_commands"),
        node("client.expired_close_delay", DURATION, NodeOptions.DEFAULT_CLIENT_EXPIRED_CLOSE_DELAY,
            NodeOptions.Builder::clientExpiredCloseDelay,
            "Grace after a connection token expires before the client is disconnected (3005).").core("client_expired_close_delay"),
        server("client.max_message_size", BYTES, ServerConfig.DEFAULT_CLIENT_MAX_MESSAGE_SIZE,
            ServerConfig.Builder::clientMaxMessageSize, "Largest WebSocket frame accepted from a client, in bytes."),
        server("client.write_delay", DURATION, ServerConfig.DEFAULT_CLIENT_WRITE_DELAY,
            ServerConfig.Builder::clientWriteDelay,
            "How long a WebSocket connection's first queued message waits for more, so they share one frame and one"
                + " socket write: less CPU per delivery at high fan-out, this much more latency. 0 = write at once."),
        server("client.allowed_origins", STRINGS, ServerConfig.DEFAULT_CLIENT_ALLOWED_ORIGINS, ServerConfig.Builder::clientAllowedOrigins,
            "Origins (https://app.example.com, https://*.example.com, or *) whose pages may open WebSockets; empty: Origin must match Host."),
        node("client.subscribe_to_channels", STRINGS, List.<String>of(), NodeOptions.Builder::serverSideChannels,
            "Channels every connection is subscribed to by the server (comma-separated in the environment).").core("server_side_channels"));

    /** The {@code channel} section's own keys (not the channel options). */
    static final List<ConfigKey<ConfigBuilders, ?>> CHANNEL = List.of(
        channel("channel.max_length", INT, ChannelRules.DEFAULT_MAX_CHANNEL_LENGTH, ChannelConfig.Builder::maxLength,
            "Longest accepted channel name."),
        channel("channel.pattern", STRING, ChannelRules.DEFAULT_CHANNEL_PATTERN, ChannelConfig.Builder::pattern,
            "Regular expression every channel name must match in full."),
        node("channel.max_publication_size", BYTES, NodeOptions.DEFAULT_MAX_PUBLICATION_SIZE,
            NodeOptions.Builder::maxPublicationSize, "Largest publication data in bytes; larger publishes are refused"
                + " (API 400, client error 107). Smaller than client.queue_max_bytes.").core("max_publication_size"),
        node("channel.history_max_publication_limit", INT, NodeOptions.DEFAULT_HISTORY_MAX_PUBLICATION_LIMIT,
            NodeOptions.Builder::historyMaxPublicationLimit, "Most publications one history read returns, also for limit -1.").core("history_max_publication_limit"));

    /**
     * The channel options: written directly under {@code channel} (channels without a namespace)
     * and in every {@code channel.namespaces[]} entry. Paths are relative to that section; the
     * core {@link ChannelOptions} names its options the same.
     */
    static final List<ConfigKey<ChannelOptions.Builder, ?>> CHANNEL_OPTIONS = List.of(
        ConfigKey.of("history_size", INT, ChannelOptions.DEFAULT_HISTORY_SIZE, ChannelOptions.Builder::historySize,
            "Publications kept per channel; 0 keeps none."),
        ConfigKey.of("history_ttl", DURATION, ChannelOptions.DEFAULT_HISTORY_TTL, ChannelOptions.Builder::historyTtl,
            "How long publications stay in history; 0s keeps none."),
        ConfigKey.of("history_meta_ttl", DURATION, ChannelOptions.DEFAULT_HISTORY_META_TTL,
            ChannelOptions.Builder::historyMetaTtl,
            "How long a channel's epoch and offset outlive its last publication (recovery needs them)."),
        ConfigKey.of("force_recovery", BOOL, false, ChannelOptions.Builder::forceRecovery,
            "Make every subscription recoverable; needs history_size and history_ttl."),
        ConfigKey.of("allow_recovery", BOOL, false, ChannelOptions.Builder::allowRecovery,
            "Let clients ask for recoverable subscriptions; needs history_size and history_ttl."),
        ConfigKey.of("force_positioning", BOOL, false, ChannelOptions.Builder::forcePositioning,
            "Make every subscription positioned: an offset gap unsubscribes it (2500)."),
        ConfigKey.of("allow_positioning", BOOL, false, ChannelOptions.Builder::allowPositioning,
            "Let clients ask for positioned subscriptions."),
        ConfigKey.of("recovery_max_publication_limit", INT, ChannelOptions.DEFAULT_RECOVERY_MAX_PUBLICATION_LIMIT,
            ChannelOptions.Builder::recoveryMaxPublicationLimit, "Most publications one recovery returns; 0 means history_size."),
        ConfigKey.of("force_recovery_mode", STRING, "stream", ChannelOptions.Builder::recoveryMode,
            "What a recovery returns: stream (every missed publication) or cache (only the latest, as the state)."),
        ConfigKey.of("auto_cache_recover", BOOL, false, ChannelOptions.Builder::autoCacheRecover,
            "Every (re)subscribe gets the latest publication without asking; needs force_recovery and"
                + " force_recovery_mode: cache."),
        ConfigKey.of("presence", BOOL, false, ChannelOptions.Builder::presence, "Keep presence (who is subscribed)."),
        ConfigKey.of("join_leave", BOOL, false, ChannelOptions.Builder::joinLeave,
            "Send join/leave pushes to subscribers that ask for them."),
        ConfigKey.of("force_push_join_leave", BOOL, false, ChannelOptions.Builder::forcePushJoinLeave,
            "Send join/leave pushes to every subscriber, asked or not."),
        ConfigKey.of("allow_publish_for_subscriber", BOOL, false, ChannelOptions.Builder::allowPublishForSubscriber,
            "Subscribers may publish into the channel."),
        ConfigKey.of("allow_publish_for_client", BOOL, false, ChannelOptions.Builder::allowPublishForClient,
            "Any connected client may publish, subscribed or not."),
        ConfigKey.of("allow_subscribe_for_client", BOOL, false, ChannelOptions.Builder::allowSubscribeForClient,
            "Authenticated clients may subscribe without a subscription token."),
        ConfigKey.of("allow_subscribe_for_anonymous", BOOL, false, ChannelOptions.Builder::allowSubscribeForAnonymous,
            "Anonymous clients may subscribe too (with allow_subscribe_for_client)."),
        ConfigKey.of("allow_presence_for_subscriber", BOOL, false, ChannelOptions.Builder::allowPresenceForSubscriber,
            "Subscribers may call presence and presence_stats."),
        ConfigKey.of("allow_presence_for_client", BOOL, false, ChannelOptions.Builder::allowPresenceForClient,
            "Any connected client may call presence and presence_stats."),
        ConfigKey.of("allow_history_for_subscriber", BOOL, false, ChannelOptions.Builder::allowHistoryForSubscriber,
            "Subscribers may call history."),
        ConfigKey.of("allow_history_for_client", BOOL, false, ChannelOptions.Builder::allowHistoryForClient,
            "Any connected client may call history."),
        ConfigKey.of("allow_user_limited_channels", BOOL, false, ChannelOptions.Builder::allowUserLimitedChannels,
            "Channels like \"dm:#42,43\" may be subscribed only by the users listed after \"#\"."),
        ConfigKey.of("subscribe_proxy_enabled", BOOL, false, ChannelOptions.Builder::subscribeProxyEnabled,
            "Subscriptions without a token are decided by channel.proxy.subscribe instead of the allow_subscribe_* rules."),
        ConfigKey.of("publish_proxy_enabled", BOOL, false, ChannelOptions.Builder::publishProxyEnabled,
            "Client publications are decided (and may be rewritten) by channel.proxy.publish instead of allow_publish_*."),
        ConfigKey.of("sub_refresh_proxy_enabled", BOOL, false, ChannelOptions.Builder::subRefreshProxyEnabled,
            "Subscriptions the subscribe proxy gave an expire_at are extended by channel.proxy.sub_refresh."),
        ConfigKey.of("allowed_delta_types", STRINGS, List.of(), ChannelOptions.Builder::allowedDeltaTypes,
            "Delta encodings subscribers may ask for: [fossil] sends positioned or recoverable subscribers each"
                + " publication as a Fossil delta of the one before."));

    /** Presence timing, HTTP endpoints and process settings. */
    static final List<ConfigKey<ConfigBuilders, ?>> RUNTIME = List.of(
        node("presence.ttl", DURATION, NodeOptions.DEFAULT_PRESENCE_TTL, NodeOptions.Builder::presenceTtl,
            "A presence entry not refreshed within this disappears; longer than update_interval.").core("presence_ttl"),
        node("presence.update_interval", DURATION, NodeOptions.DEFAULT_PRESENCE_UPDATE_INTERVAL,
            NodeOptions.Builder::presenceUpdateInterval, "How often a node refreshes its clients' presence entries.").core("presence_update_interval"),
        node("invoke.max_pending", INT, NodeOptions.DEFAULT_MAX_PENDING_INVOCATIONS, NodeOptions.Builder::maxPendingInvocations,
            "Most invocations this node may wait on at once; more fail at once with too_many_pending.")
            .core("max_pending_invocations"),
        server("http_api.enabled", BOOL, ServerConfig.DEFAULT_HTTP_API_ENABLED, ServerConfig.Builder::httpApiEnabled,
            "Serve the HTTP server API at /api (every call needs api_key)."),
        server("http_api.max_response_size", BYTES, ServerConfig.DEFAULT_HTTP_API_MAX_RESPONSE_SIZE,
            ServerConfig.Builder::httpApiMaxResponseSize,
            "Largest server API response; a larger result is error 106, and a batch stops there."),
        server("metrics.enabled", BOOL, ServerConfig.DEFAULT_METRICS_ENABLED, ServerConfig.Builder::metricsEnabled,
            "Serve Prometheus metrics at /metrics."),
        server("health.enabled", BOOL, ServerConfig.DEFAULT_HEALTH_ENABLED, ServerConfig.Builder::healthEnabled,
            "Serve health JSON at /health (liveness) and /ready (readiness)."),
        server("uni_websocket.enabled", BOOL, ServerConfig.DEFAULT_UNI_ENABLED, ServerConfig.Builder::uniWebSocketEnabled,
            "Serve unidirectional WebSocket at /connection/uni_websocket (connect request as the first message)."),
        server("uni_sse.enabled", BOOL, ServerConfig.DEFAULT_UNI_ENABLED, ServerConfig.Builder::uniSseEnabled,
            "Serve unidirectional SSE at /connection/uni_sse (GET with cf_connect, or POST); events carry resumable ids."),
        server("uni_http_stream.enabled", BOOL, ServerConfig.DEFAULT_UNI_ENABLED, ServerConfig.Builder::uniHttpStreamEnabled,
            "Serve unidirectional HTTP streaming at /connection/uni_http_stream (POST the connect request)."),
        server("shutdown_timeout", DURATION, ServerConfig.DEFAULT_SHUTDOWN_TIMEOUT, ServerConfig.Builder::shutdownTimeout,
            "How long a graceful stop (clients told to reconnect with 3001) may take."),
        server("shutdown.drain_delay", DURATION, ServerConfig.DEFAULT_DRAIN_DELAY, ServerConfig.Builder::drainDelay,
            "On a graceful stop, how long /ready answers 503 while clients stay connected, before they get 3001."),
        server("io_threads", INT, ServerConfig.DEFAULT_IO_THREADS, ServerConfig.Builder::ioThreads,
            "WebSocket and HTTP I/O threads; 0 = one per available processor."),
        server("io_transport", IO_TRANSPORT, ServerConfig.DEFAULT_IO_TRANSPORT, ServerConfig.Builder::ioTransport,
            "Socket I/O for clients and Redis: auto (io_uring, else epoll, else nio; the choice is logged), nio, epoll"
                + " or io_uring (Linux x86_64; fails the start where it does not load)."));

    /** The {@code http} section. */
    static final List<ConfigKey<ConfigBuilders, ?>> HTTP = List.of(
        http("http.header_timeout", DURATION, HttpConfig.DEFAULT_HEADER_TIMEOUT, HttpConfig.Builder::headerTimeout,
            "A request's headers must arrive within this of its first byte; else 408 and close."),
        http("http.body_timeout", DURATION, HttpConfig.DEFAULT_BODY_TIMEOUT, HttpConfig.Builder::bodyTimeout,
            "A request body must arrive within this of its headers; else close."),
        http("http.idle_timeout", DURATION, HttpConfig.DEFAULT_IDLE_TIMEOUT, HttpConfig.Builder::idleTimeout,
            "Close a keep-alive connection idle this long, or whose response the peer does not read."),
        http("http.max_connections_per_ip", INT, HttpConfig.DEFAULT_MAX_CONNECTIONS_PER_IP,
            HttpConfig.Builder::maxConnectionsPerIp,
            "Most open connections (WebSockets included) from one IP; 0 = no limit. Behind a load balancer all clients"
                + " share its IP."),
        http("http.max_body_size", BYTES, HttpConfig.DEFAULT_MAX_BODY_SIZE, HttpConfig.Builder::maxBodySize,
            "Largest request body accepted (the server API), in bytes."));

    /** The {@code tls} section: TLS on the public port. */
    static final List<ConfigKey<ConfigBuilders, ?>> TLS = List.of(
        tls("tls.enabled", BOOL, TlsConfig.DEFAULT_ENABLED, TlsConfig.Builder::enabled,
            "Serve the public port over TLS (wss://); the internal port stays plain."),
        tls("tls.cert_pem_file", STRING, (String) null, TlsConfig.Builder::certPemFile,
            "PEM file of the certificate chain, leaf first; reloaded when it changes."),
        tls("tls.key_pem_file", STRING, (String) null, TlsConfig.Builder::keyPemFile,
            "PEM file of the leaf's private key (PKCS#8, or PKCS#1 RSA); reloaded when it changes."),
        tls("tls.reload_interval", DURATION, TlsConfig.DEFAULT_RELOAD_INTERVAL, TlsConfig.Builder::reloadInterval,
            "How often both files are read again; a good new pair serves new connections."),
        tls("tls.handshake_timeout", DURATION, TlsConfig.DEFAULT_HANDSHAKE_TIMEOUT, TlsConfig.Builder::handshakeTimeout,
            "Close a connection whose TLS handshake is not done within this."),
        bound(b -> b.compression, "websocket.compression", BOOL, WebSocketCompression.DEFAULT_ENABLED,
            WebSocketCompression.Builder::enabled,
            "Negotiate permessage-deflate with WebSocket clients that offer it (CPU and memory per connection for bandwidth)."),
        bound(b -> b.compression, "websocket.compression_level", INT, WebSocketCompression.DEFAULT_LEVEL,
            WebSocketCompression.Builder::level, "Deflate level, 1 (fastest) to 9 (smallest)."),
        bound(b -> b.compression, "websocket.compression_min_size", BYTES, WebSocketCompression.DEFAULT_MIN_SIZE,
            WebSocketCompression.Builder::minSize, "Outbound messages smaller than this are sent uncompressed."));

    /** The proxies of Centrifugo v6: {@code client.proxy}, {@code channel.proxy} and {@code rpc.proxy} (docs/proxy.md). */
    static final List<ConfigKey<ConfigBuilders, ?>> PROXY = Stream.of(
            proxyKeys("client.proxy.connect", b -> b.connectProxy,
                "Decide connects that come without a token by POSTing them to the connect endpoint.",
                "The connect proxy's http:// or https:// URL."),
            proxyKeys("client.proxy.refresh", b -> b.refreshProxy,
                "Extend expiring connections by asking the refresh endpoint (server-side refresh).",
                "The refresh proxy's http:// or https:// URL."),
            proxyKeys("channel.proxy.subscribe", b -> b.subscribeProxy, null,
                "The subscribe proxy's http:// or https:// URL; used by namespaces with subscribe_proxy_enabled."),
            proxyKeys("channel.proxy.publish", b -> b.publishProxy, null,
                "The publish proxy's http:// or https:// URL; used by namespaces with publish_proxy_enabled."),
            proxyKeys("channel.proxy.sub_refresh", b -> b.subRefreshProxy, null,
                "The sub_refresh proxy's http:// or https:// URL; used by namespaces with sub_refresh_proxy_enabled."),
            proxyKeys("rpc.proxy", b -> b.rpcProxy,
                "Send client rpc calls whose method has no Java handler to the rpc endpoint.",
                "The RPC proxy's http:// or https:// URL."))
        .flatMap(List::stream)
        .toList();

    /** Lifecycle webhooks, beyond Centrifugo (docs/webhooks.md). */
    static final List<ConfigKey<ConfigBuilders, ?>> WEBHOOK = List.of(
        proxy("webhook.enabled", BOOL, false, b -> b.webhookHttp, ProxyConfig.Builder::enabled,
            "POST connected/disconnected events (at least once) to webhook.endpoint."),
        proxy("webhook.endpoint", STRING, (String) null, b -> b.webhookHttp, ProxyConfig.Builder::endpoint,
            "The webhook's http:// or https:// URL."),
        proxy("webhook.timeout", DURATION, WebhookConfig.DEFAULT_TIMEOUT, b -> b.webhookHttp, ProxyConfig.Builder::timeout,
            "Most time one POST of a batch may take; at most 10s."),
        proxy("webhook.static_headers", HEADERS, List.of(), b -> b.webhookHttp, ConfigKeys::staticHeaders,
            "Headers sent with every POST: a mapping of names to values, or \"Name: value\" strings (say, a shared secret)."),
        webhook("webhook.subscription_events", BOOL, false, WebhookConfig.Builder::subscriptionEvents,
            "Also send subscribed/unsubscribed events."),
        webhook("webhook.batch_size", INT, WebhookConfig.DEFAULT_BATCH_SIZE, WebhookConfig.Builder::batchSize,
            "Most events in one POST (1..1000)."),
        webhook("webhook.max_retry_interval", DURATION, WebhookConfig.DEFAULT_MAX_RETRY_INTERVAL,
            WebhookConfig.Builder::maxRetryInterval, "Longest pause between attempts at a failing backend (100ms..10s)."),
        webhook("webhook.max_backlog", INT, WebhookConfig.DEFAULT_MAX_BACKLOG, WebhookConfig.Builder::maxBacklog,
            "Most events waiting for the backend (in Redis, or in memory); beyond it the oldest are dropped."));

    /**
     * The {@code log} section: read by the standalone server only, which owns the logging backend;
     * see {@link #APP_ONLY}.
     */
    static final List<ConfigKey<ConfigBuilders, ?>> LOG = List.of(
        log("log.level", STRING, LogConfig.DEFAULT_LEVEL, LogConfig.Builder::level,
            "Level of the root logger: trace, debug (one line per disconnect, with code and reason), info, warn, error or off."),
        log("log.format", STRING, LogConfig.DEFAULT_FORMAT, LogConfig.Builder::format,
            "text (one readable line per event) or json (one object per line: time, level, logger, thread, message, exception)."),
        log("log.levels", HEADERS, List.of(), LogConfig.Builder::levels,
            "Levels of single loggers or packages, over log.level: a mapping such as {dev.switchboard.redis: debug, io.netty: info}."));

    /** The {@code admin} section: the operator's page, served by the standalone server (docs/admin.md). */
    static final List<ConfigKey<ConfigBuilders, ?>> ADMIN = List.of(
        admin("admin.enabled", BOOL, AdminConfig.DEFAULT_ENABLED, AdminConfig.Builder::enabled,
            "Serve the admin page at /admin on the internal port (or the only port without internal_port)."),
        admin("admin.password", STRING, (String) null, AdminConfig.Builder::password,
            "Password of the admin page; required when admin.enabled. Keep it private."),
        admin("admin.secret", STRING, (String) null, AdminConfig.Builder::secret,
            "Key (32+ characters) that signs admin session cookies; empty: random per process. Nodes behind one address need the same."),
        admin("admin.session_ttl", DURATION, AdminConfig.DEFAULT_SESSION_TTL, AdminConfig.Builder::sessionTtl,
            "How long an admin login lasts (1m..720h)."));

    // spotless:on

    /**
     * Keys only the standalone server acts on: the process's logging and the admin page. An
     * embedding application configures its own logging and serves its own pages, so the Spring
     * Boot starter neither binds nor documents these (it refuses {@code switchboard.log.*} in
     * favour of Boot's {@code logging.*}, and {@code switchboard.admin.*}).
     */
    public static final List<ConfigKey<?, ?>> APP_ONLY = concat(LOG, ADMIN);

    /** The list of namespaces under {@code channel}: a list of mappings, not a key of this table. */
    static final String NAMESPACES = "namespaces";
    /** The one key of a namespace entry that is not a channel option. */
    static final String NAMESPACE_NAME = "name";

    /** The keys of the config tree's sections, bound into {@link ConfigBuilders}: every key but the channel options. */
    static final List<ConfigKey<ConfigBuilders, ?>> ROOT = Stream.of(
                    NODE, TOKEN, ACCESS, CLIENT, PROXY, WEBHOOK, CHANNEL, RUNTIME, HTTP, LOG, TLS, ADMIN)
            .flatMap(List::stream)
            .toList();

    /**
     * Every scalar key, in the order of the sample config, the channel options as written
     * directly under {@code channel}. Each has an environment variable.
     */
    public static final List<ConfigKey<?, ?>> ALL = concat(
            NODE,
            TOKEN,
            ACCESS,
            CLIENT,
            PROXY,
            WEBHOOK,
            CHANNEL,
            CHANNEL_OPTIONS.stream().map(k -> k.under("channel")).toList(),
            RUNTIME,
            HTTP,
            LOG,
            TLS,
            ADMIN);

    /** Environment variables that override config keys, and the key path each one sets: one per key of {@link #ALL}. */
    public static final Map<String, String> ENV_KEYS = envKeys();

    private static Map<String, String> envKeys() {
        Map<String, String> m = new LinkedHashMap<>();
        ALL.forEach(k -> m.put(k.env(), k.path()));
        return Collections.unmodifiableMap(m);
    }

    private ConfigKeys() {}

    /** The key at this path, such as {@code client.ping_interval} or {@code channel.history_size}. */
    public static Optional<ConfigKey<?, ?>> byPath(String path) {
        return ALL.stream().filter(k -> k.path().equals(path)).findFirst();
    }

    /** The key the core calls {@code option} ({@code pong_timeout} is {@code client.pong_timeout}). */
    static Optional<ConfigKey<?, ?>> byCoreOption(String option) {
        return ALL.stream().filter(k -> option.equals(k.coreOption())).findFirst();
    }

    /** The channel option the core calls {@code option}: {@link ChannelOptions} names them as the config does. */
    static Optional<ConfigKey<ChannelOptions.Builder, ?>> channelOption(String option) {
        return CHANNEL_OPTIONS.stream().filter(k -> option.equals(k.name())).findFirst();
    }

    /** Names a mapping at {@code section} may hold: its keys and sub-sections; {@code ""} is the top level. */
    static Set<String> namesIn(String section) {
        return namesIn(ALL, section);
    }

    /** {@link #namesIn(String)} of a given list of keys, at any depth. */
    static Set<String> namesIn(List<? extends ConfigKey<?, ?>> keys, String section) {
        String prefix = section.isEmpty() ? "" : section + ".";
        Set<String> out = new LinkedHashSet<>();
        for (ConfigKey<?, ?> k : keys) {
            if (k.path().startsWith(prefix)) {
                String rest = k.path().substring(prefix.length());
                int dot = rest.indexOf('.');
                out.add(dot < 0 ? rest : rest.substring(0, dot));
            }
        }
        if (section.equals("channel")) {
            out.add(NAMESPACES);
        }
        return out;
    }

    /** Whether {@code path} names a mapping of keys ({@code client}, {@code client.proxy}), not a key. */
    static boolean isSection(String path) {
        return ALL.stream().anyMatch(k -> k.path().startsWith(path + "."));
    }

    /** Names a {@code channel.namespaces[]} entry may hold. */
    public static Set<String> namespaceNames() {
        Set<String> out = new LinkedHashSet<>();
        out.add(NAMESPACE_NAME);
        CHANNEL_OPTIONS.forEach(k -> out.add(k.name()));
        return out;
    }

    /** {@code node_name}: empty means the core's default, the host name. */
    private static void nodeName(NodeOptions.Builder b, String name) {
        if (name != null && !name.isBlank()) {
            b.name(name.trim());
        }
    }

    private static <T> ConfigKey<ConfigBuilders, T> server(
            String path, KeyType<T> type, T defaultValue, BiConsumer<ServerConfig.Builder, T> setter, String doc) {
        return bound(b -> b.server, path, type, defaultValue, setter, doc);
    }

    /** A core option: set on the core's builder, which checks it. */
    private static <T> ConfigKey<ConfigBuilders, T> node(
            String path, KeyType<T> type, T defaultValue, BiConsumer<NodeOptions.Builder, T> setter, String doc) {
        return bound(b -> b.node, path, type, defaultValue, setter, doc);
    }

    private static <T> ConfigKey<ConfigBuilders, T> token(
            String path, KeyType<T> type, T defaultValue, BiConsumer<TokenConfig.Builder, T> setter, String doc) {
        return bound(b -> b.token, path, type, defaultValue, setter, doc);
    }

    private static <T> ConfigKey<ConfigBuilders, T> channel(
            String path, KeyType<T> type, T defaultValue, BiConsumer<ChannelConfig.Builder, T> setter, String doc) {
        return bound(b -> b.channel, path, type, defaultValue, setter, doc);
    }

    private static <T> ConfigKey<ConfigBuilders, T> http(
            String path, KeyType<T> type, T defaultValue, BiConsumer<HttpConfig.Builder, T> setter, String doc) {
        return bound(b -> b.http, path, type, defaultValue, setter, doc);
    }

    private static <T> ConfigKey<ConfigBuilders, T> log(
            String path, KeyType<T> type, T defaultValue, BiConsumer<LogConfig.Builder, T> setter, String doc) {
        return bound(b -> b.log, path, type, defaultValue, setter, doc);
    }

    private static <T> ConfigKey<ConfigBuilders, T> tls(
            String path, KeyType<T> type, T defaultValue, BiConsumer<TlsConfig.Builder, T> setter, String doc) {
        return bound(b -> b.tls, path, type, defaultValue, setter, doc);
    }

    private static <T> ConfigKey<ConfigBuilders, T> admin(
            String path, KeyType<T> type, T defaultValue, BiConsumer<AdminConfig.Builder, T> setter, String doc) {
        return bound(b -> b.admin, path, type, defaultValue, setter, doc);
    }

    /** A webhook option: {@link WebhookConfig.Builder}'s checks throw plain exceptions, which name the key here. */
    private static <T> ConfigKey<ConfigBuilders, T> webhook(
            String path, KeyType<T> type, T defaultValue, BiConsumer<WebhookConfig.Builder, T> setter, String doc) {
        return proxy(path, type, defaultValue, b -> b.webhook, setter, doc);
    }

    /**
     * The keys of one proxy section, Centrifugo v6's: {@code enabled} (absent for the channel
     * proxies, which a namespace enables), {@code endpoint}, {@code timeout}, {@code http_headers},
     * {@code emulated_headers}, {@code include_connection_meta}, {@code static_headers} and its v6
     * place {@code http.static_headers}.
     */
    private static List<ConfigKey<ConfigBuilders, ?>> proxyKeys(
            String section, Function<ConfigBuilders, ProxyConfig.Builder> part, String enabledDoc, String endpointDoc) {
        List<ConfigKey<ConfigBuilders, ?>> keys = new ArrayList<>();
        if (enabledDoc != null) {
            keys.add(proxy(section + ".enabled", BOOL, false, part, ProxyConfig.Builder::enabled, enabledDoc));
        }
        keys.add(proxy(section + ".endpoint", STRING, (String) null, part, ProxyConfig.Builder::endpoint, endpointDoc));
        keys.add(proxy(
                section + ".timeout",
                DURATION,
                ProxyConfig.DEFAULT_TIMEOUT,
                part,
                ProxyConfig.Builder::timeout,
                "Most time one call of this proxy may take, body included."));
        keys.add(proxy(
                section + ".http_headers",
                STRINGS,
                List.of(),
                part,
                ProxyConfig.Builder::httpHeaders,
                "Headers of the client's WebSocket upgrade request sent with the call."));
        keys.add(proxy(
                section + ".emulated_headers",
                STRINGS,
                List.of(),
                part,
                ProxyConfig.Builder::emulatedHeaders,
                "Headers a client sent in its connect command (headers emulation, untrusted) sent with the call;"
                        + " a real header of the same name wins."));
        keys.add(proxy(
                section + ".include_connection_meta",
                BOOL,
                false,
                part,
                ProxyConfig.Builder::includeConnectionMeta,
                "Send the connection's meta (from the connect proxy) with each call."));
        keys.add(proxy(
                section + ".static_headers",
                HEADERS,
                List.of(),
                part,
                ConfigKeys::staticHeaders,
                "Headers sent with every call: a mapping of names to values, or \"Name: value\" strings."));
        keys.add(proxy(
                section + ".http.static_headers",
                HEADERS,
                List.of(),
                part,
                ConfigKeys::staticHeaders,
                "Centrifugo v6's place for static_headers; both are sent."));
        return List.copyOf(keys);
    }

    /**
     * A proxy (or webhook) option: {@link ProxyConfig.Builder}'s checks throw plain exceptions,
     * which name the key here.
     */
    private static <S, T> ConfigKey<ConfigBuilders, T> proxy(
            String path,
            KeyType<T> type,
            T defaultValue,
            Function<ConfigBuilders, S> part,
            BiConsumer<S, T> setter,
            String doc) {
        return bound(
                part,
                path,
                type,
                defaultValue,
                (S b, T v) -> {
                    try {
                        setter.accept(b, v);
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(path, e.getMessage(), e);
                    }
                },
                doc);
    }

    /**
     * {@code static_headers}: read by {@link KeyType#HEADERS} (Centrifugo's mapping, or a list of
     * {@code "Name: value"} strings) into {@code "Name: value"} strings, split here.
     */
    static void staticHeaders(ProxyConfig.Builder b, List<String> lines) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("a static header must be written \"Name: value\"");
            }
            headers.put(
                    line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        b.addStaticHeaders(headers);
    }

    /** A key whose setter belongs to one {@code part} of the builders. */
    private static <S, T> ConfigKey<ConfigBuilders, T> bound(
            Function<ConfigBuilders, S> part,
            String path,
            KeyType<T> type,
            T defaultValue,
            BiConsumer<S, T> setter,
            String doc) {
        return ConfigKey.of(path, type, defaultValue, (ConfigBuilders b, T v) -> setter.accept(part.apply(b), v), doc);
    }

    @SafeVarargs
    private static List<ConfigKey<?, ?>> concat(List<? extends ConfigKey<?, ?>>... lists) {
        List<ConfigKey<?, ?>> out = new ArrayList<>();
        for (List<? extends ConfigKey<?, ?>> l : lists) {
            out.addAll(l);
        }
        return List.copyOf(out);
    }
}

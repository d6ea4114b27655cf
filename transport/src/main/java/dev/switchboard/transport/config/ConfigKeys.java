package dev.switchboard.transport.config;

import static dev.switchboard.transport.config.KeyType.BOOL;
import static dev.switchboard.transport.config.KeyType.BYTES;
import static dev.switchboard.transport.config.KeyType.DURATION;
import static dev.switchboard.transport.config.KeyType.ENGINE;
import static dev.switchboard.transport.config.KeyType.INT;
import static dev.switchboard.transport.config.KeyType.STRING;
import static dev.switchboard.transport.config.KeyType.STRINGS;

import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.core.channel.ChannelRules;
import dev.switchboard.core.node.NodeOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The table of every configuration key. Loading, the environment variables, the sample that
 * {@code genconfig} writes and the checked tables of {@code docs/configuration.md} all come from
 * here.
 *
 * <p>Adding a node option, say {@code client.max_subscribe_batch}:
 * <ol>
 *   <li>the core: {@code NodeOptions.DEFAULT_MAX_SUBSCRIBE_BATCH}, its field, getter and builder
 *       setter, which throws {@link dev.switchboard.core.InvalidOptionException} naming the option;</li>
 *   <li>one entry in {@link #CLIENT}: path, type, default constant, section setter, doc, and
 *       {@code .core(name, getter, NodeOptions.Builder::setter)};</li>
 *   <li>the section class ({@link ClientConfig}): field, getter and builder setter (its public,
 *       typed API for embedders);</li>
 *   <li>a row in {@code docs/configuration.md}: {@code ConfigDocsTest} fails until it is there
 *       with the right default and variable.</li>
 * </ol>
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

    /** Identity, engine and Redis, set on {@link ServerConfig.Builder}. */
    static final List<ConfigKey<ServerConfig.Builder, ?>> NODE = List.of(
        ConfigKey.of("port", INT, ServerConfig.DEFAULT_PORT, ServerConfig.Builder::port,
            "TCP port for WebSocket, HTTP API, metrics and health; 0 picks a free port."),
        ConfigKey.of("address", STRING, ServerConfig.DEFAULT_ADDRESS, ServerConfig.Builder::address,
            "Interface to bind; 127.0.0.1 keeps the node private to this machine."),
        ConfigKey.of("node_name", STRING, (String) null, ServerConfig.Builder::nodeName,
            "Name shown in `info` and metrics; empty means the host name.").unset("host name")
            .core("node name", ServerConfig::nodeName, NodeOptions.Builder::name),
        ConfigKey.of("engine", ENGINE, ServerConfig.DEFAULT_ENGINE, ServerConfig.Builder::engine,
            "Engine: memory (one node, nothing else to run) or redis (many nodes)."),
        ConfigKey.of("redis.url", STRING, ServerConfig.DEFAULT_REDIS_URL, ServerConfig.Builder::redisUrl,
            "Redis URL, used only with engine: redis (redis://, rediss://, redis+sentinel://)."),
        ConfigKey.of("redis.prefix", STRING, ServerConfig.DEFAULT_REDIS_PREFIX, ServerConfig.Builder::redisPrefix,
            "Prefix of every Redis key and pub/sub channel; nodes of one deployment share it."));

    /** The {@code token} section. */
    static final List<ConfigKey<TokenConfig.Builder, ?>> TOKEN = List.of(
        ConfigKey.of("token.hmac_secret", STRING, (String) null, TokenConfig.Builder::hmacSecret,
            "Shared secret for HS256 connection and subscription tokens; keep it private."),
        ConfigKey.of("token.rsa_public_key", STRING, (String) null, TokenConfig.Builder::rsaPublicKey,
            "RSA public key for RS/PS tokens: inline PEM or a PEM file path."),
        ConfigKey.of("token.ecdsa_public_key", STRING, (String) null, TokenConfig.Builder::ecdsaPublicKey,
            "ECDSA public key for ES tokens: inline PEM or a PEM file path."),
        ConfigKey.of("token.jwks_file", STRING, (String) null, TokenConfig.Builder::jwksFile,
            "JWK set file whose RSA/EC keys are picked by the token's kid."),
        ConfigKey.of("token.audience", STRING, (String) null, TokenConfig.Builder::audience,
            "When set, tokens must carry this aud claim."),
        ConfigKey.of("token.issuer", STRING, (String) null, TokenConfig.Builder::issuer,
            "When set, tokens must carry this iss claim."));

    /** Who may call and connect, set on {@link ServerConfig.Builder}. */
    static final List<ConfigKey<ServerConfig.Builder, ?>> ACCESS = List.of(
        ConfigKey.of("api_key", STRING, (String) null, ServerConfig.Builder::apiKey,
            "Key for the HTTP server API (header \"Authorization: apikey <key>\"); keep it private."),
        ConfigKey.of("allow_anonymous_connect", BOOL, ServerConfig.DEFAULT_ALLOW_ANONYMOUS_CONNECT,
            ServerConfig.Builder::allowAnonymousConnect, "Let clients connect without a token, as anonymous user \"\"."));

    /** The {@code client} section. */
    static final List<ConfigKey<ClientConfig.Builder, ?>> CLIENT = List.of(
        ConfigKey.of("client.ping_interval", DURATION, NodeOptions.DEFAULT_PING_INTERVAL, ClientConfig.Builder::pingInterval,
            "How often the server pings each client.")
            .core("ping_interval", c -> c.client().pingInterval(), NodeOptions.Builder::pingInterval),
        ConfigKey.of("client.pong_timeout", DURATION, NodeOptions.DEFAULT_PONG_TIMEOUT, ClientConfig.Builder::pongTimeout,
            "Disconnect (3012) a client that does not pong within this; shorter than ping_interval.")
            .core("pong_timeout", c -> c.client().pongTimeout(), NodeOptions.Builder::pongTimeout),
        ConfigKey.of("client.queue_max_bytes", BYTES, NodeOptions.DEFAULT_CLIENT_QUEUE_MAX_BYTES,
            ClientConfig.Builder::queueMaxBytes, "Disconnect (3008) a client with more unsent bytes than this.")
            .core("client_queue_max_size", c -> c.client().queueMaxBytes(), NodeOptions.Builder::clientQueueMaxBytes),
        ConfigKey.of("client.channel_limit", INT, NodeOptions.DEFAULT_CLIENT_CHANNEL_LIMIT, ClientConfig.Builder::channelLimit,
            "Most channels one connection may subscribe to.")
            .core("client_channel_limit", c -> c.client().channelLimit(), NodeOptions.Builder::clientChannelLimit),
        ConfigKey.of("client.user_connection_limit", INT, NodeOptions.DEFAULT_USER_CONNECTION_LIMIT,
            ClientConfig.Builder::userConnectionLimit, "Most connections one user may hold on a node; 0 means no limit.")
            .core("user_connection_limit", c -> c.client().userConnectionLimit(), NodeOptions.Builder::userConnectionLimit),
        ConfigKey.of("client.connect_timeout", DURATION, NodeOptions.DEFAULT_CONNECT_TIMEOUT,
            ClientConfig.Builder::connectTimeout, "Close a socket that sends no connect command within this.")
            .core("connect_timeout", c -> c.client().connectTimeout(), NodeOptions.Builder::connectTimeout),
        ConfigKey.of("client.command_rate_limit", INT, NodeOptions.DEFAULT_COMMAND_RATE_LIMIT,
            ClientConfig.Builder::commandRateLimit, "Commands per second one connection may send; 0 means no limit.")
            .core("command_rate_limit", c -> c.client().commandRateLimit(), NodeOptions.Builder::commandRateLimit),
        ConfigKey.of("client.command_burst", INT, NodeOptions.DEFAULT_COMMAND_BURST, ClientConfig.Builder::commandBurst,
            "Commands a connection may send at once above the rate.")
            .core("command_burst", c -> c.client().commandBurst(), NodeOptions.Builder::commandBurst),
        ConfigKey.of("client.max_pending_commands", INT, NodeOptions.DEFAULT_MAX_PENDING_COMMANDS,
            ClientConfig.Builder::maxPendingCommands, "Unanswered commands one connection may have in flight.")
            .core("max_pending_commands", c -> c.client().maxPendingCommands(), NodeOptions.Builder::maxPendingCommands),
        ConfigKey.of("client.expired_close_delay", DURATION, NodeOptions.DEFAULT_CLIENT_EXPIRED_CLOSE_DELAY,
            ClientConfig.Builder::expiredCloseDelay,
            "Grace after a connection token expires before the client is disconnected (3005).")
            .core("client_expired_close_delay", c -> c.client().expiredCloseDelay(),
                NodeOptions.Builder::clientExpiredCloseDelay),
        ConfigKey.of("client.max_message_size", BYTES, ClientConfig.DEFAULT_MAX_MESSAGE_SIZE,
            ClientConfig.Builder::maxMessageSize, "Largest WebSocket frame accepted from a client, in bytes."),
        ConfigKey.of("client.subscribe_to_channels", STRINGS, List.<String>of(), ClientConfig.Builder::subscribeToChannels,
            "Channels every connection is subscribed to by the server (comma-separated in the environment).")
            .core("server_side_channels", c -> c.client().subscribeToChannels(), NodeOptions.Builder::serverSideChannels));

    /** The {@code channel} section's own keys (not the channel options). */
    static final List<ConfigKey<ChannelConfig.Builder, ?>> CHANNEL = List.of(
        ConfigKey.of("channel.max_length", INT, ChannelRules.DEFAULT_MAX_CHANNEL_LENGTH, ChannelConfig.Builder::maxLength,
            "Longest accepted channel name."),
        ConfigKey.of("channel.pattern", STRING, ChannelRules.DEFAULT_CHANNEL_PATTERN, ChannelConfig.Builder::pattern,
            "Regular expression every channel name must match in full."),
        ConfigKey.of("channel.max_publication_size", BYTES, NodeOptions.DEFAULT_MAX_PUBLICATION_SIZE,
            ChannelConfig.Builder::maxPublicationSize, "Largest publication data in bytes; larger publishes are refused"
                + " (API 400, client error 107). Smaller than client.queue_max_bytes.")
            .core("max_publication_size", c -> c.channel().maxPublicationSize(), NodeOptions.Builder::maxPublicationSize),
        ConfigKey.of("channel.history_max_publication_limit", INT, NodeOptions.DEFAULT_HISTORY_MAX_PUBLICATION_LIMIT,
            ChannelConfig.Builder::historyMaxPublicationLimit, "Most publications one history read returns, also for limit -1.")
            .core("history_max_publication_limit", c -> c.channel().historyMaxPublicationLimit(),
                NodeOptions.Builder::historyMaxPublicationLimit));

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
            "Channels like \"dm:#42,43\" may be subscribed only by the users listed after \"#\"."));

    /** Presence timing, HTTP endpoints and process settings, set on {@link ServerConfig.Builder}. */
    static final List<ConfigKey<ServerConfig.Builder, ?>> RUNTIME = List.of(
        ConfigKey.of("presence.ttl", DURATION, NodeOptions.DEFAULT_PRESENCE_TTL, ServerConfig.Builder::presenceTtl,
            "A presence entry not refreshed within this disappears; longer than update_interval.")
            .core("presence_ttl", ServerConfig::presenceTtl, NodeOptions.Builder::presenceTtl),
        ConfigKey.of("presence.update_interval", DURATION, NodeOptions.DEFAULT_PRESENCE_UPDATE_INTERVAL,
            ServerConfig.Builder::presenceUpdateInterval, "How often a node refreshes its clients' presence entries.")
            .core("presence_update_interval", ServerConfig::presenceUpdateInterval, NodeOptions.Builder::presenceUpdateInterval),
        ConfigKey.of("http_api.enabled", BOOL, ServerConfig.DEFAULT_HTTP_API_ENABLED, ServerConfig.Builder::httpApiEnabled,
            "Serve the HTTP server API at /api (every call needs api_key)."),
        ConfigKey.of("http_api.max_response_size", BYTES, ServerConfig.DEFAULT_HTTP_API_MAX_RESPONSE_SIZE,
            ServerConfig.Builder::httpApiMaxResponseSize,
            "Largest server API response; a larger result is error 106, and a batch stops there."),
        ConfigKey.of("metrics.enabled", BOOL, ServerConfig.DEFAULT_METRICS_ENABLED, ServerConfig.Builder::metricsEnabled,
            "Serve Prometheus metrics at /metrics."),
        ConfigKey.of("health.enabled", BOOL, ServerConfig.DEFAULT_HEALTH_ENABLED, ServerConfig.Builder::healthEnabled,
            "Serve health JSON at /health."),
        ConfigKey.of("shutdown_timeout", DURATION, ServerConfig.DEFAULT_SHUTDOWN_TIMEOUT, ServerConfig.Builder::shutdownTimeout,
            "How long a graceful stop (clients told to reconnect with 3001) may take."),
        ConfigKey.of("io_threads", INT, ServerConfig.DEFAULT_IO_THREADS, ServerConfig.Builder::ioThreads,
            "WebSocket and HTTP I/O threads; 0 = one per available processor."));

    /** The {@code http} section. */
    static final List<ConfigKey<HttpConfig.Builder, ?>> HTTP = List.of(
        ConfigKey.of("http.header_timeout", DURATION, HttpConfig.DEFAULT_HEADER_TIMEOUT, HttpConfig.Builder::headerTimeout,
            "A request's headers must arrive within this of its first byte; else 408 and close."),
        ConfigKey.of("http.body_timeout", DURATION, HttpConfig.DEFAULT_BODY_TIMEOUT, HttpConfig.Builder::bodyTimeout,
            "A request body must arrive within this of its headers; else close."),
        ConfigKey.of("http.idle_timeout", DURATION, HttpConfig.DEFAULT_IDLE_TIMEOUT, HttpConfig.Builder::idleTimeout,
            "Close a keep-alive connection idle this long, or whose response the peer does not read."),
        ConfigKey.of("http.max_connections_per_ip", INT, HttpConfig.DEFAULT_MAX_CONNECTIONS_PER_IP,
            HttpConfig.Builder::maxConnectionsPerIp,
            "Most open connections (WebSockets included) from one IP; 0 = no limit. Behind a load balancer all clients"
                + " share its IP."),
        ConfigKey.of("http.max_body_size", BYTES, HttpConfig.DEFAULT_MAX_BODY_SIZE, HttpConfig.Builder::maxBodySize,
            "Largest request body accepted (the server API), in bytes."));

    /** The list of namespaces under {@code channel}: a list of mappings, not a key of this table. */
    static final String NAMESPACES = "namespaces";
    /** The one key of a namespace entry that is not a channel option. */
    static final String NAMESPACE_NAME = "name";

    /**
     * Every scalar key, in the order of the sample config, the channel options as written
     * directly under {@code channel}. Each has an environment variable.
     */
    public static final List<ConfigKey<?, ?>> ALL = concat(NODE, TOKEN, ACCESS, CLIENT, CHANNEL,
        CHANNEL_OPTIONS.stream().map(k -> k.under("channel")).toList(), RUNTIME, HTTP);

    /** Environment variables that override config keys, and the key path each one sets: one per key of {@link #ALL}. */
    public static final Map<String, String> ENV_KEYS = envKeys();

    private static Map<String, String> envKeys() {
        Map<String, String> m = new LinkedHashMap<>();
        ALL.forEach(k -> m.put(k.env(), k.path()));
        return Collections.unmodifiableMap(m);
    }

    private ConfigKeys() {
    }

    /** The key at this path, such as {@code client.ping_interval} or {@code channel.history_size}. */
    public static Optional<ConfigKey<?, ?>> byPath(String path) {
        return ALL.stream().filter(k -> k.path().equals(path)).findFirst();
    }

    /** The key the core calls {@code option} ({@code pong_timeout} is {@code client.pong_timeout}). */
    static Optional<ConfigKey<?, ?>> byCoreOption(String option) {
        return ALL.stream().filter(k -> k.isNodeOption() && option.equals(k.coreOption())).findFirst();
    }

    /** The channel option the core calls {@code option}: {@link ChannelOptions} names them as the config does. */
    static Optional<ConfigKey<ChannelOptions.Builder, ?>> channelOption(String option) {
        return CHANNEL_OPTIONS.stream().filter(k -> option.equals(k.name())).findFirst();
    }

    /** Names a section may hold: its keys and sub-sections; {@code ""} is the top level. */
    static Set<String> namesIn(String section) {
        Set<String> out = new LinkedHashSet<>();
        for (ConfigKey<?, ?> k : ALL) {
            if (k.section().equals(section)) {
                out.add(k.name());
            } else if (section.isEmpty()) {
                out.add(k.section());
            }
        }
        if (section.equals("channel")) {
            out.add(NAMESPACES);
        }
        return out;
    }

    /** Names a {@code channel.namespaces[]} entry may hold. */
    public static Set<String> namespaceNames() {
        Set<String> out = new LinkedHashSet<>();
        out.add(NAMESPACE_NAME);
        CHANNEL_OPTIONS.forEach(k -> out.add(k.name()));
        return out;
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

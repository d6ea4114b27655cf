package dev.switchboard.core.node;

import dev.switchboard.core.InvalidOptionException;
import dev.switchboard.core.channel.ChannelRules;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Options of a {@link Node}: identity, channel rules, client keepalive and per-client limits.
 *
 * <p>Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * NodeOptions options = NodeOptions.builder()
 *     .name("node-1")
 *     .channelRules(rules)
 *     .pingInterval(Duration.ofSeconds(25))
 *     .build();
 * }</pre>
 */
public final class NodeOptions {

    /** Default {@link #allowAnonymous()}: clients must be authenticated (a token or a connect hook). */
    public static final boolean DEFAULT_ALLOW_ANONYMOUS = false;
    /** Default {@link #pingInterval()}: the server pings each client this often. */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(25);
    /** Default {@link #pongTimeout()}: a client that does not answer a ping within this is disconnected (3012). */
    public static final Duration DEFAULT_PONG_TIMEOUT = Duration.ofSeconds(8);
    /** Default {@link #clientQueueMaxBytes()}: a client whose unsent bytes exceed this is disconnected (3008). */
    public static final int DEFAULT_CLIENT_QUEUE_MAX_BYTES = 1 << 20;
    /** Default {@link #clientChannelLimit()}: the most channels one client may subscribe to. */
    public static final int DEFAULT_CLIENT_CHANNEL_LIMIT = 128;
    /** Default {@link #userConnectionLimit()}: {@code 0}, no limit on connections per user on a node. */
    public static final int DEFAULT_USER_CONNECTION_LIMIT = 0;
    /** Default {@link #connectTimeout()}: a transport that sends no {@code connect} within this is closed (3502 stale). */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@link #commandRateLimit()}: commands per second one client may send, {@code 0} for no limit. */
    public static final int DEFAULT_COMMAND_RATE_LIMIT = 1000;
    /** Default {@link #commandBurst()}: commands a client may send at once above the rate. */
    public static final int DEFAULT_COMMAND_BURST = 2000;
    /** Default {@link #maxPendingCommands()}: unanswered commands one client may have in flight. */
    public static final int DEFAULT_MAX_PENDING_COMMANDS = 256;
    /** Default {@link #expiredCheckInterval()}: how often connections with expired tokens are looked for. */
    public static final Duration DEFAULT_EXPIRED_CHECK_INTERVAL = Duration.ofSeconds(1);
    /** Default {@link #clientExpiredCloseDelay()}: grace after token expiry before the client is disconnected (3005). */
    public static final Duration DEFAULT_CLIENT_EXPIRED_CLOSE_DELAY = Duration.ofSeconds(25);
    /** Default {@link #presenceUpdateInterval()}: how often a node refreshes its clients' presence entries. */
    public static final Duration DEFAULT_PRESENCE_UPDATE_INTERVAL = Duration.ofSeconds(25);
    /** Default {@link #presenceTtl()}: a presence entry not refreshed within this disappears. */
    public static final Duration DEFAULT_PRESENCE_TTL = Duration.ofSeconds(60);
    /**
     * Default {@link #heartbeatInterval()}: how often the node heartbeats into the registry. Well
     * below the registry's timeout, so one late heartbeat (a GC pause, a busy CPU) does not get a
     * live node evicted.
     */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofMillis(500);
    /** Default {@link #maxPendingInvocations()}: invocations one node may wait on at once. */
    public static final int DEFAULT_MAX_PENDING_INVOCATIONS = 10_000;
    /**
     * Default {@link #maxPublicationSize()}: 64 KiB of {@code data}, the same as the largest
     * message a WebSocket client may send, and well below {@link #DEFAULT_CLIENT_QUEUE_MAX_BYTES}
     * so every subscriber can take a publication that was accepted.
     */
    public static final int DEFAULT_MAX_PUBLICATION_SIZE = 65_536;
    /**
     * Default {@link #historyMaxPublicationLimit()}: a history read returns at most this many
     * publications, also when it asks for all of them ({@code limit: -1}); as Centrifugo's
     * {@code client.history_max_publication_limit}.
     */
    public static final int DEFAULT_HISTORY_MAX_PUBLICATION_LIMIT = 300;
    /** Default {@link #version()}: reported to clients in the connect reply. */
    public static final String DEFAULT_VERSION = "0.1.0";

    private final String name;
    private final String id;
    private final String version;
    private final ChannelRules channelRules;
    private final boolean allowAnonymous;
    private final Duration pingInterval;
    private final Duration pongTimeout;
    private final int clientQueueMaxBytes;
    private final int clientChannelLimit;
    private final int userConnectionLimit;
    private final Duration connectTimeout;
    private final int commandRateLimit;
    private final int commandBurst;
    private final int maxPendingCommands;
    private final Duration expiredCheckInterval;
    private final Duration clientExpiredCloseDelay;
    private final Duration presenceUpdateInterval;
    private final Duration presenceTtl;
    private final List<String> serverSideChannels;
    private final Duration heartbeatInterval;
    private final int maxPendingInvocations;
    private final int maxPublicationSize;
    private final int historyMaxPublicationLimit;

    private NodeOptions(Builder b) {
        this.name = b.name;
        this.id = b.id;
        this.version = b.version;
        this.channelRules = b.channelRules;
        this.allowAnonymous = b.allowAnonymous;
        this.pingInterval = b.pingInterval;
        this.pongTimeout = b.pongTimeout;
        this.clientQueueMaxBytes = b.clientQueueMaxBytes;
        this.clientChannelLimit = b.clientChannelLimit;
        this.userConnectionLimit = b.userConnectionLimit;
        this.connectTimeout = b.connectTimeout;
        this.commandRateLimit = b.commandRateLimit;
        this.commandBurst = b.commandBurst;
        this.maxPendingCommands = b.maxPendingCommands;
        this.expiredCheckInterval = b.expiredCheckInterval;
        this.clientExpiredCloseDelay = b.clientExpiredCloseDelay;
        this.presenceUpdateInterval = b.presenceUpdateInterval;
        this.presenceTtl = b.presenceTtl;
        this.serverSideChannels = b.serverSideChannels;
        this.heartbeatInterval = b.heartbeatInterval;
        this.maxPendingInvocations = b.maxPendingInvocations;
        this.maxPublicationSize = b.maxPublicationSize;
        this.historyMaxPublicationLimit = b.historyMaxPublicationLimit;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these options, the node id included: give another node its own
     * {@link Builder#id(String)}.
     *
     * <pre>{@code
     * NodeOptions second = options.toBuilder().id(UUID.randomUUID().toString()).build();
     * }</pre>
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Human-readable node name, shown in {@code info}; defaults to the host name. */
    public String name() {
        return name;
    }

    /** Unique id of this node process, random per start unless set. */
    public String id() {
        return id;
    }

    /** Server version reported to clients. */
    public String version() {
        return version;
    }

    public ChannelRules channelRules() {
        return channelRules;
    }

    /** Clients may connect without a token, as user {@code ""}. */
    public boolean allowAnonymous() {
        return allowAnonymous;
    }

    public Duration pingInterval() {
        return pingInterval;
    }

    public Duration pongTimeout() {
        return pongTimeout;
    }

    public int clientQueueMaxBytes() {
        return clientQueueMaxBytes;
    }

    public int clientChannelLimit() {
        return clientChannelLimit;
    }

    public int userConnectionLimit() {
        return userConnectionLimit;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public int commandRateLimit() {
        return commandRateLimit;
    }

    public int commandBurst() {
        return commandBurst;
    }

    public int maxPendingCommands() {
        return maxPendingCommands;
    }

    public Duration expiredCheckInterval() {
        return expiredCheckInterval;
    }

    public Duration clientExpiredCloseDelay() {
        return clientExpiredCloseDelay;
    }

    public Duration presenceUpdateInterval() {
        return presenceUpdateInterval;
    }

    public Duration presenceTtl() {
        return presenceTtl;
    }

    /** Channels every connection is subscribed to by the server on connect. */
    public List<String> serverSideChannels() {
        return serverSideChannels;
    }

    /** How often the node heartbeats its identity and counts into the registry. */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** Invocations this node may wait on at once; more fail with too many pending. */
    public int maxPendingInvocations() {
        return maxPendingInvocations;
    }

    /** Largest publication {@code data} accepted, in bytes; a larger publish is refused (107). */
    public int maxPublicationSize() {
        return maxPublicationSize;
    }

    /** Most publications one history read returns, whatever limit it asked for. */
    public int historyMaxPublicationLimit() {
        return historyMaxPublicationLimit;
    }

    /** Builder of {@link NodeOptions}; every field starts at its documented default. */
    public static final class Builder {
        private String name = defaultName();
        private String id = UUID.randomUUID().toString();
        private String version = DEFAULT_VERSION;
        private ChannelRules channelRules = ChannelRules.builder().build();
        private boolean allowAnonymous = DEFAULT_ALLOW_ANONYMOUS;
        private Duration pingInterval = DEFAULT_PING_INTERVAL;
        private Duration pongTimeout = DEFAULT_PONG_TIMEOUT;
        private int clientQueueMaxBytes = DEFAULT_CLIENT_QUEUE_MAX_BYTES;
        private int clientChannelLimit = DEFAULT_CLIENT_CHANNEL_LIMIT;
        private int userConnectionLimit = DEFAULT_USER_CONNECTION_LIMIT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int commandRateLimit = DEFAULT_COMMAND_RATE_LIMIT;
        private int commandBurst = DEFAULT_COMMAND_BURST;
        private int maxPendingCommands = DEFAULT_MAX_PENDING_COMMANDS;
        private Duration expiredCheckInterval = DEFAULT_EXPIRED_CHECK_INTERVAL;
        private Duration clientExpiredCloseDelay = DEFAULT_CLIENT_EXPIRED_CLOSE_DELAY;
        private Duration presenceUpdateInterval = DEFAULT_PRESENCE_UPDATE_INTERVAL;
        private Duration presenceTtl = DEFAULT_PRESENCE_TTL;
        private List<String> serverSideChannels = List.of();
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private int maxPendingInvocations = DEFAULT_MAX_PENDING_INVOCATIONS;
        private int maxPublicationSize = DEFAULT_MAX_PUBLICATION_SIZE;
        private int historyMaxPublicationLimit = DEFAULT_HISTORY_MAX_PUBLICATION_LIMIT;

        private Builder() {}

        private Builder(NodeOptions o) {
            name = o.name;
            id = o.id;
            version = o.version;
            channelRules = o.channelRules;
            allowAnonymous = o.allowAnonymous;
            pingInterval = o.pingInterval;
            pongTimeout = o.pongTimeout;
            clientQueueMaxBytes = o.clientQueueMaxBytes;
            clientChannelLimit = o.clientChannelLimit;
            userConnectionLimit = o.userConnectionLimit;
            connectTimeout = o.connectTimeout;
            commandRateLimit = o.commandRateLimit;
            commandBurst = o.commandBurst;
            maxPendingCommands = o.maxPendingCommands;
            expiredCheckInterval = o.expiredCheckInterval;
            clientExpiredCloseDelay = o.clientExpiredCloseDelay;
            presenceUpdateInterval = o.presenceUpdateInterval;
            presenceTtl = o.presenceTtl;
            serverSideChannels = o.serverSideChannels;
            heartbeatInterval = o.heartbeatInterval;
            maxPendingInvocations = o.maxPendingInvocations;
            maxPublicationSize = o.maxPublicationSize;
            historyMaxPublicationLimit = o.historyMaxPublicationLimit;
        }

        private static String defaultName() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                return "switchboard";
            }
        }

        public Builder name(String v) {
            name = requireText(v, "node name");
            return this;
        }

        public Builder id(String v) {
            id = requireText(v, "node id");
            return this;
        }

        public Builder version(String v) {
            version = requireText(v, "version");
            return this;
        }

        public Builder channelRules(ChannelRules v) {
            channelRules = Objects.requireNonNull(v);
            return this;
        }

        public Builder allowAnonymous(boolean v) {
            allowAnonymous = v;
            return this;
        }

        public Builder pingInterval(Duration v) {
            pingInterval = positive(v, "ping_interval");
            return this;
        }

        public Builder pongTimeout(Duration v) {
            pongTimeout = positive(v, "pong_timeout");
            return this;
        }

        public Builder clientQueueMaxBytes(int v) {
            clientQueueMaxBytes = positive(v, "client_queue_max_size");
            return this;
        }

        public Builder clientChannelLimit(int v) {
            clientChannelLimit = positive(v, "client_channel_limit");
            return this;
        }

        public Builder userConnectionLimit(int v) {
            userConnectionLimit = nonNegative(v, "user_connection_limit");
            return this;
        }

        public Builder connectTimeout(Duration v) {
            connectTimeout = positive(v, "connect_timeout");
            return this;
        }

        public Builder commandRateLimit(int v) {
            commandRateLimit = nonNegative(v, "command_rate_limit");
            return this;
        }

        public Builder commandBurst(int v) {
            commandBurst = positive(v, "command_burst");
            return this;
        }

        public Builder maxPendingCommands(int v) {
            maxPendingCommands = positive(v, "max_pending_commands");
            return this;
        }

        public Builder expiredCheckInterval(Duration v) {
            expiredCheckInterval = positive(v, "expired_check_interval");
            return this;
        }

        public Builder clientExpiredCloseDelay(Duration v) {
            clientExpiredCloseDelay = nonNegative(v, "client_expired_close_delay");
            return this;
        }

        public Builder presenceUpdateInterval(Duration v) {
            presenceUpdateInterval = positive(v, "presence_update_interval");
            return this;
        }

        public Builder presenceTtl(Duration v) {
            presenceTtl = positive(v, "presence_ttl");
            return this;
        }

        public Builder serverSideChannels(List<String> v) {
            serverSideChannels = List.copyOf(v);
            return this;
        }

        public Builder heartbeatInterval(Duration v) {
            heartbeatInterval = positive(v, "heartbeat_interval");
            return this;
        }

        public Builder maxPendingInvocations(int v) {
            maxPendingInvocations = positive(v, "max_pending_invocations");
            return this;
        }

        public Builder maxPublicationSize(int v) {
            maxPublicationSize = positive(v, "max_publication_size");
            return this;
        }

        public Builder historyMaxPublicationLimit(int v) {
            historyMaxPublicationLimit = positive(v, "history_max_publication_limit");
            return this;
        }

        /**
         * Builds the options.
         *
         * @throws InvalidOptionException naming the option, when the pong timeout is not shorter than the ping interval,
         *     or a publication of the largest size could not fit a client's queue
         */
        public NodeOptions build() {
            if (maxPublicationSize >= clientQueueMaxBytes) {
                throw new InvalidOptionException(
                        "max_publication_size",
                        "(" + maxPublicationSize
                                + ") must be smaller than client_queue_max_size (" + clientQueueMaxBytes
                                + "), or subscribers would be disconnected as slow for every such publication");
            }
            if (pongTimeout.compareTo(pingInterval) >= 0) {
                throw new InvalidOptionException(
                        "pong_timeout",
                        "(" + pongTimeout + ") must be shorter than ping_interval (" + pingInterval + ")");
            }
            if (presenceTtl.compareTo(presenceUpdateInterval) <= 0) {
                throw new InvalidOptionException("presence_ttl", "must be longer than presence_update_interval");
            }
            return new NodeOptions(this);
        }

        private static String requireText(String v, String what) {
            if (v == null || v.isBlank()) {
                throw new InvalidOptionException(what, "must not be empty");
            }
            return v;
        }

        private static Duration positive(Duration v, String key) {
            if (v == null || v.isZero() || v.isNegative()) {
                throw new InvalidOptionException(key, "must be > 0");
            }
            return v;
        }

        private static Duration nonNegative(Duration v, String key) {
            if (v == null || v.isNegative()) {
                throw new InvalidOptionException(key, "must be >= 0");
            }
            return v;
        }

        private static int positive(int v, String key) {
            if (v <= 0) {
                throw new InvalidOptionException(key, "must be > 0, got " + v);
            }
            return v;
        }

        private static int nonNegative(int v, String key) {
            if (v < 0) {
                throw new InvalidOptionException(key, "must be >= 0, got " + v);
            }
            return v;
        }
    }
}

package dev.switchboard.transport.config;

import dev.switchboard.core.node.NodeOptions;
import java.time.Duration;
import java.util.List;

/**
 * Per-connection keepalive and limits: the {@code client} section.
 *
 * <p>Defaults are those of {@link NodeOptions} so the config file and the embedded API agree.
 *
 * <pre>{@code
 * ClientConfig client = ClientConfig.builder()
 *     .pingInterval(Duration.ofSeconds(20)).pongTimeout(Duration.ofSeconds(5))
 *     .userConnectionLimit(10)
 *     .build();
 * }</pre>
 */
public final class ClientConfig {

    /** Default {@code client.ping_interval}: the server pings each client this often. */
    public static final Duration DEFAULT_PING_INTERVAL = NodeOptions.DEFAULT_PING_INTERVAL;
    /** Default {@code client.pong_timeout}: no pong within this after a ping disconnects the client (3012). */
    public static final Duration DEFAULT_PONG_TIMEOUT = NodeOptions.DEFAULT_PONG_TIMEOUT;
    /** Default {@code client.queue_max_bytes}: a client with more unsent bytes is disconnected as slow (3008). */
    public static final int DEFAULT_QUEUE_MAX_BYTES = NodeOptions.DEFAULT_CLIENT_QUEUE_MAX_BYTES;
    /** Default {@code client.channel_limit}: most channels one connection may subscribe to. */
    public static final int DEFAULT_CHANNEL_LIMIT = NodeOptions.DEFAULT_CLIENT_CHANNEL_LIMIT;
    /** Default {@code client.user_connection_limit}: {@code 0}, no limit on one user's connections per node. */
    public static final int DEFAULT_USER_CONNECTION_LIMIT = NodeOptions.DEFAULT_USER_CONNECTION_LIMIT;
    /** Default {@code client.connect_timeout}: a socket that sends no connect command within this is closed. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = NodeOptions.DEFAULT_CONNECT_TIMEOUT;
    /** Default {@code client.command_rate_limit}: commands per second per connection, {@code 0} for no limit. */
    public static final int DEFAULT_COMMAND_RATE_LIMIT = NodeOptions.DEFAULT_COMMAND_RATE_LIMIT;
    /** Default {@code client.command_burst}: commands a client may send at once above the rate. */
    public static final int DEFAULT_COMMAND_BURST = NodeOptions.DEFAULT_COMMAND_BURST;
    /** Default {@code client.max_pending_commands}: unanswered commands one connection may have in flight. */
    public static final int DEFAULT_MAX_PENDING_COMMANDS = NodeOptions.DEFAULT_MAX_PENDING_COMMANDS;
    /** Default {@code client.expired_close_delay}: grace after token expiry before disconnect (3005). */
    public static final Duration DEFAULT_EXPIRED_CLOSE_DELAY = NodeOptions.DEFAULT_CLIENT_EXPIRED_CLOSE_DELAY;
    /** Default {@code client.max_message_size}: largest WebSocket frame accepted from a client, in bytes. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 65_536;

    private static final ClientConfig DEFAULTS = builder().build();

    private final Duration pingInterval;
    private final Duration pongTimeout;
    private final int queueMaxBytes;
    private final int channelLimit;
    private final int userConnectionLimit;
    private final Duration connectTimeout;
    private final int commandRateLimit;
    private final int commandBurst;
    private final int maxPendingCommands;
    private final Duration expiredCloseDelay;
    private final int maxMessageSize;
    private final List<String> subscribeToChannels;

    private ClientConfig(Builder b) {
        pingInterval = b.pingInterval;
        pongTimeout = b.pongTimeout;
        queueMaxBytes = b.queueMaxBytes;
        channelLimit = b.channelLimit;
        userConnectionLimit = b.userConnectionLimit;
        connectTimeout = b.connectTimeout;
        commandRateLimit = b.commandRateLimit;
        commandBurst = b.commandBurst;
        maxPendingCommands = b.maxPendingCommands;
        expiredCloseDelay = b.expiredCloseDelay;
        maxMessageSize = b.maxMessageSize;
        subscribeToChannels = b.subscribeToChannels;
    }

    /** Every default. */
    public static ClientConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@code client.ping_interval}. */
    public Duration pingInterval() { return pingInterval; }
    /** {@code client.pong_timeout}; shorter than the ping interval. */
    public Duration pongTimeout() { return pongTimeout; }
    /** {@code client.queue_max_bytes}. */
    public int queueMaxBytes() { return queueMaxBytes; }
    /** {@code client.channel_limit}. */
    public int channelLimit() { return channelLimit; }
    /** {@code client.user_connection_limit}; {@code 0} means no limit. */
    public int userConnectionLimit() { return userConnectionLimit; }
    /** {@code client.connect_timeout}. */
    public Duration connectTimeout() { return connectTimeout; }
    /** {@code client.command_rate_limit}; {@code 0} means no limit. */
    public int commandRateLimit() { return commandRateLimit; }
    /** {@code client.command_burst}. */
    public int commandBurst() { return commandBurst; }
    /** {@code client.max_pending_commands}. */
    public int maxPendingCommands() { return maxPendingCommands; }
    /** {@code client.expired_close_delay}. */
    public Duration expiredCloseDelay() { return expiredCloseDelay; }
    /** {@code client.max_message_size}: WebSocket frame limit in bytes; larger frames close the connection. */
    public int maxMessageSize() { return maxMessageSize; }
    /** {@code client.subscribe_to_channels}: channels every connection is subscribed to on connect. */
    public List<String> subscribeToChannels() { return subscribeToChannels; }

    @Override
    public String toString() {
        return "ClientConfig{pingInterval=" + Durations.format(pingInterval) + ", pongTimeout=" + Durations.format(pongTimeout)
            + ", queueMaxBytes=" + queueMaxBytes + ", channelLimit=" + channelLimit + ", userConnectionLimit="
            + userConnectionLimit + ", maxMessageSize=" + maxMessageSize + ", subscribeToChannels=" + subscribeToChannels + '}';
    }

    /** Builder of {@link ClientConfig}; every field starts at its default. */
    public static final class Builder {
        private Duration pingInterval = DEFAULT_PING_INTERVAL;
        private Duration pongTimeout = DEFAULT_PONG_TIMEOUT;
        private int queueMaxBytes = DEFAULT_QUEUE_MAX_BYTES;
        private int channelLimit = DEFAULT_CHANNEL_LIMIT;
        private int userConnectionLimit = DEFAULT_USER_CONNECTION_LIMIT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int commandRateLimit = DEFAULT_COMMAND_RATE_LIMIT;
        private int commandBurst = DEFAULT_COMMAND_BURST;
        private int maxPendingCommands = DEFAULT_MAX_PENDING_COMMANDS;
        private Duration expiredCloseDelay = DEFAULT_EXPIRED_CLOSE_DELAY;
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private List<String> subscribeToChannels = List.of();

        private Builder() {
        }

        private Builder(ClientConfig c) {
            pingInterval = c.pingInterval;
            pongTimeout = c.pongTimeout;
            queueMaxBytes = c.queueMaxBytes;
            channelLimit = c.channelLimit;
            userConnectionLimit = c.userConnectionLimit;
            connectTimeout = c.connectTimeout;
            commandRateLimit = c.commandRateLimit;
            commandBurst = c.commandBurst;
            maxPendingCommands = c.maxPendingCommands;
            expiredCloseDelay = c.expiredCloseDelay;
            maxMessageSize = c.maxMessageSize;
            subscribeToChannels = c.subscribeToChannels;
        }

        public Builder pingInterval(Duration v) { pingInterval = Check.positive("client.ping_interval", v); return this; }
        public Builder pongTimeout(Duration v) { pongTimeout = Check.positive("client.pong_timeout", v); return this; }
        public Builder queueMaxBytes(int v) { queueMaxBytes = Check.atLeast("client.queue_max_bytes", v, 1); return this; }
        public Builder channelLimit(int v) { channelLimit = Check.atLeast("client.channel_limit", v, 1); return this; }
        public Builder userConnectionLimit(int v) {
            userConnectionLimit = Check.atLeast("client.user_connection_limit", v, 0);
            return this;
        }
        public Builder connectTimeout(Duration v) { connectTimeout = Check.positive("client.connect_timeout", v); return this; }
        public Builder commandRateLimit(int v) { commandRateLimit = Check.atLeast("client.command_rate_limit", v, 0); return this; }
        public Builder commandBurst(int v) { commandBurst = Check.atLeast("client.command_burst", v, 1); return this; }
        public Builder maxPendingCommands(int v) {
            maxPendingCommands = Check.atLeast("client.max_pending_commands", v, 1);
            return this;
        }
        public Builder expiredCloseDelay(Duration v) {
            expiredCloseDelay = Check.nonNegative("client.expired_close_delay", v);
            return this;
        }
        /** Frames below 1 KiB could not even carry a connect command with a token. */
        public Builder maxMessageSize(int v) { maxMessageSize = Check.atLeast("client.max_message_size", v, 1024); return this; }
        public Builder subscribeToChannels(List<String> v) {
            for (int i = 0; i < v.size(); i++) {
                Check.requiredText("client.subscribe_to_channels[" + i + "]", v.get(i));
            }
            subscribeToChannels = List.copyOf(v);
            return this;
        }

        /**
         * Builds the section.
         *
         * @throws ConfigException when {@code pong_timeout} is not shorter than {@code ping_interval}
         */
        public ClientConfig build() {
            if (pongTimeout.compareTo(pingInterval) >= 0) {
                throw new ConfigException("client.pong_timeout", "must be shorter than client.ping_interval ("
                    + Durations.format(pingInterval) + "), got " + Durations.format(pongTimeout));
            }
            return new ClientConfig(this);
        }
    }
}

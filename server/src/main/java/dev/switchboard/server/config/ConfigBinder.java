package dev.switchboard.server.config;

import dev.switchboard.core.channel.ChannelOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the parsed config tree into a {@link ServerConfig}: refuses unknown keys, converts each
 * value and hands it to the builders, whose checks name the key.
 */
final class ConfigBinder {

    static final List<String> TOP_KEYS = List.of("port", "address", "node_name", "engine", "redis", "token", "api_key",
        "allow_anonymous_connect", "client", "channel", "presence", "http_api", "metrics", "health", "shutdown_timeout",
        "io_threads", "http");
    static final List<String> REDIS_KEYS = List.of("url", "prefix");
    static final List<String> TOKEN_KEYS = List.of("hmac_secret", "rsa_public_key", "ecdsa_public_key", "jwks_file",
        "audience", "issuer");
    static final List<String> CLIENT_KEYS = List.of("ping_interval", "pong_timeout", "queue_max_bytes", "channel_limit",
        "user_connection_limit", "connect_timeout", "command_rate_limit", "command_burst", "max_pending_commands",
        "expired_close_delay", "max_message_size", "subscribe_to_channels");
    /** Every {@link ChannelOptions} field, in snake_case, as written under {@code channel} and in each namespace. */
    static final List<String> CHANNEL_OPTION_KEYS = List.of("history_size", "history_ttl", "history_meta_ttl",
        "force_recovery", "allow_recovery", "force_positioning", "allow_positioning", "recovery_max_publication_limit",
        "presence", "join_leave", "force_push_join_leave", "allow_publish_for_subscriber", "allow_publish_for_client",
        "allow_subscribe_for_client", "allow_subscribe_for_anonymous", "allow_presence_for_subscriber",
        "allow_presence_for_client", "allow_history_for_subscriber", "allow_history_for_client",
        "allow_user_limited_channels");
    static final List<String> CHANNEL_KEYS = concat(List.of("max_length", "pattern", "max_publication_size",
        "history_max_publication_limit", "namespaces"), CHANNEL_OPTION_KEYS);
    static final List<String> NAMESPACE_KEYS = concat(List.of("name"), CHANNEL_OPTION_KEYS);
    static final List<String> PRESENCE_KEYS = List.of("ttl", "update_interval");
    static final List<String> ENABLED_KEYS = List.of("enabled");
    static final List<String> HTTP_KEYS = List.of("header_timeout", "body_timeout", "idle_timeout",
        "max_connections_per_ip", "max_body_size");

    private ConfigBinder() {
    }

    static ServerConfig bind(YamlSection root) {
        root.allowOnly(Set.copyOf(TOP_KEYS));
        ServerConfig.Builder b = ServerConfig.builder();
        root.integer("port", b::port);
        root.text("address", b::address);
        root.text("node_name", b::nodeName);
        if (root.has("engine")) {
            root.text("engine", v -> {
                try {
                    b.engine(Engine.fromConfigName(v));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(root.key("engine"), e.getMessage());
                }
            });
        }
        YamlSection redis = root.section("redis");
        if (redis != null) {
            redis.allowOnly(Set.copyOf(REDIS_KEYS));
            redis.text("url", b::redisUrl);
            redis.text("prefix", b::redisPrefix);
        }
        YamlSection token = root.section("token");
        if (token != null) {
            b.token(bindToken(token));
        }
        root.text("api_key", b::apiKey);
        root.bool("allow_anonymous_connect", b::allowAnonymousConnect);
        YamlSection client = root.section("client");
        if (client != null) {
            b.client(bindClient(client));
        }
        YamlSection channel = root.section("channel");
        if (channel != null) {
            b.channel(bindChannel(channel));
        }
        YamlSection presence = root.section("presence");
        if (presence != null) {
            presence.allowOnly(Set.copyOf(PRESENCE_KEYS));
            presence.duration("ttl", b::presenceTtl);
            presence.duration("update_interval", b::presenceUpdateInterval);
        }
        enabled(root, "http_api", b::httpApiEnabled);
        enabled(root, "metrics", b::metricsEnabled);
        enabled(root, "health", b::healthEnabled);
        root.duration("shutdown_timeout", b::shutdownTimeout);
        root.integer("io_threads", b::ioThreads);
        YamlSection http = root.section("http");
        if (http != null) {
            b.http(bindHttp(http));
        }
        return b.build();
    }

    private static void enabled(YamlSection root, String name, java.util.function.Consumer<Boolean> setter) {
        YamlSection s = root.section(name);
        if (s != null) {
            s.allowOnly(Set.copyOf(ENABLED_KEYS));
            s.bool("enabled", setter);
        }
    }

    private static TokenConfig bindToken(YamlSection s) {
        s.allowOnly(Set.copyOf(TOKEN_KEYS));
        TokenConfig.Builder b = TokenConfig.builder();
        s.text("hmac_secret", b::hmacSecret);
        s.text("rsa_public_key", b::rsaPublicKey);
        s.text("ecdsa_public_key", b::ecdsaPublicKey);
        s.text("jwks_file", b::jwksFile);
        s.text("audience", b::audience);
        s.text("issuer", b::issuer);
        return b.build();
    }

    private static ClientConfig bindClient(YamlSection s) {
        s.allowOnly(Set.copyOf(CLIENT_KEYS));
        ClientConfig.Builder b = ClientConfig.builder();
        s.duration("ping_interval", b::pingInterval);
        s.duration("pong_timeout", b::pongTimeout);
        s.bytes("queue_max_bytes", b::queueMaxBytes);
        s.integer("channel_limit", b::channelLimit);
        s.integer("user_connection_limit", b::userConnectionLimit);
        s.duration("connect_timeout", b::connectTimeout);
        s.integer("command_rate_limit", b::commandRateLimit);
        s.integer("command_burst", b::commandBurst);
        s.integer("max_pending_commands", b::maxPendingCommands);
        s.duration("expired_close_delay", b::expiredCloseDelay);
        s.bytes("max_message_size", b::maxMessageSize);
        s.strings("subscribe_to_channels", b::subscribeToChannels);
        return b.build();
    }

    private static HttpConfig bindHttp(YamlSection s) {
        s.allowOnly(Set.copyOf(HTTP_KEYS));
        HttpConfig.Builder b = HttpConfig.builder();
        s.duration("header_timeout", b::headerTimeout);
        s.duration("body_timeout", b::bodyTimeout);
        s.duration("idle_timeout", b::idleTimeout);
        s.integer("max_connections_per_ip", b::maxConnectionsPerIp);
        s.bytes("max_body_size", b::maxBodySize);
        return b.build();
    }

    private static ChannelConfig bindChannel(YamlSection s) {
        s.allowOnly(Set.copyOf(CHANNEL_KEYS));
        ChannelConfig.Builder b = ChannelConfig.builder();
        s.integer("max_length", b::maxLength);
        s.text("pattern", b::pattern);
        s.bytes("max_publication_size", b::maxPublicationSize);
        s.integer("history_max_publication_limit", b::historyMaxPublicationLimit);
        b.defaultOptions(bindOptions(s));
        for (YamlSection ns : s.sections("namespaces")) {
            ns.allowOnly(Set.copyOf(NAMESPACE_KEYS));
            if (!ns.has("name")) {
                throw new ConfigException(ns.key("name"), "is required");
            }
            String[] name = new String[1];
            ns.text("name", v -> name[0] = v);
            b.namespace(name[0], bindOptions(ns));
        }
        return b.build();
    }

    /** Reads the channel option keys of one section (the default namespace or one namespace). */
    private static ChannelOptions bindOptions(YamlSection s) {
        ChannelOptions.Builder b = ChannelOptions.builder();
        int historySize = s.has("history_size") ? s.intValue("history_size") : ChannelOptions.DEFAULT_HISTORY_SIZE;
        Duration historyTtl = s.has("history_ttl") ? s.durationValue("history_ttl") : ChannelOptions.DEFAULT_HISTORY_TTL;
        core(s, "history_size", () -> b.historySize(historySize));
        core(s, "history_ttl", () -> b.historyTtl(historyTtl));
        s.duration("history_meta_ttl", v -> core(s, "history_meta_ttl", () -> b.historyMetaTtl(v)));
        s.integer("recovery_max_publication_limit",
            v -> core(s, "recovery_max_publication_limit", () -> b.recoveryMaxPublicationLimit(v)));
        // Checked here rather than left to the core builder so the message names the offending key.
        boolean history = historySize > 0 && !historyTtl.isZero();
        for (String recovery : List.of("force_recovery", "allow_recovery")) {
            if (!history && s.has(recovery) && s.boolValue(recovery)) {
                throw new ConfigException(s.key(recovery), "needs history: set history_size > 0 and history_ttl > 0"
                    + " in " + (s.path().isEmpty() ? "the same section" : s.path()));
            }
        }
        s.bool("force_recovery", b::forceRecovery);
        s.bool("allow_recovery", b::allowRecovery);
        s.bool("force_positioning", b::forcePositioning);
        s.bool("allow_positioning", b::allowPositioning);
        s.bool("presence", b::presence);
        s.bool("join_leave", b::joinLeave);
        s.bool("force_push_join_leave", b::forcePushJoinLeave);
        s.bool("allow_publish_for_subscriber", b::allowPublishForSubscriber);
        s.bool("allow_publish_for_client", b::allowPublishForClient);
        s.bool("allow_subscribe_for_client", b::allowSubscribeForClient);
        s.bool("allow_subscribe_for_anonymous", b::allowSubscribeForAnonymous);
        s.bool("allow_presence_for_subscriber", b::allowPresenceForSubscriber);
        s.bool("allow_presence_for_client", b::allowPresenceForClient);
        s.bool("allow_history_for_subscriber", b::allowHistoryForSubscriber);
        s.bool("allow_history_for_client", b::allowHistoryForClient);
        s.bool("allow_user_limited_channels", b::allowUserLimitedChannels);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(s.path(), e.getMessage(), e);
        }
    }

    private static void core(YamlSection s, String name, Runnable setter) {
        try {
            setter.run();
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            // The core prefixes its messages with the key ("history_size must be >= 0"); keep only the problem.
            throw new ConfigException(s.key(name), msg.startsWith(name + " ") ? msg.substring(name.length() + 1) : msg, e);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(new LinkedHashSet<>(out));
    }
}

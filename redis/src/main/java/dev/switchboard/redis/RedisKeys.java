package dev.switchboard.redis;

import java.nio.charset.StandardCharsets;

/**
 * Names of the engine's Redis keys and pub/sub channels. Every key of one channel carries the
 * channel in a hash tag ({@code {news}}) so a channel's keys share a Redis Cluster slot and one
 * Lua script may touch them all.
 */
public final class RedisKeys {

    private final String prefix;

    public RedisKeys(String prefix) {
        this.prefix = prefix;
    }

    private byte[] key(String kind, String channel) {
        return (prefix + ':' + kind + ":{" + channel + '}').getBytes(StandardCharsets.UTF_8);
    }

    /** The channel's publication stream (a Redis stream, entry ids {@code <offset>-1}). */
    public byte[] stream(String channel) {
        return key("stream", channel);
    }

    /** The channel's stream meta: a hash with the epoch {@code e} and the top offset {@code s}. */
    public byte[] meta(String channel) {
        return key("meta", channel);
    }

    /** An idempotency key's remembered result. */
    public byte[] idempotency(String channel, String idempotencyKey) {
        return (prefix + ":idem:{" + channel + "}:" + idempotencyKey).getBytes(StandardCharsets.UTF_8);
    }

    /** The channel's presence entries: a hash client id to client info. */
    public byte[] presence(String channel) {
        return key("presence", channel);
    }

    /** The channel's presence expiries: a sorted set client id scored by expiry (ms). */
    public byte[] presenceExpiry(String channel) {
        return key("presence-exp", channel);
    }

    /** The pub/sub channel carrying the channel's publications, joins and leaves. */
    public byte[] pubSub(String channel) {
        return key("ch", channel);
    }

    /** The channel name inside a pub/sub channel name, or {@code null} if it is not one. */
    public String channelOf(byte[] pubSubChannel) {
        String s = new String(pubSubChannel, StandardCharsets.UTF_8);
        String head = prefix + ":ch:{";
        if (!s.startsWith(head) || !s.endsWith("}")) {
            return null;
        }
        return s.substring(head.length(), s.length() - 1);
    }

    /** Control messages for every node. */
    public byte[] control() {
        return (prefix + ":control").getBytes(StandardCharsets.UTF_8);
    }

    /** Routing keys whose connections changed, published by the connection registry's scripts. */
    public byte[] connectionChanges() {
        return (prefix + ":conns-changed").getBytes(StandardCharsets.UTF_8);
    }

    /** A node's own pub/sub channel (probes, and messages addressed to that node). */
    public byte[] node(String nodeId) {
        return (prefix + ":node:" + nodeId).getBytes(StandardCharsets.UTF_8);
    }

    /** The registry hash: node id to node info JSON. */
    public byte[] nodes() {
        return (prefix + ":nodes").getBytes(StandardCharsets.UTF_8);
    }

    /** The registry's liveness: node id scored by last heartbeat (Redis server time, ms). */
    public byte[] nodesAlive() {
        return (prefix + ":nodes-alive").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The stream of lifecycle events waiting for the backend (written by the registry scripts
     * under this exact name, {@code <prefix>:events}).
     */
    public byte[] events() {
        return (prefix + ":events").getBytes(StandardCharsets.UTF_8);
    }
}

package dev.switchboard.redis;

import java.nio.charset.StandardCharsets;

/**
 * Names of the engine's Redis keys and pub/sub channels. Every key of one channel carries the
 * channel in a hash tag ({@code {news}}) so a channel's keys share a Redis Cluster slot and one
 * Lua script may touch them all.
 *
 * <p>On a Redis Cluster the registries (nodes, connections and their indexes, lifecycle events)
 * and the pub/sub channels every node listens to (control, routing-key changes) share one more
 * hash tag, the prefix ({@code sb:{sb}:conns}), so that one script can update a connection and all
 * its indexes atomically; the cost, one shard serving every registry write, is written down in
 * docs/scaling.md. A node's own channel is tagged with the node id, so messages to one node cross
 * only the shard of that id. Outside a cluster the names carry no extra tag, as before.
 */
public final class RedisKeys {

    private final String prefix;
    private final String registry;
    private final boolean cluster;

    /** Names for a standalone or Sentinel-managed Redis. */
    public RedisKeys(String prefix) {
        this(prefix, false);
    }

    /** Names for a Redis Cluster when {@code cluster}, else as {@link #RedisKeys(String)}. */
    public RedisKeys(String prefix, boolean cluster) {
        this.prefix = prefix;
        this.cluster = cluster;
        this.registry = cluster ? prefix + ":{" + prefix + "}" : prefix;
    }

    /** Whether the names are placed for a Redis Cluster. */
    public boolean cluster() {
        return cluster;
    }

    /**
     * The prefix of every registry key and registry-wide pub/sub channel, passed to the registry
     * scripts, which build their keys from it ({@code <registry>:conns}).
     */
    public String registryPrefix() {
        return registry;
    }

    /**
     * The command that publishes to this engine's pub/sub channels, for scripts: {@code spublish}
     * on a cluster (sharded pub/sub: a message crosses only its channel's shard), else {@code publish}.
     */
    public String publishCommand() {
        return cluster ? "spublish" : "publish";
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
        return (registry + ":control").getBytes(StandardCharsets.UTF_8);
    }

    /** Routing keys whose connections changed, published by the connection registry's scripts. */
    public byte[] connectionChanges() {
        return (registry + ":conns-changed").getBytes(StandardCharsets.UTF_8);
    }

    /** A node's own pub/sub channel (probes, and messages addressed to that node). */
    public byte[] node(String nodeId) {
        String name = cluster ? prefix + ":node:{" + nodeId + "}" : prefix + ":node:" + nodeId;
        return name.getBytes(StandardCharsets.UTF_8);
    }

    /** The hash of every connection: client id to entry JSON (the registry scripts' first key). */
    public byte[] connections() {
        return (registry + ":conns").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A pub/sub channel for probing one shard's subscription connection: {@code tag} is chosen so
     * that the channel's slot belongs to that shard.
     */
    public byte[] probe(String tag) {
        return (prefix + ":probe:{" + tag + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** The registry hash: node id to node info JSON. */
    public byte[] nodes() {
        return (registry + ":nodes").getBytes(StandardCharsets.UTF_8);
    }

    /** The registry's liveness: node id scored by last heartbeat (Redis server time, ms). */
    public byte[] nodesAlive() {
        return (registry + ":nodes-alive").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The stream of lifecycle events waiting for the backend (written by the registry scripts
     * under this exact name, {@code <registry prefix>:events}).
     */
    public byte[] events() {
        return (registry + ":events").getBytes(StandardCharsets.UTF_8);
    }
}

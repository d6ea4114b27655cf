package dev.switchboard.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.engine.NodeInfo;
import dev.switchboard.core.engine.NodeRegistry;
import dev.switchboard.core.protocol.ProtocolCodec;
import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's nodes in Redis: a hash ({@link RedisKeys#nodes}: node id to NodeInfo JSON) and a
 * sorted set ({@link RedisKeys#nodesAlive}: node id scored by its last heartbeat). Heartbeat and
 * listing are one Lua script each, timed by the Redis server clock, and both evict nodes whose
 * last heartbeat is older than {@link RedisEngineOptions#nodeTimeout()}.
 *
 * <p><b>Bound for a dead node.</b> A node that stops heartbeating is absent from
 * {@link #nodes()} once its last heartbeat is more than {@code nodeTimeout} old (default 2.5 s,
 * {@link RedisEngineOptions#DEFAULT_NODE_TIMEOUT}), on the Redis clock; {@link #leave} removes it
 * at once. Every failure completes the future with a temporary
 * {@link RedisConnections#toProtocolError ProtocolError} within the command timeout.
 *
 * <p>NodeInfo JSON: {@code {"id","name","version","address","num_clients","num_users","num_subs",
 * "num_channels","uptime"}}.
 *
 * <pre>{@code
 * NodeRegistry registry = new RedisNodeRegistry(connections);
 * registry.heartbeat(node.info()).join();          // every heartbeat interval
 * List<NodeInfo> live = registry.nodes().join();
 * registry.leave(node.id()).join();                // on graceful shutdown
 * }</pre>
 */
public final class RedisNodeRegistry implements NodeRegistry {

    private static final Logger log = LoggerFactory.getLogger(RedisNodeRegistry.class);

    private static final LuaScript NODES = LuaScript.load("nodes.lua");
    private static final byte[] NONE = new byte[0];

    private final RedisConnections redis;
    private final RedisKeys keys;
    private final byte[] timeoutMillis;
    private final byte[] maxEventBacklog;
    private final byte[] registryPrefix;
    private final byte[] publishCommand;

    /** A registry on the engine's shared connection; the connections stay owned by the caller. */
    public RedisNodeRegistry(RedisConnections redis) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.keys = redis.keys();
        this.timeoutMillis =
                Long.toString(redis.options().nodeTimeout().toMillis()).getBytes(StandardCharsets.US_ASCII);
        this.maxEventBacklog = utf8(Integer.toString(redis.options().maxEventBacklog()));
        this.registryPrefix = utf8(keys.registryPrefix());
        this.publishCommand = utf8(keys.publishCommand());
    }

    @Override
    public CompletableFuture<Boolean> heartbeat(NodeInfo info) {
        byte[] json = encode(info);
        CompletableFuture<Long> f = RedisConnections.call(() -> NODES.run(
                redis.async(),
                ScriptOutputType.INTEGER,
                registryKeys(),
                timeoutMillis,
                registryPrefix,
                utf8("beat"),
                utf8(info.id()),
                json,
                maxEventBacklog,
                publishCommand));
        return f.thenApply(joined -> joined == 1);
    }

    @Override
    public CompletableFuture<List<NodeInfo>> nodes() {
        CompletableFuture<List<Object>> f = RedisConnections.call(() -> NODES.run(
                redis.async(),
                ScriptOutputType.MULTI,
                registryKeys(),
                timeoutMillis,
                registryPrefix,
                utf8("list"),
                NONE,
                NONE,
                maxEventBacklog,
                publishCommand));
        return f.thenApply(RedisNodeRegistry::decodeAll);
    }

    @Override
    public CompletableFuture<Void> leave(String nodeId) {
        byte[] id = utf8(nodeId);
        // Two commands, not a script: should the second fail, the listing skips a liveness entry
        // without info and the next heartbeat of any node evicts it after the timeout.
        CompletableFuture<Long> info =
                RedisConnections.call(() -> redis.async().hdel(keys.nodes(), id).toCompletableFuture());
        CompletableFuture<Long> alive = RedisConnections.call(
                () -> redis.async().zrem(keys.nodesAlive(), id).toCompletableFuture());
        return CompletableFuture.allOf(info, alive);
    }

    @Override
    public void close() {
        // The connections belong to the RedisEngine, which closes them last.
    }

    private byte[][] registryKeys() {
        return new byte[][] {keys.nodes(), keys.nodesAlive()};
    }

    static byte[] encode(NodeInfo n) {
        ObjectNode o = ProtocolCodec.mapper().createObjectNode();
        o.put("id", n.id());
        o.put("name", n.name());
        o.put("version", n.version());
        o.put("address", n.address());
        o.put("num_clients", n.numClients());
        o.put("num_users", n.numUsers());
        o.put("num_subs", n.numSubs());
        o.put("num_channels", n.numChannels());
        o.put("uptime", n.uptimeSeconds());
        return ProtocolCodec.toBytes(o);
    }

    static NodeInfo decode(byte[] b) throws IOException {
        JsonNode o = ProtocolCodec.mapper().readTree(b);
        return new NodeInfo(
                o.path("id").asText(),
                o.path("name").asText(),
                o.path("version").asText(),
                o.path("address").asText(""),
                o.path("num_clients").asInt(),
                o.path("num_users").asInt(),
                o.path("num_subs").asInt(),
                o.path("num_channels").asInt(),
                o.path("uptime").asLong());
    }

    private static List<NodeInfo> decodeAll(List<Object> infos) {
        List<NodeInfo> out = new ArrayList<>(infos.size());
        for (Object o : infos) {
            if (o instanceof byte[] b) {
                try {
                    out.add(decode(b));
                } catch (IOException e) {
                    // One corrupt entry (say, written by a newer version) must not hide the cluster.
                    log.warn("skipping unreadable node info: {}", e.toString());
                }
            }
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

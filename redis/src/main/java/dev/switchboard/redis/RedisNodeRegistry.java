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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The cluster's nodes in Redis: a hash of node infos and a sorted set of last heartbeats (Redis
 * time). A node whose last heartbeat is older than {@link RedisEngineOptions#nodeTimeout()}
 * is evicted on the next heartbeat or listing of any node.
 *
 * <pre>{@code
 * NodeRegistry registry = new RedisNodeRegistry(connections);
 * registry.heartbeat(node.info());
 * }</pre>
 */
public final class RedisNodeRegistry implements NodeRegistry {

    private static final LuaScript HEARTBEAT = LuaScript.load("node_heartbeat.lua");
    private static final LuaScript LIST = LuaScript.load("node_list.lua");

    private final RedisConnections redis;
    private final RedisKeys keys;
    private final byte[] timeoutMillis;

    public RedisNodeRegistry(RedisConnections redis) {
        this.redis = redis;
        this.keys = new RedisKeys(redis.options().prefix());
        this.timeoutMillis = Long.toString(redis.options().nodeTimeout().toMillis()).getBytes(StandardCharsets.US_ASCII);
    }

    private static <T> T rethrow(Throwable e) {
        throw new CompletionException(RedisConnections.toProtocolError(e));
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
        return new NodeInfo(o.path("id").asText(), o.path("name").asText(), o.path("version").asText(),
            o.path("address").asText(""), o.path("num_clients").asInt(), o.path("num_users").asInt(),
            o.path("num_subs").asInt(), o.path("num_channels").asInt(), o.path("uptime").asLong());
    }

    @Override
    public CompletableFuture<Void> heartbeat(NodeInfo info) {
        CompletableFuture<Long> f = HEARTBEAT.run(redis.async(), ScriptOutputType.INTEGER,
            new byte[][] {keys.nodes(), keys.nodesAlive()},
            info.id().getBytes(StandardCharsets.UTF_8), encode(info), timeoutMillis);
        return f.handle((r, e) -> e != null ? rethrow(e) : null);
    }

    @Override
    public CompletableFuture<List<NodeInfo>> nodes() {
        CompletableFuture<List<Object>> f = LIST.run(redis.async(), ScriptOutputType.MULTI,
            new byte[][] {keys.nodes(), keys.nodesAlive()}, timeoutMillis);
        return f.handle((list, e) -> {
            if (e != null) {
                return rethrow(e);
            }
            List<NodeInfo> out = new ArrayList<>(list.size());
            for (Object o : list) {
                if (o instanceof byte[] b) {
                    try {
                        out.add(decode(b));
                    } catch (IOException ex) {
                        // skip an unreadable entry
                    }
                }
            }
            return out;
        });
    }

    @Override
    public CompletableFuture<Void> leave(String nodeId) {
        byte[] id = nodeId.getBytes(StandardCharsets.UTF_8);
        CompletableFuture<Long> a = redis.async().hdel(keys.nodes(), id).toCompletableFuture();
        CompletableFuture<Long> b = redis.async().zrem(keys.nodesAlive(), id).toCompletableFuture();
        return CompletableFuture.allOf(a, b).handle((r, e) -> e != null ? rethrow(e) : null);
    }

    @Override
    public void close() {
        // The connections belong to the RedisEngine.
    }
}

package dev.switchboard.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.engine.ConnectionEntry;
import dev.switchboard.core.engine.ConnectionRegistry;
import dev.switchboard.core.engine.LifecycleEvent;
import dev.switchboard.core.protocol.ProtocolCodec;
import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The cluster's connections in Redis: a hash by client id, sorted sets by user and by routing
 * key (oldest first), and a set per node. When the node registry evicts a dead node its
 * connections are removed in the same script, so every node stops seeing them within the node
 * timeout.
 *
 * <pre>{@code
 * ConnectionRegistry connections = new RedisConnectionRegistry(redisConnections);
 * }</pre>
 */
public final class RedisConnectionRegistry implements ConnectionRegistry {

    private static final LuaScript ADD = LuaScript.load("conn_add.lua");
    private static final LuaScript REMOVE = LuaScript.load("conn_remove.lua");
    private static final LuaScript FIND = LuaScript.load("conn_find.lua");
    private static final byte[] NO_EVENT = new byte[0];

    private final RedisConnections redis;
    private final byte[] prefix;
    private final byte[][] connectionsKey;
    private final byte[] publishCommand;
    private final RoutingKeyCache routingKeys;
    private final byte[] maxEventBacklog;

    /** A registry that always asks Redis. */
    public RedisConnectionRegistry(RedisConnections redis) {
        this(redis, null);
    }

    /** A registry that routes through {@code routingKeys}, kept fresh by the node's broker. */
    RedisConnectionRegistry(RedisConnections redis, RoutingKeyCache routingKeys) {
        this.redis = redis;
        this.prefix = b(redis.keys().registryPrefix());
        this.connectionsKey = new byte[][] {redis.keys().connections()};
        this.publishCommand = b(redis.keys().publishCommand());
        this.routingKeys = routingKeys;
        this.maxEventBacklog = b(Integer.toString(redis.options().maxEventBacklog()));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T rethrow(Throwable e) {
        throw new CompletionException(RedisConnections.toProtocolError(e));
    }

    static byte[] encode(ConnectionEntry e) {
        return encode(e, false);
    }

    /** @param events whether the entry's removal or eviction queues its disconnected event */
    static byte[] encode(ConnectionEntry e, boolean events) {
        ObjectNode o = ProtocolCodec.mapper().createObjectNode();
        o.put("client", e.clientId());
        o.put("user", e.user());
        if (e.routingKey() != null) {
            o.put("key", e.routingKey());
        }
        o.put("node", e.nodeId());
        o.put("at", e.connectedAt());
        if (events) {
            o.put("ev", true);
        }
        return ProtocolCodec.toBytes(o);
    }

    static ConnectionEntry decode(byte[] b) throws IOException {
        JsonNode o = ProtocolCodec.mapper().readTree(b);
        return new ConnectionEntry(
                o.path("client").asText(),
                o.path("user").asText(""),
                o.hasNonNull("key") ? o.get("key").asText() : null,
                o.path("node").asText(),
                o.path("at").asLong());
    }

    @Override
    public CompletableFuture<Void> add(ConnectionEntry e) {
        return add(e, null);
    }

    /** Records the entry and, in the same script, queues its event in the {@link RedisEventQueue}'s stream. */
    @Override
    public CompletableFuture<Void> add(ConnectionEntry e, LifecycleEvent connected) {
        CompletableFuture<Long> f = ADD.run(
                redis.async(),
                ScriptOutputType.INTEGER,
                connectionsKey,
                prefix,
                b(e.clientId()),
                encode(e, connected != null),
                b(e.user()),
                b(e.routingKey() == null ? "" : e.routingKey()),
                b(e.nodeId()),
                b(Long.toString(e.connectedAt())),
                connected == null ? NO_EVENT : connected.toJson(),
                maxEventBacklog,
                publishCommand);
        return f.handle((r, err) -> err != null ? rethrow(err) : null);
    }

    @Override
    public CompletableFuture<Void> remove(ConnectionEntry e) {
        return remove(e, null);
    }

    @Override
    public CompletableFuture<Void> remove(ConnectionEntry e, LifecycleEvent disconnected) {
        CompletableFuture<Long> f = REMOVE.run(
                redis.async(),
                ScriptOutputType.INTEGER,
                connectionsKey,
                prefix,
                b(e.clientId()),
                b(e.user()),
                b(e.routingKey() == null ? "" : e.routingKey()),
                b(e.nodeId()),
                disconnected == null ? NO_EVENT : disconnected.toJson(),
                maxEventBacklog,
                publishCommand);
        return f.handle((r, err) -> err != null ? rethrow(err) : null);
    }

    @Override
    public CompletableFuture<Optional<ConnectionEntry>> byClient(String clientId) {
        return redis.async()
                .hget(connectionsKey[0], b(clientId))
                .toCompletableFuture()
                .handle((raw, err) -> {
                    if (err != null) {
                        return rethrow(err);
                    }
                    try {
                        return raw == null ? Optional.empty() : Optional.of(decode(raw));
                    } catch (IOException e) {
                        return Optional.empty();
                    }
                });
    }

    private CompletableFuture<List<ConnectionEntry>> find(String index, String value) {
        CompletableFuture<List<Object>> f =
                FIND.run(redis.async(), ScriptOutputType.MULTI, connectionsKey, prefix, b(index), b(value));
        return f.handle((list, err) -> {
            if (err != null) {
                return rethrow(err);
            }
            List<ConnectionEntry> out = new ArrayList<>(list.size());
            for (Object o : list) {
                try {
                    out.add(decode((byte[]) o));
                } catch (IOException e) {
                    // an unreadable entry is skipped
                }
            }
            out.sort(Comparator.comparingLong(ConnectionEntry::connectedAt));
            return out;
        });
    }

    @Override
    public CompletableFuture<List<ConnectionEntry>> byUser(String user) {
        return find("user", user);
    }

    @Override
    public CompletableFuture<List<ConnectionEntry>> byRoutingKey(String routingKey) {
        return find("key", routingKey);
    }

    @Override
    public CompletableFuture<List<ConnectionEntry>> routesByRoutingKey(String routingKey) {
        if (routingKeys == null) {
            return byRoutingKey(routingKey);
        }
        List<ConnectionEntry> cached = routingKeys.get(routingKey);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        long generation = routingKeys.generation();
        return byRoutingKey(routingKey).thenApply(list -> {
            routingKeys.put(routingKey, list, generation);
            return list;
        });
    }

    @Override
    public CompletableFuture<List<ConnectionEntry>> all() {
        return find("all", "");
    }

    @Override
    public void close() {
        // The connections belong to the RedisEngine.
    }
}

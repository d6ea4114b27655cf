package dev.switchboard.redis;

import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.PresenceManager;
import dev.switchboard.core.engine.PresenceStats;
import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Presence in Redis: per channel a hash of client infos and a sorted set of their expiries
 * (Redis time). Nodes refresh their clients' entries every presence update interval, so the
 * entries of a node that died vanish at most one presence TTL after its last refresh.
 *
 * <pre>{@code
 * PresenceManager presence = new RedisPresenceManager(connections);
 * }</pre>
 */
public final class RedisPresenceManager implements PresenceManager {

    private static final LuaScript ADD = LuaScript.load("presence_add.lua");
    private static final LuaScript GET = LuaScript.load("presence_get.lua");

    private final RedisConnections redis;
    private final RedisKeys keys;

    public RedisPresenceManager(RedisConnections redis) {
        this.redis = redis;
        this.keys = new RedisKeys(redis.options().prefix());
    }

    private static <T> T rethrow(Throwable e) {
        throw new CompletionException(RedisConnections.toProtocolError(e));
    }

    @Override
    public CompletableFuture<Map<String, ClientInfo>> presence(String channel) {
        CompletableFuture<List<Object>> f = GET.run(redis.async(), ScriptOutputType.MULTI,
            new byte[][] {keys.presence(channel), keys.presenceExpiry(channel)});
        return f.handle((flat, e) -> {
            if (e != null) {
                return rethrow(e);
            }
            Map<String, ClientInfo> out = new HashMap<>();
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                try {
                    out.put(new String((byte[]) flat.get(i), StandardCharsets.UTF_8),
                        PublicationCodec.decodeInfo((byte[]) flat.get(i + 1), 0));
                } catch (IOException ex) {
                    // An entry we cannot read is skipped rather than failing the whole answer.
                }
            }
            return out;
        });
    }

    @Override
    public CompletableFuture<PresenceStats> presenceStats(String channel) {
        return presence(channel).thenApply(m -> {
            Set<String> users = new HashSet<>();
            m.values().forEach(i -> users.add(i.user()));
            return new PresenceStats(m.size(), users.size());
        });
    }

    @Override
    public CompletableFuture<Void> addPresence(String channel, ClientInfo info, Duration ttl) {
        long seconds = Math.max(1, (ttl.toMillis() + 999) / 1000);
        CompletableFuture<Long> f = ADD.run(redis.async(), ScriptOutputType.INTEGER,
            new byte[][] {keys.presence(channel), keys.presenceExpiry(channel)},
            info.client().getBytes(StandardCharsets.UTF_8), PublicationCodec.encodeInfo(info),
            Long.toString(seconds).getBytes(StandardCharsets.US_ASCII));
        return f.handle((r, e) -> e != null ? rethrow(e) : null);
    }

    @Override
    public CompletableFuture<Void> removePresence(String channel, String clientId, String userId) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        CompletableFuture<Long> a = redis.async().hdel(keys.presence(channel), id).toCompletableFuture();
        CompletableFuture<Long> b = redis.async().zrem(keys.presenceExpiry(channel), id).toCompletableFuture();
        return CompletableFuture.allOf(a, b).handle((r, e) -> e != null ? rethrow(e) : null);
    }

    @Override
    public void close() {
        // The connections belong to the RedisEngine.
    }
}

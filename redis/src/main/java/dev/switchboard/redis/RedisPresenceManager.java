package dev.switchboard.redis;

import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.PresenceManager;
import dev.switchboard.core.engine.PresenceStats;
import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence in Redis, shared by every node. Per channel a hash ({@link RedisKeys#presence}:
 * client id to {@link ClientInfo} JSON) and a sorted set ({@link RedisKeys#presenceExpiry}:
 * client id scored by its expiry). Every operation is one Lua script, and expiries are computed
 * from Redis server time inside the scripts, so the clocks of the nodes do not matter.
 *
 * <p><b>Bound for a dead node.</b> An entry exists at most {@code ttl} (the one passed to
 * {@link #addPresence}, i.e. the node's presence TTL) after its last refresh, measured on the
 * Redis clock. Live nodes refresh their clients' entries well within the TTL; a node that dies
 * stops refreshing, so its entries disappear from every read at most one presence TTL after
 * its last refresh (default 60 s, {@code NodeOptions.DEFAULT_PRESENCE_TTL}). Reads drop expired
 * entries first, and both keys carry a Redis expiry at the latest entry's expiry, so an idle
 * channel's keys vanish by themselves.
 *
 * <p>Every failure (Redis down, command timeout, request queue full) completes the future with
 * {@link RedisConnections#toProtocolError} — a temporary error — within the command timeout.
 *
 * <pre>{@code
 * PresenceManager presence = new RedisPresenceManager(connections);
 * presence.addPresence("chat:lobby", info, Duration.ofSeconds(60)).join();
 * Map<String, ClientInfo> who = presence.presence("chat:lobby").join();
 * }</pre>
 */
public final class RedisPresenceManager implements PresenceManager {

    private static final Logger log = LoggerFactory.getLogger(RedisPresenceManager.class);

    private static final LuaScript ADD = LuaScript.load("presence_add.lua");
    private static final LuaScript REMOVE = LuaScript.load("presence_remove.lua");
    private static final LuaScript GET = LuaScript.load("presence_get.lua");

    private final RedisConnections redis;
    private final RedisKeys keys;

    /** Presence on the engine's shared connection; the connections stay owned by the caller. */
    public RedisPresenceManager(RedisConnections redis) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.keys = redis.keys();
    }

    @Override
    public CompletableFuture<Map<String, ClientInfo>> presence(String channel) {
        CompletableFuture<List<Object>> flat =
                RedisConnections.call(() -> GET.run(redis.async(), ScriptOutputType.MULTI, keysOf(channel)));
        return flat.thenApply(RedisPresenceManager::decode);
    }

    @Override
    public CompletableFuture<PresenceStats> presenceStats(String channel) {
        // Distinct users need the infos anyway; a channel's presence is small next to a round trip.
        return presence(channel).thenApply(PresenceStats::of);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code ttl} is not positive
     */
    @Override
    public CompletableFuture<Void> addPresence(String channel, ClientInfo info, Duration ttl) {
        if (ttl == null || ttl.isZero() || ttl.isNegative()) {
            throw new IllegalArgumentException("presence ttl must be > 0");
        }
        byte[] json = PublicationCodec.encodeInfo(info);
        CompletableFuture<Long> f = RedisConnections.call(() -> ADD.run(
                redis.async(),
                ScriptOutputType.INTEGER,
                keysOf(channel),
                utf8(info.client()),
                json,
                ascii(ttl.toMillis())));
        return f.thenApply(dropped -> null);
    }

    @Override
    public CompletableFuture<Void> removePresence(String channel, String clientId, String userId) {
        CompletableFuture<Long> f = RedisConnections.call(
                () -> REMOVE.run(redis.async(), ScriptOutputType.INTEGER, keysOf(channel), utf8(clientId)));
        return f.thenApply(removed -> null);
    }

    @Override
    public void close() {
        // The connections belong to the RedisEngine, which closes them last.
    }

    private byte[][] keysOf(String channel) {
        return new byte[][] {keys.presence(channel), keys.presenceExpiry(channel)};
    }

    private static Map<String, ClientInfo> decode(List<Object> flat) {
        Map<String, ClientInfo> out = new HashMap<>(flat.size());
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            String id = new String((byte[]) flat.get(i), StandardCharsets.UTF_8);
            try {
                out.put(id, PublicationCodec.decodeInfo((byte[]) flat.get(i + 1), 0));
            } catch (IOException e) {
                // One corrupt entry must not hide the whole channel's presence.
                log.warn("skipping unreadable presence entry of client {}: {}", id, e.toString());
            }
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }
}

package dev.switchboard.redis;

import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.PresenceManager;
import dev.switchboard.core.engine.PresenceStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Presence over several independent Redis servers: each channel's on the shard that holds the channel. */
final class ShardedPresenceManager implements PresenceManager {

    private final List<RedisPresenceManager> shards;

    ShardedPresenceManager(List<RedisPresenceManager> shards) {
        this.shards = List.copyOf(shards);
    }

    private RedisPresenceManager shard(String channel) {
        return shards.get(ChannelShards.of(channel, shards.size()));
    }

    @Override
    public CompletableFuture<Map<String, ClientInfo>> presence(String channel) {
        return shard(channel).presence(channel);
    }

    @Override
    public CompletableFuture<PresenceStats> presenceStats(String channel) {
        return shard(channel).presenceStats(channel);
    }

    @Override
    public CompletableFuture<Void> addPresence(String channel, ClientInfo info, Duration ttl) {
        return shard(channel).addPresence(channel, info, ttl);
    }

    @Override
    public CompletableFuture<Void> removePresence(String channel, String clientId, String userId) {
        return shard(channel).removePresence(channel, clientId, userId);
    }

    @Override
    public void close() {
        shards.forEach(RedisPresenceManager::close);
    }
}

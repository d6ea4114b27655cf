package dev.switchboard.core.engine.memory;

import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.PresenceManager;
import dev.switchboard.core.engine.PresenceStats;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link PresenceManager} for a single node, entries kept in memory with expiry.
 *
 * <pre>{@code
 * PresenceManager presence = new MemoryPresenceManager();
 * }</pre>
 */
public final class MemoryPresenceManager implements PresenceManager {

    private record Entry(ClientInfo info, long expireAtMillis) {}

    private final Clock clock;
    private final Map<String, Map<String, Entry>> channels = new ConcurrentHashMap<>();

    public MemoryPresenceManager() {
        this(Clock.systemUTC());
    }

    /** A presence manager reading time from the given clock, for tests of expiry. */
    public MemoryPresenceManager(Clock clock) {
        this.clock = clock;
    }

    @Override
    public CompletableFuture<Map<String, ClientInfo>> presence(String channel) {
        long now = clock.millis();
        Map<String, ClientInfo> out = new HashMap<>();
        Map<String, Entry> entries = channels.get(channel);
        if (entries != null) {
            entries.forEach((id, e) -> {
                if (e.expireAtMillis() > now) {
                    out.put(id, e.info());
                }
            });
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public CompletableFuture<PresenceStats> presenceStats(String channel) {
        return presence(channel).thenApply(PresenceStats::of);
    }

    @Override
    public CompletableFuture<Void> addPresence(String channel, ClientInfo info, Duration ttl) {
        long expireAt = clock.millis() + ttl.toMillis();
        channels.computeIfAbsent(channel, c -> new ConcurrentHashMap<>()).put(info.client(), new Entry(info, expireAt));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> removePresence(String channel, String clientId, String userId) {
        channels.computeIfPresent(channel, (c, entries) -> {
            entries.remove(clientId);
            return entries.isEmpty() ? null : entries;
        });
        return CompletableFuture.completedFuture(null);
    }

    /** Drops expired entries; {@link MemoryEngine} calls it on its timer. */
    void sweep() {
        long now = clock.millis();
        channels.forEach((ch, entries) -> entries.values().removeIf(e -> e.expireAtMillis() <= now));
        channels.entrySet().removeIf(e -> e.getValue().isEmpty());
    }

    @Override
    public void close() {
        channels.clear();
    }
}

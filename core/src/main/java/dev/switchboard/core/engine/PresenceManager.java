package dev.switchboard.core.engine;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps who is subscribed to which channel, with expiry so entries of a dead node go away.
 *
 * <pre>{@code
 * PresenceManager presence = new MemoryPresenceManager();
 * presence.addPresence("chat", info, Duration.ofSeconds(60)).join();
 * Map<String, ClientInfo> who = presence.presence("chat").join();
 * }</pre>
 */
public interface PresenceManager extends AutoCloseable {

    /** Connections present in the channel, by client id. */
    CompletableFuture<Map<String, ClientInfo>> presence(String channel);

    /** Counts of connections and distinct users in the channel. */
    CompletableFuture<PresenceStats> presenceStats(String channel);

    /** Adds or refreshes a connection's entry; it expires after {@code ttl} unless refreshed. */
    CompletableFuture<Void> addPresence(String channel, ClientInfo info, Duration ttl);

    /** Removes a connection's entry. */
    CompletableFuture<Void> removePresence(String channel, String clientId, String userId);

    @Override
    void close();
}

package dev.switchboard.core.engine;

/**
 * Counts of a channel's presence.
 *
 * @param numClients connections subscribed
 * @param numUsers distinct users among them
 */
public record PresenceStats(int numClients, int numUsers) {

    /** Counts of a channel's presence entries. */
    public static PresenceStats of(java.util.Map<String, ClientInfo> presence) {
        java.util.Set<String> users = new java.util.HashSet<>();
        presence.values().forEach(i -> users.add(i.user()));
        return new PresenceStats(presence.size(), users.size());
    }
}

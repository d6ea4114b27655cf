package dev.switchboard.core.engine;

/**
 * A node's identity and counts, as it heartbeats them into the {@link NodeRegistry} and as the
 * {@code info} API shows them.
 *
 * @param id unique id of the node process
 * @param name human-readable name
 * @param version server version
 * @param address where the node listens ({@code host:port}), or {@code ""} for a headless member
 * @param numClients connections
 * @param numUsers distinct users
 * @param numSubs subscriptions
 * @param numChannels channels with at least one subscriber
 * @param uptimeSeconds seconds since start
 */
public record NodeInfo(
        String id,
        String name,
        String version,
        String address,
        int numClients,
        int numUsers,
        int numSubs,
        int numChannels,
        long uptimeSeconds) {
    public NodeInfo {
        address = address == null ? "" : address;
    }
}

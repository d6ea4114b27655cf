package dev.switchboard.core.node;

/**
 * A node's identity and counts, as shown by the {@code info} API.
 *
 * @param id unique id of the node process
 * @param name human-readable name
 * @param version server version
 * @param numClients connections
 * @param numUsers distinct users
 * @param numSubs subscriptions
 * @param numChannels channels with at least one subscriber
 * @param uptimeSeconds seconds since start
 */
public record NodeInfo(String id, String name, String version, int numClients, int numUsers, int numSubs,
                       int numChannels, long uptimeSeconds) {
}

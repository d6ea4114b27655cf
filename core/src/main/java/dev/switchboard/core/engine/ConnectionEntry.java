package dev.switchboard.core.engine;

import java.util.Objects;

/**
 * Where one client connection lives in the cluster.
 *
 * @param clientId the connection's client id
 * @param user its user, {@code ""} for anonymous
 * @param routingKey its routing key (e.g. {@code project:environment}), or {@code null}
 * @param nodeId the node holding its socket
 * @param connectedAt Unix milliseconds
 */
public record ConnectionEntry(String clientId, String user, String routingKey, String nodeId, long connectedAt) {
    public ConnectionEntry {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(nodeId, "nodeId");
    }
}

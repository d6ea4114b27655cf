package dev.switchboard.core.engine;

import java.util.Objects;

/**
 * Who a connection is, as other clients see it in presence, join/leave pushes and publications.
 *
 * @param client the connection's unique client id
 * @param user the user id, {@code ""} for anonymous
 * @param connInfo raw JSON from the connection token's {@code info} claim, or {@code null}
 * @param chanInfo raw JSON from the subscription token's {@code info} claim, or {@code null}
 */
public record ClientInfo(String client, String user, byte[] connInfo, byte[] chanInfo) {
    public ClientInfo {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(user, "user");
    }

    /** A copy with another channel info. */
    public ClientInfo withChanInfo(byte[] info) {
        return new ClientInfo(client, user, connInfo, info);
    }
}

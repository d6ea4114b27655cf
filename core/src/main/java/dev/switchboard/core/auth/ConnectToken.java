package dev.switchboard.core.auth;

import java.util.List;
import java.util.Objects;

/**
 * Verified claims of a connection token.
 *
 * @param userId the {@code sub} claim; empty string for an anonymous user
 * @param expireAt the {@code exp} claim in Unix seconds, {@code 0} when the token never expires
 * @param info the {@code info} claim as raw JSON bytes (UTF-8), or {@code null}; shown to other
 *     clients in presence, join/leave and publications
 * @param channels the {@code channels} claim: channels the server subscribes the connection to
 * @param meta the {@code meta} claim as raw JSON bytes, or {@code null}; never shown to clients
 * @param routingKey the {@code routing_key} claim, e.g. {@code project:environment}: the key the
 *     connection can be found and invoked by across the cluster, or {@code null}
 */
public record ConnectToken(
        String userId, long expireAt, byte[] info, List<String> channels, byte[] meta, String routingKey) {

    /** Claims without a routing key. */
    public ConnectToken(String userId, long expireAt, byte[] info, List<String> channels, byte[] meta) {
        this(userId, expireAt, info, channels, meta, null);
    }

    public ConnectToken {
        Objects.requireNonNull(userId, "userId");
        channels = channels == null ? List.of() : List.copyOf(channels);
    }
}

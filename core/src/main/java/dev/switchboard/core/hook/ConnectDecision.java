package dev.switchboard.core.hook;

import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolError;
import java.util.List;

/**
 * A {@link ConnectHandler}'s answer: let the client in (optionally as a given user, with info,
 * reply data and extra server-side channels), refuse with an error, or disconnect it.
 *
 * <pre>{@code
 * return CompletableFuture.completedFuture(ConnectDecision.allowAs("42", null));
 * return CompletableFuture.completedFuture(ConnectDecision.deny(ProtocolError.UNAUTHORIZED));
 * }</pre>
 *
 * @param error when not {@code null}, the connect is refused with this error
 * @param disconnect when not {@code null}, the connection is closed with this code
 * @param userId the user to connect as, or {@code null} to keep the token's
 * @param info raw JSON connection info shown to others, or {@code null} to keep the token's
 * @param data raw JSON returned to the client in the connect reply, or {@code null}
 * @param channels extra server-side channels to subscribe the connection to
 * @param routingKey a key the connection is known by across the cluster (e.g.
 *     {@code project:environment}), or {@code null}
 */
public record ConnectDecision(
        ProtocolError error,
        Disconnect disconnect,
        String userId,
        byte[] info,
        byte[] data,
        List<String> channels,
        String routingKey) {

    public ConnectDecision {
        channels = channels == null ? List.of() : List.copyOf(channels);
    }

    /** Let the client in as the token says. */
    public static ConnectDecision allow() {
        return new ConnectDecision(null, null, null, null, null, List.of(), null);
    }

    /** Let the client in as the given user with the given info. */
    public static ConnectDecision allowAs(String userId, byte[] info) {
        return new ConnectDecision(null, null, userId, info, null, List.of(), null);
    }

    /** Refuse with an error reply. */
    public static ConnectDecision deny(ProtocolError error) {
        return new ConnectDecision(error, null, null, null, null, List.of(), null);
    }

    /** Close the connection with a disconnect code. */
    public static ConnectDecision disconnect(Disconnect disconnect) {
        return new ConnectDecision(null, disconnect, null, null, null, List.of(), null);
    }

    /** A copy that returns data to the client. */
    public ConnectDecision withData(byte[] replyData) {
        return new ConnectDecision(error, disconnect, userId, info, replyData, channels, routingKey);
    }

    /** A copy that adds server-side channels. */
    public ConnectDecision withChannels(List<String> extra) {
        return new ConnectDecision(error, disconnect, userId, info, data, extra, routingKey);
    }

    /** A copy carrying a routing key. */
    public ConnectDecision withRoutingKey(String key) {
        return new ConnectDecision(error, disconnect, userId, info, data, channels, key);
    }
}

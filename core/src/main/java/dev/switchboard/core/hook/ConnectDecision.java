package dev.switchboard.core.hook;

import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolError;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link ConnectHandler}'s answer: let the client in (optionally as a given user, with info,
 * reply data, extra server-side channels, each with its own options, an expiry and meta for
 * later hooks), refuse with an error, or disconnect it.
 *
 * <pre>{@code
 * return CompletableFuture.completedFuture(ConnectDecision.allowAs("42", null));
 * return CompletableFuture.completedFuture(ConnectDecision.allowAs("42", null).withExpireAt(now + 600));
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
 * @param expireAt when the connection expires, Unix seconds, as a token's {@code exp}; {@code 0}
 *     keeps the token's (none without a token). At that time the node asks its
 *     {@link RefreshHandler} when it has one, else the client must refresh with a token
 * @param subs server-side channels with their own options (Centrifugo's connect result {@code
 *     subs}), in the map's order; a channel also in {@code channels} takes the options given here
 * @param meta raw JSON object attached to the connection for the application's later hooks
 *     ({@code meta()} of every later request; a {@link RefreshDecision} may replace it), never sent
 *     to the client; {@code null} for none
 */
public record ConnectDecision(
        ProtocolError error,
        Disconnect disconnect,
        String userId,
        byte[] info,
        byte[] data,
        List<String> channels,
        String routingKey,
        long expireAt,
        Map<String, SubscribeOptions> subs,
        byte[] meta) {

    public ConnectDecision {
        channels = channels == null ? List.of() : List.copyOf(channels);
        subs = orderedCopy(subs);
        if (expireAt < 0) {
            throw new IllegalArgumentException("expireAt must be >= 0");
        }
    }

    /** Map.copyOf would lose the order given, which is the order of subscribing; a null value is the default. */
    private static Map<String, SubscribeOptions> orderedCopy(Map<String, SubscribeOptions> subs) {
        if (subs == null || subs.isEmpty()) {
            return Map.of();
        }
        Map<String, SubscribeOptions> copy = new LinkedHashMap<>();
        subs.forEach((ch, o) -> copy.put(ch, o == null ? SubscribeOptions.DEFAULT : o));
        return Collections.unmodifiableMap(copy);
    }

    /** A decision without an expiry of its own, as before {@code expireAt} existed. */
    public ConnectDecision(
            ProtocolError error,
            Disconnect disconnect,
            String userId,
            byte[] info,
            byte[] data,
            List<String> channels,
            String routingKey) {
        this(error, disconnect, userId, info, data, channels, routingKey, 0, Map.of(), null);
    }

    /** Let the client in as the token says. */
    public static ConnectDecision allow() {
        return new ConnectDecision(null, null, null, null, null, List.of(), null, 0, Map.of(), null);
    }

    /** Let the client in as the given user with the given info. */
    public static ConnectDecision allowAs(String userId, byte[] info) {
        return new ConnectDecision(null, null, userId, info, null, List.of(), null, 0, Map.of(), null);
    }

    /** Refuse with an error reply. */
    public static ConnectDecision deny(ProtocolError error) {
        return new ConnectDecision(error, null, null, null, null, List.of(), null, 0, Map.of(), null);
    }

    /** Close the connection with a disconnect code. */
    public static ConnectDecision disconnect(Disconnect disconnect) {
        return new ConnectDecision(null, disconnect, null, null, null, List.of(), null, 0, Map.of(), null);
    }

    /** A copy that returns data to the client. */
    public ConnectDecision withData(byte[] replyData) {
        return new ConnectDecision(
                error, disconnect, userId, info, replyData, channels, routingKey, expireAt, subs, meta);
    }

    /** A copy that adds server-side channels. */
    public ConnectDecision withChannels(List<String> extra) {
        return new ConnectDecision(error, disconnect, userId, info, data, extra, routingKey, expireAt, subs, meta);
    }

    /** A copy carrying a routing key. */
    public ConnectDecision withRoutingKey(String key) {
        return new ConnectDecision(error, disconnect, userId, info, data, channels, key, expireAt, subs, meta);
    }

    /** A copy that expires the connection at {@code unixSeconds} ({@code 0}: the token's, if any). */
    public ConnectDecision withExpireAt(long unixSeconds) {
        return new ConnectDecision(
                error, disconnect, userId, info, data, channels, routingKey, unixSeconds, subs, meta);
    }

    /** A copy that subscribes the connection to these channels, each with its own options. */
    public ConnectDecision withSubs(Map<String, SubscribeOptions> channelOptions) {
        return new ConnectDecision(
                error, disconnect, userId, info, data, channels, routingKey, expireAt, channelOptions, meta);
    }

    /** A copy that attaches raw JSON {@code meta} (an object) to the connection, for later hooks only. */
    public ConnectDecision withMeta(byte[] json) {
        return new ConnectDecision(error, disconnect, userId, info, data, channels, routingKey, expireAt, subs, json);
    }
}

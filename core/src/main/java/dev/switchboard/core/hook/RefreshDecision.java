package dev.switchboard.core.hook;

import dev.switchboard.core.protocol.Disconnect;

/**
 * A {@link RefreshHandler}'s answer: extend the connection to a new expiry (optionally with new
 * info), end it as expired (3005), or close it with a code of the application's.
 *
 * <pre>{@code
 * return CompletableFuture.completedFuture(sessions.valid(req.userId())
 *     ? RefreshDecision.extend(Instant.now().getEpochSecond() + 600, null)
 *     : RefreshDecision.expire());
 * }</pre>
 *
 * @param expired true to close the connection with {@link Disconnect#EXPIRED}
 * @param expireAt the new expiry, Unix seconds; {@code 0} or a time already past ends the
 *     connection as expired
 * @param info new raw JSON connection info, or {@code null} to keep it
 * @param disconnect when not {@code null}, the connection is closed with this code
 * @param meta a raw JSON object replacing the connection's meta (see {@link
 *     ConnectDecision#meta()}), or {@code null} to keep it; ignored for a subscription's refresh
 */
public record RefreshDecision(boolean expired, long expireAt, byte[] info, Disconnect disconnect, byte[] meta) {

    /** A decision that keeps the connection's meta, as before meta existed. */
    public RefreshDecision(boolean expired, long expireAt, byte[] info, Disconnect disconnect) {
        this(expired, expireAt, info, disconnect, null);
    }

    /** Keep the connection until {@code unixSeconds}, with new info unless {@code null}. */
    public static RefreshDecision extend(long unixSeconds, byte[] info) {
        return new RefreshDecision(false, unixSeconds, info, null);
    }

    /** End the connection as expired (3005). */
    public static RefreshDecision expire() {
        return new RefreshDecision(true, 0, null, null);
    }

    /** Close the connection with the given code. */
    public static RefreshDecision disconnect(Disconnect disconnect) {
        return new RefreshDecision(false, 0, null, disconnect);
    }

    /** A copy that replaces the connection's meta with raw JSON {@code json} (an object). */
    public RefreshDecision withMeta(byte[] json) {
        return new RefreshDecision(expired, expireAt, info, disconnect, json);
    }
}

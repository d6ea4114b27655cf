package dev.switchboard.core.hook;

import dev.switchboard.core.protocol.ProtocolError;

/**
 * A {@link SubscribeHandler}'s answer. To close the connection instead, fail the stage with a
 * {@code dev.switchboard.core.node.DisconnectException}.
 *
 * <pre>{@code
 * return CompletableFuture.completedFuture(SubscribeDecision.allow()
 *     .withData(jobs.stateJson(jobId))                      // "state on subscribe", in the reply's data
 *     .withExpireAt(nowSeconds() + 600, true));              // refreshed server side by onSubRefresh
 * }</pre>
 *
 * @param error when not {@code null}, the subscribe is refused with this error
 * @param chanInfo raw JSON channel info for this subscriber, or {@code null}
 * @param data raw JSON returned in the subscribe reply, or {@code null}
 * @param expireAt when the subscription expires, Unix seconds; {@code 0}: never. A time already
 *     past refuses the subscribe with 109
 * @param serverSideRefresh when the expiry comes, the node asks its {@link SubRefreshHandler}
 *     (the reply then carries no {@code expires}, so SDKs never ask for a token); otherwise the
 *     client refreshes with a subscription token, as after a token subscribe
 * @param override per-subscription changes to the channel's options, or {@code null}
 */
public record SubscribeDecision(
        ProtocolError error,
        byte[] chanInfo,
        byte[] data,
        long expireAt,
        boolean serverSideRefresh,
        SubscribeOverride override) {

    public SubscribeDecision {
        if (expireAt < 0) {
            throw new IllegalArgumentException("expireAt must be >= 0");
        }
    }

    /** A decision without expiry or override, as before they existed. */
    public SubscribeDecision(ProtocolError error, byte[] chanInfo, byte[] data) {
        this(error, chanInfo, data, 0, false, null);
    }

    /** Let the client subscribe. */
    public static SubscribeDecision allow() {
        return new SubscribeDecision(null, null, null);
    }

    /** Let the client subscribe with channel info shown to others. */
    public static SubscribeDecision allowWithInfo(byte[] chanInfo) {
        return new SubscribeDecision(null, chanInfo, null);
    }

    /** Refuse the subscribe. */
    public static SubscribeDecision deny(ProtocolError error) {
        return new SubscribeDecision(error, null, null);
    }

    /** A copy that returns raw JSON {@code data} in the subscribe reply. */
    public SubscribeDecision withData(byte[] replyData) {
        return new SubscribeDecision(error, chanInfo, replyData, expireAt, serverSideRefresh, override);
    }

    /** A copy that expires the subscription at {@code unixSeconds}, refreshed server side or by the client. */
    public SubscribeDecision withExpireAt(long unixSeconds, boolean serverSide) {
        return new SubscribeDecision(error, chanInfo, data, unixSeconds, serverSide, override);
    }

    /** A copy with per-subscription option overrides. */
    public SubscribeDecision withOverride(SubscribeOverride o) {
        return new SubscribeDecision(error, chanInfo, data, expireAt, serverSideRefresh, o);
    }
}

package dev.switchboard.core.auth;

import java.util.Objects;

/**
 * Verified claims of a subscription token.
 *
 * @param userId the {@code sub} claim; must equal the connection's user
 * @param channel the {@code channel} claim; must equal the channel being subscribed
 * @param expireAt the {@code exp} claim in Unix seconds, {@code 0} when it never expires
 * @param info the {@code info} claim as raw JSON bytes, or {@code null}: the channel info of this
 *     subscriber (shown as {@code chan_info})
 */
public record SubscriptionToken(String userId, String channel, long expireAt, byte[] info) {
    public SubscriptionToken {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(channel, "channel");
    }
}

package dev.switchboard.core.hook;

import dev.switchboard.core.protocol.ProtocolError;

/**
 * A {@link SubscribeHandler}'s answer.
 *
 * @param error when not {@code null}, the subscribe is refused with this error
 * @param chanInfo raw JSON channel info for this subscriber, or {@code null}
 * @param data raw JSON returned in the subscribe reply, or {@code null}
 */
public record SubscribeDecision(ProtocolError error, byte[] chanInfo, byte[] data) {

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
}

package dev.switchboard.core.hook;

import dev.switchboard.core.protocol.ProtocolError;

/**
 * A {@link PublishHandler}'s answer.
 *
 * @param error when not {@code null}, the publish is refused
 * @param data replacement raw JSON payload, or {@code null} to publish what the client sent
 */
public record PublishDecision(ProtocolError error, byte[] data) {

    public static PublishDecision allow() {
        return new PublishDecision(null, null);
    }

    public static PublishDecision allowWithData(byte[] data) {
        return new PublishDecision(null, data);
    }

    public static PublishDecision deny(ProtocolError error) {
        return new PublishDecision(error, null);
    }
}

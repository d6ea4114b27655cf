package dev.switchboard.core.hook;

import dev.switchboard.core.protocol.ProtocolError;

/**
 * A {@link PublishHandler}'s answer. To close the connection instead, fail the stage with a
 * {@code dev.switchboard.core.node.DisconnectException}.
 *
 * <pre>{@code
 * return CompletableFuture.completedFuture(PublishDecision.allowWithData(cleaned).withSkipHistory(true));
 * }</pre>
 *
 * @param error when not {@code null}, the publish is refused
 * @param data replacement raw JSON payload, or {@code null} to publish what the client sent
 * @param skipHistory deliver the publication without keeping it in the channel's history
 */
public record PublishDecision(ProtocolError error, byte[] data, boolean skipHistory) {

    /** A decision that keeps history, as before {@code skipHistory} existed. */
    public PublishDecision(ProtocolError error, byte[] data) {
        this(error, data, false);
    }

    public static PublishDecision allow() {
        return new PublishDecision(null, null);
    }

    public static PublishDecision allowWithData(byte[] data) {
        return new PublishDecision(null, data);
    }

    public static PublishDecision deny(ProtocolError error) {
        return new PublishDecision(error, null);
    }

    /** A copy that skips (or keeps) history for this publication. */
    public PublishDecision withSkipHistory(boolean v) {
        return new PublishDecision(error, data, v);
    }
}

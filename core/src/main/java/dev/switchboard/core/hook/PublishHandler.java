package dev.switchboard.core.hook;

import java.util.concurrent.CompletionStage;

/**
 * Decides publishes from clients, and may rewrite their payload.
 *
 * <pre>{@code
 * PublishHandler h = req -> CompletableFuture.completedFuture(
 *     req.data().length > 1024 ? PublishDecision.deny(ProtocolError.BAD_REQUEST) : PublishDecision.allow());
 * }</pre>
 */
@FunctionalInterface
public interface PublishHandler {
    CompletionStage<PublishDecision> onPublish(PublishRequest request);
}

package dev.switchboard.core.hook;

import java.util.concurrent.CompletionStage;

/**
 * Decides client-side subscriptions that came without a subscription token, e.g. from the app's
 * own permission tables. A valid subscription token bypasses it.
 *
 * <pre>{@code
 * SubscribeHandler h = req -> CompletableFuture.completedFuture(
 *     req.channel().startsWith("admin:") && !isAdmin(req.client().user())
 *         ? SubscribeDecision.deny(ProtocolError.PERMISSION_DENIED)
 *         : SubscribeDecision.allow());
 * }</pre>
 */
@FunctionalInterface
public interface SubscribeHandler {
    CompletionStage<SubscribeDecision> onSubscribe(SubscribeRequest request);
}

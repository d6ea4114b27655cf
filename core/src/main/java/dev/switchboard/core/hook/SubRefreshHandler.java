package dev.switchboard.core.hook;

import java.util.concurrent.CompletionStage;

/**
 * Decides, when a subscription's expiry comes, whether it lives on: server-side subscription
 * refresh, as Centrifugo's sub_refresh proxy. Called only for subscriptions whose
 * {@link SubscribeDecision} asked for {@code serverSideRefresh}, once per expiry. The answer
 * is a {@link RefreshDecision}: {@code extend} (new expiry, optionally new channel info),
 * {@code expire} (the connection is closed 3006, as Centrifugo does for an expired subscription)
 * or {@code disconnect}. A failed stage closes the connection with 3004; a handler that wants
 * to ride out a backend outage answers {@code extend} with a short delay.
 *
 * <p>Called on the node's timer thread: return at once and complete the stage elsewhere.
 *
 * <pre>{@code
 * SubRefreshHandler h = req -> CompletableFuture.supplyAsync(
 *     () -> acl.stillAllowed(req.userId(), req.channel())
 *         ? RefreshDecision.extend(nowSeconds() + 600, null)
 *         : RefreshDecision.expire(),
 *     appExecutor);
 * }</pre>
 */
@FunctionalInterface
public interface SubRefreshHandler {
    CompletionStage<RefreshDecision> onSubRefresh(SubRefreshRequest request);
}

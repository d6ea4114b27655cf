package dev.switchboard.core.hook;

import java.util.concurrent.CompletionStage;

/**
 * Decides, when a connection's expiry comes, whether it lives on: server-side refresh, as
 * Centrifugo's refresh proxy. With a handler set, connect replies carry no {@code expires}/
 * {@code ttl} (SDKs then never ask for a new token) and the node calls it once per expiry,
 * for connections with an expiry from a token or from a {@link ConnectDecision}. A failed stage
 * closes the connection with 3004 (or the {@code DisconnectException}'s code); a handler that
 * wants to ride out a backend outage answers {@link RefreshDecision#extend} with a short delay.
 *
 * <p>Called on the node's timer thread: return at once and complete the stage elsewhere.
 *
 * <pre>{@code
 * RefreshHandler h = req -> CompletableFuture.supplyAsync(
 *     () -> sessions.valid(req.userId()) ? RefreshDecision.extend(nowSeconds() + 600, null) : RefreshDecision.expire(),
 *     appExecutor);
 * }</pre>
 */
@FunctionalInterface
public interface RefreshHandler {
    CompletionStage<RefreshDecision> onRefresh(RefreshRequest request);
}

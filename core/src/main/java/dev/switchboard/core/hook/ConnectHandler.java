package dev.switchboard.core.hook;

import java.util.concurrent.CompletionStage;

/**
 * Decides whether a connection may proceed; may authenticate clients that came without a token
 * (e.g. from a cookie the app checks) and enrich them.
 *
 * <p>Called off the transport's I/O thread only if it returns an incomplete stage: do blocking
 * work (a database look-up) on the app's own executor and complete the stage from there.
 *
 * <pre>{@code
 * ConnectHandler h = req -> CompletableFuture.supplyAsync(
 *     () -> db.isBanned(req.userId()) ? ConnectDecision.deny(ProtocolError.PERMISSION_DENIED) : ConnectDecision.allow(),
 *     appExecutor);
 * }</pre>
 */
@FunctionalInterface
public interface ConnectHandler {
    CompletionStage<ConnectDecision> onConnect(ConnectRequest request);
}

package dev.switchboard.core.hook;

import java.util.concurrent.CompletionStage;

/**
 * Serves one RPC method that clients call with the protocol's {@code rpc} command.
 *
 * <p>Complete the stage with the raw JSON result (or {@code null} for no data), or
 * exceptionally with a {@link dev.switchboard.core.protocol.ProtocolError} to return that code
 * to the client; any other exception becomes error 100.
 *
 * <pre>{@code
 * node.registerRpc("echo", req -> CompletableFuture.completedFuture(req.data()));
 * }</pre>
 */
@FunctionalInterface
public interface RpcHandler {
    CompletionStage<byte[]> handle(RpcRequest request);
}

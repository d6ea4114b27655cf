package dev.switchboard.core.node;

import dev.switchboard.core.protocol.Disconnect;

/**
 * Raised inside a command's processing when the answer is to close the connection. Hooks
 * ({@code SubscribeHandler}, {@code PublishHandler}, {@code RpcHandler}, ...) fail their stage
 * with it to disconnect the client with a code of their own.
 *
 * <pre>{@code
 * return CompletableFuture.failedFuture(new DisconnectException(new Disconnect(4501, "banned")));
 * }</pre>
 */
public final class DisconnectException extends RuntimeException {
    private final Disconnect disconnect;

    public DisconnectException(Disconnect disconnect) {
        super(disconnect.reason(), null, false, false);
        this.disconnect = disconnect;
    }

    public Disconnect disconnect() {
        return disconnect;
    }
}

package dev.switchboard.core.node;

import dev.switchboard.core.protocol.Disconnect;

/** Raised inside a command's processing when the answer is to close the connection. */
final class DisconnectException extends RuntimeException {
    private final Disconnect disconnect;

    DisconnectException(Disconnect disconnect) {
        super(disconnect.reason(), null, false, false);
        this.disconnect = disconnect;
    }

    Disconnect disconnect() {
        return disconnect;
    }
}

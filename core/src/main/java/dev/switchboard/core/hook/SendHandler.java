package dev.switchboard.core.hook;

import dev.switchboard.core.engine.ClientInfo;

/**
 * Receives asynchronous messages clients send with the {@code send} command (no reply).
 * Must not block: hand work to the app's executor.
 */
@FunctionalInterface
public interface SendHandler {
    void onSend(ClientInfo client, byte[] data);
}

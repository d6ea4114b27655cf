package dev.switchboard.core.hook;

import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.protocol.Disconnect;

/** Told when an authenticated connection ends, with the reason. Must not block. */
@FunctionalInterface
public interface DisconnectListener {
    void onDisconnect(ClientInfo client, Disconnect reason);
}

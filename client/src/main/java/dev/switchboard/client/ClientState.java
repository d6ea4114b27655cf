package dev.switchboard.client;

/** The connection state of a {@link SwitchboardClient}. */
public enum ClientState {
    /** Not connected and not trying: initial state, after {@code disconnect()}, or after a terminal close. */
    DISCONNECTED,
    /** Opening a connection, or waiting for the next reconnect attempt. */
    CONNECTING,
    /** Connected: the server accepted the {@code connect} command. */
    CONNECTED
}

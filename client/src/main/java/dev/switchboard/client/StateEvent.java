package dev.switchboard.client;

/**
 * A change of the client's connection state.
 *
 * <p>{@code code} and {@code reason} say why: a server close code (e.g. 3001 shutdown, 4500 and up
 * application codes), a server error code for a refused {@code connect} (e.g. 101), or one of the
 * client's own codes below (the same numbers centrifuge-js uses). For {@link ClientState#CONNECTED}
 * they are {@code 0} and {@code ""}.
 *
 * @param state the new state
 * @param code why the state changed
 * @param reason a human-readable reason
 * @param clientId the server-assigned client id when {@link ClientState#CONNECTED}, else {@code null}
 */
public record StateEvent(ClientState state, int code, String reason, String clientId) {

    /** CONNECTING 0 / DISCONNECTED 0: {@code connect()} / {@code disconnect()} was called. */
    public static final int CALLED = 0;
    /** CONNECTING 1: the connection closed without a code that forbids reconnecting. */
    public static final int TRANSPORT_CLOSED = 1;
    /** CONNECTING 2: nothing arrived from the server for ping interval + max server ping delay. */
    public static final int NO_PING = 2;
    /** CONNECTING 3: a subscribe got no reply in time; reconnecting resynchronises every subscription. */
    public static final int SUBSCRIBE_TIMEOUT = 3;
    /** CONNECTING 4: the server refused an unsubscribe; reconnecting resynchronises every subscription. */
    public static final int UNSUBSCRIBE_ERROR = 4;
    /** DISCONNECTED 1: the token supplier returned no token (null or empty). */
    public static final int UNAUTHORIZED = 1;
    /** DISCONNECTED 2: the server sent something this client cannot parse. */
    public static final int BAD_PROTOCOL = 2;
    /** DISCONNECTED 3: a message exceeded {@link ClientOptions#maxMessageSize()}, or the server closed with 1009. */
    public static final int MESSAGE_SIZE_LIMIT = 3;

    public StateEvent {
        reason = reason == null ? "" : reason;
    }
}

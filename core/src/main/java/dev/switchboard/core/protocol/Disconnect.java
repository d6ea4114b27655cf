package dev.switchboard.core.protocol;

import dev.switchboard.wire.WireCodes;

/**
 * Why the server closes a connection: a code and a reason, sent as the WebSocket close frame.
 *
 * <p>Codes 3000–3499 and 4000–4499 let SDKs reconnect; 3500–3999 and 4500–4999 tell them not to.
 *
 * @param code the close code
 * @param reason a short human-readable reason (at most 123 bytes so it fits a close frame)
 */
public record Disconnect(int code, String reason) {

    /** 3000: closed without advice from the server. */
    public static final Disconnect CONNECTION_CLOSED = new Disconnect(3000, "connection closed");
    /** 3001: the node is shutting down; reconnect elsewhere. */
    public static final Disconnect SHUTDOWN = new Disconnect(3001, "shutdown");
    /** 3004: internal server error. */
    public static final Disconnect SERVER_ERROR = new Disconnect(3004, "internal server error");
    /** 3005: the connection's token expired and was not refreshed. */
    public static final Disconnect EXPIRED = new Disconnect(3005, "connection expired");
    /** 3006: a subscription's token expired and was not refreshed. */
    public static final Disconnect SUB_EXPIRED = new Disconnect(3006, "subscription expired");
    /** 3008: the client reads too slowly; its outbound queue overflowed. */
    public static final Disconnect SLOW = new Disconnect(3008, "slow");
    /** 3009: writing to the connection failed. */
    public static final Disconnect WRITE_ERROR = new Disconnect(3009, "write error");
    /** 3010: the server found a hole in the client's stream; it should reconnect and recover. */
    public static final Disconnect INSUFFICIENT_STATE = new Disconnect(3010, "insufficient state");
    /** 3011: the server asks the client to reconnect. */
    public static final Disconnect FORCE_RECONNECT = new Disconnect(3011, "force reconnect");
    /** 3012: no pong to the server's ping in time. */
    public static final Disconnect NO_PONG = new Disconnect(3012, "no pong");
    /** 3013: the client sent commands faster than allowed. */
    public static final Disconnect TOO_MANY_REQUESTS = new Disconnect(3013, "too many requests");
    /** 3500: the connection or subscription token is invalid. */
    public static final Disconnect INVALID_TOKEN = new Disconnect(3500, "invalid token");
    /** 3501: the client sent a malformed frame or command. */
    public static final Disconnect BAD_REQUEST = new Disconnect(3501, "bad request");
    /** 3502: the client did not send {@code connect} in time. */
    public static final Disconnect STALE = new Disconnect(3502, "stale");
    /** 3503: disconnected by the server; do not reconnect. */
    public static final Disconnect FORCE_NO_RECONNECT = new Disconnect(3503, "force disconnect");
    /** 3504: the user has too many connections. */
    public static final Disconnect CONNECTION_LIMIT = new Disconnect(3504, "connection limit");
    /** 3505: the client has too many subscriptions. */
    public static final Disconnect CHANNEL_LIMIT = new Disconnect(3505, "channel limit");
    /** 3506: the client sent data its protocol cannot carry (binary on a JSON connection). */
    public static final Disconnect INAPPROPRIATE_PROTOCOL = new Disconnect(3506, "inappropriate protocol");
    /** 3507: the client is not allowed to use the server. */
    public static final Disconnect PERMISSION_DENIED = new Disconnect(3507, "permission denied");

    /** 3508: the client used a feature the server does not offer (e.g. {@code send} with no handler). */
    public static final Disconnect NOT_AVAILABLE = new Disconnect(3508, "not available");

    public Disconnect {
        if (reason == null) {
            reason = "";
        }
    }

    /** True when SDKs reconnect after this code. */
    public boolean reconnect() {
        return WireCodes.reconnects(code);
    }
}

package dev.switchboard.core.protocol;

import dev.switchboard.wire.WireCodes;

/**
 * An error returned to a client in a reply, with the Centrifugo client protocol's codes.
 *
 * <p>Thrown by node operations so callers (the client session, the HTTP API, embedding code)
 * can map it to a reply or a status.
 *
 * <pre>{@code
 * throw ProtocolError.PERMISSION_DENIED;
 * throw ProtocolError.of(4001, "quota reached", false);
 * }</pre>
 */
public final class ProtocolError extends RuntimeException {

    /** 100: something went wrong on the server; temporary, so clients retry. */
    public static final ProtocolError INTERNAL = new ProtocolError(100, "internal server error", true);
    /** 101: the request is not authorized. */
    public static final ProtocolError UNAUTHORIZED = new ProtocolError(101, "unauthorized", false);
    /** 102: the channel's namespace is not configured. */
    public static final ProtocolError UNKNOWN_CHANNEL = new ProtocolError(102, "unknown channel", false);
    /** 103: access to the resource is not allowed. */
    public static final ProtocolError PERMISSION_DENIED = new ProtocolError(103, "permission denied", false);
    /** 104: the command does not exist. */
    public static final ProtocolError METHOD_NOT_FOUND = new ProtocolError(104, "method not found", false);
    /** 105: the client is already subscribed to the channel. */
    public static final ProtocolError ALREADY_SUBSCRIBED = new ProtocolError(105, "already subscribed", false);
    /** 106: a limit was exceeded (channels per client, pending commands, ...). */
    public static final ProtocolError LIMIT_EXCEEDED = new ProtocolError(106, "limit exceeded", false);
    /** 107: the command is malformed. */
    public static final ProtocolError BAD_REQUEST = new ProtocolError(107, "bad request", false);
    /** 108: the feature is not enabled: history or presence for the channel, an RPC method with no handler. */
    public static final ProtocolError NOT_AVAILABLE = new ProtocolError(108, "not available", false);
    /** 109: the connection or subscription token expired; SDKs fetch a new one. */
    public static final ProtocolError TOKEN_EXPIRED =
            new ProtocolError(WireCodes.TOKEN_EXPIRED, "token expired", false);
    /** 110: the connection expired. */
    public static final ProtocolError EXPIRED = new ProtocolError(110, "expired", false);
    /** 111: rate limited; temporary. */
    public static final ProtocolError TOO_MANY_REQUESTS = new ProtocolError(111, "too many requests", true);
    /** 112: the stream does not hold the requested position (wrong epoch or trimmed). */
    public static final ProtocolError UNRECOVERABLE_POSITION = new ProtocolError(112, "unrecoverable position", false);

    private final int code;
    private final boolean temporary;

    private ProtocolError(int code, String message, boolean temporary) {
        super(message, null, false, false);
        this.code = code;
        this.temporary = temporary;
    }

    /** An application-defined error, e.g. from an RPC handler (use codes of 400 and above, or 1000+). */
    public static ProtocolError of(int code, String message, boolean temporary) {
        return new ProtocolError(code, message == null ? "" : message, temporary);
    }

    public int code() {
        return code;
    }

    public boolean temporary() {
        return temporary;
    }

    /** The same code with a more specific message. */
    public ProtocolError withMessage(String message) {
        return new ProtocolError(code, message, temporary);
    }

    @Override
    public String toString() {
        return "ProtocolError{" + code + ", " + getMessage() + (temporary ? ", temporary" : "") + '}';
    }
}

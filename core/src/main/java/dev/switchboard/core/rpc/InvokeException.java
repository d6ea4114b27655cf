package dev.switchboard.core.rpc;

/**
 * Why an invocation failed. Each reason is distinct so callers can act: retry later, give up,
 * or show the client's own error.
 */
public final class InvokeException extends RuntimeException {

    /** Why an invocation failed, with the HTTP status the server API answers with. */
    public enum Reason {
        /** No live connection matches the target. */
        NOT_CONNECTED(404),
        /** The connection went away while the call was in flight. */
        CLIENT_DISCONNECTED(410),
        /** The node holding the connection stopped heartbeating while the call was in flight. */
        NODE_UNAVAILABLE(503),
        /** No answer within the timeout. */
        TIMEOUT(504),
        /** The client answered with an error; see {@link #clientCode()}. */
        CLIENT_ERROR(502),
        /** Too many invocations are pending on this node. */
        TOO_MANY_PENDING(429),
        /** The caller cancelled it. */
        CANCELLED(499),
        /** The engine could not carry the call (Redis down). */
        ENGINE_UNAVAILABLE(503);

        private final int httpStatus;

        Reason(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }

        /** The name used on the wire and in metrics, e.g. {@code not_connected}. */
        public String wireName() {
            return name().toLowerCase();
        }

        public static Reason ofWireName(String s) {
            return valueOf(s.toUpperCase());
        }
    }

    private final Reason reason;
    private final int clientCode;

    public InvokeException(Reason reason, String message) {
        this(reason, 0, message);
    }

    public InvokeException(Reason reason, int clientCode, String message) {
        super(message, null, false, false);
        this.reason = reason;
        this.clientCode = clientCode;
    }

    public Reason reason() {
        return reason;
    }

    /** The client's error code for {@link Reason#CLIENT_ERROR}, else {@code 0}. */
    public int clientCode() {
        return clientCode;
    }

    @Override
    public String toString() {
        return "InvokeException{" + reason.wireName() + (clientCode != 0 ? ", code " + clientCode : "") + ", "
                + getMessage() + '}';
    }
}

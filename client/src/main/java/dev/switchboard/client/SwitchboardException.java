package dev.switchboard.client;

/**
 * A failed call, connection or invocation: a numeric code, a message and whether retrying
 * may help.
 *
 * <p>Codes 100 and above come from the server (see the protocol's error codes, e.g. 103
 * permission denied, 104 method not found, 109 token expired). Codes below 100 are raised by the
 * client itself; they are the constants of this class and match centrifuge-js where it has one.
 *
 * <pre>{@code
 * client.rpc("getProfile", args).exceptionally(e -> {
 *     if (e.getCause() instanceof SwitchboardException se && se.temporary()) {
 *         retryLater();
 *     }
 *     return null;
 * });
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public class SwitchboardException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** 1: no reply within {@link ClientOptions#commandTimeout()}. Temporary. */
    public static final int TIMEOUT = 1;
    /** 2: the connection closed before the reply arrived; the server may or may not have run the command. Temporary. */
    public static final int TRANSPORT_CLOSED = 2;
    /** 3: the client is disconnected (never connected, {@code disconnect()} called, or a terminal close). */
    public static final int CLIENT_DISCONNECTED = 3;
    /** 4: the client was closed with {@code close()}. */
    public static final int CLIENT_CLOSED = 4;
    /** 5: the connection token could not be obtained from the token supplier. */
    public static final int CONNECT_TOKEN = 5;
    /** 6: the connection token could not be refreshed. */
    public static final int REFRESH_TOKEN = 6;
    /** 7: the subscription was unsubscribed while the call waited. */
    public static final int SUBSCRIPTION_UNSUBSCRIBED = 7;
    /** 8: the subscription token could not be obtained. */
    public static final int SUBSCRIPTION_TOKEN = 8;
    /** 10: the frame could not be written to the socket. Temporary. */
    public static final int WRITE_ERROR = 10;
    /** 12: invalid arguments (e.g. data that is not JSON). */
    public static final int BAD_ARGUMENT = 12;

    /** 404: code of an invocation answer when no handler is registered for the method. */
    public static final int METHOD_NOT_FOUND = 404;
    /** 500: code of an invocation answer when the handler failed with anything but a {@code SwitchboardException}. */
    public static final int HANDLER_ERROR = 500;

    private final int code;
    private final boolean temporary;

    /** An error with a code and message, not temporary. */
    public SwitchboardException(int code, String message) {
        this(code, message, false);
    }

    /**
     * @param code the error code
     * @param message a human-readable message
     * @param temporary whether the same call may succeed if retried
     */
    public SwitchboardException(int code, String message, boolean temporary) {
        super(message);
        this.code = code;
        this.temporary = temporary;
    }

    /** The error code: 100 and above from the server, below 100 from this client. */
    public int code() {
        return code;
    }

    /** Whether retrying the same call may succeed. */
    public boolean temporary() {
        return temporary;
    }

    @Override
    public String toString() {
        return "SwitchboardException{code=" + code + ", message=" + getMessage() + (temporary ? ", temporary" : "")
                + '}';
    }
}

package dev.switchboard.core.protocol;

/** A frame that cannot be decoded; the connection is closed with {@link Disconnect#BAD_REQUEST}. */
public final class ProtocolException extends Exception {
    public ProtocolException(String message) {
        super(message, null, false, false);
    }
}

package dev.switchboard.core.auth;

/** A token failed verification. The message describes why and never contains the token. */
public final class TokenException extends Exception {

    /** Why a token was refused. */
    public enum Reason {
        /** Signature, algorithm, format or a claim is wrong: the client must not retry with it. */
        INVALID,
        /** The token was valid but its {@code exp} has passed: the client should get a fresh one. */
        EXPIRED
    }

    private final Reason reason;

    public TokenException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

package dev.switchboard.transport.proxy;

/** Thrown by a proxy's decoder when the backend's JSON is not the proxy protocol's shape. */
final class MalformedAnswerException extends RuntimeException {

    MalformedAnswerException(String message) {
        super(message, null, false, false);
    }
}

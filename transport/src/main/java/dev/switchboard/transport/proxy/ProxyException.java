package dev.switchboard.transport.proxy;

/**
 * A proxy call that did not produce a usable answer, with its {@link ProxyOutcome}. Messages
 * never carry header values or body content.
 */
public final class ProxyException extends RuntimeException {

    private final ProxyOutcome outcome;

    ProxyException(ProxyOutcome outcome, String message) {
        super(message, null, false, false);
        this.outcome = outcome;
    }

    public ProxyOutcome outcome() {
        return outcome;
    }
}

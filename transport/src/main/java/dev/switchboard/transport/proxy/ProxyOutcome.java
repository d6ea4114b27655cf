package dev.switchboard.transport.proxy;

import java.util.Locale;

/**
 * How one proxy call ended; the {@code outcome} tag of {@code switchboard_proxy_calls_total}.
 * Only {@link #ERROR}, {@link #TIMEOUT} and {@link #UNAVAILABLE} count against the circuit
 * breaker: they say the backend is unwell. A malformed answer came back quickly from a backend
 * that is up (a bug in it, which a breaker would not fix).
 */
public enum ProxyOutcome {
    /** The backend answered 200 with a well-formed body (whatever it decided). */
    OK,
    /** The backend answered a status other than 200. */
    ERROR,
    /** No complete answer within the proxy's {@code timeout}. */
    TIMEOUT,
    /** The backend could not be reached (connection refused, reset, DNS, TLS). */
    UNAVAILABLE,
    /** Not called: the circuit breaker is open after consecutive failures. */
    CIRCUIT_OPEN,
    /** Not called: this proxy already has its most calls in flight. */
    OVERLOADED,
    /** The backend answered 200 with a body that is not the proxy protocol's JSON, or too large. */
    MALFORMED;

    /** The metric tag, e.g. {@code circuit_open}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for outcomes that say the backend is unwell. */
    boolean countsAsFailure() {
        return this == ERROR || this == TIMEOUT || this == UNAVAILABLE;
    }
}

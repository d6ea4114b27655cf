package dev.switchboard.transport.http;

import java.util.Locale;

/**
 * Told each time the HTTP side cuts a connection or refuses a request to protect the node, so an
 * operator can see an attack (or a misconfigured client) in the metrics, not only in debug logs.
 *
 * <pre>{@code
 * HttpRefusals counted = reason -> registry.counter("switchboard_http_refused", "reason", reason.tag()).increment();
 * }</pre>
 */
@FunctionalInterface
public interface HttpRefusals {

    /** Why a connection was cut or a request refused. */
    enum Reason {
        /** Headers not complete within {@code http.header_timeout} (408). */
        HEADER_TIMEOUT,
        /** Body not complete within {@code http.body_timeout}. */
        BODY_TIMEOUT,
        /** No request within {@code http.idle_timeout} on a keep-alive connection. */
        IDLE_TIMEOUT,
        /** A response not written out within {@code http.idle_timeout}: the peer does not read. */
        WRITE_TIMEOUT,
        /** A request the node did not answer within the serve limit. */
        SERVE_TIMEOUT,
        /** More pipelined requests waiting than allowed. */
        PIPELINING,
        /** Over {@code http.max_connections_per_ip} at accept. */
        PER_IP,
        /** An API call without the right key (401), refused before its body is read. */
        UNAUTHORIZED,
        /** A body over {@code http.max_body_size}, or on a path that takes none (413). */
        BODY_TOO_LARGE,
        /** A WebSocket upgrade whose {@code Origin} {@code client.allowed_origins} does not allow (403). */
        ORIGIN,
        /** A TLS handshake not finished within {@code tls.handshake_timeout}. */
        TLS_HANDSHAKE_TIMEOUT;

        /** The metric tag: the name in lower case. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Nothing is counted. */
    HttpRefusals NONE = reason -> {};

    /** Called on the connection's I/O thread; must not block. */
    void refused(Reason reason);
}

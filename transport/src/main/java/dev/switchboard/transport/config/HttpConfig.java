package dev.switchboard.transport.config;

import java.time.Duration;

/**
 * Limits of the plain-HTTP side of the node's port (the WebSocket handshake, the server API,
 * {@code /health}, {@code /metrics}): the {@code http} section.
 *
 * <p>Every socket that has not finished its request headers or body, and every keep-alive
 * connection left idle, is closed after a timeout, so half-open sockets cannot pile up. A
 * WebSocket is no longer an HTTP connection once upgraded: these timeouts stop applying to it
 * (its own keepalive is {@code client.ping_interval}), but it still counts towards
 * {@code http.max_connections_per_ip} while open.
 *
 * <pre>{@code
 * HttpConfig http = HttpConfig.builder()
 *     .headerTimeout(Duration.ofSeconds(5))
 *     .maxConnectionsPerIp(100)
 *     .build();
 * }</pre>
 */
public final class HttpConfig {

    /**
     * Default {@code http.header_timeout}: a request's headers must be complete within this of its
     * first byte (of accept, for a new connection); else 408 and close.
     */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@code http.body_timeout}: a request body must be complete within this of its headers; else close. */
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Default {@code http.idle_timeout}: a keep-alive connection with no request in progress, or a
     * response the peer does not read, is closed after this. Longer than the 60 s idle timeout of
     * common load balancers, so that they, not we, close pooled connections and never reuse one we
     * are closing.
     */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(75);
    /**
     * Default {@code http.max_connections_per_ip}: {@code 0}, no limit. Behind a load balancer or
     * proxy every client shares its address, so a limit is only safe when clients connect directly.
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 0;
    /** Default {@code http.max_body_size}: largest HTTP request body accepted, 4 MiB. */
    public static final int DEFAULT_MAX_BODY_SIZE = 4 * 1024 * 1024;
    /** Smallest {@code http.max_body_size}: below this not even a small publish would fit. */
    public static final int MIN_MAX_BODY_SIZE = 1024;

    private static final HttpConfig DEFAULTS = builder().build();

    private final Duration headerTimeout;
    private final Duration bodyTimeout;
    private final Duration idleTimeout;
    private final int maxConnectionsPerIp;
    private final int maxBodySize;

    private HttpConfig(Builder b) {
        headerTimeout = b.headerTimeout;
        bodyTimeout = b.bodyTimeout;
        idleTimeout = b.idleTimeout;
        maxConnectionsPerIp = b.maxConnectionsPerIp;
        maxBodySize = b.maxBodySize;
    }

    /** Every default. */
    public static HttpConfig defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@code http.header_timeout}. */
    public Duration headerTimeout() {
        return headerTimeout;
    }
    /** {@code http.body_timeout}. */
    public Duration bodyTimeout() {
        return bodyTimeout;
    }
    /** {@code http.idle_timeout}: for idle keep-alive connections and for responses not read by the peer. */
    public Duration idleTimeout() {
        return idleTimeout;
    }
    /** {@code http.max_connections_per_ip}; {@code 0} means no limit. */
    public int maxConnectionsPerIp() {
        return maxConnectionsPerIp;
    }
    /** {@code http.max_body_size}, in bytes. */
    public int maxBodySize() {
        return maxBodySize;
    }

    @Override
    public String toString() {
        return "HttpConfig{headerTimeout=" + Durations.format(headerTimeout) + ", bodyTimeout="
                + Durations.format(bodyTimeout) + ", idleTimeout=" + Durations.format(idleTimeout)
                + ", maxConnectionsPerIp=" + maxConnectionsPerIp + ", maxBodySize=" + maxBodySize + '}';
    }

    /** Builder of {@link HttpConfig}; every field starts at its default. */
    public static final class Builder {
        private Duration headerTimeout = DEFAULT_HEADER_TIMEOUT;
        private Duration bodyTimeout = DEFAULT_BODY_TIMEOUT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private int maxConnectionsPerIp = DEFAULT_MAX_CONNECTIONS_PER_IP;
        private int maxBodySize = DEFAULT_MAX_BODY_SIZE;

        private Builder() {}

        private Builder(HttpConfig c) {
            headerTimeout = c.headerTimeout;
            bodyTimeout = c.bodyTimeout;
            idleTimeout = c.idleTimeout;
            maxConnectionsPerIp = c.maxConnectionsPerIp;
            maxBodySize = c.maxBodySize;
        }

        public Builder headerTimeout(Duration v) {
            headerTimeout = Check.positive("http.header_timeout", v);
            return this;
        }

        public Builder bodyTimeout(Duration v) {
            bodyTimeout = Check.positive("http.body_timeout", v);
            return this;
        }

        public Builder idleTimeout(Duration v) {
            idleTimeout = Check.positive("http.idle_timeout", v);
            return this;
        }
        /** {@code 0}: no limit. */
        public Builder maxConnectionsPerIp(int v) {
            maxConnectionsPerIp = Check.atLeast("http.max_connections_per_ip", v, 0);
            return this;
        }

        public Builder maxBodySize(int v) {
            maxBodySize = Check.atLeast("http.max_body_size", v, MIN_MAX_BODY_SIZE);
            return this;
        }

        public HttpConfig build() {
            return new HttpConfig(this);
        }
    }
}

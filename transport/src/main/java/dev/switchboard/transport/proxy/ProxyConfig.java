package dev.switchboard.transport.proxy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One HTTP proxy to the application's backend (connect, refresh, ...): where it is, how long to
 * wait, which headers go with each call, and the limits that keep a slow or failing backend from
 * hurting the node. Immutable; the keys mirror Centrifugo v6's proxy options
 * ({@code client.proxy.connect.endpoint}, {@code timeout}, {@code http_headers},
 * {@code static_headers}); in-flight and breaker limits are Switchboard's own.
 *
 * <pre>{@code
 * ProxyConfig connect = ProxyConfig.builder()
 *     .enabled(true)
 *     .endpoint("http://127.0.0.1:9000/rt/connect")
 *     .timeout(Duration.ofSeconds(1))
 *     .httpHeaders(List.of("Cookie", "X-Forwarded-For"))
 *     .staticHeaders(Map.of("X-Proxy-Secret", secret))
 *     .build();
 * }</pre>
 */
public final class ProxyConfig {

    /** Default {@code timeout}: as Centrifugo, 1 s for the whole call, body included. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    /** Default most calls of one proxy in flight at once; more are refused at once ({@code overloaded}). */
    public static final int DEFAULT_MAX_IN_FLIGHT = 512;
    /** Default consecutive failures (error, timeout, unavailable) that open the circuit breaker. */
    public static final int DEFAULT_BREAKER_FAILURES = 5;
    /** Default time the breaker stays open before one probe call is let through. */
    public static final Duration DEFAULT_BREAKER_OPEN_TIME = Duration.ofSeconds(5);
    /** Default largest response body read; larger is {@code malformed}. */
    public static final int DEFAULT_MAX_RESPONSE_SIZE = 1024 * 1024;

    /**
     * Headers the JDK's HTTP client sets itself and refuses from callers, plus the ones that
     * would change how the body is read: never copied, never static.
     */
    static final Set<String> RESTRICTED =
            Set.of("connection", "content-length", "content-type", "expect", "host", "upgrade", "transfer-encoding");

    private static final ProxyConfig DISABLED = builder().build();

    private final boolean enabled;
    private final URI endpoint;
    private final Duration timeout;
    private final List<String> httpHeaders;
    private final Map<String, String> staticHeaders;
    private final List<String> emulatedHeaders;
    private final boolean includeConnectionMeta;
    private final int maxInFlight;
    private final int breakerFailures;
    private final Duration breakerOpenTime;
    private final int maxResponseSize;

    private ProxyConfig(Builder b) {
        enabled = b.enabled;
        endpoint = b.endpoint;
        timeout = b.timeout;
        httpHeaders = List.copyOf(b.httpHeaders);
        staticHeaders = Map.copyOf(b.staticHeaders);
        emulatedHeaders = List.copyOf(b.emulatedHeaders);
        includeConnectionMeta = b.includeConnectionMeta;
        maxInFlight = b.maxInFlight;
        breakerFailures = b.breakerFailures;
        breakerOpenTime = b.breakerOpenTime;
        maxResponseSize = b.maxResponseSize;
    }

    /** A proxy that is off. */
    public static ProxyConfig disabled() {
        return DISABLED;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public boolean enabled() {
        return enabled;
    }

    /** The backend's URL, {@code http://} or {@code https://}; {@code null} when unset. */
    public URI endpoint() {
        return endpoint;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Names (lower case) of the client's upgrade-request headers copied onto each call. */
    public List<String> httpHeaders() {
        return httpHeaders;
    }

    /** Headers sent with every call; a copied client header of the same name wins. */
    public Map<String, String> staticHeaders() {
        return staticHeaders;
    }

    /**
     * Names (lower case) of the headers a client sent in its {@code connect} (headers emulation)
     * copied onto each call; a real header of the same name wins.
     */
    public List<String> emulatedHeaders() {
        return emulatedHeaders;
    }

    /**
     * Whether each call carries the connection's {@code meta} (what the connect proxy or hook
     * attached); off by default, as Centrifugo's {@code include_connection_meta}. Nothing for the
     * connect proxy, which is where meta comes from.
     */
    public boolean includeConnectionMeta() {
        return includeConnectionMeta;
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public int breakerFailures() {
        return breakerFailures;
    }

    public Duration breakerOpenTime() {
        return breakerOpenTime;
    }

    public int maxResponseSize() {
        return maxResponseSize;
    }

    /**
     * An endpoint fit for a log line: scheme, host, port and path. User info and the query are
     * left out, since backends are often guarded by {@code https://user:secret@...} or
     * {@code ?key=...}; {@code null} stays {@code null}.
     */
    public static String redacted(URI endpoint) {
        if (endpoint == null) {
            return null;
        }
        String path = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
        return endpoint.getScheme() + "://" + endpoint.getHost()
                + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort()) + path
                + (endpoint.getRawQuery() == null ? "" : "?<redacted>");
    }

    /** Header values and the endpoint's user info and query stay out: they may be secrets. */
    @Override
    public String toString() {
        return "ProxyConfig{enabled=" + enabled + ", endpoint=" + redacted(endpoint) + ", timeout=" + timeout
                + ", httpHeaders="
                + httpHeaders + ", staticHeaders=" + staticHeaders.keySet() + ", emulatedHeaders=" + emulatedHeaders
                + ", includeConnectionMeta=" + includeConnectionMeta + '}';
    }

    /** Builds a {@link ProxyConfig}; setters check their value and say what is wrong. */
    public static final class Builder {
        private boolean enabled;
        private URI endpoint;
        private Duration timeout = DEFAULT_TIMEOUT;
        private List<String> httpHeaders = List.of();
        private Map<String, String> staticHeaders = Map.of();
        private List<String> emulatedHeaders = List.of();
        private boolean includeConnectionMeta;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private int breakerFailures = DEFAULT_BREAKER_FAILURES;
        private Duration breakerOpenTime = DEFAULT_BREAKER_OPEN_TIME;
        private int maxResponseSize = DEFAULT_MAX_RESPONSE_SIZE;

        private Builder() {}

        private Builder(ProxyConfig c) {
            enabled = c.enabled;
            endpoint = c.endpoint;
            timeout = c.timeout;
            httpHeaders = c.httpHeaders;
            staticHeaders = c.staticHeaders;
            emulatedHeaders = c.emulatedHeaders;
            includeConnectionMeta = c.includeConnectionMeta;
            maxInFlight = c.maxInFlight;
            breakerFailures = c.breakerFailures;
            breakerOpenTime = c.breakerOpenTime;
            maxResponseSize = c.maxResponseSize;
        }

        public Builder enabled(boolean v) {
            enabled = v;
            return this;
        }

        /** @throws IllegalArgumentException unless an absolute {@code http(s)://} URL */
        public Builder endpoint(String v) {
            if (v == null || v.isEmpty()) {
                endpoint = null;
                return this;
            }
            URI u;
            try {
                u = URI.create(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("endpoint is not a URL: " + e.getMessage());
            }
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) {
                throw new IllegalArgumentException(
                        "endpoint must be an http:// or https:// URL (GRPC proxies are not supported), got " + v);
            }
            endpoint = u;
            return this;
        }

        /** @throws IllegalArgumentException unless between 1 ms and 5 minutes */
        public Builder timeout(Duration v) {
            if (v == null || v.toMillis() < 1 || v.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("timeout must be between 1ms and 5m, got " + v);
            }
            timeout = v;
            return this;
        }

        /** Header names, any case; hop-by-hop and body headers are refused. */
        public Builder httpHeaders(List<String> v) {
            List<String> names = new ArrayList<>();
            for (String n : Objects.requireNonNull(v, "httpHeaders")) {
                names.add(checkName(n));
            }
            httpHeaders = names;
            return this;
        }

        /**
         * Names of the headers a client may send in its {@code connect} (headers emulation) that
         * are forwarded, any case; the same names as {@link #httpHeaders(List)} are refused.
         */
        public Builder emulatedHeaders(List<String> v) {
            List<String> names = new ArrayList<>();
            for (String n : Objects.requireNonNull(v, "emulatedHeaders")) {
                names.add(checkName(n));
            }
            emulatedHeaders = names;
            return this;
        }

        /** Sends the connection's {@code meta} with each call (default off). */
        public Builder includeConnectionMeta(boolean v) {
            includeConnectionMeta = v;
            return this;
        }

        public Builder staticHeaders(Map<String, String> v) {
            Map<String, String> m = new LinkedHashMap<>();
            Objects.requireNonNull(v, "staticHeaders").forEach((k, val) -> {
                checkName(k);
                if (val == null || val.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                    throw new IllegalArgumentException("static header " + k + " has no value or a control character");
                }
                m.put(k, val);
            });
            staticHeaders = m;
            return this;
        }

        /** Adds to the static headers (a header given twice keeps the last value). */
        public Builder addStaticHeaders(Map<String, String> v) {
            Map<String, String> m = new LinkedHashMap<>(staticHeaders);
            m.putAll(v);
            return staticHeaders(m);
        }

        public Builder maxInFlight(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("maxInFlight must be >= 1, got " + v);
            }
            maxInFlight = v;
            return this;
        }

        public Builder breakerFailures(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("breakerFailures must be >= 1, got " + v);
            }
            breakerFailures = v;
            return this;
        }

        public Builder breakerOpenTime(Duration v) {
            if (v == null || v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException("breakerOpenTime must be positive, got " + v);
            }
            breakerOpenTime = v;
            return this;
        }

        public Builder maxResponseSize(int v) {
            if (v < 1024) {
                throw new IllegalArgumentException("maxResponseSize must be >= 1024, got " + v);
            }
            maxResponseSize = v;
            return this;
        }

        /** @throws IllegalArgumentException when enabled without an endpoint */
        public ProxyConfig build() {
            if (enabled && endpoint == null) {
                throw new IllegalArgumentException("an enabled proxy needs an endpoint");
            }
            return new ProxyConfig(this);
        }

        private static String checkName(String n) {
            if (n == null || n.isEmpty() || !n.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ':')) {
                throw new IllegalArgumentException("not a header name: " + n);
            }
            String lower = n.toLowerCase(Locale.ROOT);
            if (RESTRICTED.contains(lower)) {
                throw new IllegalArgumentException("header " + n + " cannot be proxied: the HTTP client sets it");
            }
            return lower;
        }
    }
}

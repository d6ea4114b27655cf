package dev.switchboard.transport.config;

import dev.switchboard.transport.proxy.ProxyConfig;
import java.util.Objects;

/**
 * The HTTP proxies to the application's backend, Centrifugo v6's {@code client.proxy} section:
 * {@code connect} decides connects that come without a token, {@code refresh} extends expiring
 * connections (server-side refresh). See {@code docs/proxy.md}.
 *
 * <pre>{@code
 * ProxiesConfig proxies = ProxiesConfig.builder()
 *     .connect(ProxyConfig.builder().enabled(true).endpoint("http://127.0.0.1:9000/rt/connect")
 *         .httpHeaders(List.of("Cookie")).build())
 *     .refresh(ProxyConfig.builder().enabled(true).endpoint("http://127.0.0.1:9000/rt/refresh").build())
 *     .build();
 * ServerConfig config = ServerConfig.builder().proxies(proxies).build();
 * }</pre>
 */
public final class ProxiesConfig {

    private static final ProxiesConfig NONE = builder().build();

    private final ProxyConfig connect;
    private final ProxyConfig refresh;

    private ProxiesConfig(Builder b) {
        connect = b.connect;
        refresh = b.refresh;
    }

    /** No proxy: tokens and the application's hooks decide, as before. */
    public static ProxiesConfig none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().connect(connect).refresh(refresh);
    }

    /** {@code client.proxy.connect}. */
    public ProxyConfig connect() {
        return connect;
    }

    /** {@code client.proxy.refresh}. */
    public ProxyConfig refresh() {
        return refresh;
    }

    @Override
    public String toString() {
        return "{connect=" + connect + ", refresh=" + refresh + '}';
    }

    /** Builder of {@link ProxiesConfig}; every proxy starts disabled. */
    public static final class Builder {
        private ProxyConfig connect = ProxyConfig.disabled();
        private ProxyConfig refresh = ProxyConfig.disabled();

        private Builder() {}

        public Builder connect(ProxyConfig v) {
            connect = Objects.requireNonNull(v, "connect");
            return this;
        }

        public Builder refresh(ProxyConfig v) {
            refresh = Objects.requireNonNull(v, "refresh");
            return this;
        }

        public ProxiesConfig build() {
            return new ProxiesConfig(this);
        }
    }
}

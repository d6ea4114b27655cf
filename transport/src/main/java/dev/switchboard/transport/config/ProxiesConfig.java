package dev.switchboard.transport.config;

import dev.switchboard.transport.proxy.Proxies;
import dev.switchboard.transport.proxy.ProxyConfig;
import java.util.Objects;

/**
 * The HTTP proxies to the application's backend, Centrifugo v6's sections: {@code client.proxy}
 * ({@code connect} decides connects that come without a token, {@code refresh} extends expiring
 * connections), {@code channel.proxy} ({@code subscribe}, {@code publish}, {@code sub_refresh},
 * used by the namespaces that enable them) and {@code rpc.proxy}. See {@code docs/proxy.md}.
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
    private final ProxyConfig subscribe;
    private final ProxyConfig publish;
    private final ProxyConfig subRefresh;
    private final ProxyConfig rpc;

    private ProxiesConfig(Builder b) {
        connect = b.connect;
        refresh = b.refresh;
        subscribe = b.subscribe;
        publish = b.publish;
        subRefresh = b.subRefresh;
        rpc = b.rpc;
    }

    /** No proxy: tokens and the application's hooks decide, as before. */
    public static ProxiesConfig none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .connect(connect)
                .refresh(refresh)
                .subscribe(subscribe)
                .publish(publish)
                .subRefresh(subRefresh)
                .rpc(rpc);
    }

    /** {@code client.proxy.connect}. */
    public ProxyConfig connect() {
        return connect;
    }

    /** {@code client.proxy.refresh}. */
    public ProxyConfig refresh() {
        return refresh;
    }

    /** {@code channel.proxy.subscribe}: enabled when it has an endpoint. */
    public ProxyConfig subscribe() {
        return subscribe;
    }

    /** {@code channel.proxy.publish}: enabled when it has an endpoint. */
    public ProxyConfig publish() {
        return publish;
    }

    /** {@code channel.proxy.sub_refresh}: enabled when it has an endpoint. */
    public ProxyConfig subRefresh() {
        return subRefresh;
    }

    /** {@code rpc.proxy}. */
    public ProxyConfig rpc() {
        return rpc;
    }

    /** Every proxy, as the node's {@link Proxies} takes them. */
    public Proxies.Endpoints endpoints() {
        return new Proxies.Endpoints(connect, refresh, subscribe, publish, subRefresh, rpc);
    }

    @Override
    public String toString() {
        return "{connect=" + connect + ", refresh=" + refresh + ", subscribe=" + subscribe + ", publish=" + publish
                + ", subRefresh=" + subRefresh + ", rpc=" + rpc + '}';
    }

    /** Builder of {@link ProxiesConfig}; every proxy starts disabled. */
    public static final class Builder {
        private ProxyConfig connect = ProxyConfig.disabled();
        private ProxyConfig refresh = ProxyConfig.disabled();
        private ProxyConfig subscribe = ProxyConfig.disabled();
        private ProxyConfig publish = ProxyConfig.disabled();
        private ProxyConfig subRefresh = ProxyConfig.disabled();
        private ProxyConfig rpc = ProxyConfig.disabled();

        private Builder() {}

        public Builder connect(ProxyConfig v) {
            connect = Objects.requireNonNull(v, "connect");
            return this;
        }

        public Builder refresh(ProxyConfig v) {
            refresh = Objects.requireNonNull(v, "refresh");
            return this;
        }

        public Builder subscribe(ProxyConfig v) {
            subscribe = Objects.requireNonNull(v, "subscribe");
            return this;
        }

        public Builder publish(ProxyConfig v) {
            publish = Objects.requireNonNull(v, "publish");
            return this;
        }

        public Builder subRefresh(ProxyConfig v) {
            subRefresh = Objects.requireNonNull(v, "subRefresh");
            return this;
        }

        public Builder rpc(ProxyConfig v) {
            rpc = Objects.requireNonNull(v, "rpc");
            return this;
        }

        public ProxiesConfig build() {
            return new ProxiesConfig(this);
        }
    }
}

package dev.switchboard.transport.config;

import dev.switchboard.core.InvalidOptionException;
import dev.switchboard.core.node.NodeOptions;
import dev.switchboard.transport.proxy.ProxyConfig;
import dev.switchboard.transport.webhook.WebhookConfig;
import dev.switchboard.transport.websocket.WebSocketCompression;

/**
 * The builders one config is bound into, so that each key of {@link ConfigKeys} sets its value
 * straight on the builder that owns it: core options on the core's {@link NodeOptions.Builder},
 * no copy in between.
 */
final class ConfigBuilders {

    final ServerConfig.Builder server = ServerConfig.builder();
    final NodeOptions.Builder node = NodeOptions.builder();
    final TokenConfig.Builder token = TokenConfig.builder();
    final ChannelConfig.Builder channel = ChannelConfig.builder();
    final HttpConfig.Builder http = HttpConfig.builder();
    final ProxyConfig.Builder connectProxy = ProxyConfig.builder();
    final ProxyConfig.Builder refreshProxy = ProxyConfig.builder();
    final ProxyConfig.Builder subscribeProxy = ProxyConfig.builder();
    final ProxyConfig.Builder publishProxy = ProxyConfig.builder();
    final ProxyConfig.Builder subRefreshProxy = ProxyConfig.builder();
    final ProxyConfig.Builder rpcProxy = ProxyConfig.builder();
    final ProxyConfig.Builder webhookHttp = ProxyConfig.builder().timeout(WebhookConfig.DEFAULT_TIMEOUT);
    final WebhookConfig.Builder webhook = WebhookConfig.builder();
    final LogConfig.Builder log = LogConfig.builder();
    final TlsConfig.Builder tls = TlsConfig.builder();
    final WebSocketCompression.Builder compression = WebSocketCompression.builder();
    final AdminConfig.Builder admin = AdminConfig.builder();

    /**
     * Assembles the config.
     *
     * @throws ConfigException naming the key, for a check across keys (such as
     *     {@code client.pong_timeout} shorter than {@code client.ping_interval})
     */
    ServerConfig build() {
        return server.token(token.build())
                .node(buildNode(node))
                .channel(channel.build())
                .http(http.build())
                .proxies(ProxiesConfig.builder()
                        .connect(buildProxy(connectProxy, "client.proxy.connect.endpoint"))
                        .refresh(buildProxy(refreshProxy, "client.proxy.refresh.endpoint"))
                        .subscribe(channelProxy(subscribeProxy, "channel.proxy.subscribe.endpoint"))
                        .publish(channelProxy(publishProxy, "channel.proxy.publish.endpoint"))
                        .subRefresh(channelProxy(subRefreshProxy, "channel.proxy.sub_refresh.endpoint"))
                        .rpc(buildProxy(rpcProxy, "rpc.proxy.endpoint"))
                        .build())
                .webhook(webhook.http(buildProxy(webhookHttp, "webhook.endpoint"))
                        .build())
                .log(log.build())
                .tls(tls.build())
                .webSocketCompression(compression.build())
                .admin(admin.build())
                .build();
    }

    /** The one check across a proxy's keys: enabled needs an endpoint. */
    private static ProxyConfig buildProxy(ProxyConfig.Builder b, String endpointKey) {
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(endpointKey, e.getMessage(), e);
        }
    }

    /**
     * A channel proxy has no {@code enabled} key (Centrifugo v6): it is on when it has an endpoint,
     * and used by the namespaces that enable it.
     */
    private static ProxyConfig channelProxy(ProxyConfig.Builder b, String endpointKey) {
        ProxyConfig c = buildProxy(b, endpointKey);
        return c.endpoint() != null ? c.toBuilder().enabled(true).build() : c;
    }

    /** Builds core options, naming the key of the option a core check refused. */
    static NodeOptions buildNode(NodeOptions.Builder node) {
        try {
            return node.build();
        } catch (InvalidOptionException e) {
            // A check across options: its message names both, in the core's words.
            String key =
                    ConfigKeys.byCoreOption(e.option()).map(ConfigKey::path).orElse("client");
            throw new ConfigException(key, e.getMessage(), e);
        }
    }
}

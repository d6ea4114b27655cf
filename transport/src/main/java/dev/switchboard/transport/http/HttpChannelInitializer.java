package dev.switchboard.transport.http;

import dev.switchboard.transport.api.ApiExecutor;
import dev.switchboard.transport.config.HttpConfig;
import dev.switchboard.transport.websocket.WebSocketUpgrade;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up each accepted connection as an HTTP connection hardened against hostile peers:
 * <pre>
 * http-bytes → http (codec) → http-timeouts → http-gate → aggregator → http-pipelining → router
 * </pre>
 * {@link HttpTimeouts} closes stalled sockets, {@link HttpRequestGate} refuses bodies it should not
 * buffer before reading them, {@link HttpPipelining} serves one request at a time and
 * {@link HttpRouter} answers. A connection over {@code http.max_connections_per_ip} is closed on
 * accept.
 */
@ChannelHandler.Sharable
public final class HttpChannelInitializer extends ChannelInitializer<SocketChannel> {

    private static final Logger log = LoggerFactory.getLogger(HttpChannelInitializer.class);

    /** Handlers that serve HTTP requests only; they leave before a WebSocket upgrade. */
    static final List<String> HTTP_ONLY = List.of("http-bytes", "http-timeouts", "http-gate", "http-pipelining");

    private final HttpRefusals refusals;
    private final HttpConfig config;
    private final ApiExecutor api;
    private final ApiKey apiKey;
    private final Supplier<HealthReport> health;
    private final Supplier<String> metrics;
    private final ConnectionsPerIp perIp;
    private final boolean standby;
    private final MountedEndpoints endpoints;
    private final ClientTransports clients;

    /**
     * @param config the {@code http} section
     * @param upgrade serves the WebSocket path, or {@code null} when this port does not (the
     *     internal port)
     * @param api the server API, or {@code null} when disabled
     * @param apiKey the key API callers must present, or {@code null} (then the API refuses all)
     * @param health the health report, or {@code null} when disabled
     * @param metrics Prometheus text, or {@code null} when disabled
     * @param refusals told of every connection cut or request refused to protect the node
     * @param endpoints the application's {@link HttpEndpoint}s on this port, served on their prefixes
     */
    public HttpChannelInitializer(
            HttpConfig config,
            WebSocketUpgrade upgrade,
            ApiExecutor api,
            String apiKey,
            Supplier<HealthReport> health,
            Supplier<String> metrics,
            HttpRefusals refusals,
            MountedEndpoints endpoints) {
        this(config, ClientTransports.webSocketOnly(upgrade), api, apiKey, health, metrics, refusals, endpoints, false);
    }

    /** As above, serving every client transport of {@code clients}. */
    public HttpChannelInitializer(
            HttpConfig config,
            ClientTransports clients,
            ApiExecutor api,
            String apiKey,
            Supplier<HealthReport> health,
            Supplier<String> metrics,
            HttpRefusals refusals,
            MountedEndpoints endpoints) {
        this(config, clients, api, apiKey, health, metrics, refusals, endpoints, false);
    }

    private HttpChannelInitializer(
            HttpConfig config,
            ClientTransports clients,
            ApiExecutor api,
            String apiKey,
            Supplier<HealthReport> health,
            Supplier<String> metrics,
            HttpRefusals refusals,
            MountedEndpoints endpoints,
            boolean standby) {
        this.standby = standby;
        this.endpoints = endpoints;
        this.clients = clients;
        this.refusals = refusals;
        this.config = config;
        this.api = api;
        this.apiKey = new ApiKey(apiKey);
        this.health = health;
        this.metrics = metrics;
        this.perIp = new ConnectionsPerIp(config.maxConnectionsPerIp());
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (!perIp.admit(ch)) {
            log.debug("closing connection from {}: over http.max_connections_per_ip", ch.remoteAddress());
            refusals.refused(HttpRefusals.Reason.PER_IP);
            ch.close();
            return;
        }
        HttpTimeouts timeouts = new HttpTimeouts(config, refusals);
        ch.pipeline()
                .addLast("http-bytes", timeouts.bytesWatcher())
                .addLast("http", new HttpServerCodec())
                .addLast("http-timeouts", timeouts)
                .addLast(
                        "http-gate",
                        new HttpRequestGate(
                                apiKey,
                                api != null,
                                config.maxBodySize(),
                                clients.emulationMaxBody(),
                                refusals,
                                endpoints,
                                clients::uniTakesBody))
                .addLast("aggregator", new HttpObjectAggregator(config.maxBodySize()))
                .addLast("http-pipelining", new HttpPipelining(refusals))
                .addLast(
                        "router",
                        standby
                                ? HttpRouter.standby(apiKey, health, refusals)
                                : new HttpRouter(clients, api, apiKey, health, metrics, refusals, endpoints));
    }

    /**
     * The pipeline of a standby server (the node waits for its engine): the same limits and
     * timeouts, {@code /health} and {@code /ready} from {@code health}, every other path 503.
     */
    public static HttpChannelInitializer standby(
            HttpConfig config, Supplier<HealthReport> health, HttpRefusals refusals) {
        return new HttpChannelInitializer(
                config, ClientTransports.NONE, null, null, health, null, refusals, MountedEndpoints.NONE, true);
    }

    /**
     * Removes the HTTP-only handlers and the body aggregator when a request became a long-lived
     * response stream (uni SSE, uni HTTP stream): the HTTP codec stays to frame the response, and
     * whatever the peer still sends reaches the stream's handler chunk by chunk, to be dropped,
     * instead of being gathered up to {@code http.max_body_size} first.
     */
    static void leaveHttpForStream(ChannelPipeline p) {
        leaveHttp(p);
        if (p.get("aggregator") != null) {
            p.remove("aggregator");
        }
    }

    /** Removes the HTTP-only handlers, just before the connection becomes a WebSocket. */
    public static void leaveHttp(ChannelPipeline p) {
        for (String name : HTTP_ONLY) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
    }
}

package dev.switchboard.transport.http;

import dev.switchboard.transport.api.ApiExecutor;
import dev.switchboard.transport.api.ApiResponse;
import dev.switchboard.transport.emulation.EmulationEndpoints;
import dev.switchboard.transport.uni.UniHttpEndpoints;
import dev.switchboard.transport.websocket.LingeringClose;
import dev.switchboard.transport.websocket.WebSocketUpgrade;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes plain HTTP requests: the WebSocket upgrade, the server API ({@code /api/<method>}, and
 * {@code /api} itself for newline-delimited commands), {@code /health} and {@code /metrics}, and
 * the application's {@link HttpEndpoint}s under their prefixes; any other path is a JSON 404. One instance per connection (it is cheap), last in the pipeline
 * {@link HttpChannelInitializer} sets up, which has bounded and authenticated the request before
 * it gets here.
 *
 * <p>Only the WebSocket upgrade has its {@code Origin} checked ({@link WebSocketUpgrade},
 * {@code client.allowed_origins}): the server API authenticates with its key, which a page on
 * another site does not have and a browser never adds by itself, and {@code /health} and
 * {@code /metrics} act on nobody's behalf.
 */
public final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);
    /** Prefix of server API methods: {@code POST /api/publish}. */
    public static final String API_PREFIX = "/api/";
    /** Centrifugo's first API path: newline-delimited {@code {"method","params"}} commands. */
    public static final String API_COMMANDS_PATH = "/api";
    /**
     * What an unknown path gets: Centrifugo's API error "not found" (a plain-text 404 breaks API
     * clients that parse every answer as JSON, e.g. cent.js).
     */
    static final String NOT_FOUND_JSON = "{\"error\":{\"code\":104,\"message\":\"not found\"}}";
    /** What {@code /metrics} answers when too many scrapes are already waiting, or one failed. */
    static final String METRICS_BUSY_JSON = "{\"error\":\"metrics busy, try again\"}";

    /** What a standby server answers on every path but health: temporary, try again. */
    static final String STARTING_JSON =
            "{\"error\":{\"code\":100,\"message\":\"node starting: engine unavailable\",\"temporary\":true}}";

    private static final String JSON = HttpResponses.JSON;

    private final WebSocketUpgrade upgrade;
    private final ApiExecutor api;
    private final ApiKey apiKey;
    private final Supplier<HealthReport> health;
    private final Supplier<String> metrics;
    private final HttpRefusals refusals;
    /** A standby server's router: every path but health is a temporary 503. */
    private final boolean standby;
    /** The application's endpoints on this port ({@link HttpEndpoint}). */
    private final MountedEndpoints endpoints;
    /** HTTP-streaming and SSE with /emulation, or {@code null} where client transports are not served. */
    private final EmulationEndpoints emulation;
    /** Serve {@code uni_websocket} through {@link #upgrade}. */
    private final boolean uniWebSocket;
    /** The unidirectional HTTP streams, or {@code null} when none is enabled or this port serves no clients. */
    private final UniHttpEndpoints uniStreams;

    /**
     * @param upgrade serves the WebSocket path, or {@code null} when this port does not (the
     *     internal port)
     * @param api the server API, or {@code null} when disabled
     * @param apiKey the key API callers must present
     * @param health the health report, or {@code null} when disabled
     * @param metrics Prometheus text, or {@code null} when disabled
     * @param refusals told of upgrades refused for their origin
     * @param endpoints the application's {@link HttpEndpoint}s on this port, served on their prefixes
     */
    public HttpRouter(
            WebSocketUpgrade upgrade,
            ApiExecutor api,
            ApiKey apiKey,
            Supplier<HealthReport> health,
            Supplier<String> metrics,
            HttpRefusals refusals,
            MountedEndpoints endpoints) {
        this(ClientTransports.webSocketOnly(upgrade), api, apiKey, health, metrics, refusals, endpoints, false);
    }

    /** As above, serving every client transport of {@code clients}. */
    public HttpRouter(
            ClientTransports clients,
            ApiExecutor api,
            ApiKey apiKey,
            Supplier<HealthReport> health,
            Supplier<String> metrics,
            HttpRefusals refusals,
            MountedEndpoints endpoints) {
        this(clients, api, apiKey, health, metrics, refusals, endpoints, false);
    }

    private HttpRouter(
            ClientTransports clients,
            ApiExecutor api,
            ApiKey apiKey,
            Supplier<HealthReport> health,
            Supplier<String> metrics,
            HttpRefusals refusals,
            MountedEndpoints endpoints,
            boolean standby) {
        this.standby = standby;
        this.endpoints = endpoints;
        this.upgrade = clients.webSocket();
        this.emulation = clients.emulation();
        this.uniWebSocket = clients.uniWebSocket();
        this.uniStreams = clients.uniStreams();
        this.api = api;
        this.apiKey = apiKey;
        this.health = health;
        this.metrics = metrics;
        this.refusals = refusals;
    }

    /** The router of a {@code StandbyServer}: health and readiness answer, everything else is 503. */
    static HttpRouter standby(ApiKey apiKey, Supplier<HealthReport> health, HttpRefusals refusals) {
        return new HttpRouter(ClientTransports.NONE, null, apiKey, health, null, refusals, MountedEndpoints.NONE, true);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            // The codec ignores everything after a request it cannot parse: this connection is done.
            respond(ctx, false, HttpResponseStatus.BAD_REQUEST, "text/plain", bytes("bad request\n"));
            return;
        }
        String path = pathOf(req.uri());
        if (standby && !path.equals("/health") && !path.equals("/ready")) {
            // A standby server (the node is waiting for its engine): only health answers.
            respond(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, JSON, bytes(STARTING_JSON));
            return;
        }
        if (uniStreams != null && uniStreams.serves(path)) {
            uniStreams.handle(ctx, req, path, HttpChannelInitializer::leaveHttpForStream);
            return;
        }
        boolean uniWs = uniWebSocket && path.equals(WebSocketUpgrade.UNI_PATH);
        if ((path.equals(WebSocketUpgrade.PATH) || uniWs) && upgrade != null) {
            if (req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
                // HTTP timeouts and pipelining must not outlive the request: the WebSocket lives for hours.
                HttpChannelInitializer.leaveHttp(ctx.pipeline());
                WebSocketUpgrade.Result result = upgrade.upgrade(ctx, req, uniWs);
                if (result == WebSocketUpgrade.Result.REFUSED_ORIGIN) {
                    refusals.refused(HttpRefusals.Reason.ORIGIN);
                }
                if (!ctx.isRemoved()) {
                    // Handshake refused (426 unsupported version, 403 origin; answered). Its HTTP timeouts
                    // are gone, so the close must be bounded by itself: a peer that never reads it is cut.
                    LingeringClose.after(ctx.writeAndFlush(Unpooled.EMPTY_BUFFER));
                }
            } else {
                respond(
                        ctx,
                        req,
                        HttpResponseStatus.BAD_REQUEST,
                        "text/plain",
                        bytes("expected a WebSocket upgrade\n"));
            }
            return;
        }
        if (emulation != null && EmulationEndpoints.handles(path)) {
            emulation.handle(ctx, req, path, c -> HttpChannelInitializer.leaveHttp(c.pipeline()));
            return;
        }
        if (api != null && isApiPath(path)) {
            api(ctx, req, path.equals(API_COMMANDS_PATH) ? null : path.substring(API_PREFIX.length()));
            return;
        }
        if ((path.equals("/health") || path.equals("/ready")) && health != null) {
            HealthReport h = path.equals("/ready") ? health.get().asReadiness() : health.get();
            respond(
                    ctx,
                    req,
                    h.ok() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                    JSON,
                    h.toJson());
            return;
        }
        if (path.equals("/metrics") && metrics != null) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            MetricsRendering.render(metrics).whenComplete((text, err) -> {
                if (err != null) {
                    log.debug("/metrics not rendered: {}", err.toString());
                    respond(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, JSON, bytes(METRICS_BUSY_JSON));
                } else {
                    respond(
                            ctx,
                            keepAlive,
                            HttpResponseStatus.OK,
                            "text/plain; version=0.0.4; charset=utf-8",
                            bytes(text));
                }
            });
            return;
        }
        HttpEndpoint endpoint = endpoints.find(path);
        if (endpoint != null) {
            EndpointCall.run(ctx, req, path, endpoint);
            return;
        }
        respond(ctx, req, HttpResponseStatus.NOT_FOUND, JSON, bytes(NOT_FOUND_JSON));
    }

    /** The path of a request URI, without its query. */
    static String pathOf(String uri) {
        int q = uri.indexOf('?');
        return q >= 0 ? uri.substring(0, q) : uri;
    }

    /** Whether a path is the server API's: {@code /api} or under {@code /api/}. */
    static boolean isApiPath(String path) {
        return path.startsWith(API_PREFIX) || path.equals(API_COMMANDS_PATH);
    }

    /** @param method the method of {@code /api/<method>}; {@code null} for {@code /api} */
    private void api(ChannelHandlerContext ctx, FullHttpRequest req, String method) {
        // HttpRequestGate refused keyless calls before their body was read; checked again so the router is safe alone.
        if (!apiKey.matches(req.headers())) {
            respond(ctx, false, HttpResponseStatus.UNAUTHORIZED, JSON, bytes(ApiKey.UNAUTHORIZED_JSON));
            return;
        }
        if (req.method() != HttpMethod.POST) {
            respond(
                    ctx,
                    req,
                    HttpResponseStatus.METHOD_NOT_ALLOWED,
                    JSON,
                    bytes("{\"error\":{\"code\":405,\"message\":\"use POST\"}}"));
            return;
        }
        byte[] body = ByteBufUtil.getBytes(req.content());
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        CompletableFuture<ApiResponse> call =
                method == null ? api.executeCommandLines(body) : api.execute(method, body);
        call.whenComplete((r, err) -> {
            if (err != null) {
                log.warn("API {} failed", method == null ? "command lines" : method, err);
                respond(
                        ctx,
                        keepAlive,
                        HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        JSON,
                        bytes("{\"error\":{\"code\":100,\"message\":\"internal server error\"}}"));
            } else {
                respond(ctx, keepAlive, HttpResponseStatus.valueOf(r.httpStatus()), JSON, r.json());
            }
        });
    }

    private static byte[] bytes(String s) {
        return HttpResponses.bytes(s);
    }

    private static void respond(
            ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String type, byte[] body) {
        respond(ctx, HttpUtil.isKeepAlive(req), status, type, body);
    }

    private static void respond(
            ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String type, byte[] body) {
        send(ctx, HttpResponses.of(status, type, body, keepAlive), keepAlive);
    }

    /** Writes {@code res} on the connection's event loop, closing after it unless kept alive. */
    static void send(ChannelHandlerContext ctx, FullHttpResponse res, boolean keepAlive) {
        if (ctx.executor().inEventLoop()) {
            write(ctx, res, keepAlive);
        } else {
            ctx.executor().execute(() -> write(ctx, res, keepAlive));
        }
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse res, boolean keepAlive) {
        if (keepAlive) {
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection error: {}", cause.toString());
        ctx.close();
    }
}

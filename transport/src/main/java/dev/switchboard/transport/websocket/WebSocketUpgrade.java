package dev.switchboard.transport.websocket;

import dev.switchboard.core.node.Node;
import dev.switchboard.core.protocol.ProtocolFormat;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an HTTP request on the WebSocket path into a WebSocket connection served by a
 * {@link WebSocketFrameHandler}, once its {@code Origin} passes the {@link OriginCheck}.
 *
 * <pre>{@code
 * WebSocketUpgrade upgrade = new WebSocketUpgrade(node, 65_536, 1 << 20, OriginCheck.of(List.of("https://app.example.com")));
 * // in the HTTP handler, for a request to PATH carrying "Upgrade: websocket":
 * if (upgrade.upgrade(ctx, request) != WebSocketUpgrade.Result.UPGRADED) {
 *     // an error response was written; end the connection (the caller chooses how)
 * }
 * }</pre>
 */
public final class WebSocketUpgrade {

    private static final Logger log = LoggerFactory.getLogger(WebSocketUpgrade.class);

    /** The path clients connect to, as in Centrifugo. */
    public static final String PATH = "/connection/websocket";
    /**
     * The unidirectional WebSocket path: the first message (or the {@code cf_connect} query
     * parameter) is a connect request, then the server only sends pushes (Centrifugo's
     * {@code uni_websocket}).
     */
    public static final String UNI_PATH = "/connection/uni_websocket";

    /** The body of the 403 that refuses an origin. */
    static final String FORBIDDEN_ORIGIN_BODY = "origin not allowed\n";

    /** What {@link #upgrade} did with a request. */
    public enum Result {
        /** The handshake is under way; the connection is a WebSocket now. */
        UPGRADED,
        /** An unsupported {@code Sec-WebSocket-Version}: 426 written. */
        REFUSED_VERSION,
        /** An {@code Origin} the {@link OriginCheck} does not allow: 403 written. */
        REFUSED_ORIGIN
    }

    private final Node node;
    private final int maxMessageSize;
    private final long maxQueuedBytes;
    private final OriginCheck origins;
    /** Whether a refused origin was logged at info yet: the first one tells an operator why, the rest are debug. */
    private final AtomicBoolean refusalLogged = new AtomicBoolean();

    private final Set<String> keptHeaders;
    private final TrafficMetrics traffic;
    private final WebSocketCompression compression;
    private final long writeDelayNanos;

    /** As {@link #WebSocketUpgrade(Node, int, long, OriginCheck, Set)}: same-origin rule, no headers kept. */
    public WebSocketUpgrade(Node node, int maxMessageSize, long maxQueuedBytes) {
        this(node, maxMessageSize, maxQueuedBytes, OriginCheck.SAME_ORIGIN, Set.of());
    }

    /**
     * @param node the node the connections join
     * @param maxMessageSize largest inbound message; larger ones close the connection with 1009
     * @param maxQueuedBytes outbound bytes a connection may have pending before it is "slow"
     * @param origins which {@code Origin} headers may upgrade ({@code client.allowed_origins})
     * @param keptHeaders names (any case) of upgrade-request headers the connection keeps for
     *     its connect decision, e.g. a connect proxy's {@code http_headers}; others are dropped
     *     with the request, so a connection holds no more than a proxy forwards
     */
    public WebSocketUpgrade(
            Node node, int maxMessageSize, long maxQueuedBytes, OriginCheck origins, Set<String> keptHeaders) {
        this(node, maxMessageSize, maxQueuedBytes, origins, keptHeaders, TrafficMetrics.NOOP);
    }

    /**
     * As {@link #WebSocketUpgrade(Node, int, long, OriginCheck, Set)}, counting each connection's
     * messages and bytes in {@code traffic}.
     */
    public WebSocketUpgrade(
            Node node,
            int maxMessageSize,
            long maxQueuedBytes,
            OriginCheck origins,
            Set<String> keptHeaders,
            TrafficMetrics traffic) {
        this(node, maxMessageSize, maxQueuedBytes, origins, keptHeaders, traffic, WebSocketCompression.OFF);
    }

    /** As the constructor above, negotiating permessage-deflate as {@code compression} says. */
    public WebSocketUpgrade(
            Node node,
            int maxMessageSize,
            long maxQueuedBytes,
            OriginCheck origins,
            Set<String> keptHeaders,
            TrafficMetrics traffic,
            WebSocketCompression compression) {
        this(node, maxMessageSize, maxQueuedBytes, origins, keptHeaders, traffic, compression, Duration.ZERO);
    }

    /**
     * As the constructor above, each connection holding its first queued message back for
     * {@code writeDelay} ({@code client.write_delay}) so that those arriving meanwhile share its write.
     */
    public WebSocketUpgrade(
            Node node,
            int maxMessageSize,
            long maxQueuedBytes,
            OriginCheck origins,
            Set<String> keptHeaders,
            TrafficMetrics traffic,
            WebSocketCompression compression,
            Duration writeDelay) {
        this.writeDelayNanos = writeDelay.toNanos();
        this.compression = compression;
        this.traffic = traffic;
        this.node = node;
        this.maxMessageSize = maxMessageSize;
        this.maxQueuedBytes = maxQueuedBytes;
        this.origins = origins;
        this.keptHeaders = lowerCase(keptHeaders);
    }

    /** The kept headers of the request; their size is bounded by the HTTP decoder's header limit. */
    private Map<String, List<String>> keptHeaders(FullHttpRequest req) {
        return keptHeaders(req.headers(), keptHeaders);
    }

    /**
     * The headers named in {@code lowerCaseNames} (a connect proxy's {@code http_headers}) that a
     * connection keeps for its connect decision, with lower-case names; the rest are dropped.
     *
     * <pre>{@code
     * Map<String, List<String>> kept = WebSocketUpgrade.keptHeaders(request.headers(), Set.of("cookie"));
     * }</pre>
     */
    public static Map<String, List<String>> keptHeaders(HttpHeaders headers, Set<String> lowerCaseNames) {
        if (lowerCaseNames.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> out = new HashMap<>();
        for (String name : lowerCaseNames) {
            List<String> values = headers.getAll(name);
            if (!values.isEmpty()) {
                out.put(name, List.copyOf(values));
            }
        }
        return Map.copyOf(out);
    }

    /** Lower-cases header names once, for {@link #keptHeaders(HttpHeaders, Set)}. */
    public static Set<String> lowerCase(Set<String> names) {
        Set<String> lower = new HashSet<>();
        names.forEach(h -> lower.add(h.toLowerCase(Locale.ROOT)));
        return Set.copyOf(lower);
    }

    /**
     * Checks the origin, then completes the handshake and swaps the HTTP handlers for WebSocket
     * ones. When it refuses, the response is written and flushed and the connection left open:
     * the caller ends it.
     */
    public Result upgrade(ChannelHandlerContext ctx, FullHttpRequest req) {
        return upgrade(ctx, req, false);
    }

    /**
     * As {@link #upgrade(ChannelHandlerContext, FullHttpRequest)}; {@code unidirectional} makes
     * it a {@code uni_websocket} connection ({@link #UNI_PATH}): Centrifugo's unidirectional JSON,
     * connect request as the first message or in the {@code cf_connect} query parameter.
     */
    public Result upgrade(ChannelHandlerContext ctx, FullHttpRequest req, boolean unidirectional) {
        if (!originAllowed(req.headers())) {
            FullHttpResponse res = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1,
                    HttpResponseStatus.FORBIDDEN,
                    Unpooled.copiedBuffer(FORBIDDEN_ORIGIN_BODY, StandardCharsets.US_ASCII));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            HttpUtil.setContentLength(res, res.content().readableBytes());
            HttpUtil.setKeepAlive(res, false);
            ctx.writeAndFlush(res);
            return Result.REFUSED_ORIGIN;
        }
        String scheme = "ws";
        String host = req.headers().get("Host", "localhost");
        WebSocketServerExtension deflate = compression.negotiate(req.headers(), maxMessageSize);
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxMessageSize)
                // RSV1 marks a compressed frame: allowed only once compression is agreed.
                .allowExtensions(deflate != null)
                .closeOnProtocolViolation(true)
                .build();
        ProtocolSelection protocol = unidirectional ? null : ProtocolSelection.of(req);
        WebSocketServerHandshakerFactory factory = new WebSocketServerHandshakerFactory(
                scheme + "://" + host + (unidirectional ? UNI_PATH : PATH),
                unidirectional ? null : protocol.subprotocol(),
                decoder);
        WebSocketServerHandshaker handshaker = factory.newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return Result.REFUSED_VERSION;
        }
        // Frame handlers go in before the handshake so no frame can reach the HTTP router.
        ChannelPipeline p = ctx.pipeline();
        // Text frames must be valid UTF-8 (RFC 6455 §8.1): 1007 otherwise, before any JSON parser sees them.
        p.addLast("ws-utf8", new Utf8FrameValidator(true));
        p.addLast("ws-aggregator", new WebSocketFrameAggregator(maxMessageSize));
        ProtocolFormat format = unidirectional ? ProtocolFormat.UNI_JSON : protocol.format();
        WebSocketFrameHandler handler =
                new WebSocketFrameHandler(node, maxQueuedBytes, keptHeaders(req), format, traffic, writeDelayNanos);
        p.addLast("ws-handler", handler);
        p.remove(ctx.handler());
        String urlConnect = unidirectional ? urlConnect(req.uri()) : null;
        HttpHeaders answer = null;
        if (deflate != null) {
            answer = new DefaultHttpHeaders()
                    .set(
                            HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS,
                            WebSocketCompression.header(deflate.newReponseData()));
        }
        handshaker
                .handshake(ctx.channel(), req, answer, ctx.channel().newPromise())
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        ctx.channel().close();
                    } else if (urlConnect != null) {
                        handler.connectFromUrl(urlConnect.getBytes(StandardCharsets.UTF_8));
                    }
                });
        if (deflate != null) {
            // The handshake put the frame codec in ("wsdecoder", "wsencoder"); inflate right after
            // frames are decoded, deflate right before they are encoded.
            p.addAfter("wsdecoder", "ws-inflate", deflate.newExtensionDecoder());
            p.addAfter("wsencoder", "ws-deflate", deflate.newExtensionEncoder());
        }
        return Result.UPGRADED;
    }

    /**
     * The {@code cf_connect} query parameter, or {@code null}. Its length is bounded by the HTTP
     * decoder's request-line limit.
     */
    public static String urlConnect(String uri) {
        List<String> v = new QueryStringDecoder(uri, StandardCharsets.UTF_8, true, 8)
                .parameters()
                .get("cf_connect");
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private boolean originAllowed(HttpHeaders headers) {
        boolean allowed = origins.allowsRequest(headers);
        List<String> origin = headers.getAll(HttpHeaderNames.ORIGIN);
        List<String> host = headers.getAll(HttpHeaderNames.HOST);
        if (!allowed) {
            String o = OriginCheck.printable(String.join(", ", origin), 200);
            String h = OriginCheck.printable(host.isEmpty() ? null : String.join(", ", host), 200);
            if (refusalLogged.compareAndSet(false, true)) {
                log.info(
                        "refused a WebSocket upgrade (403) from Origin {} for Host {}: allowed are {}."
                                + " Behind a proxy that rewrites Host, set client.allowed_origins. Later refusals are"
                                + " logged at debug and counted in switchboard_http_refused_total{reason=\"origin\"}",
                        o,
                        h,
                        origins);
            } else {
                log.debug("refused a WebSocket upgrade (403) from Origin {} for Host {}", o, h);
            }
        }
        return allowed;
    }
}

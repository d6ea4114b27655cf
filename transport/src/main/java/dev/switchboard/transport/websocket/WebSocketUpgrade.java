package dev.switchboard.transport.websocket;

import dev.switchboard.core.node.Node;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns an HTTP request on the WebSocket path into a WebSocket connection served by a
 * {@link WebSocketFrameHandler}.
 */
public final class WebSocketUpgrade {

    /** The path clients connect to, as in Centrifugo. */
    public static final String PATH = "/connection/websocket";

    private final Node node;
    private final int maxMessageSize;
    private final long maxQueuedBytes;
    private final Set<String> keptHeaders;

    /** As {@link #WebSocketUpgrade(Node, int, long, Set)}, keeping no headers. */
    public WebSocketUpgrade(Node node, int maxMessageSize, long maxQueuedBytes) {
        this(node, maxMessageSize, maxQueuedBytes, Set.of());
    }

    /**
     * @param node the node the connections join
     * @param maxMessageSize largest inbound message; larger ones close the connection with 1009
     * @param maxQueuedBytes outbound bytes a connection may have pending before it is "slow"
     * @param keptHeaders names (any case) of upgrade-request headers the connection keeps for
     *     its connect decision, e.g. a connect proxy's {@code http_headers}; others are dropped
     *     with the request, so a connection holds no more than a proxy forwards
     */
    public WebSocketUpgrade(Node node, int maxMessageSize, long maxQueuedBytes, Set<String> keptHeaders) {
        this.node = node;
        this.maxMessageSize = maxMessageSize;
        this.maxQueuedBytes = maxQueuedBytes;
        Set<String> lower = new HashSet<>();
        keptHeaders.forEach(h -> lower.add(h.toLowerCase(Locale.ROOT)));
        this.keptHeaders = Set.copyOf(lower);
    }

    /** The kept headers of the request; their size is bounded by the HTTP decoder's header limit. */
    private Map<String, List<String>> keptHeaders(FullHttpRequest req) {
        if (keptHeaders.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> out = new HashMap<>();
        for (String name : keptHeaders) {
            List<String> values = req.headers().getAll(name);
            if (!values.isEmpty()) {
                out.put(name, List.copyOf(values));
            }
        }
        return Map.copyOf(out);
    }

    /** Completes the handshake and swaps the HTTP handlers for WebSocket ones. */
    public void upgrade(ChannelHandlerContext ctx, FullHttpRequest req) {
        String scheme = "ws";
        String host = req.headers().get("Host", "localhost");
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxMessageSize)
                .allowExtensions(false)
                .closeOnProtocolViolation(true)
                .build();
        WebSocketServerHandshakerFactory factory =
                new WebSocketServerHandshakerFactory(scheme + "://" + host + PATH, null, decoder);
        WebSocketServerHandshaker handshaker = factory.newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        // Frame handlers go in before the handshake so no frame can reach the HTTP router.
        ChannelPipeline p = ctx.pipeline();
        // Text frames must be valid UTF-8 (RFC 6455 §8.1): 1007 otherwise, before any JSON parser sees them.
        p.addLast("ws-utf8", new Utf8FrameValidator(true));
        p.addLast("ws-aggregator", new WebSocketFrameAggregator(maxMessageSize));
        p.addLast("ws-handler", new WebSocketFrameHandler(node, maxQueuedBytes, keptHeaders(req)));
        p.remove(ctx.handler());
        handshaker.handshake(ctx.channel(), req).addListener(f -> {
            if (!f.isSuccess()) {
                ctx.channel().close();
            }
        });
    }
}

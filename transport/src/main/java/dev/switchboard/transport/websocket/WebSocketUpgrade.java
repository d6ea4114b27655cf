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

    /**
     * @param node the node the connections join
     * @param maxMessageSize largest inbound message; larger ones close the connection with 1009
     * @param maxQueuedBytes outbound bytes a connection may have pending before it is "slow"
     */
    public WebSocketUpgrade(Node node, int maxMessageSize, long maxQueuedBytes) {
        this.node = node;
        this.maxMessageSize = maxMessageSize;
        this.maxQueuedBytes = maxQueuedBytes;
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
        p.addLast("ws-handler", new WebSocketFrameHandler(node, maxQueuedBytes));
        p.remove(ctx.handler());
        handshaker.handshake(ctx.channel(), req).addListener(f -> {
            if (!f.isSuccess()) {
                ctx.channel().close();
            }
        });
    }
}

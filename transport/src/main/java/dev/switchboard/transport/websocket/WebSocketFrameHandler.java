package dev.switchboard.transport.websocket;

import dev.switchboard.core.node.Client;
import dev.switchboard.core.node.Node;
import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a WebSocket connection's data frames to its {@link Client} session and reports the
 * connection's end. Knows frames, never channels. A JSON connection takes text frames, a
 * protobuf one binary frames; the other kind closes it with 3506.
 */
final class WebSocketFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger log = LoggerFactory.getLogger(WebSocketFrameHandler.class);

    private final Node node;
    private final long maxQueuedBytes;
    private final long writeDelayNanos;
    private WebSocketTransport transport;
    private Client client;
    /** A unidirectional connection sent (or its URL carried) its connect request. */
    private boolean connectSent;

    private final Map<String, List<String>> headers;
    private final ProtocolFormat format;
    private final TrafficMetrics traffic;
    private TrafficMetrics.Counter received = TrafficMetrics.Counter.NOOP;

    /**
     * Whether a frame of the wrong kind was logged at info yet: the first tells an operator why
     * clients get 3506 (an SDK and a node disagreeing on the encoding), the rest are debug.
     */
    private static final AtomicBoolean wrongFrameLogged = new AtomicBoolean();

    WebSocketFrameHandler(Node node, long maxQueuedBytes) {
        this(node, maxQueuedBytes, Map.of(), ProtocolFormat.JSON);
    }

    WebSocketFrameHandler(Node node, long maxQueuedBytes, Map<String, List<String>> headers, ProtocolFormat format) {
        this(node, maxQueuedBytes, headers, format, TrafficMetrics.NOOP);
    }

    WebSocketFrameHandler(
            Node node,
            long maxQueuedBytes,
            Map<String, List<String>> headers,
            ProtocolFormat format,
            TrafficMetrics traffic) {
        this(node, maxQueuedBytes, headers, format, traffic, 0);
    }

    WebSocketFrameHandler(
            Node node,
            long maxQueuedBytes,
            Map<String, List<String>> headers,
            ProtocolFormat format,
            TrafficMetrics traffic,
            long writeDelayNanos) {
        this.writeDelayNanos = writeDelayNanos;
        this.traffic = traffic;
        this.node = node;
        this.maxQueuedBytes = maxQueuedBytes;
        this.headers = headers;
        this.format = format;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        transport = new WebSocketTransport(
                ctx.channel(),
                maxQueuedBytes,
                headers,
                format,
                traffic.sent(format),
                traffic.flushed(format),
                writeDelayNanos);
        received = traffic.received(format);
        client = node.newClient(transport);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (transport.isClosing() && !(frame instanceof CloseWebSocketFrame)) {
            // Lingering after our Close frame: what the peer still sends is read only to be dropped.
            return;
        }
        if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
            boolean binary = frame instanceof BinaryWebSocketFrame;
            if (binary != (format == ProtocolFormat.PROTOBUF)) {
                wrongFrame(binary);
                client.close(Disconnect.INAPPROPRIATE_PROTOCOL);
                return;
            }
            ByteBuf content = frame.content();
            received.message(content.readableBytes());
            if (format == ProtocolFormat.UNI_JSON && connectSent) {
                // Unidirectional: after the connect request nothing is read, but it is rate-limited
                // like commands, so a flood still closes the client (3013).
                client.acceptControlFrame();
                return;
            }
            connectSent = true;
            client.handleFrame(ByteBufUtil.getBytes(content));
        } else if (frame instanceof PingWebSocketFrame) {
            // Pings are rate-limited like commands and their pongs count against the queue bound.
            if (client.acceptControlFrame()) {
                transport.writeControl(new PongWebSocketFrame(frame.content().retain()));
            }
        } else if (frame instanceof CloseWebSocketFrame close) {
            transport.peerClosed(close);
        }
    }

    private void wrongFrame(boolean binary) {
        String what = binary
                ? "a binary frame on a JSON connection (a protobuf client must offer the centrifuge-protobuf"
                        + " subprotocol or connect with ?cf_protocol=protobuf)"
                : "a text frame on a protobuf connection";
        if (wrongFrameLogged.compareAndSet(false, true)) {
            log.info("closing a client with 3506 (inappropriate protocol): {}. Later ones are logged at debug", what);
        } else {
            log.debug("closing a client with 3506 (inappropriate protocol): {}", what);
        }
    }

    /**
     * A unidirectional connection's connect request from its URL ({@code cf_connect}), once the
     * handshake is done; a connect message the client still sends is then ignored.
     */
    void connectFromUrl(byte[] connectRequest) {
        if (!connectSent && !transport.isClosing()) {
            connectSent = true;
            client.handleFrame(connectRequest);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        client.transportClosed(transport.closedWith());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException
                || cause instanceof io.netty.handler.codec.compression.DecompressionException) {
            // Also a compressed message that inflates past the limit (permessage-deflate): 1009 too.
            // The aggregator refused a fragmented message over the limit; unlike the frame decoder
            // it sends no close frame, and the client would see 1006 instead of 1009.
            log.debug("closing connection on a too big message: {}", cause.getMessage());
            transport.closeWithStatus(WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), "message too big");
            return;
        }
        if (cause instanceof CorruptedWebSocketFrameException || cause instanceof CorruptedFrameException) {
            // The decoder or the UTF-8 validator already answered with a close frame (1009, 1007, 1002).
            log.debug("closing connection on bad frame: {}", cause.getMessage());
        } else {
            log.debug("connection error: {}", cause.toString());
        }
        ctx.close();
    }
}

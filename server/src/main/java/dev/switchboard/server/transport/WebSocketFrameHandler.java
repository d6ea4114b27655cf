package dev.switchboard.server.transport;

import dev.switchboard.core.node.Client;
import dev.switchboard.core.node.Node;
import dev.switchboard.core.protocol.Disconnect;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.TooLongFrameException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a WebSocket connection's text frames to its {@link Client} session and reports the
 * connection's end. Knows frames, never channels.
 */
final class WebSocketFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger log = LoggerFactory.getLogger(WebSocketFrameHandler.class);

    private final Node node;
    private final long maxQueuedBytes;
    private WebSocketTransport transport;
    private Client client;

    WebSocketFrameHandler(Node node, long maxQueuedBytes) {
        this.node = node;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        transport = new WebSocketTransport(ctx.channel(), maxQueuedBytes);
        client = node.newClient(transport);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame text) {
            ByteBuf content = text.content();
            client.handleFrame(ByteBufUtil.getBytes(content));
        } else if (frame instanceof BinaryWebSocketFrame) {
            client.close(Disconnect.INAPPROPRIATE_PROTOCOL);
        } else if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        } else if (frame instanceof CloseWebSocketFrame) {
            ctx.writeAndFlush(new CloseWebSocketFrame(frame.isFinalFragment(), frame.rsv(), frame.content().retain()))
                .addListener(f -> ctx.close());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        client.transportClosed(transport.closedWith());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException || cause instanceof TooLongFrameException
            || cause instanceof CorruptedFrameException) {
            // Netty's decoder already answers with a close frame (1009 for too big, 1002 otherwise).
            log.debug("closing connection on bad frame: {}", cause.getMessage());
        } else {
            log.debug("connection error: {}", cause.toString());
        }
        ctx.close();
    }
}

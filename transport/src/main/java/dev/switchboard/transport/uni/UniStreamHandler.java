package dev.switchboard.transport.uni;

import dev.switchboard.core.node.Client;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last in the pipeline of a unidirectional HTTP stream once it started: whatever the peer still
 * sends is dropped as it arrives (it has nothing more to say, and nothing is buffered for it), and
 * the connection's end is reported to the session.
 */
final class UniStreamHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(UniStreamHandler.class);

    private final Client client;
    private final UniStreamTransport transport;

    UniStreamHandler(Client client, UniStreamTransport transport) {
        this.client = client;
        this.transport = transport;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        client.transportClosed(transport.closedWith());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("uni stream error: {}", cause.toString());
        ctx.close();
    }
}

package dev.switchboard.transport.stream;

import dev.switchboard.core.node.Client;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last in the pipeline of an HTTP stream ({@link StreamTransport}) once it started: whatever the peer still
 * sends is dropped as it arrives (it has nothing more to say, and nothing is buffered for it), and
 * the connection's end is reported to the session.
 */
public final class StreamHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(StreamHandler.class);

    private final Client client;
    private final StreamTransport transport;

    /** @param client the session the stream serves, told when the connection ends */
    public StreamHandler(Client client, StreamTransport transport) {
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
        log.debug("HTTP stream error: {}", cause.toString());
        ctx.close();
    }
}

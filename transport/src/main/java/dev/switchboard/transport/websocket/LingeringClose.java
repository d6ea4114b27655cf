package dev.switchboard.transport.websocket;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DuplexChannel;
import java.util.concurrent.TimeUnit;

/**
 * Ends a connection after a last message (a WebSocket Close frame, an HTTP 401, 408 or 413)
 * so that the peer can read that message.
 *
 * <p>Closing a socket while the peer's bytes are still arriving makes the kernel answer with a
 * reset, and a reset can discard what the peer had not read yet: a client flooding pings sees
 * 1006 instead of our 3013, an upload refused with 401 sees "connection reset". So once the last
 * message is written, only our direction is shut (the peer reads it, then end of stream); what
 * the peer still sends is read and dropped by the handlers, and the connection is closed when the
 * peer closes its side, or after {@link #GRACE_MILLIS} whatever happens (a peer that never reads
 * keeps the message stuck in our buffer and is cut then).
 *
 * <pre>{@code
 * LingeringClose.after(ctx.writeAndFlush(new CloseWebSocketFrame(3013, "too many requests")));
 * }</pre>
 */
public final class LingeringClose {

    /** The longest a connection lingers after its last message before it is closed. */
    public static final long GRACE_MILLIS = 1000;

    private LingeringClose() {}

    /** Shuts our side once {@code lastWrite} is done and closes the connection within the grace. */
    public static void after(ChannelFuture lastWrite) {
        Channel channel = lastWrite.channel();
        lastWrite.addListener(f -> {
            if (f.isSuccess() && channel instanceof DuplexChannel duplex && channel.isActive()) {
                duplex.shutdownOutput();
            } else {
                channel.close();
            }
        });
        channel.eventLoop()
                .schedule(
                        () -> {
                            channel.close();
                        },
                        GRACE_MILLIS,
                        TimeUnit.MILLISECONDS);
    }
}

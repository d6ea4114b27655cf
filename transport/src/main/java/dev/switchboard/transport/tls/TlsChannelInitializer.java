package dev.switchboard.transport.tls;

import dev.switchboard.transport.http.HttpRefusals;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts TLS in front of another pipeline (the HTTP one):
 * <pre>
 * tls → tls-events → (the inner initializer's handlers)
 * </pre>
 * {@code tls} is a handler of the context current at accept, so a reload reaches new connections
 * only; {@code tls-events} counts handshakes cut by {@code tls.handshake_timeout} and keeps failed
 * handshakes (plain HTTP to the TLS port, scanners) out of the logs above debug.
 *
 * <pre>{@code
 * bootstrap.childHandler(new TlsChannelInitializer(tls, new HttpChannelInitializer(...), refusals));
 * }</pre>
 */
@ChannelHandler.Sharable
public final class TlsChannelInitializer extends ChannelInitializer<SocketChannel> {

    private static final Logger log = LoggerFactory.getLogger(TlsChannelInitializer.class);

    private final TlsContextHolder tls;
    private final ChannelHandler inner;
    private final HandshakeEvents events;

    /**
     * @param inner a {@link ChannelHandler.Sharable} initializer that sets up the rest of the pipeline
     * @param refusals told of handshakes cut for their timeout
     */
    public TlsChannelInitializer(TlsContextHolder tls, ChannelHandler inner, HttpRefusals refusals) {
        this.tls = tls;
        this.inner = inner;
        this.events = new HandshakeEvents(refusals);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline()
                .addLast("tls", tls.newHandler(ch.alloc()))
                .addLast("tls-events", events)
                .addLast(inner);
    }

    /** Watches the handshake's outcome; everything else passes through. */
    @ChannelHandler.Sharable
    private static final class HandshakeEvents extends ChannelInboundHandlerAdapter {
        private final HttpRefusals refusals;

        HandshakeEvents(HttpRefusals refusals) {
            this.refusals = refusals;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SslHandshakeCompletionEvent done) {
                if (!done.isSuccess()) {
                    if (done.cause() instanceof SslHandshakeTimeoutException) {
                        refusals.refused(HttpRefusals.Reason.TLS_HANDSHAKE_TIMEOUT);
                    }
                    log.debug(
                            "TLS handshake with {} failed: {}",
                            ctx.channel().remoteAddress(),
                            done.cause().toString());
                    ctx.close();
                    return;
                }
                // Done: nothing more to watch on this connection.
                ctx.pipeline().remove(this);
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
            if (!ctx.channel().isActive() || isHandshaking(ctx)) {
                // A failed handshake (NotSslRecordException and the like): the completion event says it.
                log.debug("TLS error from {}: {}", ctx.channel().remoteAddress(), cause.toString());
                ctx.close();
                return;
            }
            super.exceptionCaught(ctx, cause);
        }

        private static boolean isHandshaking(ChannelHandlerContext ctx) {
            var ssl = ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class);
            return ssl != null && !ssl.handshakeFuture().isSuccess();
        }
    }
}

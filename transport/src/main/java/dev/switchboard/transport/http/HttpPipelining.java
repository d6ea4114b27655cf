package dev.switchboard.transport.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one request of a connection at a time, so responses go out in request order (HTTP/1.1
 * pipelining) and a peer that never reads holds at most one response in our buffers.
 *
 * <p>While a request is served, and while the channel is not writable, the connection is not
 * read ({@code AUTO_READ} off): the peer's further requests wait in its own socket. Requests
 * already decoded from bytes read before wait here, at most {@link #MAX_PIPELINED_REQUESTS};
 * one more closes the connection. The next request is served, or reading resumes, in a task
 * after the response's write completes. Sits after the aggregator, before the router; leaves the pipeline
 * before a WebSocket upgrade, turning reading back on for the WebSocket.
 */
final class HttpPipelining extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(HttpPipelining.class);

    /**
     * Complete requests that may wait behind the one being served. Browsers do not pipeline and
     * HTTP clients that do send a few requests ahead; a peer with more queued is flooding us.
     */
    static final int MAX_PIPELINED_REQUESTS = 16;

    private final HttpRefusals refusals;
    private ArrayDeque<FullHttpRequest> waiting;
    private boolean serving;
    /** The response being written says {@code Connection: close}: nothing more is served. */
    private boolean lastResponse;

    private boolean removed;

    HttpPipelining(HttpRefusals refusals) {
        this.refusals = refusals;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!serving) {
            serve(ctx, req);
            return;
        }
        if (waiting == null) {
            waiting = new ArrayDeque<>(4);
        }
        if (waiting.size() >= MAX_PIPELINED_REQUESTS) {
            req.release();
            log.debug(
                    "closing HTTP connection {}: more than {} pipelined requests",
                    ctx.channel().remoteAddress(),
                    MAX_PIPELINED_REQUESTS);
            refusals.refused(HttpRefusals.Reason.PIPELINING);
            ctx.close();
            return;
        }
        waiting.add(req);
    }

    private void serve(ChannelHandlerContext ctx, FullHttpRequest req) {
        serving = true;
        ctx.channel().config().setAutoRead(false);
        ctx.fireChannelRead(req);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse res) {
            lastResponse = !HttpUtil.isKeepAlive(res);
        }
        if (msg instanceof LastHttpContent && serving) {
            promise = promise.unvoid();
            promise.addListener((ChannelFuture f) -> responded(ctx, f));
        }
        ctx.write(msg, promise);
    }

    private void responded(ChannelHandlerContext ctx, ChannelFuture f) {
        if (removed) {
            return;
        }
        if (!f.isSuccess() || lastResponse || !ctx.channel().isActive()) {
            serving = false;
            releaseWaiting(); // the router closes the connection (or it closed): nothing more to answer
            return;
        }
        // Not now: a write often completes while the codec is still decoding the same read, and serving
        // the next request here would serve a whole read's worth of pipelined requests in one go,
        // holding the event loop from every other connection. Until the task runs, requests decoded
        // meanwhile wait (and overflow), and other connections get their turn.
        ctx.executor().execute(() -> serveNext(ctx));
    }

    private void serveNext(ChannelHandlerContext ctx) {
        serving = false;
        if (removed || !ctx.channel().isActive()) {
            return;
        }
        FullHttpRequest next = waiting == null ? null : waiting.poll();
        if (next != null) {
            serve(ctx, next);
        } else {
            resumeReading(ctx);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(false);
        } else {
            resumeReading(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void resumeReading(ChannelHandlerContext ctx) {
        if (!serving && ctx.channel().isWritable()) {
            // Turning AUTO_READ back on issues a read by itself; the explicit one covers AUTO_READ already on.
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseWaiting();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        removed = true;
        releaseWaiting();
        if (ctx.channel().isActive()) {
            // Leaving for a WebSocket, which reads as it pleases.
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void releaseWaiting() {
        if (waiting != null) {
            FullHttpRequest r;
            while ((r = waiting.poll()) != null) {
                r.release();
            }
        }
    }
}

package dev.switchboard.transport.http;

import dev.switchboard.transport.config.HttpConfig;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes an HTTP connection whose peer stalls: request headers not complete within
 * {@code http.header_timeout} of their first byte (or of accept), a body not complete within
 * {@code http.body_timeout} of its headers, no request for {@code http.idle_timeout}, a
 * response not written out within {@code http.idle_timeout}, or a request not answered within
 * {@link #MAX_SERVE_NANOS}.
 *
 * <p>One instance per connection, as two handlers sharing its state: {@link #bytesWatcher()}
 * sits before the HTTP codec and only notes that bytes arrived on an idle connection (the codec
 * shows nothing until the headers are complete); this handler sits after the codec and sees
 * requests come in and responses go out. One timer runs at a time, for the current phase. It is
 * re-armed when the phase changes, at most once per read (bytes, requests and synchronous
 * responses of one read are one change), never per byte. Both handlers leave the pipeline before
 * a WebSocket upgrade, so long-lived WebSockets are never cut by them.
 */
final class HttpTimeouts extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(HttpTimeouts.class);
    /**
     * How long the node may take to answer a request before the connection is cut anyway: a
     * safety net only, since every API call bounds itself (engine calls 3 s, {@code invoke} at
     * most 300 s, which must not be cut by {@code http.idle_timeout}). The peer costs nothing
     * meanwhile: the connection is not read while its request is served.
     */
    static final long MAX_SERVE_NANOS = TimeUnit.MINUTES.toNanos(6);

    /** What the connection waits for, and so which timeout applies. */
    enum Phase {
        HEADERS,
        BODY,
        BUSY,
        WRITE,
        IDLE
    }

    private final HttpRefusals refusals;
    private final long headerNanos;
    private final long bodyNanos;
    private final long idleNanos;
    private final ChannelHandler bytesWatcher = new BytesWatcher();

    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private Phase armed;
    /** Bytes arrived while no request was open: a request's headers are on their way (true from accept). */
    private boolean headersDue = true;
    /** Requests whose headers arrived and whose final response is not written out yet. */
    private int open;
    /** Between a request's headers and its last body byte. */
    private boolean receiving;
    /** A final (not 1xx) response is being written out. */
    private boolean writing;
    /** A final response was started for the request being received; a body timeout then just closes. */
    private boolean answered;
    /** The response being written is informational ({@code 100 Continue}), not the answer. */
    private boolean informational;
    /** Inside a read: changes are applied once, when the read completes. */
    private boolean reading;

    private boolean changed;
    private boolean removed;

    HttpTimeouts(HttpConfig config, HttpRefusals refusals) {
        this.refusals = refusals;
        headerNanos = config.headerTimeout().toNanos();
        bodyNanos = config.bodyTimeout().toNanos();
        idleNanos = config.idleTimeout().toNanos();
    }

    /** The handler to place before the HTTP codec. */
    ChannelHandler bytesWatcher() {
        return bytesWatcher;
    }

    /** The phase whose timer is armed, for tests. */
    Phase phase() {
        return armed;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        rearm();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        removed = true;
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        removed = true;
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
            open++;
            headersDue = false;
            answered = false;
            // A request the codec could not parse ends it: the codec drops everything after it.
            receiving = req.decoderResult().isSuccess();
            changed();
        }
        if (msg instanceof LastHttpContent && receiving) {
            receiving = false;
            changed();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        if (changed) {
            rearm();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse res) {
            informational = res.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        }
        if (msg instanceof LastHttpContent) {
            if (informational) {
                informational = false;
            } else {
                writing = true;
                answered = true;
                changed();
                promise = promise.unvoid();
                promise.addListener(f -> written());
            }
        }
        ctx.write(msg, promise);
    }

    private void written() {
        if (removed) {
            return;
        }
        writing = false;
        open = Math.max(0, open - 1);
        changed();
    }

    private void changed() {
        if (removed) {
            return;
        }
        if (reading) {
            changed = true;
        } else {
            rearm();
        }
    }

    private Phase phase(boolean headersDue) {
        if (writing) {
            return Phase.WRITE;
        } else if (receiving) {
            return Phase.BODY;
        } else if (open > 0) {
            return Phase.BUSY;
        }
        return headersDue ? Phase.HEADERS : Phase.IDLE;
    }

    private void rearm() {
        changed = false;
        cancel();
        if (removed || ctx == null) {
            return;
        }
        armed = phase(headersDue);
        long nanos = switch (armed) {
            case HEADERS -> headerNanos;
            case BODY -> bodyNanos;
            case BUSY -> Math.max(idleNanos, MAX_SERVE_NANOS);
            default -> idleNanos;
        };
        Phase phase = armed;
        timer = ctx.executor().schedule(() -> expired(phase), nanos, TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expired(Phase phase) {
        timer = null;
        if (removed || !ctx.channel().isActive()) {
            return;
        }
        log.debug("closing HTTP connection {}: {} timeout", ctx.channel().remoteAddress(), phase);
        refusals.refused(
                switch (phase) {
                    case HEADERS -> HttpRefusals.Reason.HEADER_TIMEOUT;
                    case BODY -> HttpRefusals.Reason.BODY_TIMEOUT;
                    case BUSY -> HttpRefusals.Reason.SERVE_TIMEOUT;
                    case WRITE -> HttpRefusals.Reason.WRITE_TIMEOUT;
                    case IDLE -> HttpRefusals.Reason.IDLE_TIMEOUT;
                });
        removed = true; // nothing more to time: the connection is going
        boolean nothingWritten = !writing && (phase == Phase.HEADERS || phase == Phase.BODY && !answered);
        if (nothingWritten && ctx.channel().isWritable()) {
            // Closes within LingeringClose.GRACE_MILLIS, also when the peer does not read the 408.
            HttpResponses.sendAndClose(
                    ctx, HttpResponseStatus.REQUEST_TIMEOUT, HttpResponses.TEXT, "request timeout\n");
        } else {
            ctx.close();
        }
    }

    /** Before the codec: notes that bytes of a new request arrived on a connection with none open. */
    private final class BytesWatcher extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            reading = true;
            if (!headersDue && open == 0) {
                headersDue = true;
                changed();
            }
            ctx.fireChannelRead(msg);
        }
    }
}

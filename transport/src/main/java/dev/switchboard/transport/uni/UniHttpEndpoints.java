package dev.switchboard.transport.uni;

import dev.switchboard.core.node.Client;
import dev.switchboard.core.node.Node;
import dev.switchboard.core.protocol.ClientCodec;
import dev.switchboard.core.protocol.ProtocolException;
import dev.switchboard.core.protocol.ProtocolFormat;
import dev.switchboard.transport.stream.StreamHandler;
import dev.switchboard.transport.stream.StreamTransport;
import dev.switchboard.transport.websocket.OriginCheck;
import dev.switchboard.transport.websocket.WebSocketUpgrade;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Centrifugo's unidirectional HTTP transports on the public port: {@code uni_sse}
 * ({@value #SSE_PATH}: {@code GET} with the connect request in the {@code cf_connect} query
 * parameter, as a browser's {@code EventSource} can send it, or {@code POST} with it as the body)
 * and {@code uni_http_stream} ({@value #HTTP_STREAM_PATH}: {@code POST} with the connect request as
 * the body, newline-delimited pushes back). Both answer 200 and then stream the node's pushes for
 * the connection's life; subscriptions come from the token's {@code channels}, the config's
 * {@code client.subscribe_to_channels} or the connect proxy, as for any connection.
 *
 * <pre>{@code
 * UniHttpEndpoints uni = new UniHttpEndpoints(node, queueMaxBytes, origins, true, true, Set.of("Cookie"));
 * // in the HTTP router, for a request to one of its paths:
 * if (uni.serves(path)) uni.handle(ctx, request, path, pipeline -> HttpChannelInitializer.leaveHttp(pipeline));
 * }</pre>
 *
 * <p>Refusals are plain HTTP answers before any stream starts: 405 for another method (with
 * {@code Allow}), 415 for a body of another type than JSON, text or curl's default form type, 413 for a connect request over
 * {@link #MAX_CONNECT_BYTES}, 400 for one that is not a JSON object, 403 for a browser page of an
 * origin {@code client.allowed_origins} does not allow. A connect the node refuses (a bad token)
 * is a 200 stream holding only the {@code disconnect} push, as in Centrifugo.
 */
public final class UniHttpEndpoints {

    /** The unidirectional SSE path. */
    public static final String SSE_PATH = "/connection/uni_sse";
    /** The unidirectional HTTP-streaming path. */
    public static final String HTTP_STREAM_PATH = "/connection/uni_http_stream";
    /** Largest connect request accepted, body or query parameter (Centrifugo's default, 64 KiB). */
    public static final int MAX_CONNECT_BYTES = 64 * 1024;

    private final Node node;
    private final long maxQueuedBytes;
    private final OriginCheck origins;
    private final boolean sse;
    private final boolean httpStream;
    private final java.util.Set<String> keptHeaders;

    /**
     * @param node the node the connections join
     * @param maxQueuedBytes bytes a connection may have unread before it is disconnected (3008)
     * @param origins which browser pages may connect ({@code client.allowed_origins})
     * @param sse serve {@value #SSE_PATH} ({@code uni_sse.enabled})
     * @param httpStream serve {@value #HTTP_STREAM_PATH} ({@code uni_http_stream.enabled})
     * @param keptHeaders names (any case) of request headers a connection keeps for its connect
     *     decision, e.g. the connect proxy's {@code http_headers} ({@code Cookie} for a browser's
     *     {@code EventSource}, which sends the site's cookies and no other header)
     */
    public UniHttpEndpoints(
            Node node,
            long maxQueuedBytes,
            OriginCheck origins,
            boolean sse,
            boolean httpStream,
            java.util.Set<String> keptHeaders) {
        this.keptHeaders = WebSocketUpgrade.lowerCase(keptHeaders);
        this.node = node;
        this.maxQueuedBytes = maxQueuedBytes;
        this.origins = origins;
        this.sse = sse;
        this.httpStream = httpStream;
    }

    /** Whether {@code path} is one of the enabled endpoints. */
    public boolean serves(String path) {
        return (sse && path.equals(SSE_PATH)) || (httpStream && path.equals(HTTP_STREAM_PATH));
    }

    /**
     * Answers a request to one of {@link #serves its paths}: a refusal, or the start of a stream.
     *
     * @param leaveHttp removes the HTTP request timeouts and pipelining from the pipeline, which a
     *     stream that lives for hours must not keep (as a WebSocket upgrade does)
     */
    public void handle(
            ChannelHandlerContext ctx, FullHttpRequest req, String path, Consumer<ChannelPipeline> leaveHttp) {
        boolean isSse = path.equals(SSE_PATH);
        HttpMethod m = req.method();
        String allow = isSse ? "GET, POST, OPTIONS" : "POST, OPTIONS";
        if (!origins.allowsRequest(req.headers())) {
            refuse(ctx, HttpResponseStatus.FORBIDDEN, "origin not allowed\n", null);
            return;
        }
        if (m.equals(HttpMethod.OPTIONS)) {
            FullHttpResponse res = response(HttpResponseStatus.NO_CONTENT, "", req.headers());
            res.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, allow);
            res.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type, Last-Event-ID");
            res.headers().set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "300");
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        byte[] connect;
        if (m.equals(HttpMethod.POST)) {
            String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE, "").toLowerCase(Locale.ROOT);
            // JSON, text, or curl's default form type (Centrifugo's own examples post with plain
            // `curl -d`); anything else (multipart, XML) is a client that meant something else.
            if (!type.isEmpty()
                    && !type.startsWith("application/json")
                    && !type.startsWith("text/plain")
                    && !type.startsWith("application/x-www-form-urlencoded")) {
                refuse(
                        ctx,
                        HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                        "send the connect request as application/json\n",
                        null);
                return;
            }
            connect = ByteBufUtil.getBytes(req.content());
        } else if (isSse && m.equals(HttpMethod.GET)) {
            String q = WebSocketUpgrade.urlConnect(req.uri());
            connect = q == null ? new byte[0] : q.getBytes(StandardCharsets.UTF_8);
        } else {
            refuse(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "use " + allow + "\n", allow);
            return;
        }
        if (connect.length > MAX_CONNECT_BYTES) {
            refuse(
                    ctx,
                    HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "connect request larger than " + MAX_CONNECT_BYTES + " bytes\n",
                    null);
            return;
        }
        try {
            ClientCodec.of(ProtocolFormat.UNI_JSON).decode(connect);
        } catch (ProtocolException e) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "connect request: " + e.getMessage() + "\n", null);
            return;
        }
        start(ctx, req, isSse, connect, leaveHttp);
    }

    private void start(
            ChannelHandlerContext ctx,
            FullHttpRequest req,
            boolean isSse,
            byte[] connect,
            Consumer<ChannelPipeline> leaveHttp) {
        HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpHeaders h = res.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, isSse ? "text/event-stream; charset=utf-8" : "application/x-ndjson");
        h.set(HttpHeaderNames.CACHE_CONTROL, "private, no-cache, no-store, must-revalidate, max-age=0");
        // Tells nginx not to buffer the stream.
        h.set("X-Accel-Buffering", "no");
        HttpUtil.setTransferEncodingChunked(res, true);
        h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        cors(h, req.headers());
        leaveHttp.accept(ctx.pipeline());
        StreamTransport transport = new StreamTransport(
                ctx.channel(),
                isSse ? "uni_sse" : "uni_http_stream",
                isSse ? StreamTransport.Framing.SSE_RESUMABLE : StreamTransport.Framing.LINES,
                ProtocolFormat.UNI_JSON,
                false,
                maxQueuedBytes,
                WebSocketUpgrade.keptHeaders(req.headers(), keptHeaders));
        Client client = node.newClient(transport);
        transport.client(client);
        String lastEventId = req.headers().get("Last-Event-ID");
        if (isSse && lastEventId != null) {
            client.resumeFrom(lastEventId);
        }
        io.netty.channel.Channel ch = ctx.channel();
        ctx.pipeline().replace(ctx.handler(), "uni-stream", new StreamHandler(client, transport));
        if (isSse) {
            // A comment line first, so the browser's EventSource reports the stream open at once.
            ch.write(res);
            ch.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(":ok\n\n", StandardCharsets.US_ASCII)));
        } else {
            ch.writeAndFlush(res);
        }
        client.handleFrame(connect);
    }

    /** A page of an allowed other origin may read the stream (the origin check already passed). */
    private static void cors(HttpHeaders out, HttpHeaders in) {
        String origin = in.get(HttpHeaderNames.ORIGIN);
        if (origin != null) {
            out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            out.set(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
        }
    }

    private static FullHttpResponse response(HttpResponseStatus status, String body, HttpHeaders in) {
        FullHttpResponse res = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        HttpUtil.setContentLength(res, res.content().readableBytes());
        HttpUtil.setKeepAlive(res, false);
        if (in != null) {
            cors(res.headers(), in);
        }
        return res;
    }

    /** A plain-text refusal; the connection closes once it is written. */
    private static void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String body, String allow) {
        FullHttpResponse res = response(status, body, null);
        if (allow != null) {
            res.headers().set(HttpHeaderNames.ALLOW, allow);
        }
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
}

package dev.switchboard.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.bench.Json;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A Centrifugo JSON connection over bidirectional emulation, as centrifuge-js falls back to it:
 * the server→client stream is {@code POST /connection/http_stream} (one reply per line) or
 * {@code GET /connection/sse?cf_connect=…} (one reply per {@code data:} event) on a Netty
 * connection; every later command (subscribe, pong) is a {@code POST /emulation} naming the
 * session and node from the connect reply, sent with the JDK's HTTP client. The replies are
 * handled by {@link SbConn} as on a WebSocket.
 */
final class EmuConn extends SbConn {

    enum Kind {
        HTTP_STREAM,
        SSE
    }

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private static final byte[] SSE_DATA = "data: ".getBytes(StandardCharsets.US_ASCII);

    private final Kind kind;
    private String host;
    private boolean streamRequested;
    private volatile String session;
    private volatile String node;
    private final ByteBuf pending = Unpooled.buffer(4096);

    EmuConn(LoadGen lg, Role role, int index, String token, List<String> channels, Kind kind) {
        super(lg, role, index, token, channels);
        this.kind = kind;
    }

    @Override
    ChannelFuture open(Bootstrap template, URI uri, InetSocketAddress remote, InetSocketAddress local) {
        host = remote.getHostString() + ":" + remote.getPort();
        return connect(template, remote, local, new HttpClientCodec());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        onOpen(); // sends the connect command: see send(String)
    }

    /** The first command (connect) opens the stream; every later one is an /emulation request. */
    @Override
    void send(String text) {
        if (!streamRequested) {
            streamRequested = true;
            openStream(text);
        } else {
            emulate(text);
        }
    }

    private void openStream(String connect) {
        FullHttpRequest req;
        if (kind == Kind.HTTP_STREAM) {
            byte[] body = connect.getBytes(StandardCharsets.UTF_8);
            req = new DefaultFullHttpRequest(
                    HttpVersion.HTTP_1_1, HttpMethod.POST, "/connection/http_stream", Unpooled.wrappedBuffer(body));
            req.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                    .set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        } else {
            req = new DefaultFullHttpRequest(
                    HttpVersion.HTTP_1_1,
                    HttpMethod.GET,
                    "/connection/sse?cf_connect=" + URLEncoder.encode(connect, StandardCharsets.UTF_8));
            req.headers().set(HttpHeaderNames.ACCEPT, "text/event-stream");
        }
        req.headers().set(HttpHeaderNames.HOST, host);
        channel.writeAndFlush(req);
    }

    private void emulate(String commands) {
        ObjectNode body =
                Json.object().put("session", session).put("node", node).put("data", commands);
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + host + "/emulation"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.line(body)))
                .build();
        HTTP.sendAsync(req, BodyHandlers.discarding()).whenComplete((r, t) -> {
            if (t == null && r.statusCode() == 204) {
                return;
            }
            String why = "/emulation: " + (t != null ? t.toString() : "status " + r.statusCode());
            if (!ready.isDone()) {
                ready.completeExceptionally(new IllegalStateException(why));
            } else {
                lg.noteClose(this, why);
            }
        });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpResponse res && res.status().code() != 200) {
            ready.completeExceptionally(new IllegalStateException(kind + " stream answered " + res.status()));
            ctx.close();
            return;
        }
        if (msg instanceof HttpContent c) {
            pending.writeBytes(c.content());
            lines();
            if (msg instanceof LastHttpContent && ready.isDone()) {
                lg.noteClose(this, kind + " stream ended");
                ctx.close();
            }
        }
    }

    /** Hands every complete reply in {@link #pending} to {@link SbConn#onText}, one at a time. */
    private void lines() {
        int end = pending.writerIndex();
        int start = pending.readerIndex();
        while (start < end) {
            int nl = pending.indexOf(start, end, (byte) '\n');
            if (nl < 0) {
                break;
            }
            int from = start;
            if (kind == Kind.SSE) {
                from = startsWith(pending, start, nl, SSE_DATA) ? start + SSE_DATA.length : nl; // other lines: skip
            }
            if (nl > from) {
                if (session == null) {
                    JsonNode connect = Json.parse(ByteBufUtil.getBytes(pending, from, nl - from))
                            .path("connect");
                    if (connect.has("session")) {
                        session = connect.path("session").asText();
                        node = connect.path("node").asText();
                    }
                }
                onText(pending.slice(from, nl - from));
            }
            start = nl + 1;
        }
        pending.readerIndex(start);
        pending.discardSomeReadBytes();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pending.release();
        super.channelInactive(ctx);
    }
}

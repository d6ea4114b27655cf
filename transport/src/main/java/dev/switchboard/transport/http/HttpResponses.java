package dev.switchboard.transport.http;

import dev.switchboard.transport.websocket.LingeringClose;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Builds the small complete responses the HTTP handlers send. */
public final class HttpResponses {

    /** The JSON content type. */
    public static final String JSON = "application/json";

    static final String TEXT = "text/plain";

    private HttpResponses() {}

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A complete response with its length, type and {@code Connection} header set. */
    public static FullHttpResponse of(HttpResponseStatus status, String type, byte[] body, boolean keepAlive) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        HttpUtil.setContentLength(res, body.length);
        HttpUtil.setKeepAlive(res, keepAlive);
        return res;
    }

    /**
     * Writes a {@code Connection: close} response from {@code ctx} towards the peer and ends the
     * connection so that the peer can read it even while it is still sending ({@link LingeringClose}).
     */
    static void sendAndClose(ChannelHandlerContext ctx, HttpResponseStatus status, String type, String body) {
        LingeringClose.after(ctx.writeAndFlush(of(status, type, bytes(body), false)));
    }
}

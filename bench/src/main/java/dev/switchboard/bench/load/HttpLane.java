package dev.switchboard.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * One keep-alive HTTP/1.1 connection issuing one POST at a time: a closed-loop RPC lane.
 * A call succeeds when the status is 200 and the body holds a {@code "result"}.
 */
final class HttpLane extends SimpleChannelInboundHandler<FullHttpResponse> {

    private final String hostHeader;
    private final String path;
    private final String apiKey;
    private Channel channel;
    private CompletableFuture<String> current;

    HttpLane(String hostHeader, String path, String apiKey) {
        this.hostHeader = hostHeader;
        this.path = path;
        this.apiKey = apiKey;
    }

    CompletableFuture<HttpLane> open(Bootstrap template, InetSocketAddress remote, InetSocketAddress local) {
        CompletableFuture<HttpLane> f = new CompletableFuture<>();
        Bootstrap b = template.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), HttpLane.this);
            }
        });
        (local == null ? b.connect(remote) : b.connect(remote, local)).addListener(x -> {
            if (x.isSuccess()) {
                channel = ((io.netty.channel.ChannelFuture) x).channel();
                f.complete(this);
            } else {
                f.completeExceptionally(x.cause());
            }
        });
        return f;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    Channel channel() {
        return channel;
    }

    /** Posts {@code body}; completes with null on success or with the failure's text. Event loop only. */
    CompletableFuture<String> post(byte[] body) {
        CompletableFuture<String> f = new CompletableFuture<>();
        if (current != null) {
            f.complete("lane busy");
            return f;
        }
        if (!channel.isActive()) {
            f.complete("connection closed");
            return f;
        }
        current = f;
        FullHttpRequest req =
                new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path, Unpooled.wrappedBuffer(body));
        req.headers()
                .set(HttpHeaderNames.HOST, hostHeader)
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        if (apiKey != null) {
            req.headers().set("X-API-Key", apiKey);
        }
        channel.writeAndFlush(req);
        return f;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
        CompletableFuture<String> f = current;
        current = null;
        if (f == null) {
            return;
        }
        String body = res.content().toString(StandardCharsets.UTF_8);
        if (res.status().code() == 200 && body.contains("\"result\"")) {
            f.complete(null);
        } else {
            f.complete(res.status().code() + " " + (body.length() > 200 ? body.substring(0, 200) : body));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        CompletableFuture<String> f = current;
        current = null;
        if (f != null) {
            f.complete("connection closed");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    void close() {
        if (channel != null) {
            channel.close();
        }
    }
}

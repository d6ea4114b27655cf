package dev.switchboard.transport.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One request handed to an {@link HttpEndpoint}: Netty's request in, the endpoint's answer out. */
final class EndpointCall {

    private static final Logger log = LoggerFactory.getLogger(EndpointCall.class);
    private static final byte[] INTERNAL_ERROR =
            HttpResponses.bytes("{\"error\":{\"code\":100,\"message\":\"internal server error\"}}");

    private EndpointCall() {}

    static void run(ChannelHandlerContext ctx, FullHttpRequest req, String path, HttpEndpoint endpoint) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        String uri = req.uri();
        int q = uri.indexOf('?');
        Map<String, String> headers = new HashMap<>();
        req.headers().forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        EndpointRequest request = new EndpointRequest(
                req.method().name(),
                path,
                q >= 0 ? uri.substring(q + 1) : "",
                headers,
                ByteBufUtil.getBytes(req.content()),
                ctx.pipeline().get(SslHandler.class) != null,
                ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                        ? a.getAddress().getHostAddress()
                        : "");
        CompletableFuture<HttpAnswer> answer;
        try {
            answer = endpoint.handle(request);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        if (answer == null) {
            answer = CompletableFuture.failedFuture(new NullPointerException("the endpoint answered null"));
        }
        answer.whenComplete((a, err) -> {
            if (err != null || a == null) {
                // The path only: the query or body may hold what the endpoint keeps secret.
                log.warn("endpoint failed on {} {}", request.method(), path, err);
                HttpRouter.send(
                        ctx,
                        HttpResponses.of(
                                HttpResponseStatus.INTERNAL_SERVER_ERROR,
                                HttpResponses.JSON,
                                INTERNAL_ERROR,
                                keepAlive),
                        keepAlive);
                return;
            }
            FullHttpResponse res =
                    HttpResponses.of(HttpResponseStatus.valueOf(a.status()), a.contentType(), a.body(), keepAlive);
            a.headers().forEach((name, value) -> res.headers().set(name, value));
            HttpRouter.send(ctx, res, keepAlive);
        });
    }
}

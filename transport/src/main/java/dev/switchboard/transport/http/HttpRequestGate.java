package dev.switchboard.transport.http;

import dev.switchboard.transport.emulation.EmulationEndpoints;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides from a request's headers, before a byte of its body is buffered, whether the body may
 * be read. Sits between the HTTP codec and the aggregator:
 * <ul>
 *   <li>{@code /api} or {@code /api/...} without the right API key: {@code 401} (the server API's JSON error);</li>
 *   <li>a {@code Content-Length} above {@code http.max_body_size}: {@code 413};</li>
 *   <li>a body on any other path ({@code /health}, {@code /metrics}, the WebSocket handshake,
 *       unknown paths) than an application's {@link HttpEndpoint} (which authenticates by itself,
 *       within the same size bound): {@code 413}, since none of them reads one and an unauthenticated peer
 *       must not make us buffer anything.</li>
 * </ul>
 * Every refusal says {@code Connection: close}, drops whatever else the peer sends and closes the
 * connection once written. Because a refused request never reaches the aggregator, an
 * {@code Expect: 100-continue} request gets the refusal, never {@code 100 Continue}.
 */
final class HttpRequestGate extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(HttpRequestGate.class);

    private final HttpRefusals refusals;
    private final ApiKey apiKey;
    private final boolean apiEnabled;
    private final int maxBodySize;
    /** The application's endpoints, which may read a body (bounded like the API's). */
    private final MountedEndpoints endpoints;
    /**
     * Largest body of an HTTP-streaming connect or an {@code /emulation} request (unauthenticated,
     * so bounded like one client message), or 0 where emulation is not served.
     */
    private final int emulationMaxBody;
    /** Paths besides the API's, the endpoints' and emulation's that read a body (the uni streams' connect requests). */
    private final java.util.function.Predicate<String> bodyPaths;
    /** After a refusal the rest of the connection's input is dropped until it closes. */
    private boolean refused;

    /**
     * @param apiKey the server API's key
     * @param apiEnabled whether {@code /api} and {@code /api/} are served (else they are just unknown paths)
     * @param maxBodySize {@code http.max_body_size}
     * @param refusals told of each refusal
     */
    HttpRequestGate(ApiKey apiKey, boolean apiEnabled, int maxBodySize, HttpRefusals refusals) {
        this(apiKey, apiEnabled, maxBodySize, 0, refusals, MountedEndpoints.NONE, path -> false);
    }

    /**
     * @param emulationMaxBody bound of bodies on the emulation paths (0: they take none)
     * @param endpoints the application's endpoints, whose paths may carry a body
     * @param bodyPaths other paths that read a body, bounded as the API's
     */
    HttpRequestGate(
            ApiKey apiKey,
            boolean apiEnabled,
            int maxBodySize,
            int emulationMaxBody,
            HttpRefusals refusals,
            MountedEndpoints endpoints,
            java.util.function.Predicate<String> bodyPaths) {
        this.bodyPaths = bodyPaths;
        this.emulationMaxBody = emulationMaxBody;
        this.endpoints = endpoints;
        this.refusals = refusals;
        this.apiKey = apiKey;
        this.apiEnabled = apiEnabled;
        this.maxBodySize = maxBodySize;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused && msg instanceof HttpObject) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest req && req.decoderResult().isSuccess()) {
            String path = HttpRouter.pathOf(req.uri());
            boolean api = apiEnabled && HttpRouter.isApiPath(path);
            if (api && !apiKey.matches(req.headers())) {
                refuse(ctx, msg, HttpResponseStatus.UNAUTHORIZED, HttpResponses.JSON, ApiKey.UNAUTHORIZED_JSON);
                return;
            }
            long length = contentLength(req);
            boolean emulation = emulationMaxBody > 0
                    && (path.equals(EmulationEndpoints.HTTP_STREAM_PATH)
                            || path.equals(EmulationEndpoints.EMULATION_PATH));
            if (emulation && length > emulationMaxBody) {
                refuse(
                        ctx,
                        msg,
                        HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                        HttpResponses.TEXT,
                        "request body larger than " + emulationMaxBody + " bytes\n");
                return;
            }
            if (length > maxBodySize) {
                refuse(
                        ctx,
                        msg,
                        HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                        HttpResponses.TEXT,
                        "request body larger than " + maxBodySize + " bytes\n");
                return;
            }
            if (!api
                    && !emulation
                    && endpoints.find(path) == null
                    && !bodyPaths.test(path)
                    && (length > 0 || HttpUtil.isTransferEncodingChunked(req))) {
                refuse(
                        ctx,
                        msg,
                        HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                        HttpResponses.TEXT,
                        "this path takes no request body\n");
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** The declared length, 0 without one; a malformed one counts as too large. */
    private static long contentLength(HttpRequest req) {
        try {
            return HttpUtil.getContentLength(req, 0L);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private void refuse(ChannelHandlerContext ctx, Object msg, HttpResponseStatus status, String type, String body) {
        refused = true;
        ReferenceCountUtil.release(msg);
        log.debug("refusing HTTP request from {} with {}", ctx.channel().remoteAddress(), status.code());
        refusals.refused(
                status == HttpResponseStatus.UNAUTHORIZED
                        ? HttpRefusals.Reason.UNAUTHORIZED
                        : HttpRefusals.Reason.BODY_TOO_LARGE);
        HttpResponses.sendAndClose(ctx, status, type, body);
    }
}

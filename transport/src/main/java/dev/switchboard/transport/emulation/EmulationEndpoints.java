package dev.switchboard.transport.emulation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.node.Client;
import dev.switchboard.core.node.Node;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.core.protocol.ProtocolFormat;
import dev.switchboard.transport.http.HttpResponses;
import dev.switchboard.transport.stream.StreamHandler;
import dev.switchboard.transport.stream.StreamTransport;
import dev.switchboard.transport.websocket.OriginCheck;
import dev.switchboard.transport.websocket.WebSocketUpgrade;
import dev.switchboard.wire.proto.EmulationRequest;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Bidirectional emulation as centrifuge-js v5 falls back to it when WebSocket fails:
 * {@code POST /connection/http_stream} (body: the connect command; the response streams replies)
 * and {@code GET /connection/sse?cf_connect=<connect command>} (the same as server-sent events)
 * carry server → client, and {@code POST /emulation} carries the client's later commands,
 * {@code {"session","node","data"}}, to whichever node holds the session ({@link Node#emulate}).
 *
 * <pre>{@code
 * EmulationEndpoints e = new EmulationEndpoints(node, 65_536, maxQueuedBytes, OriginCheck.SAME_ORIGIN, Set.of("cookie"));
 * if (EmulationEndpoints.handles(path)) e.handle(ctx, request, path, leaveHttp);
 * }</pre>
 */
public final class EmulationEndpoints {

    /** HTTP-streaming: the connect command in, a stream of replies out. */
    public static final String HTTP_STREAM_PATH = "/connection/http_stream";
    /** Server-sent events: the connect command in {@code cf_connect}. */
    public static final String SSE_PATH = "/connection/sse";
    /** Commands after the connect, for any node's session. */
    public static final String EMULATION_PATH = "/emulation";

    private final Node node;
    private final int maxBodySize;
    private final long maxQueuedBytes;
    private final OriginCheck origins;
    private final Set<String> keptHeaders;

    /**
     * @param maxQueuedBytes bytes a stream may have unsent before its client is slow (3008)
     * @param origins which browser origins may open streams and send commands (as for WebSocket:
     *     these requests carry the page's cookies)
     * @param keptHeaders lower-case names of request headers a connection keeps for its connect decision
     */
    public EmulationEndpoints(
            Node node, int maxBodySize, long maxQueuedBytes, OriginCheck origins, Set<String> keptHeaders) {
        this.maxBodySize = maxBodySize;
        this.node = node;
        this.maxQueuedBytes = maxQueuedBytes;
        this.origins = origins;
        this.keptHeaders = keptHeaders;
    }

    /**
     * Largest body of an HTTP-streaming connect or {@code /emulation} request: these are
     * unauthenticated, so bounded like one client message ({@code client.max_message_size}).
     */
    public int maxBodySize() {
        return maxBodySize;
    }

    /** Whether a path is one of these endpoints. */
    public static boolean handles(String path) {
        return path.equals(HTTP_STREAM_PATH) || path.equals(SSE_PATH) || path.equals(EMULATION_PATH);
    }

    /**
     * Serves one request. For a stream, {@code leaveHttp} is called to drop the per-request HTTP
     * handlers (timeouts, pipelining) before the response turns into a stream that lasts hours.
     */
    public void handle(
            ChannelHandlerContext ctx, FullHttpRequest req, String path, Consumer<ChannelHandlerContext> leaveHttp) {
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null
                && !origins.allowsAll()
                && !origins.allows(origin, req.headers().get(HttpHeaderNames.HOST))) {
            answer(ctx, req, HttpResponseStatus.FORBIDDEN, "origin not allowed");
            return;
        }
        switch (path) {
            case HTTP_STREAM_PATH -> {
                if (req.method() != HttpMethod.POST) {
                    answer(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "use POST");
                    return;
                }
                boolean protobuf = isProtobuf(req);
                stream(
                        ctx,
                        req,
                        ByteBufUtil.getBytes(req.content()),
                        protobuf ? StreamTransport.Framing.VARINT : StreamTransport.Framing.LINES,
                        protobuf ? ProtocolFormat.PROTOBUF : ProtocolFormat.JSON,
                        "http_stream",
                        leaveHttp);
            }
            case SSE_PATH -> {
                if (req.method() != HttpMethod.GET) {
                    answer(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET");
                    return;
                }
                List<String> connect =
                        new QueryStringDecoder(req.uri()).parameters().get("cf_connect");
                if (connect == null || connect.size() != 1 || connect.get(0).isEmpty()) {
                    answer(ctx, req, HttpResponseStatus.BAD_REQUEST, "cf_connect required");
                    return;
                }
                stream(
                        ctx,
                        req,
                        connect.get(0).getBytes(StandardCharsets.UTF_8),
                        StreamTransport.Framing.SSE,
                        ProtocolFormat.JSON,
                        "sse",
                        leaveHttp);
            }
            default -> emulation(ctx, req);
        }
    }

    private static boolean isProtobuf(FullHttpRequest req) {
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        return type.toLowerCase(Locale.ROOT).startsWith("application/octet-stream");
    }

    private void stream(
            ChannelHandlerContext ctx,
            FullHttpRequest req,
            byte[] connect,
            StreamTransport.Framing framing,
            ProtocolFormat format,
            String name,
            Consumer<ChannelHandlerContext> leaveHttp) {
        if (connect.length == 0) {
            answer(ctx, req, HttpResponseStatus.BAD_REQUEST, "the connect command is missing");
            return;
        }
        leaveHttp.accept(ctx);
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType(framing))
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                // nginx would otherwise hold the stream in its buffers.
                .set("X-Accel-Buffering", "no")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.writeAndFlush(head);
        StreamTransport transport = new StreamTransport(
                ctx.channel(),
                name,
                framing,
                format,
                true,
                maxQueuedBytes,
                WebSocketUpgrade.keptHeaders(req.headers(), keptHeaders));
        Client client = node.newClient(transport);
        // The rest of the connection is the stream: what the peer still sends is dropped.
        ctx.pipeline().replace(ctx.handler(), "emulation-stream", new StreamHandler(client, transport));
        client.handleFrame(connect);
    }

    private static String contentType(StreamTransport.Framing framing) {
        return switch (framing) {
            case VARINT -> "application/octet-stream";
            case SSE, SSE_RESUMABLE -> "text/event-stream";
            case LINES -> "application/json";
        };
    }

    private void emulation(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (req.method() != HttpMethod.POST) {
            answer(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "use POST");
            return;
        }
        byte[] body = ByteBufUtil.getBytes(req.content());
        String nodeId;
        String session;
        byte[] commands;
        try {
            if (isProtobuf(req)) {
                EmulationRequest r = EmulationRequest.parseFrom(body);
                nodeId = r.getNode();
                session = r.getSession();
                commands = r.getData().toByteArray();
            } else {
                JsonNode r = ProtocolCodec.mapper().readTree(body);
                if (r == null
                        || !r.isObject()
                        || !r.path("session").isTextual()
                        || !r.path("data").isTextual()) {
                    answer(ctx, req, HttpResponseStatus.BAD_REQUEST, "expected {\"session\",\"node\",\"data\"}");
                    return;
                }
                nodeId = r.path("node").asText("");
                session = r.path("session").asText();
                commands = r.path("data").asText().getBytes(StandardCharsets.UTF_8);
            }
        } catch (IOException | RuntimeException e) {
            answer(ctx, req, HttpResponseStatus.BAD_REQUEST, "malformed emulation request");
            return;
        }
        if (session.isEmpty() || commands.length == 0) {
            answer(ctx, req, HttpResponseStatus.BAD_REQUEST, "session and data required");
            return;
        }
        Node.EmulationResult r = node.emulate(nodeId, session, commands);
        if (r == Node.EmulationResult.UNKNOWN_SESSION) {
            answer(ctx, req, HttpResponseStatus.NOT_FOUND, "session not found");
            return;
        }
        write(ctx, req, HttpResponseStatus.NO_CONTENT, new byte[0]);
    }

    /** {@code message} is one of this class's constants: no escaping needed. */
    private static void answer(
            ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String message) {
        write(
                ctx,
                req,
                status,
                ("{\"error\":{\"code\":" + status.code() + ",\"message\":\"" + message + "\"}}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    private static void write(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, byte[] body) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        FullHttpResponse res = HttpResponses.of(status, HttpResponses.JSON, body, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(res);
        } else {
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }
}

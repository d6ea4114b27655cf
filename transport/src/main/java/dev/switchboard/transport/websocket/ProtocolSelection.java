package dev.switchboard.transport.websocket;

import dev.switchboard.core.protocol.ProtocolFormat;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Which encoding a WebSocket upgrade asks for, the ways the stock SDKs ask:
 *
 * <ul>
 *   <li>the subprotocol {@value #PROTOBUF_SUBPROTOCOL} in {@code Sec-WebSocket-Protocol}
 *       (centrifuge-java, -swift, -dart, and centrifuge-js's protobuf build); the handshake answers
 *       with it, as a client that offers a subprotocol expects. {@value #JSON_SUBPROTOCOL} selects
 *       JSON the same way. The first of these the client lists wins;
 *   <li>otherwise the query parameter {@code cf_protocol=protobuf} (or the older
 *       {@code format=protobuf}), which Centrifugo also honours;
 *   <li>otherwise JSON.
 * </ul>
 *
 * <pre>{@code
 * ProtocolSelection s = ProtocolSelection.of(request);
 * factory = new WebSocketServerHandshakerFactory(url, s.subprotocol(), decoderConfig);
 * }</pre>
 *
 * @param format the encoding the connection speaks
 * @param subprotocol the subprotocol the handshake answers with, or {@code null} for none
 */
record ProtocolSelection(ProtocolFormat format, String subprotocol) {

    /** The subprotocol a protobuf SDK offers. */
    static final String PROTOBUF_SUBPROTOCOL = "centrifuge-protobuf";

    /** The subprotocol that names the JSON encoding explicitly. */
    static final String JSON_SUBPROTOCOL = "centrifuge-json";

    /** The query parameter Centrifugo's HTTP-based transports and some SDK builds send. */
    static final String QUERY_PARAMETER = "cf_protocol";

    /** The older name of {@link #QUERY_PARAMETER}. */
    static final String LEGACY_QUERY_PARAMETER = "format";

    /** Query parameters decoded at most; SDKs send one or two. */
    private static final int MAX_QUERY_PARAMETERS = 32;

    /** Longest {@code Sec-WebSocket-Protocol} value looked at; the header decoder bounds it anyway. */
    private static final int MAX_HEADER_CHARS = 1024;

    /** The encoding an upgrade request asks for. */
    static ProtocolSelection of(HttpRequest req) {
        for (String header : req.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)) {
            if (header.length() > MAX_HEADER_CHARS) {
                continue;
            }
            for (String offered : header.split(",")) {
                String p = offered.trim();
                if (p.equals(PROTOBUF_SUBPROTOCOL)) {
                    return new ProtocolSelection(ProtocolFormat.PROTOBUF, p);
                }
                if (p.equals(JSON_SUBPROTOCOL)) {
                    return new ProtocolSelection(ProtocolFormat.JSON, p);
                }
            }
        }
        Map<String, List<String>> params;
        try {
            params = new QueryStringDecoder(req.uri(), StandardCharsets.UTF_8, true, MAX_QUERY_PARAMETERS).parameters();
        } catch (IllegalArgumentException e) {
            // A malformed escape (%zz): the query asks for nothing we can read, so the default.
            return new ProtocolSelection(ProtocolFormat.JSON, null);
        }
        if (isProtobuf(params.get(QUERY_PARAMETER)) || isProtobuf(params.get(LEGACY_QUERY_PARAMETER))) {
            return new ProtocolSelection(ProtocolFormat.PROTOBUF, null);
        }
        return new ProtocolSelection(ProtocolFormat.JSON, null);
    }

    private static boolean isProtobuf(List<String> values) {
        return values != null && values.size() == 1 && "protobuf".equals(values.get(0));
    }
}

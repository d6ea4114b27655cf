package dev.switchboard.transport.http;

import dev.switchboard.transport.emulation.EmulationEndpoints;
import dev.switchboard.transport.uni.UniHttpEndpoints;
import dev.switchboard.transport.websocket.WebSocketUpgrade;

/**
 * The client transports one port serves: the WebSocket, the HTTP-streaming and SSE fallbacks of
 * the bidirectional protocol, and the unidirectional transports. The internal port serves none
 * ({@link #NONE}).
 *
 * <pre>{@code
 * new HttpChannelInitializer(http, new ClientTransports(upgrade, true, uniStreams, emulation), api, key,
 *     health, metrics, refusals, endpoints);
 * }</pre>
 *
 * @param webSocket serves {@link WebSocketUpgrade#PATH}, or {@code null} for no client transport at all
 * @param uniWebSocket also serve {@link WebSocketUpgrade#UNI_PATH} through the same upgrade
 * @param uniStreams the {@code uni_sse} and {@code uni_http_stream} endpoints, or {@code null}
 * @param emulation HTTP-streaming, SSE and {@code /emulation}, or {@code null}
 */
public record ClientTransports(
        WebSocketUpgrade webSocket, boolean uniWebSocket, UniHttpEndpoints uniStreams, EmulationEndpoints emulation) {

    /** No client transport: a port for the API, metrics, health and mounted endpoints only. */
    public static final ClientTransports NONE = new ClientTransports(null, false, null, null);

    /** Only when there is a WebSocket do the others make sense: they fall back from it or sit beside it. */
    public ClientTransports {
        if (webSocket == null) {
            uniWebSocket = false;
            uniStreams = null;
            emulation = null;
        }
    }

    /** The WebSocket alone ({@link #NONE} for {@code null}). */
    public static ClientTransports webSocketOnly(WebSocketUpgrade webSocket) {
        return webSocket == null ? NONE : new ClientTransports(webSocket, false, null, null);
    }

    /** Whether a request to {@code path} may carry a body as a uni stream's connect request. */
    boolean uniTakesBody(String path) {
        return uniStreams != null && uniStreams.serves(path);
    }

    /** Bound of an emulation request's body, 0 where emulation is not served. */
    int emulationMaxBody() {
        return emulation == null ? 0 : emulation.maxBodySize();
    }
}

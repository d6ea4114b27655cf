package dev.switchboard.core.hook;

import java.util.List;
import java.util.Map;

/**
 * What a client sent in {@code connect}, as seen by a {@link ConnectHandler}.
 *
 * <pre>{@code
 * ConnectHandler h = req -> req.authenticated()
 *     ? CompletableFuture.completedFuture(ConnectDecision.allow())
 *     : sessions.userOf(req.headers().getOrDefault("cookie", List.of())).thenApply(u -> ConnectDecision.allowAs(u, null));
 * }</pre>
 *
 * @param clientId the id the connection will have
 * @param userId the user from a verified token, or {@code ""} when there was no token
 * @param authenticated true when a valid token was presented
 * @param data raw JSON the client attached, or {@code null}
 * @param name the client SDK's name, e.g. {@code "js"}
 * @param version the client SDK's version
 * @param transport the transport name, e.g. {@code "websocket"}
 * @param headers headers of the request that opened the connection, lower-case names; only those
 *     the transport was configured to keep (e.g. a connect proxy's {@code http_headers})
 * @param emulatedHeaders headers the client sent in its {@code connect} command (headers emulation,
 *     lower-case names); never trusted, kept apart from {@code headers}, empty when none
 */
public record ConnectRequest(
        String clientId,
        String userId,
        boolean authenticated,
        byte[] data,
        String name,
        String version,
        String transport,
        Map<String, List<String>> headers,
        Map<String, String> emulatedHeaders) {

    public ConnectRequest {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        emulatedHeaders = emulatedHeaders == null ? Map.of() : Map.copyOf(emulatedHeaders);
    }

    /** A request without headers, as before headers were passed. */
    public ConnectRequest(
            String clientId,
            String userId,
            boolean authenticated,
            byte[] data,
            String name,
            String version,
            String transport) {
        this(clientId, userId, authenticated, data, name, version, transport, Map.of(), Map.of());
    }
}

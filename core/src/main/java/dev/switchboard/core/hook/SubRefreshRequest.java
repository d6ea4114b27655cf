package dev.switchboard.core.hook;

import java.util.List;
import java.util.Map;

/**
 * A subscription whose expiry has come, as seen by a {@link SubRefreshHandler}.
 *
 * @param clientId the connection's id
 * @param userId its user ({@code ""} for anonymous)
 * @param channel the subscription's channel
 * @param transport the transport name, e.g. {@code "websocket"}
 * @param expireAt the expiry that came, Unix seconds
 * @param headers the headers the transport kept from the request that opened the connection
 * @param emulatedHeaders headers the client sent in its {@code connect} command (headers emulation,
 *     lower-case names); never trusted, kept apart from {@code headers}, empty when none
 * @param meta raw JSON object the connect hook attached to the connection (or a refresh replaced
 *     it with), {@code null} when none; the application's own, never the client's
 */
public record SubRefreshRequest(
        String clientId,
        String userId,
        String channel,
        String transport,
        long expireAt,
        Map<String, List<String>> headers,
        Map<String, String> emulatedHeaders,
        byte[] meta) {

    public SubRefreshRequest {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        emulatedHeaders = emulatedHeaders == null ? Map.of() : Map.copyOf(emulatedHeaders);
    }
}

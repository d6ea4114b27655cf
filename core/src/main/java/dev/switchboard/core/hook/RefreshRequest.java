package dev.switchboard.core.hook;

import java.util.List;
import java.util.Map;

/**
 * A connection whose expiry has come, as seen by a {@link RefreshHandler}.
 *
 * @param clientId the connection's id
 * @param userId its user ({@code ""} for anonymous)
 * @param transport the transport name, e.g. {@code "websocket"}
 * @param expireAt the expiry that came, Unix seconds
 * @param headers the headers the transport kept from the request that opened the connection
 */
public record RefreshRequest(
        String clientId, String userId, String transport, long expireAt, Map<String, List<String>> headers) {

    public RefreshRequest {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}

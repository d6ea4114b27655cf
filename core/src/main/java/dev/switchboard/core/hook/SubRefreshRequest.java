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
 */
public record SubRefreshRequest(
        String clientId,
        String userId,
        String channel,
        String transport,
        long expireAt,
        Map<String, List<String>> headers) {

    public SubRefreshRequest {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}

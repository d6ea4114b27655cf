package dev.switchboard.core.hook;

/**
 * A connection whose expiry has come, as seen by a {@link RefreshHandler}.
 *
 * @param clientId the connection's id
 * @param userId its user ({@code ""} for anonymous)
 * @param transport the transport name, e.g. {@code "websocket"}
 * @param expireAt the expiry that came, Unix seconds
 */
public record RefreshRequest(String clientId, String userId, String transport, long expireAt) {}

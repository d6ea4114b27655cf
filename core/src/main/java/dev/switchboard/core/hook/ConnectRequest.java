package dev.switchboard.core.hook;

/**
 * What a client sent in {@code connect}, as seen by a {@link ConnectHandler}.
 *
 * @param clientId the id the connection will have
 * @param userId the user from a verified token, or {@code ""} when there was no token
 * @param authenticated true when a valid token was presented
 * @param data raw JSON the client attached, or {@code null}
 * @param name the client SDK's name, e.g. {@code "js"}
 * @param version the client SDK's version
 * @param transport the transport name, e.g. {@code "websocket"}
 */
public record ConnectRequest(
        String clientId,
        String userId,
        boolean authenticated,
        byte[] data,
        String name,
        String version,
        String transport) {}

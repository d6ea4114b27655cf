package dev.switchboard.core.hook;

import dev.switchboard.core.engine.ClientInfo;
import java.util.List;
import java.util.Map;

/**
 * A client's publish, as seen by a {@link PublishHandler}.
 *
 * <pre>{@code
 * PublishHandler h = req -> CompletableFuture.completedFuture(
 *     req.allowedByRules() ? PublishDecision.allow() : PublishDecision.deny(ProtocolError.PERMISSION_DENIED));
 * }</pre>
 *
 * @param client who publishes
 * @param channel the channel
 * @param data the raw JSON payload
 * @param allowedByRules whether the channel's options alone allow it
 * @param transport the connection's transport name, e.g. {@code "websocket"}
 * @param headers the headers the transport kept from the request that opened the connection
 * @param emulatedHeaders headers the client sent in its {@code connect} command (headers emulation,
 *     lower-case names); never trusted, kept apart from {@code headers}, empty when none
 * @param meta raw JSON object the connect hook attached to the connection (or a refresh replaced
 *     it with), {@code null} when none; the application's own, never the client's
 */
public record PublishRequest(
        ClientInfo client,
        String channel,
        byte[] data,
        boolean allowedByRules,
        String transport,
        Map<String, List<String>> headers,
        Map<String, String> emulatedHeaders,
        byte[] meta) {

    public PublishRequest {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        emulatedHeaders = emulatedHeaders == null ? Map.of() : Map.copyOf(emulatedHeaders);
        transport = transport == null ? "" : transport;
    }

    /** A request without transport details, as before they were passed. */
    public PublishRequest(ClientInfo client, String channel, byte[] data, boolean allowedByRules) {
        this(client, channel, data, allowedByRules, "", Map.of(), Map.of(), null);
    }
}

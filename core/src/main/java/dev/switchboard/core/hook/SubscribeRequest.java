package dev.switchboard.core.hook;

import dev.switchboard.core.engine.ClientInfo;
import java.util.List;
import java.util.Map;

/**
 * A client's subscribe, as seen by a {@link SubscribeHandler}.
 *
 * <pre>{@code
 * SubscribeHandler h = req -> CompletableFuture.completedFuture(
 *     req.allowedByRules() ? SubscribeDecision.allow() : SubscribeDecision.deny(ProtocolError.PERMISSION_DENIED));
 * }</pre>
 *
 * @param client who subscribes
 * @param channel the channel
 * @param data raw JSON the client attached, or {@code null}
 * @param allowedByRules whether the channel's options alone would let the client in
 * @param transport the connection's transport name, e.g. {@code "websocket"}
 * @param headers the headers the transport kept from the request that opened the connection
 * @param emulatedHeaders headers the client sent in its {@code connect} command (headers emulation,
 *     lower-case names); never trusted, kept apart from {@code headers}, empty when none
 * @param meta raw JSON object the connect hook attached to the connection (or a refresh replaced
 *     it with), {@code null} when none; the application's own, never the client's
 */
public record SubscribeRequest(
        ClientInfo client,
        String channel,
        byte[] data,
        boolean allowedByRules,
        String transport,
        Map<String, List<String>> headers,
        Map<String, String> emulatedHeaders,
        byte[] meta) {

    public SubscribeRequest {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        emulatedHeaders = emulatedHeaders == null ? Map.of() : Map.copyOf(emulatedHeaders);
        transport = transport == null ? "" : transport;
    }

    /** A request without transport details, as before they were passed. */
    public SubscribeRequest(ClientInfo client, String channel, byte[] data, boolean allowedByRules) {
        this(client, channel, data, allowedByRules, "", Map.of(), Map.of(), null);
    }
}

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
 */
public record SubscribeRequest(
        ClientInfo client,
        String channel,
        byte[] data,
        boolean allowedByRules,
        String transport,
        Map<String, List<String>> headers) {

    public SubscribeRequest {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        transport = transport == null ? "" : transport;
    }

    /** A request without transport details, as before they were passed. */
    public SubscribeRequest(ClientInfo client, String channel, byte[] data, boolean allowedByRules) {
        this(client, channel, data, allowedByRules, "", Map.of());
    }
}

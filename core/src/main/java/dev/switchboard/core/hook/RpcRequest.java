package dev.switchboard.core.hook;

import dev.switchboard.core.engine.ClientInfo;
import java.util.List;
import java.util.Map;

/**
 * A client's {@code rpc} command.
 *
 * <pre>{@code
 * RpcHandler echo = req -> CompletableFuture.completedFuture(req.data());
 * }</pre>
 *
 * @param client who calls
 * @param method the method name
 * @param data raw JSON arguments, or {@code null}
 * @param transport the connection's transport name, e.g. {@code "websocket"}
 * @param headers the headers the transport kept from the request that opened the connection
 * @param emulatedHeaders headers the client sent in its {@code connect} command (headers emulation,
 *     lower-case names); never trusted, kept apart from {@code headers}, empty when none
 * @param meta raw JSON object the connect hook attached to the connection (or a refresh replaced
 *     it with), {@code null} when none; the application's own, never the client's
 */
public record RpcRequest(
        ClientInfo client,
        String method,
        byte[] data,
        String transport,
        Map<String, List<String>> headers,
        Map<String, String> emulatedHeaders,
        byte[] meta) {

    public RpcRequest {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        emulatedHeaders = emulatedHeaders == null ? Map.of() : Map.copyOf(emulatedHeaders);
        transport = transport == null ? "" : transport;
    }

    /** A request without transport details, as before they were passed. */
    public RpcRequest(ClientInfo client, String method, byte[] data) {
        this(client, method, data, "", Map.of(), Map.of(), null);
    }
}

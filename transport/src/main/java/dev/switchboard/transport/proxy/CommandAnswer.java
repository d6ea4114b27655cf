package dev.switchboard.transport.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.node.DisconnectException;
import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolError;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The answer of a proxy that decides one client command (subscribe, publish, rpc): the client
 * is disconnected, the command refused with the backend's error, or the {@code result} (possibly
 * absent) is used. As Centrifugo, a call that brings no usable answer (backend down, timing out,
 * breaker open, a malformed answer) fails the command with error 100 (internal, temporary), so
 * SDKs retry where they retry.
 *
 * <pre>{@code
 * CompletableFuture<byte[]> data = CommandAnswer.call(client, body, headers, r -> ProxyJson.raw(r, "data", "b64data"));
 * }</pre>
 *
 * @param <T> what the result maps to
 */
record CommandAnswer<T>(T result, ProtocolError error, Disconnect disconnect) {

    /**
     * POSTs {@code body} and completes with what {@code result} makes of the answer's
     * {@code result} object ({@code null} when absent), or fails with a {@link DisconnectException}
     * or a {@link ProtocolError}.
     */
    static <T> CompletableFuture<T> call(
            ProxyClient client,
            byte[] body,
            Map<String, List<String>> headers,
            Map<String, String> emulatedHeaders,
            Function<JsonNode, T> result) {
        return client.call(body, headers, emulatedHeaders, a -> decode(a, result))
                .handle((answer, err) -> {
                    if (err != null) {
                        throw new CompletionException(ProtocolError.INTERNAL);
                    }
                    if (answer.disconnect() != null) {
                        throw new CompletionException(new DisconnectException(answer.disconnect()));
                    }
                    if (answer.error() != null) {
                        throw new CompletionException(answer.error());
                    }
                    return answer.result();
                });
    }

    /** {@code disconnect} first, then {@code error}, then {@code result}, as Centrifugo reads them. */
    static <T> CommandAnswer<T> decode(JsonNode answer, Function<JsonNode, T> result) {
        Disconnect d = ProxyJson.disconnect(answer);
        if (d != null) {
            return new CommandAnswer<>(null, null, d);
        }
        ProtocolError e = ProxyJson.error(answer);
        if (e != null) {
            return new CommandAnswer<>(null, e, null);
        }
        return new CommandAnswer<>(result.apply(ProxyJson.object(answer, "result")), null, null);
    }
}

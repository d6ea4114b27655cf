package dev.switchboard.transport.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.hook.ConnectDecision;
import dev.switchboard.core.hook.ConnectHandler;
import dev.switchboard.core.hook.ConnectRequest;
import dev.switchboard.core.hook.SubscribeOptions;
import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolError;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The connect proxy: a connect without a token is decided by the application's backend, as with
 * Centrifugo's connect proxy, so a backend written for Centrifugo works unchanged. A connect with
 * a token is decided by the token alone (it was verified before this handler runs).
 *
 * <p>The request is {@code {"client","transport","protocol","encoding","name","version","data"}}
 * with the allow-listed upgrade headers and the static headers as HTTP headers. The answer is
 * {@code {"result":{"user","expire_at","info"|"b64info","data"|"b64data","channels","subs","meta"}}},
 * {@code {"error":{"code","message","temporary"}}} or {@code {"disconnect":{"code","reason"}}}.
 *
 * <p>Each {@code subs} entry is a server-side subscription with its own channel info, data for
 * the client (in the connect reply's entry for that channel) and overrides of the channel's
 * options. {@code meta}, a JSON object, stays on the node: later proxy calls of the connection
 * carry it where {@code include_connection_meta} is on.
 *
 * <p>When the backend cannot decide ({@code timeout}, {@code unavailable}, HTTP {@code error},
 * {@code circuit_open}, {@code overloaded}) the client is disconnected with 3004, a code SDKs
 * reconnect after (with backoff); a {@code malformed} answer is error 100 (internal, temporary),
 * the reply Centrifugo gives, after which SDKs reconnect too.
 *
 * <pre>{@code
 * ConnectProxy proxy = new ConnectProxy(client);   // a ProxyClient made for the connect endpoint
 * Node.builder().onConnect(proxy)...
 * }</pre>
 */
public final class ConnectProxy implements ConnectHandler {

    /** What a client whose connect the backend could not decide is closed with. */
    public static final Disconnect BACKEND_UNAVAILABLE = new Disconnect(3004, "backend unavailable");

    private final ProxyClient client;

    public ConnectProxy(ProxyClient client) {
        this.client = client;
    }

    @Override
    public CompletionStage<ConnectDecision> onConnect(ConnectRequest req) {
        if (req.authenticated()) {
            return CompletableFuture.completedFuture(ConnectDecision.allow());
        }
        byte[] body = ProxyJson.request(req.clientId(), req.transport(), g -> {
            if (!req.name().isEmpty()) {
                g.writeStringField("name", req.name());
            }
            if (!req.version().isEmpty()) {
                g.writeStringField("version", req.version());
            }
            ProxyJson.writeRaw(g, "data", req.data());
        });
        return client.call(body, req.headers(), req.emulatedHeaders(), ConnectProxy::decode)
                .exceptionally(ConnectProxy::failed);
    }

    private static ConnectDecision failed(Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof ProxyException pe && pe.outcome() == ProxyOutcome.MALFORMED) {
            return ConnectDecision.deny(ProtocolError.INTERNAL);
        }
        return ConnectDecision.disconnect(BACKEND_UNAVAILABLE);
    }

    static ConnectDecision decode(JsonNode answer) {
        Disconnect d = ProxyJson.disconnect(answer);
        if (d != null) {
            return ConnectDecision.disconnect(d);
        }
        ProtocolError e = ProxyJson.error(answer);
        if (e != null) {
            return ConnectDecision.deny(e);
        }
        JsonNode r = ProxyJson.object(answer, "result");
        if (r == null) {
            // Centrifugo: no credentials. Nothing vouches for the client, so it is not let in.
            return ConnectDecision.deny(ProtocolError.UNAUTHORIZED);
        }
        long expireAt = ProxyJson.number(r, "expire_at");
        if (expireAt < 0) {
            throw new MalformedAnswerException("result.expire_at must not be negative");
        }
        return new ConnectDecision(
                null,
                null,
                ProxyJson.text(r, "user", ""),
                ProxyJson.raw(r, "info", "b64info"),
                ProxyJson.raw(r, "data", "b64data"),
                ProxyJson.strings(r, "channels"),
                null,
                expireAt,
                subs(ProxyJson.object(r, "subs")),
                ProxyJson.meta(r));
    }

    /**
     * {@code subs}: channel → SubscribeOptions {@code {"info"|"b64info","data"|"b64data",
     * "override"}}, as the subscribe proxy's result reads them. {@code expire_at},
     * {@code cache_recover} and {@code server_tags_filter} are checked for type only and not
     * applied: Centrifugo's connect proxy does not apply the first either (a server-side
     * subscription lives as long as its connection), and the others have no counterpart here.
     */
    private static Map<String, SubscribeOptions> subs(JsonNode subs) {
        if (subs == null) {
            return Map.of();
        }
        Map<String, SubscribeOptions> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = subs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode o = ProxyJson.object(subs, e.getKey());
            if (o == null) {
                out.put(e.getKey(), SubscribeOptions.DEFAULT);
                continue;
            }
            ProxyJson.number(o, "expire_at");
            ProxyJson.bool(o, "cache_recover");
            out.put(
                    e.getKey(),
                    new SubscribeOptions(
                            ProxyJson.raw(o, "info", "b64info"),
                            ProxyJson.raw(o, "data", "b64data"),
                            SubscribeProxy.override(ProxyJson.object(o, "override"))));
        }
        return out;
    }
}

package dev.switchboard.transport.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.hook.ConnectDecision;
import dev.switchboard.core.hook.ConnectHandler;
import dev.switchboard.core.hook.ConnectRequest;
import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
 * {@code {"result":{"user","expire_at","info"|"b64info","data"|"b64data","channels","subs"}}},
 * {@code {"error":{"code","message","temporary"}}} or {@code {"disconnect":{"code","reason"}}}.
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
        List<String> channels = new ArrayList<>(ProxyJson.strings(r, "channels"));
        JsonNode subs = ProxyJson.object(r, "subs");
        if (subs != null) {
            // Per-channel options of subs (info, data, override) are not applied yet: the names are.
            for (Iterator<String> it = subs.fieldNames(); it.hasNext(); ) {
                channels.add(it.next());
            }
        }
        return new ConnectDecision(
                null,
                null,
                ProxyJson.text(r, "user", ""),
                ProxyJson.raw(r, "info", "b64info"),
                ProxyJson.raw(r, "data", "b64data"),
                channels,
                null,
                expireAt);
    }
}

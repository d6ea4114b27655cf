package dev.switchboard.transport.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.hook.SubscribeDecision;
import dev.switchboard.core.hook.SubscribeHandler;
import dev.switchboard.core.hook.SubscribeOverride;
import dev.switchboard.core.hook.SubscribeRequest;
import java.util.concurrent.CompletionStage;

/**
 * The subscribe proxy: a client's subscription (without a token) to a channel of a namespace
 * with {@code subscribe_proxy_enabled} is decided by the application's backend, as with
 * Centrifugo's subscribe proxy. Request {@code {"client","transport","protocol","encoding",
 * "user","channel","data"}}; answer {@code {"result":{"info"|"b64info","data"|"b64data",
 * "expire_at","override":{"presence":{"value":true},...}}}}, an {@code error} or a
 * {@code disconnect}. An answer with no {@code result} lets the client in with the channel's
 * options, as Centrifugo does. The result's {@code data} is the subscribe reply's {@code data}
 * ("state on subscribe"). A backend that cannot answer fails the subscribe with 100.
 *
 * <pre>{@code
 * Node.builder().onSubscribe(new SubscribeProxy(subscribeClient))...   // usually through Proxies.wire
 * }</pre>
 */
public final class SubscribeProxy implements SubscribeHandler {

    private final ProxyClient client;

    public SubscribeProxy(ProxyClient client) {
        this.client = client;
    }

    @Override
    public CompletionStage<SubscribeDecision> onSubscribe(SubscribeRequest req) {
        byte[] body = ProxyJson.request(req.client().client(), req.transport(), g -> {
            g.writeStringField("user", req.client().user());
            g.writeStringField("channel", req.channel());
            ProxyJson.writeRaw(g, "data", req.data());
            ProxyJson.writeMeta(g, client, req.meta());
        });
        return CommandAnswer.call(client, body, req.headers(), req.emulatedHeaders(), SubscribeProxy::decode);
    }

    static SubscribeDecision decode(JsonNode r) {
        if (r == null) {
            return SubscribeDecision.allow();
        }
        long expireAt = ProxyJson.number(r, "expire_at");
        if (expireAt < 0) {
            throw new MalformedAnswerException("result.expire_at must not be negative");
        }
        return new SubscribeDecision(
                null,
                ProxyJson.raw(r, "info", "b64info"),
                ProxyJson.raw(r, "data", "b64data"),
                expireAt,
                false,
                override(ProxyJson.object(r, "override")));
    }

    /**
     * {@code override}: each option a {@code {"value": bool}} wrapper (protobuf's BoolValue); the
     * connect proxy's {@code subs} options carry the same shape.
     */
    static SubscribeOverride override(JsonNode o) {
        if (o == null) {
            return null;
        }
        return new SubscribeOverride(
                boolValue(o, "presence"),
                boolValue(o, "join_leave"),
                boolValue(o, "force_push_join_leave"),
                boolValue(o, "force_recovery"),
                boolValue(o, "force_positioning"));
    }

    private static Boolean boolValue(JsonNode o, String field) {
        JsonNode w = ProxyJson.object(o, field);
        return w == null ? null : ProxyJson.bool(w, "value");
    }
}

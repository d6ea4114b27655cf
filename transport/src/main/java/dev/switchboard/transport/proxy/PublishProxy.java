package dev.switchboard.transport.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.hook.PublishDecision;
import dev.switchboard.core.hook.PublishHandler;
import dev.switchboard.core.hook.PublishRequest;
import java.util.concurrent.CompletionStage;

/**
 * The publish proxy: a client's publication into a channel of a namespace with
 * {@code publish_proxy_enabled} is decided by the application's backend, which may replace its
 * data, as with Centrifugo's publish proxy (it replaces the {@code allow_publish_*} rules there).
 * Request {@code {"client","transport","protocol","encoding","user","channel","data"}}; answer
 * {@code {"result":{"data"|"b64data","skip_history"}}}, an {@code error} or a {@code disconnect}.
 * No {@code result} publishes what the client sent. {@code tags}, {@code idempotency_key},
 * {@code delta} and {@code version} of the result are ignored. A backend that cannot answer
 * fails the publish with 100 and nothing is published.
 *
 * <pre>{@code
 * Node.builder().onPublish(new PublishProxy(publishClient))...   // usually through Proxies.wire
 * }</pre>
 */
public final class PublishProxy implements PublishHandler {

    private final ProxyClient client;

    public PublishProxy(ProxyClient client) {
        this.client = client;
    }

    @Override
    public CompletionStage<PublishDecision> onPublish(PublishRequest req) {
        byte[] body = ProxyJson.request(req.client().client(), req.transport(), g -> {
            g.writeStringField("user", req.client().user());
            g.writeStringField("channel", req.channel());
            ProxyJson.writeRaw(g, "data", req.data());
            ProxyJson.writeMeta(g, client, req.meta());
        });
        return CommandAnswer.call(client, body, req.headers(), req.emulatedHeaders(), PublishProxy::decode);
    }

    static PublishDecision decode(JsonNode r) {
        if (r == null) {
            return PublishDecision.allow();
        }
        return PublishDecision.allowWithData(ProxyJson.raw(r, "data", "b64data"))
                .withSkipHistory(ProxyJson.bool(r, "skip_history"));
    }
}

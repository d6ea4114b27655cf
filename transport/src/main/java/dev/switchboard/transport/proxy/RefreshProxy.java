package dev.switchboard.transport.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.hook.RefreshDecision;
import dev.switchboard.core.hook.RefreshHandler;
import dev.switchboard.core.hook.RefreshRequest;
import dev.switchboard.core.hook.SubRefreshHandler;
import dev.switchboard.core.hook.SubRefreshRequest;
import dev.switchboard.core.protocol.Disconnect;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The refresh proxy: when a connection's expiry comes, the application's backend says whether it
 * lives on, as with Centrifugo's refresh proxy (server-side refresh: SDKs are never asked for a
 * token). Request {@code {"client","transport","protocol","encoding","user"}}; answer
 * {@code {"result":{"expired","expire_at","info"|"b64info"}}}. No {@code result} (or an
 * {@code error}) ends the connection as expired (3005), as Centrifugo; a {@code disconnect}
 * closes it with that code.
 *
 * <p>When the backend cannot answer (any failure, a malformed answer included) the connection is
 * given {@link #RETRY_AFTER_FAILURE} more and asked about again then, as Centrifugo does: a
 * backend outage does not disconnect every expiring client.
 *
 * <p>The same shapes serve Centrifugo's sub_refresh proxy ({@link #onSubRefresh}): the request
 * adds {@code channel}, {@code info} is the subscription's channel info, and an expired
 * subscription closes the connection with 3006, as Centrifugo does.
 *
 * <pre>{@code
 * Node.builder().onRefresh(new RefreshProxy(refreshClient, Clock.systemUTC(), RefreshProxy.RETRY_AFTER_FAILURE))
 *     .onSubRefresh(new RefreshProxy(subRefreshClient, Clock.systemUTC(), RefreshProxy.RETRY_AFTER_FAILURE))...
 * }</pre>
 */
public final class RefreshProxy implements RefreshHandler, SubRefreshHandler {

    /** Extra life of a connection whose refresh the backend could not answer: 60 s, as Centrifugo. */
    public static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(60);

    private final ProxyClient client;
    private final Clock clock;
    private final Duration retryAfterFailure;

    /**
     * @param clock the clock expiries are read against (the node's)
     * @param retryAfterFailure how long a connection lives on when the backend cannot answer
     */
    public RefreshProxy(ProxyClient client, Clock clock, Duration retryAfterFailure) {
        this.client = client;
        this.clock = clock;
        this.retryAfterFailure = retryAfterFailure;
    }

    @Override
    public CompletionStage<RefreshDecision> onRefresh(RefreshRequest req) {
        byte[] body = ProxyJson.request(req.clientId(), req.transport(), g -> {
            g.writeStringField("user", req.userId());
            ProxyJson.writeMeta(g, client, req.meta());
        });
        return call(body, req.headers(), req.emulatedHeaders());
    }

    @Override
    public CompletionStage<RefreshDecision> onSubRefresh(SubRefreshRequest req) {
        byte[] body = ProxyJson.request(req.clientId(), req.transport(), g -> {
            g.writeStringField("user", req.userId());
            g.writeStringField("channel", req.channel());
            ProxyJson.writeMeta(g, client, req.meta());
        });
        return call(body, req.headers(), req.emulatedHeaders());
    }

    private CompletionStage<RefreshDecision> call(
            byte[] body, Map<String, List<String>> headers, Map<String, String> emulatedHeaders) {
        return client.call(body, headers, emulatedHeaders, RefreshProxy::decode).exceptionally(e -> {
            long seconds = Math.max(1, retryAfterFailure.toSeconds());
            return RefreshDecision.extend(clock.millis() / 1000 + seconds, null);
        });
    }

    static RefreshDecision decode(JsonNode answer) {
        Disconnect d = ProxyJson.disconnect(answer);
        if (d != null) {
            return RefreshDecision.disconnect(d);
        }
        ProxyJson.error(answer);
        JsonNode r = ProxyJson.object(answer, "result");
        if (r == null || ProxyJson.bool(r, "expired")) {
            return RefreshDecision.expire();
        }
        long expireAt = ProxyJson.number(r, "expire_at");
        // A sub_refresh answer has no meta in Centrifugo's protocol; the node ignores it there.
        return RefreshDecision.extend(expireAt, ProxyJson.raw(r, "info", "b64info"))
                .withMeta(ProxyJson.meta(r));
    }
}

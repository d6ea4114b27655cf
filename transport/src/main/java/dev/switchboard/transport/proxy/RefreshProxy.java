package dev.switchboard.transport.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.hook.RefreshDecision;
import dev.switchboard.core.hook.RefreshHandler;
import dev.switchboard.core.hook.RefreshRequest;
import dev.switchboard.core.protocol.Disconnect;
import java.time.Clock;
import java.time.Duration;
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
 * <pre>{@code
 * Node.builder().onRefresh(new RefreshProxy(refreshClient, Clock.systemUTC(), RefreshProxy.RETRY_AFTER_FAILURE))...
 * }</pre>
 */
public final class RefreshProxy implements RefreshHandler {

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
        byte[] body = ProxyJson.request(req.clientId(), req.transport(), g -> g.writeStringField("user", req.userId()));
        return client.call(body, req.headers(), RefreshProxy::decode).exceptionally(e -> {
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
        return RefreshDecision.extend(expireAt, ProxyJson.raw(r, "info", "b64info"));
    }
}

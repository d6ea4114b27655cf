package dev.switchboard.transport.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.hook.PublishRequest;
import dev.switchboard.core.hook.RefreshRequest;
import dev.switchboard.core.hook.RpcRequest;
import dev.switchboard.core.hook.SubRefreshRequest;
import dev.switchboard.core.hook.SubscribeRequest;
import dev.switchboard.core.protocol.ProtocolCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The connection's {@code meta} in each proxy's request: only with {@code include_connection_meta}. */
class ConnectionMetaProxyTest extends RealBackendFixture {

    private static final byte[] META = "{\"tenant\":\"acme\"}".getBytes(StandardCharsets.UTF_8);
    private static final ClientInfo WHO = new ClientInfo("c1", "56", null, null);

    ConnectionMetaProxyTest() throws Exception {}

    /** Calls each proxy once, with meta on the request, and returns the {@code meta} each body carried. */
    private JsonNode[] metasSent(boolean includeMeta) throws Exception {
        ProxyClient c = client("test", "/rt", ProxyConfig.builder().includeConnectionMeta(includeMeta));
        backend.seen.clear();
        new SubscribeProxy(c)
                .onSubscribe(new SubscribeRequest(WHO, "jobs:1", null, false, "websocket", Map.of(), Map.of(), META))
                .toCompletableFuture()
                .join();
        new PublishProxy(c)
                .onPublish(new PublishRequest(WHO, "jobs:1", META, false, "websocket", Map.of(), Map.of(), META))
                .toCompletableFuture()
                .join();
        new RpcProxy(c)
                .handle(new RpcRequest(WHO, "m", null, "websocket", Map.of(), Map.of(), META))
                .toCompletableFuture()
                .join();
        RefreshProxy refresh = new RefreshProxy(c, Clock.systemUTC(), RefreshProxy.RETRY_AFTER_FAILURE);
        refresh.onRefresh(new RefreshRequest("c1", "56", "websocket", 1, Map.of(), Map.of(), META))
                .toCompletableFuture()
                .join();
        refresh.onSubRefresh(new SubRefreshRequest("c1", "56", "jobs:1", "websocket", 1, Map.of(), Map.of(), META))
                .toCompletableFuture()
                .join();
        JsonNode[] out = new JsonNode[backend.seen.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ProtocolCodec.mapper().readTree(backend.seen.get(i).body()).get("meta");
        }
        return out;
    }

    @Test
    void everyProxyButConnectSendsMetaWhenConfiguredTo() throws Exception {
        JsonNode[] sent = metasSent(true);
        assertThat(sent).hasSize(5);
        for (JsonNode m : sent) {
            assertThat(m).isNotNull();
            assertThat(m.get("tenant").asText()).isEqualTo("acme");
        }
    }

    @Test
    void metaIsLeftOutByDefaultAsCentrifugoDoes() throws Exception {
        assertThat(metasSent(false)).hasSize(5).containsOnlyNulls();
    }
}

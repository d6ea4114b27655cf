package dev.switchboard.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.node.PublishParams;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.UniStream;
import dev.switchboard.transport.config.ProxiesConfig;
import dev.switchboard.transport.proxy.ProxyConfig;
import dev.switchboard.transport.proxy.TestBackend;
import dev.switchboard.transport.proxy.TestBackend.Answer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A browser's {@code EventSource} on uni SSE authenticated by its cookie alone: the connect proxy
 * gets the {@code Cookie} and decides the user and the channels, as for a WebSocket client.
 */
class UniConnectProxyIT extends ProxyITSupport {

    UniConnectProxyIT() throws Exception {}

    @Test
    void theConnectProxyDecidesAUniSseClientsUserAndChannelsFromItsCookie() throws Exception {
        backend.responder = (p, b) -> Answer.ok("{\"result\":{\"user\":\"56\",\"channels\":[\"news\"]}}");
        ProxyConfig connect = ProxyConfig.builder()
                .enabled(true)
                .endpoint(backend.url("/rt/connect"))
                .timeout(Duration.ofMillis(500))
                .httpHeaders(List.of("Cookie"))
                .build();
        server = TestServers.start(
                "",
                b -> b.config(TestServers.config(TestServers.CONFIG_YAML).toBuilder()
                        .proxies(ProxiesConfig.builder().connect(connect).build())
                        .uniSseEnabled(true)
                        .build()));
        String url = "http://127.0.0.1:" + server.port() + "/connection/uni_sse";
        try (UniStream s = UniStream.open("GET", url, null, Map.of("Cookie", "session=abc"), true)) {
            JsonNode connectPush = s.next().data();
            assertThat(connectPush.at("/connect/subs").has("news"))
                    .as("%s", connectPush)
                    .isTrue();
            TestBackend.Seen seen = backend.seen.get(0);
            assertThat(seen.headers().getFirst("Cookie")).isEqualTo("session=abc");
            assertThat(seen.body()).contains("\"transport\":\"uni_sse\"");

            server.node()
                    .publish("news", "{\"n\":1}".getBytes(), PublishParams.DEFAULT)
                    .join();
            assertThat(s.next().data().at("/pub/data/n").asInt()).isEqualTo(1);
        }
    }
}

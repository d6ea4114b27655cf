package dev.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.redis.testing.RedisServerExtension;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import dev.switchboard.transport.SwitchboardServer;
import dev.switchboard.transport.proxy.TestBackend;
import dev.switchboard.transport.proxy.TestBackend.Answer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lifecycle webhooks end to end: real nodes (in this JVM and as processes), real WebSocket
 * clients, a real HTTP backend on 127.0.0.1 and a real redis-server.
 */
class LifecycleWebhookIT {

    @RegisterExtension
    static RedisServerExtension redis = RedisServerExtension.create();

    @TempDir
    Path dir;

    private static final String SECRET_HEADER = "Authorization: Bearer webhook-secret";
    private final String prefix =
            "w" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private TestBackend backend;

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private static String webhookYaml(int backendPort, boolean subscriptionEvents) {
        return String.join(
                "\n",
                "webhook:",
                "  enabled: true",
                "  endpoint: http://127.0.0.1:" + backendPort + "/rt/events",
                "  timeout: 1s",
                "  max_retry_interval: 1s",
                "  subscription_events: " + subscriptionEvents,
                "  static_headers: [\"" + SECRET_HEADER + "\"]",
                "");
    }

    private static String redisYaml(String prefix) {
        return String.join("\n", "engine: redis", "redis:", "  url: " + redis.url(), "  prefix: " + prefix, "");
    }

    private SwitchboardServer server(String extraYaml) {
        SwitchboardServer s = TestServers.start(extraYaml, b -> b);
        toClose.add(s);
        return s;
    }

    private WsTestClient client(String url, String user) {
        WsTestClient c = WsTestClient.open(url);
        toClose.add(c);
        lastClientId = c.connect(TestServers.token(user))
                .path("connect")
                .path("client")
                .asText();
        return c;
    }

    /** The client id of the last {@link #client} connected. */
    private String lastClientId;

    /** Every event the backend got, in arrival order, from every POST it answered 2xx. */
    private List<JsonNode> delivered() {
        List<JsonNode> out = new ArrayList<>();
        for (TestBackend.Seen s : backend.seen) {
            try {
                for (JsonNode e : ProtocolCodec.mapper().readTree(s.body()).path("events")) {
                    out.add(e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private List<JsonNode> deliveredOf(String type) {
        return delivered().stream()
                .filter(e -> e.path("type").asText().equals(type))
                .toList();
    }

    @Test
    void connectSubscribeUnsubscribeAndDisconnectArePostedWithTheStaticHeaderOnTheMemoryEngine() {
        backend = newBackend(0);
        SwitchboardServer node = server(webhookYaml(backend.port(), true));
        WsTestClient c = client(TestServers.wsUrl(node), "56");
        c.send("{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}");
        c.reply(2);
        c.send("{\"id\":3,\"unsubscribe\":{\"channel\":\"news\"}}");
        c.reply(3);
        c.sendClose(1000, "bye");

        await().atMost(Duration.ofSeconds(5))
                .until(() -> deliveredOf("disconnected").size() == 1);
        List<JsonNode> events = delivered();
        assertThat(events)
                .extracting(
                        e -> e.path("type").asText() + " " + e.path("channel").asText(""))
                .containsExactly("connected ", "subscribed news", "unsubscribed news", "disconnected ");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.path("user").asText()).isEqualTo("56");
            assertThat(e.path("node").asText()).isEqualTo(node.node().options().id());
            assertThat(e.path("id").asText()).isNotBlank();
        });
        assertThat(events.get(0).path("transport").asText()).isEqualTo("websocket");
        assertThat(events.get(3).path("code").asInt()).isEqualTo(3000);
        assertThat(backend.seen).allSatisfy(s -> {
            assertThat(s.path()).isEqualTo("/rt/events");
            assertThat(s.headers().getFirst("Authorization")).isEqualTo("Bearer webhook-secret");
        });
    }

    @Test
    void eventsQueuedWhileTheBackendIsDownForTenSecondsAllArriveWhenItReturns() throws Exception {
        backend = newBackend(0);
        int port = backend.port();
        String yaml = redisYaml(prefix) + webhookYaml(port, false);
        SwitchboardServer a = server(yaml);
        SwitchboardServer b = server(yaml);
        client(TestServers.wsUrl(a), "first");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> deliveredOf("connected").size() == 1);

        backend.close(); // down: connection refused
        long downAt = System.nanoTime();
        List<String> clientIds = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            WsTestClient c = client(TestServers.wsUrl(i % 2 == 0 ? a : b), "u" + i);
            clientIds.add(lastClientId);
            if (i % 4 == 0) {
                c.sendClose(1000, "bye");
            }
        }
        Thread.sleep(Math.max(0, 10_000 - (System.nanoTime() - downAt) / 1_000_000));
        backend = newBackend(port);

        // Retries are at most 1s apart (max_retry_interval), the breaker cools down in 5s.
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            Set<String> connected = deliveredOf("connected").stream()
                    .map(e -> e.path("client").asText())
                    .collect(Collectors.toSet());
            return connected.containsAll(clientIds)
                    && deliveredOf("disconnected").size() >= 5;
        });
        Map<String, Integer> byId = new HashMap<>();
        delivered().forEach(e -> byId.merge(e.path("id").asText(), 1, Integer::sum));
        assertThat(byId).hasSize(20 + 5);
        System.out.printf(
                "[webhooks] after a 10 s outage: %d events, %d distinct ids, %d POSTs%n",
                delivered().size(), byId.size(), backend.seen.size());
    }

    @Test
    void aKilledNodesFiftyConnectionsGetOneDisconnectedEventEachFromTheSurvivingNode() throws Exception {
        NodeProcess.requireJar();
        backend = newBackend(0);
        String webhook = webhookYaml(backend.port(), false);
        NodeProcess doomed = new NodeProcess(NodeProcess.freePort(), redis.url(), prefix, dir, webhook);
        toClose.add(doomed);
        doomed.start();
        SwitchboardServer survivor = server(redisYaml(prefix) + webhook);

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            client(doomed.wsUrl(), "u" + i);
            ids.add(lastClientId);
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> deliveredOf("connected").size() == 50);

        long killedAt = System.nanoTime();
        doomed.kill();
        await().atMost(Duration.ofSeconds(15))
                .until(() -> deliveredOf("disconnected").size() >= 50);
        long tookMs = (System.nanoTime() - killedAt) / 1_000_000;
        // Duplicates would come from a second eviction or a redelivery: give them time to show.
        Thread.sleep(3000);

        List<JsonNode> lost = deliveredOf("disconnected");
        assertThat(lost).hasSize(50);
        assertThat(lost).extracting(e -> e.path("client").asText()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(lost).allSatisfy(e -> {
            assertThat(e.path("reason").asText()).isEqualTo("node lost");
            assertThat(e.path("code").asInt()).isEqualTo(3000);
            assertThat(e.path("node").asText())
                    .isNotEqualTo(survivor.node().options().id());
        });
        assertThat(lost.stream().map(e -> e.path("id").asText()).distinct()).hasSize(50);
        System.out.printf("[webhooks] 50 disconnected events of a SIGKILLed node delivered in %d ms%n", tookMs);
    }

    private static TestBackend newBackend(int port) {
        try {
            TestBackend b = new TestBackend(port);
            b.responder = (path, body) -> new Answer(204, "", Duration.ZERO);
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

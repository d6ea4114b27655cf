package dev.switchboard.server.sdk;

import static dev.switchboard.server.sdk.Sdk.WAIT_SECONDS;
import static dev.switchboard.server.sdk.Sdk.await;
import static dev.switchboard.server.sdk.Sdk.data;
import static dev.switchboard.server.sdk.Sdk.into;
import static dev.switchboard.server.sdk.Sdk.take;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.rpc.InvokeTarget;
import dev.switchboard.redis.testing.RedisServerExtension;
import dev.switchboard.server.sdk.Sdk.Events;
import dev.switchboard.server.sdk.Sdk.Session;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import dev.switchboard.transport.SwitchboardServer;
import io.github.centrifugal.centrifuge.PublishResult;
import io.github.centrifugal.centrifuge.SubscribedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * centrifuge-java against two nodes sharing a Redis: publications and invocations cross nodes, a
 * protobuf client's publication reaches a JSON client on the other node, and recovery reads the
 * Redis stream.
 */
class CentrifugeJavaClusterIT {

    @RegisterExtension
    static RedisServerExtension redis = RedisServerExtension.create();

    private final List<SwitchboardServer> nodes = new ArrayList<>();

    @BeforeEach
    void start() {
        String prefix = "pb" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
        String yaml = String.join("\n", "engine: redis", "redis:", "  url: " + redis.url(), "  prefix: " + prefix, "");
        for (int i = 0; i < 2; i++) {
            nodes.add(TestServers.start(yaml, b -> b));
        }
    }

    @AfterEach
    void stop() {
        nodes.forEach(SwitchboardServer::close);
    }

    @Test
    void publicationsInvocationsAndRecoveryAcrossTwoNodesOverRedis() throws Exception {
        SwitchboardServer a = nodes.get(0);
        SwitchboardServer b = nodes.get(1);
        try (Session java = new Session(TestServers.wsUrl(a), "java-a", "cluster-pb", new Events(true));
                WsTestClient json = WsTestClient.open(TestServers.wsUrl(b))) {
            json.connect(TestServers.token("json-b"));
            json.send("{\"id\":2,\"subscribe\":{\"channel\":\"cluster-pb\"}}");
            json.reply(2);

            // Published on node B, delivered by node A to the protobuf client.
            b.node().publish("cluster-pb", "{\"from\":\"b\"}".getBytes(UTF_8)).join();
            assertThat(data(take(java.subEvents.publications, "from node B"))).isEqualTo("{\"from\":\"b\"}");
            assertThat(json.push("cluster-pb", "pub").get("data").get("from").asText())
                    .isEqualTo("b");

            // Published by the protobuf client on node A, delivered by node B as JSON.
            CompletableFuture<PublishResult> published = new CompletableFuture<>();
            java.sub.publish("{\"from\":\"java\"}".getBytes(UTF_8), into(published));
            await(published);
            assertThat(json.push("cluster-pb", "pub").get("data").get("from").asText())
                    .isEqualTo("java");
            assertThat(data(take(java.subEvents.publications, "own"))).isEqualTo("{\"from\":\"java\"}");

            // Invoked from node B, answered by the SDK connected to node A.
            byte[] sum = b.node()
                    .invoke(
                            InvokeTarget.client(java.connected.getClient()),
                            "sum",
                            "[20,22]".getBytes(UTF_8),
                            Duration.ofSeconds(5))
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(new String(sum, UTF_8)).isEqualTo("42");

            // Missed while disconnected, published on node B, recovered from the Redis stream.
            java.client.disconnect();
            take(java.events.disconnected, "disconnected");
            // Publish only once the node has let the old socket go: centrifuge-java (0.4.1 to 0.7.0)
            // still hands frames of a closing socket to the client after connect() is called again, so a
            // publication pushed on it then moves the offset and the recovery starts after it.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(Sdk.WAIT_SECONDS))
                    .until(() -> !a.node().channels("cluster-pb").containsKey("cluster-pb"));
            for (int i = 1; i <= 3; i++) {
                b.node()
                        .publish("cluster-pb", ("{\"missed\":" + i + "}").getBytes(UTF_8))
                        .join();
            }
            java.client.connect();
            SubscribedEvent again = take(java.subEvents.subscribed, "resubscribed");
            assertThat(again.getRecovered()).isTrue();
            List<String> recovered = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                recovered.add(data(take(java.subEvents.publications, "recovered " + i)));
            }
            assertThat(recovered).containsExactly("{\"missed\":1}", "{\"missed\":2}", "{\"missed\":3}");
        }
    }
}

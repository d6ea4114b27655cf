package dev.switchboard.server.uni;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.redis.testing.RedisServerExtension;
import dev.switchboard.server.testing.ApiClient;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.UniStream;
import dev.switchboard.transport.SwitchboardServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A uni SSE client resumes from its {@code Last-Event-ID} on another node than the one it was
 * connected to (no sticky sessions): the id holds stream positions, which every node of a Redis
 * cluster reads alike.
 */
class UniSseAcrossNodesIT {

    @RegisterExtension
    static RedisServerExtension redis = RedisServerExtension.create();

    private SwitchboardServer a;
    private SwitchboardServer b;

    @BeforeEach
    void start() {
        String prefix = "uni" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
        String yaml = String.join(
                "\n",
                "engine: redis",
                "redis:",
                "  url: " + redis.url(),
                "  prefix: " + prefix,
                "uni_sse: {enabled: true}",
                "");
        a = TestServers.start(yaml, x -> x);
        b = TestServers.start(yaml, x -> x);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    @Test
    void aBrowserDroppedFromOneNodeResumesExactlyOnAnother() throws Exception {
        String connect = "{\"token\":\""
                + TestServers.tokens().connectToken("walker", Duration.ofHours(1), List.of("jobs-7"), null) + "\"}";
        ApiClient apiA = new ApiClient(TestServers.apiUrl(a), TestServers.API_KEY);
        ApiClient apiB = new ApiClient(TestServers.apiUrl(b), TestServers.API_KEY);
        String lastId;
        try (UniStream s = UniStream.open("POST", sse(a), connect, Map.of(), true)) {
            s.next();
            apiA.publish("jobs-7", "{\"n\":1}");
            lastId = s.next().id();
        }
        apiB.publish("jobs-7", "{\"n\":2}");
        apiA.publish("jobs-7", "{\"n\":3}");
        try (UniStream s = UniStream.open("POST", sse(b), connect, Map.of("Last-Event-ID", lastId), true)) {
            JsonNode sub = s.next().data().at("/connect/subs/jobs-7");
            assertThat(sub.get("recovered").asBoolean()).isTrue();
            assertThat(sub.get("publications"))
                    .extracting(p -> p.at("/data/n").asInt())
                    .containsExactly(2, 3);
            apiA.publish("jobs-7", "{\"n\":4}");
            assertThat(s.next().data().at("/pub/data/n").asInt())
                    .as("live from the other node")
                    .isEqualTo(4);
        }
    }

    private static String sse(SwitchboardServer s) {
        return "http://127.0.0.1:" + s.port() + "/connection/uni_sse";
    }
}

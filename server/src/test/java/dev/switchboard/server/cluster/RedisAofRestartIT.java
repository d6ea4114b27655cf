package dev.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.redis.testing.RedisServerExtension;
import dev.switchboard.server.testing.ApiClient;
import dev.switchboard.server.testing.RecoveringClient;
import dev.switchboard.server.testing.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With an fsync-always append-only file, a Redis crash and restart loses nothing. */
class RedisAofRestartIT {

    @RegisterExtension
    static RedisServerExtension redis = RedisServerExtension.withAof();

    @Test
    void redisKilledAndRestartedWithAofLosesNoPublication() {
        try (TestCluster cluster = new TestCluster(redis.url(), 2)) {
            List<RecoveringClient> clients = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int node = i % 2;
                clients.add(new RecoveringClient(
                        () -> TestServers.wsUrl(cluster.node(node)), TestServers.token("u" + i), "durable"));
            }
            ApiClient api = cluster.api(0);
            for (int i = 0; i < 50; i++) {
                api.publish("durable", "{}");
            }
            redis.kill();
            redis.start();
            int published = 50;
            while (published < 100) {
                // A retry with the same idempotency key is safe: it publishes once.
                String key = UUID.randomUUID().toString();
                await().atMost(Duration.ofSeconds(10))
                        .ignoreExceptions()
                        .until(() -> api.call(
                                                "publish",
                                                "{\"channel\":\"durable\",\"data\":{},\"idempotency_key\":\"" + key
                                                        + "\"}")
                                        .status()
                                == 200);
                published++;
            }
            List<Long> expected = new ArrayList<>();
            for (long o = 1; o <= 100; o++) {
                expected.add(o);
            }
            for (RecoveringClient c : clients) {
                c.pumpUntil(100, Duration.ofSeconds(15));
                assertThat(c.offsets()).isEqualTo(expected);
                assertThat(c.insufficientState()).isZero();
                c.close();
            }
        }
    }
}

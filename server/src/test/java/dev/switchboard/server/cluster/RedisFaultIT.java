package dev.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.redis.testing.RedisServerExtension;
import dev.switchboard.server.testing.ApiClient;
import dev.switchboard.server.testing.RecoveringClient;
import dev.switchboard.server.testing.TestServers;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Redis restarts without persistence and Redis outages, with two nodes in this JVM. */
class RedisFaultIT {

    @RegisterExtension
    static RedisServerExtension redis = RedisServerExtension.create();

    TestCluster cluster;
    int next;

    @BeforeEach
    void start() {
        redis.start();
        cluster = new TestCluster(redis.url(), 2);
    }

    @AfterEach
    void stop() {
        cluster.close();
        redis.start();
    }

    private String nextUrl() {
        return TestServers.wsUrl(cluster.node(next++ % 2));
    }

    private int status(int node, String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + cluster.node(node).port() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    /** {@code /ready}: whether the node should get new clients (503 while its engine is down). */
    private int ready(int node) throws Exception {
        return status(node, "/ready");
    }

    /**
     * Publishes until the client has a new publication: the client resubscribes after being told
     * its stream was lost, and what was published before that is, correctly, not delivered.
     */
    private static void publishUntilReceived(ApiClient api, String channel, RecoveringClient c) {
        int had = c.offsets().size();
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (c.offsets().size() == had && System.nanoTime() < end) {
            api.call("publish", "{\"channel\":\"" + channel + "\",\"data\":{}}");
            c.pump(Duration.ofMillis(300));
        }
        assertThat(c.offsets().size())
                .as("a publication after Redis came back arrives")
                .isGreaterThan(had);
    }

    @Test
    void redisRestartWithoutPersistenceChangesTheEpochAndIsNeverASilentHole() {
        try (RecoveringClient c =
                new RecoveringClient(() -> TestServers.wsUrl(cluster.node(1)), TestServers.token("u"), "ep")) {
            ApiClient api = cluster.api(0);
            for (int i = 0; i < 3; i++) {
                api.publish("ep", "{}");
            }
            c.pumpUntil(3, Duration.ofSeconds(5));
            String before = c.epoch();
            redis.kill();
            redis.start();
            await().atMost(Duration.ofSeconds(10))
                    .ignoreExceptions()
                    .until(() -> api.call("publish", "{\"channel\":\"ep\",\"data\":{}}")
                                    .status()
                            == 200);
            publishUntilReceived(api, "ep", c);
            assertThat(c.insufficientState()).as("told its stream was lost").isGreaterThanOrEqualTo(1);
            assertThat(c.recoveries()).as("the resubscribe reports the loss").contains(false);
            assertThat(c.epoch()).isNotEqualTo(before);
            assertThat(c.offsets()).startsWith(1L, 2L, 3L);
            // After the loss the new epoch's stream starts again from offset 1.
            assertThat(c.offsets().get(c.offsets().size() - 1)).isLessThan(10L);
        }
    }

    @Test
    void redisOutageFailsPublishesFastAndEverythingResumesWithoutARestart() throws Exception {
        try (RecoveringClient c =
                new RecoveringClient(() -> TestServers.wsUrl(cluster.node(1)), TestServers.token("u"), "out")) {
            ApiClient api = cluster.api(0);
            api.publish("out", "{}");
            c.pumpUntil(1, Duration.ofSeconds(5));
            MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
            System.gc();
            long heapBefore = mem.getHeapMemoryUsage().getUsed();

            redis.kill();
            long outageEnd = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            long slowest = 0;
            AtomicInteger failed = new AtomicInteger();
            int calls = 0;
            while (System.nanoTime() < outageEnd) {
                long t0 = System.nanoTime();
                ApiClient.Response r = api.call("publish", "{\"channel\":\"out\",\"data\":{\"during\":true}}");
                slowest = Math.max(slowest, System.nanoTime() - t0);
                calls++;
                if (r.status() == 503) {
                    failed.incrementAndGet();
                }
            }
            assertThat(failed.get()).as("publishes refused during the outage").isEqualTo(calls);
            assertThat(Duration.ofNanos(slowest)).as("slowest refusal").isLessThan(Duration.ofMillis(3500));
            assertThat(ready(0)).isEqualTo(503);
            assertThat(status(0, "/health")).as("alive all along").isEqualTo(200);
            System.gc();
            long heapGrowth = mem.getHeapMemoryUsage().getUsed() - heapBefore;
            assertThat(heapGrowth).as("heap growth over the outage").isLessThan(64L << 20);
            System.out.printf(
                    "outage: %d publishes refused, slowest %d ms, heap growth %d KiB%n",
                    calls, Duration.ofNanos(slowest).toMillis(), heapGrowth >> 10);

            redis.start();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> ready(0) == 200 && ready(1) == 200);
            publishUntilReceived(api, "out", c);
        }
    }
}

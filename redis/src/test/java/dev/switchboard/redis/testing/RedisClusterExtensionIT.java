package dev.switchboard.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The cluster fixture itself: it forms, fails over, moves slots and heals as tests built on it assume. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterExtensionIT {

    /** Bound on how long a promoted replica may take to serve writes through Lettuce. */
    static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(15);

    @RegisterExtension
    static RedisClusterExtension cluster = RedisClusterExtension.create();

    static RedisClusterClient client;
    static StatefulRedisClusterConnection<String, String> connection;
    /** The primary the failover test killed, for the next test to find running again. */
    static ClusterNode killed;

    @BeforeAll
    static void connect() {
        client = RedisClusterClient.create(cluster.nodes().stream()
                .map(n -> RedisURI.create(RedisServerExtension.HOST, n.port()))
                .toList());
        client.setOptions(ClusterClientOptions.builder()
                // Lettuce learns of a failover only by refreshing its topology: on the triggers (a
                // MOVED, the first failed reconnect to the dead node) and periodically as a fallback.
                // Without REJECT_COMMANDS a command routed to the dead node waits in its queue until
                // it times out (1 s) instead of failing at once and being retried.
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enableAllAdaptiveRefreshTriggers()
                        .refreshTriggersReconnectAttempts(1)
                        .adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
                        .enablePeriodicRefresh(Duration.ofSeconds(1))
                        .build())
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(1)))
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        connection = client.connect(StringCodec.UTF8);
        // Lettuce 7 rejects (REJECT_COMMANDS) a command whose node connection is still opening.
        for (ClusterNode n : cluster.primaries()) {
            connection.getConnection(RedisServerExtension.HOST, n.port());
        }
    }

    @AfterAll
    static void disconnect() {
        if (connection != null) {
            connection.close();
        }
        if (client != null) {
            client.shutdown(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(1)
    void formsAClusterServingEveryShard() {
        List<ClusterNode> primaries = cluster.primaries();
        assertThat(primaries).hasSize(3);
        assertThat(cluster.nodes()).hasSize(RedisClusterExtension.NODES).allMatch(ClusterNode::isRunning);
        assertThat(cluster.nodes().stream().map(ClusterNode::id).distinct()).hasSize(RedisClusterExtension.NODES);
        assertThat(cluster.url()).startsWith("redis+cluster://127.0.0.1:").contains(",127.0.0.1:");

        RedisAdvancedClusterCommands<String, String> sync = connection.sync();
        for (ClusterNode p : primaries) {
            int slot = cluster.lowestSlotOf(p);
            assertThat(cluster.primaryOfSlot(slot)).isEqualTo(p);
            String key = "sb:stream:{" + RedisClusterExtension.channelInSlot("shard", slot) + "}";
            sync.set(key, p.hostAndPort());
            assertThat(sync.get(key)).isEqualTo(p.hostAndPort());
            // Stored on that primary itself, and replicated.
            assertThat(cluster.command(p, "GET", key)).isEqualTo(p.hostAndPort());
            assertThat(cluster.cpuSeconds(p)).isPositive();
        }

        cluster.flushAll();
        for (ClusterNode p : primaries) {
            assertThat(cluster.command(p, "DBSIZE")).isEqualTo(0L);
        }
    }

    @Test
    @Order(2)
    void slotOfMatchesClusterKeyslot() {
        Random random = new Random(42);
        String alphabet = "abcxyz019:_-{}é";
        RedisAdvancedClusterCommands<String, String> sync = connection.sync();
        for (int i = 0; i < 400; i++) {
            StringBuilder key = new StringBuilder();
            int length = random.nextInt(20);
            for (int c = 0; c < length; c++) {
                key.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            if (i % 3 == 0) {
                key.insert(random.nextInt(key.length() + 1), "{tag" + i + "}");
            }
            String k = key.toString();
            assertThat(RedisClusterExtension.slotOf(k))
                    .as(k)
                    .isEqualTo(sync.clusterKeyslot(k).intValue());
        }
        for (int slot : new int[] {0, 5461, 16383}) {
            String key = "sb:stream:{" + RedisClusterExtension.channelInSlot("c", slot) + "}";
            assertThat(sync.clusterKeyslot(key)).isEqualTo((long) slot);
        }
    }

    @Test
    @Order(3)
    void clientKillPubSubDropsSubscribersOnEveryNode() {
        try (StatefulRedisClusterPubSubConnection<String, String> sub = client.connectPubSub(StringCodec.UTF8)) {
            sub.sync().subscribe("news");
            assertThat(cluster.clientKillPubSub()).isGreaterThanOrEqualTo(1L);
        }
    }

    @Test
    @Order(4)
    void killingAPrimaryPromotesItsReplica() {
        int slot = RedisClusterExtension.slotOf("failover");
        ClusterNode old = cluster.primaryOfSlot(slot);
        RedisAdvancedClusterCommands<String, String> sync = connection.sync();
        sync.set("{failover}:before", "1");

        cluster.kill(old);
        killed = old;
        // cluster-require-full-coverage no: the other shards keep serving during the outage.
        ClusterNode other = cluster.primaries().stream()
                .filter(p -> !p.equals(old))
                .findFirst()
                .orElseThrow();
        String elsewhere = RedisClusterExtension.channelInSlot("elsewhere", cluster.lowestSlotOf(other));
        sync.set(elsewhere, "served");
        assertThat(cluster.command(other, "GET", elsewhere)).isEqualTo("served");
        ClusterNode promoted = cluster.awaitFailover(slot, old, FAILOVER_TIMEOUT);

        assertThat(promoted).isNotEqualTo(old);
        assertThat(promoted.isRunning()).isTrue();
        assertThat(cluster.primaryOfSlot(slot)).isEqualTo(promoted);
        assertThat(cluster.primaries()).hasSize(3).doesNotContain(old);
        assertThat(cluster.lastFailoverTime()).isLessThan(FAILOVER_TIMEOUT);

        long t0 = System.nanoTime();
        long deadline = t0 + FAILOVER_TIMEOUT.toNanos();
        RuntimeException last = null;
        int failures = 0;
        while (System.nanoTime() < deadline) {
            try {
                sync.set("{failover}:after", "2");
                last = null;
                break;
            } catch (RuntimeException e) {
                failures++;
                last = e;
                RedisServerExtension.sleep(Duration.ofMillis(50));
            }
        }
        assertThat(last).as("writes after the failover").isNull();
        System.out.println("Lettuce wrote to slot " + slot + " again " + (System.nanoTime() - t0) / 1_000_000
                + " ms after the failover completed, " + failures + " attempts rejected before");
        assertThat(sync.get("{failover}:after")).isEqualTo("2");
        // The replica had the key before the kill (replication is asynchronous, but it was idle).
        assertThat(cluster.command(promoted, "GET", "{failover}:before")).isEqualTo("1");
        // The old primary is left dead: the next test must find it running again.
    }

    @Test
    @Order(5)
    void aKilledNodeIsBackOnTheNextTest() {
        assertThat(killed).isNotNull();
        assertThat(killed.isRunning()).isTrue();
        assertThat(cluster.nodes()).allMatch(ClusterNode::isRunning);
        // It rejoined as a replica of its successor: still three primaries.
        assertThat(cluster.primaries()).hasSize(3).doesNotContain(killed);
        assertThat(cluster.command(killed, "ROLE")).asList().first().isEqualTo("slave");
        cluster.awaitHealthy(Duration.ofSeconds(1));
    }

    @Test
    @Order(6)
    void reshardSlotMovesKeysWhileWritesContinue() throws Exception {
        String channel = "resharded";
        int slot = RedisClusterExtension.slotOf(channel);
        ClusterNode from = cluster.primaryOfSlot(slot);
        ClusterNode to = cluster.primaries().stream()
                .filter(p -> !p.equals(from))
                .findFirst()
                .orElseThrow();
        RedisAdvancedClusterCommands<String, String> sync = connection.sync();
        Set<String> written = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String key = "{" + channel + "}:pre:" + i;
            sync.set(key, Integer.toString(i));
            written.add(key);
        }

        CompletableFuture<Duration> move = CompletableFuture.supplyAsync(() -> cluster.reshardSlot(slot, to));
        int during = 0;
        while (!move.isDone()) {
            String key = "{" + channel + "}:during:" + during;
            sync.set(key, Integer.toString(during));
            sync.incr("{" + channel + "}:counter");
            written.add(key);
            during++;
        }
        Duration took = move.get(RedisClusterExtension.RESHARD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        for (int i = 0; i < 100; i++) {
            String key = "{" + channel + "}:after:" + i;
            sync.set(key, "x");
            written.add(key);
        }
        System.out.println("reshard of slot " + slot + " took " + took.toMillis() + " ms; " + during
                + " writes went on meanwhile");

        assertThat(during).isPositive();
        assertThat(cluster.primaryOfSlot(slot)).isEqualTo(to);
        for (String key : written) {
            assertThat(sync.get(key)).as(key).isNotNull();
        }
        assertThat(sync.get("{" + channel + "}:counter")).isEqualTo(Integer.toString(during));
        assertThat(cluster.command(to, "CLUSTER", "COUNTKEYSINSLOT", Integer.toString(slot)))
                .isEqualTo((long) written.size() + 1);
        assertThat(cluster.command(from, "CLUSTER", "COUNTKEYSINSLOT", Integer.toString(slot)))
                .isEqualTo(0L);
    }
}

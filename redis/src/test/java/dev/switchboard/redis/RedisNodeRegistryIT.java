package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.engine.NodeInfo;
import dev.switchboard.core.protocol.ProtocolError;
import dev.switchboard.redis.testing.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisNodeRegistry} against a real redis-server: several "nodes", each with its own connections. */
class RedisNodeRegistryIT {

    @RegisterExtension
    static RedisServerExtension redis = RedisServerExtension.create();

    /** As the Node's default heartbeat interval. */
    private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    /** A fast timeout for the tests that do not measure eviction. */
    private static final Duration SHORT_NODE_TIMEOUT = Duration.ofSeconds(1);

    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);
    /** Scheduling and loopback round trips on a busy CI machine. */
    private static final Duration SLACK = Duration.ofMillis(400);

    private static final Duration POLL = Duration.ofMillis(20);
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private final List<RedisConnections> opened = new ArrayList<>();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    private String prefix;

    @BeforeEach
    void ownKeyPrefix() {
        prefix = "registry" + PREFIXES.incrementAndGet();
    }

    @AfterEach
    void closeAll() {
        scheduler.shutdownNow();
        opened.forEach(RedisConnections::close);
    }

    private RedisNodeRegistry registry(Duration nodeTimeout) {
        return new RedisNodeRegistry(connect(nodeTimeout));
    }

    private RedisConnections connect(Duration nodeTimeout) {
        RedisConnections c = new RedisConnections(RedisEngineOptions.builder(redis.url())
                .prefix(prefix)
                .nodeTimeout(nodeTimeout)
                .commandTimeout(COMMAND_TIMEOUT)
                .reconnectMinDelay(Duration.ofMillis(10))
                .reconnectMaxDelay(Duration.ofMillis(200))
                .build());
        opened.add(c);
        return c;
    }

    private static NodeInfo info(String id, int clients) {
        return new NodeInfo(
                id,
                "node " + id,
                "0.1.0",
                "10.0.0." + id.length() + ":8000",
                clients,
                clients / 2,
                clients * 3,
                7,
                12_345L);
    }

    private static List<String> ids(List<NodeInfo> nodes) {
        return nodes.stream().map(NodeInfo::id).toList();
    }

    private String hashKey() {
        return new String(new RedisKeys(prefix).nodes(), StandardCharsets.UTF_8);
    }

    private String aliveKey() {
        return new String(new RedisKeys(prefix).nodesAlive(), StandardCharsets.UTF_8);
    }

    @Test
    void twoHeartbeatingNodesAreBothListedWithTheirInfo() {
        RedisNodeRegistry a = registry(SHORT_NODE_TIMEOUT);
        RedisNodeRegistry b = registry(SHORT_NODE_TIMEOUT);
        a.heartbeat(info("a", 10)).join();
        b.heartbeat(info("b", 20)).join();

        assertThat(a.nodes().join()).containsExactlyInAnyOrder(info("a", 10), info("b", 20));
        assertThat(b.nodes().join()).containsExactlyInAnyOrder(info("a", 10), info("b", 20));

        // The next heartbeat replaces the counts.
        a.heartbeat(info("a", 11)).join();
        assertThat(b.nodes().join()).containsExactlyInAnyOrder(info("a", 11), info("b", 20));
        assertThat(redis.command("HGET", hashKey(), "a"))
                .asString()
                .contains(
                        "\"id\":\"a\"",
                        "\"num_clients\":11",
                        "\"num_users\":5",
                        "\"num_subs\":33",
                        "\"num_channels\":7",
                        "\"uptime\":12345",
                        "\"address\":",
                        "\"version\":\"0.1.0\"",
                        "\"name\":");
    }

    @Test
    void nodeThatStopsHeartbeatingIsGoneWithinTheDefaultNodeTimeout() throws InterruptedException {
        Duration timeout = RedisEngineOptions.DEFAULT_NODE_TIMEOUT;
        RedisNodeRegistry survivor = registry(timeout);
        RedisNodeRegistry dying = registry(timeout);
        AtomicLong lastBeat = new AtomicLong();
        ScheduledFuture<?> dyingBeats = scheduler.scheduleWithFixedDelay(
                () -> {
                    dying.heartbeat(info("dying", 1)).join();
                    lastBeat.set(System.nanoTime());
                },
                0,
                HEARTBEAT_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(
                () -> survivor.heartbeat(info("survivor", 2)).join(),
                0,
                HEARTBEAT_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(3))
                .until(() -> survivor.nodes().join().size() == 2);

        // The node dies between two heartbeats: no leave, no more heartbeats.
        Thread.sleep(HEARTBEAT_INTERVAL.toMillis() / 2);
        dyingBeats.cancel(false);
        opened.remove(1).close();
        long since = lastBeat.get();

        long listedUntil = 0;
        while (ids(survivor.nodes().join()).contains("dying")) {
            listedUntil = System.nanoTime() - since;
            assertThat(Duration.ofNanos(listedUntil)).isLessThan(timeout.plus(SLACK));
            Thread.sleep(POLL.toMillis());
        }
        Duration goneAfter = Duration.ofNanos(System.nanoTime() - since);
        System.out.printf(
                "dead node left the registry %d ms after its last heartbeat (node timeout %d ms)%n",
                goneAfter.toMillis(), timeout.toMillis());
        assertThat(goneAfter).isLessThanOrEqualTo(timeout.plus(SLACK));
        assertThat(Duration.ofNanos(listedUntil)).as("listed until its timeout").isGreaterThan(timeout.minus(SLACK));
        assertThat(ids(survivor.nodes().join())).containsExactly("survivor");
        assertThat(redis.command("HEXISTS", hashKey(), "dying"))
                .as("its info is evicted too")
                .isEqualTo(0L);
    }

    @Test
    void leaveRemovesTheNodeAtOnce() {
        RedisNodeRegistry a = registry(SHORT_NODE_TIMEOUT);
        RedisNodeRegistry b = registry(SHORT_NODE_TIMEOUT);
        a.heartbeat(info("a", 1)).join();
        b.heartbeat(info("b", 2)).join();

        a.leave("a").join();
        assertThat(ids(b.nodes().join())).containsExactly("b");
        assertThat(redis.command("HEXISTS", hashKey(), "a")).isEqualTo(0L);
        assertThat(redis.command("ZSCORE", aliveKey(), "a")).isNull();
    }

    @Test
    void aNodeStartedAfterEveryNodeDiedStillEvictsThemAndTheKeysExpireOnlyAfterADay() throws Exception {
        RedisNodeRegistry a = registry(SHORT_NODE_TIMEOUT);
        a.heartbeat(info("a", 1)).join();
        assertThat(redis.command("EXISTS", hashKey(), aliveKey())).isEqualTo(2L);
        assertThat((Long) redis.command("PTTL", aliveKey()))
                .isBetween(Duration.ofHours(23).toMillis(), Duration.ofHours(24).toMillis());

        // Every node is gone for longer than the timeout; then one starts.
        Thread.sleep(SHORT_NODE_TIMEOUT.plus(SLACK).toMillis());
        RedisNodeRegistry b = registry(SHORT_NODE_TIMEOUT);
        b.heartbeat(info("b", 1)).join();
        assertThat(ids(b.nodes().join())).containsExactly("b");
        assertThat(redis.command("HEXISTS", hashKey(), "a")).isEqualTo(0L);
    }

    @Test
    void redisDownMakesHeartbeatsFailFastWithATemporaryErrorUntilItIsBack() {
        RedisNodeRegistry a = registry(SHORT_NODE_TIMEOUT);
        a.heartbeat(info("a", 1)).join();

        redis.kill();
        long start = System.nanoTime();
        Throwable failure = catchCause(() -> a.heartbeat(info("a", 1)).join());
        Throwable listFailure = catchCause(() -> a.nodes().join());
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(tookMs).isLessThan(COMMAND_TIMEOUT.plus(SLACK).toMillis());
        for (Throwable t : List.of(failure, listFailure)) {
            assertThat(t).isInstanceOf(ProtocolError.class);
            assertThat(((ProtocolError) t).temporary()).isTrue();
        }

        redis.start();
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(POLL)
                .ignoreExceptions()
                .until(() -> a.heartbeat(info("a", 1))
                                .thenCompose(v -> a.nodes())
                                .join()
                                .size()
                        == 1);
    }

    private static Throwable catchCause(Runnable r) {
        try {
            r.run();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure");
    }
}

package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.engine.ConnectionEntry;
import dev.switchboard.core.engine.NodeInfo;
import dev.switchboard.redis.testing.BrokerEventsAdapter;
import dev.switchboard.redis.testing.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Routing-key lookups for calls are answered from each node's cache and follow registry changes
 * made on other nodes through the change channel, well before the cache's time limit.
 */
class RoutingKeyRoutesIT {
    @RegisterExtension
    static RedisServerExtension redis = RedisServerExtension.create();

    /** Changes must arrive through the channel, not by expiry: half the time limit. */
    private static final Duration CHANGE_SEEN_WITHIN = Duration.ofMillis(RoutingKeyCache.TTL_MILLIS / 2);

    private static final Duration POLL = Duration.ofMillis(5);
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private final List<RedisEngine> engines = new ArrayList<>();
    private String prefix;

    @BeforeEach
    void ownKeyPrefix() {
        prefix = "routes" + PREFIXES.incrementAndGet();
    }

    @AfterEach
    void closeAll() {
        engines.forEach(RedisEngine::close);
    }

    private RedisEngine engine(String nodeId, Duration nodeTimeout) {
        RedisEngine e = RedisEngine.connect(
                RedisEngineOptions.builder(redis.url())
                        .prefix(prefix)
                        .nodeTimeout(nodeTimeout)
                        .build(),
                nodeId);
        e.broker().start(new BrokerEventsAdapter());
        engines.add(e);
        return e;
    }

    private String keyIndex(String routingKey) {
        return prefix + ":conns-key:" + routingKey;
    }

    @Test
    void lookupIsServedFromTheCacheUntilAnotherNodeChangesTheKey() {
        RedisEngine a = engine("a", RedisEngineOptions.DEFAULT_NODE_TIMEOUT);
        RedisEngine b = engine("b", RedisEngineOptions.DEFAULT_NODE_TIMEOUT);
        ConnectionEntry first = new ConnectionEntry("c1", "u1", "proj:prod", "b", 1000);
        b.connectionRegistry().add(first).join();
        assertThat(a.connectionRegistry().routesByRoutingKey("proj:prod").join())
                .containsExactly(first);
        // The add's own change message may still be on its way and drop that first lookup.
        await().atMost(CHANGE_SEEN_WITHIN).pollInterval(POLL).until(() -> {
            a.connectionRegistry().routesByRoutingKey("proj:prod").join();
            return a.broker(0).routingKeyCache().get("proj:prod") != null;
        });

        // Behind the registry's back: Redis no longer has it, the cached route still answers,
        // while the listing (byRoutingKey) always asks Redis.
        redis.command("DEL", keyIndex("proj:prod"));
        assertThat(a.connectionRegistry().routesByRoutingKey("proj:prod").join())
                .containsExactly(first);
        assertThat(a.connectionRegistry().byRoutingKey("proj:prod").join()).isEmpty();

        // A real change on node b reaches node a's cache through the change channel.
        ConnectionEntry second = new ConnectionEntry("c2", "u1", "proj:prod", "b", 2000);
        long start = System.nanoTime();
        b.connectionRegistry().add(second).join();
        await().atMost(CHANGE_SEEN_WITHIN)
                .pollInterval(POLL)
                .until(() -> a.connectionRegistry()
                        .routesByRoutingKey("proj:prod")
                        .join()
                        .equals(List.of(second)));
        System.out.printf("route change seen on the other node after %.2f ms%n", (System.nanoTime() - start) / 1e6);

        b.connectionRegistry().remove(second).join();
        await().atMost(CHANGE_SEEN_WITHIN)
                .pollInterval(POLL)
                .until(() -> a.connectionRegistry()
                        .routesByRoutingKey("proj:prod")
                        .join()
                        .isEmpty());
    }

    @Test
    void agentThatJustConnectedIsFoundAtOnceAfterAMiss() {
        RedisEngine a = engine("a", RedisEngineOptions.DEFAULT_NODE_TIMEOUT);
        RedisEngine b = engine("b", RedisEngineOptions.DEFAULT_NODE_TIMEOUT);
        assertThat(a.connectionRegistry().routesByRoutingKey("late").join()).isEmpty();
        ConnectionEntry agent = new ConnectionEntry("c1", "u1", "late", "b", 1000);
        b.connectionRegistry().add(agent).join();
        assertThat(a.connectionRegistry().routesByRoutingKey("late").join()).containsExactly(agent);
    }

    @Test
    void evictedNodeTakesItsCachedRoutesWithIt() {
        Duration timeout = Duration.ofMillis(300);
        RedisEngine a = engine("a", timeout);
        RedisEngine dying = engine("dying", timeout);
        dying.nodeRegistry().heartbeat(info("dying")).join();
        ConnectionEntry agent = new ConnectionEntry("c1", "u1", "proj:dev", "dying", 1000);
        dying.connectionRegistry().add(agent).join();
        assertThat(a.connectionRegistry().routesByRoutingKey("proj:dev").join()).containsExactly(agent);

        // No more heartbeats from "dying"; node a's heartbeat evicts it once the timeout passed.
        await().atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    a.nodeRegistry().heartbeat(info("a")).join();
                    return a.connectionRegistry()
                            .routesByRoutingKey("proj:dev")
                            .join()
                            .isEmpty();
                });
        assertThat(a.connectionRegistry().byRoutingKey("proj:dev").join()).isEmpty();
    }

    private static NodeInfo info(String id) {
        return new NodeInfo(id, id, "0.1.0", "127.0.0.1:0", 0, 0, 0, 0, 0);
    }
}

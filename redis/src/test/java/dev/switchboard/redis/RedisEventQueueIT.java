package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.engine.ConnectionEntry;
import dev.switchboard.core.engine.EventQueue.Backlog;
import dev.switchboard.core.engine.EventQueue.QueuedEvent;
import dev.switchboard.core.engine.LifecycleEvent;
import dev.switchboard.core.engine.NodeInfo;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.redis.testing.RedisServerExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RedisEventQueue} and the lifecycle events the registry scripts queue, against a real
 * redis-server: each "node" with its own connections.
 */
class RedisEventQueueIT {

    @RegisterExtension
    static RedisServerExtension redis = RedisServerExtension.create();

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static final Duration NODE_TIMEOUT = Duration.ofMillis(500);

    private final List<RedisConnections> opened = new ArrayList<>();
    private String prefix;

    @BeforeEach
    void ownKeyPrefix() {
        prefix = "events" + PREFIXES.incrementAndGet();
    }

    @AfterEach
    void closeAll() {
        opened.forEach(RedisConnections::close);
    }

    private RedisConnections connect(int maxBacklog) {
        RedisConnections c = new RedisConnections(RedisEngineOptions.builder(redis.url())
                .prefix(prefix)
                .nodeTimeout(NODE_TIMEOUT)
                .maxEventBacklog(maxBacklog)
                .build());
        opened.add(c);
        return c;
    }

    private RedisConnections connect() {
        return connect(RedisEngineOptions.DEFAULT_MAX_EVENT_BACKLOG);
    }

    private static ConnectionEntry entry(String client, String node) {
        return new ConnectionEntry(client, "u-" + client, "proj:prod", node, System.currentTimeMillis());
    }

    private static JsonNode json(QueuedEvent e) {
        try {
            return ProtocolCodec.mapper().readTree(e.json());
        } catch (IOException x) {
            throw new AssertionError(x);
        }
    }

    private static List<String> describe(List<QueuedEvent> events) {
        return events.stream()
                .map(RedisEventQueueIT::json)
                .map(j -> j.path("type").asText() + " " + j.path("client").asText())
                .toList();
    }

    @Test
    void registryChangesQueueTheirEventsAndEachClaimedBatchLeavesTheStreamWhenAcknowledged() {
        RedisConnections c = connect();
        RedisConnectionRegistry registry = new RedisConnectionRegistry(c);
        RedisEventQueue queue = new RedisEventQueue(c);
        ConnectionEntry a = entry("a", "n1");
        registry.add(a, LifecycleEvent.connected(a, "websocket", 1)).join();
        // Adding it again (a retried write whose first attempt landed) queues nothing more.
        registry.add(a, LifecycleEvent.connected(a, "websocket", 1)).join();
        registry.remove(a, LifecycleEvent.disconnected(a, 3000, "connection closed", 2))
                .join();
        // Removing it again (say, a retried write) queues nothing: the entry is gone.
        registry.remove(a, LifecycleEvent.disconnected(a, 3000, "connection closed", 3))
                .join();
        queue.add(LifecycleEvent.subscription(a, true, "jobs:1", 4)).join();

        assertThat(queue.backlog().join().size()).isEqualTo(3);
        List<QueuedEvent> batch = queue.claim("n1", 10).join();
        assertThat(describe(batch)).containsExactly("connected a", "disconnected a", "subscribed a");
        JsonNode connected = json(batch.get(0));
        assertThat(connected.path("transport").asText()).isEqualTo("websocket");
        assertThat(connected.path("routing_key").asText()).isEqualTo("proj:prod");
        assertThat(json(batch.get(1)).path("reason").asText()).isEqualTo("connection closed");

        // Claimed by n1: nobody else gets them, and they stay in the backlog until acknowledged.
        assertThat(queue.claim("n2", 10).join()).isEmpty();
        assertThat(queue.backlog().join().size()).isEqualTo(3);
        queue.ack(batch).join();
        assertThat(queue.backlog().join()).isEqualTo(Backlog.EMPTY);
        assertThat(redis.command("XLEN", prefix + ":events")).asString().isEqualTo("0");
    }

    @Test
    void aConsumersUnacknowledgedBatchIsTakenOverByAnotherAfterTheClaimTimeUnlessKept() throws Exception {
        RedisConnections c = connect();
        RedisEventQueue n1 = new RedisEventQueue(c, Duration.ofMillis(300));
        RedisEventQueue n2 = new RedisEventQueue(c, Duration.ofMillis(300));
        ConnectionEntry a = entry("a", "n1");
        n1.add(LifecycleEvent.connected(a, "websocket", 1)).join();
        List<QueuedEvent> batch = n1.claim("n1", 10).join();
        assertThat(batch).hasSize(1);

        // n1 keeps retrying: n2 does not take the batch over.
        for (int i = 0; i < 4; i++) {
            Thread.sleep(150);
            n1.keep("n1", batch).join();
            assertThat(n2.claim("n2", 10).join()).isEmpty();
            Thread.sleep(1000); // n2 reclaims at most once a second
        }
        // n1 stops (it died): after the claim time n2 gets the same entry.
        Thread.sleep(400);
        List<QueuedEvent> taken = await().atMost(Duration.ofSeconds(3))
                .until(() -> n2.claim("n2", 10).join(), l -> !l.isEmpty());
        assertThat(taken)
                .extracting(QueuedEvent::queueId)
                .containsExactly(batch.get(0).queueId());
        n2.ack(taken).join();
        assertThat(n1.backlog().join().size()).isZero();
    }

    @Test
    void aDeadNodesConnectionsGetOneDisconnectedEventEachFromTheEvictionAndNoneFromALateRemove() throws Exception {
        RedisConnections deadSide = connect();
        RedisConnections liveSide = connect();
        RedisConnectionRegistry deadRegistry = new RedisConnectionRegistry(deadSide);
        RedisNodeRegistry deadNodes = new RedisNodeRegistry(deadSide);
        RedisNodeRegistry liveNodes = new RedisNodeRegistry(liveSide);
        RedisEventQueue queue = new RedisEventQueue(liveSide);

        deadNodes.heartbeat(info("dead")).join();
        List<ConnectionEntry> entries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ConnectionEntry e = entry("c" + i, "dead");
            entries.add(e);
            deadRegistry.add(e, LifecycleEvent.connected(e, "websocket", 1)).join();
        }
        // One connection registered without events: its eviction queues nothing.
        deadRegistry.add(entry("quiet", "dead")).join();
        queue.ack(queue.claim("live", 100).join()).join();

        Thread.sleep(NODE_TIMEOUT.toMillis() + 200);
        liveNodes.heartbeat(info("live")).join(); // evicts "dead"
        liveNodes.heartbeat(info("live")).join(); // and nothing twice
        // The dead node's own late remove (it was only partitioned) finds nothing to report.
        deadRegistry
                .remove(entries.get(0), LifecycleEvent.disconnected(entries.get(0), 3001, "shutdown", 5))
                .join();

        List<QueuedEvent> batch = queue.claim("live", 100).join();
        assertThat(describe(batch))
                .containsExactlyInAnyOrder(
                        "disconnected c0", "disconnected c1", "disconnected c2", "disconnected c3", "disconnected c4");
        JsonNode lost = json(batch.get(0));
        assertThat(lost.path("code").asInt()).isEqualTo(LifecycleEvent.NODE_LOST_CODE);
        assertThat(lost.path("reason").asText()).isEqualTo(LifecycleEvent.NODE_LOST_REASON);
        assertThat(lost.path("node").asText()).isEqualTo("dead");
        assertThat(lost.path("user").asText()).startsWith("u-c");
        assertThat(lost.path("routing_key").asText()).isEqualTo("proj:prod");
        assertThat(lost.path("time").asLong()).isGreaterThan(1_700_000_000_000L);
        assertThat(batch.stream().map(e -> json(e).path("id").asText()).distinct())
                .hasSize(5);
    }

    @Test
    void theStreamIsCappedAtTheBacklogBoundDroppingTheOldest() {
        RedisConnections c = connect(100);
        RedisEventQueue queue = new RedisEventQueue(c);
        for (int i = 0; i < 1000; i++) {
            ConnectionEntry e = entry("c" + i, "n1");
            queue.add(LifecycleEvent.connected(e, "websocket", i)).join();
        }
        // Approximate trimming (MAXLEN ~) keeps at least the bound and at most one macro node more.
        long size = queue.backlog().join().size();
        assertThat(size).isBetween(100L, 300L);
        List<QueuedEvent> batch = queue.claim("n1", 1000).join();
        assertThat(describe(batch)).last().isEqualTo("connected c999");
    }

    private static NodeInfo info(String id) {
        return new NodeInfo(id, id, "0.1.0", "", 0, 0, 0, 0, 0);
    }
}

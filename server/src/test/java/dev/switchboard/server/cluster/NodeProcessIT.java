package dev.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.rpc.InvokeException;
import dev.switchboard.core.rpc.InvokeTarget;
import dev.switchboard.redis.testing.RedisServerExtension;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.testing.ApiClient;
import dev.switchboard.server.testing.RecoveringClient;
import dev.switchboard.server.testing.TestAgent;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import dev.switchboard.transport.SwitchboardWorker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Nodes as separate processes: a crash and a rolling restart under continuous publishing. */
class NodeProcessIT {

    @RegisterExtension
    static RedisServerExtension redis = RedisServerExtension.create();

    @TempDir
    Path dir;

    NodeProcesses procs;
    List<NodeProcess> nodes;
    String prefix;
    final List<RecoveringClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        procs = NodeProcesses.start(3, redis.url(), dir);
        nodes = procs.nodes;
        prefix = procs.prefix;
    }

    @AfterEach
    void stop() {
        clients.forEach(RecoveringClient::close);
        if (procs != null) {
            procs.close();
        }
    }

    private String nextUrl() {
        return procs.nextUrl();
    }

    private Thread publisher(String channel, AtomicBoolean stop, AtomicInteger published, int max) {
        return publisher(procs::anyApi, channel, stop, published, max);
    }

    /** Publishes until stopped, each publication retried on any node with one idempotency key. */
    static Thread publisher(
            Supplier<ApiClient> anyApi, String channel, AtomicBoolean stop, AtomicInteger published, int max) {
        Thread t = new Thread(
                () -> {
                    while (!stop.get() && published.get() < max) {
                        String key = UUID.randomUUID().toString();
                        while (true) {
                            try {
                                ApiClient.Response r = anyApi.get()
                                        .call(
                                                "publish",
                                                "{\"channel\":\"" + channel + "\",\"data\":{},\"idempotency_key\":\""
                                                        + key + "\"}");
                                if (r.status() == 200 && !r.body().has("error")) {
                                    break;
                                }
                            } catch (AssertionError e) {
                                // that node is down: try another
                            }
                        }
                        published.incrementAndGet();
                        sleepQuietly(3);
                    }
                },
                "publisher");
        t.start();
        return t;
    }

    static List<Long> oneTo(int n) {
        List<Long> out = new ArrayList<>();
        for (long o = 1; o <= n; o++) {
            out.add(o);
        }
        return out;
    }

    private void subscribeClients(String channel, int n) {
        for (int i = 0; i < n; i++) {
            clients.add(new RecoveringClient(this::nextUrl, TestServers.token("u" + i), channel));
        }
    }

    @Test
    void crashedNodesClientsRecoverEverythingElsewhereAndItsEntriesVanish() throws Exception {
        subscribeClients("crash", 6);
        WsTestClient ghost = WsTestClient.open(nodes.get(0).wsUrl());
        ghost.connect(TestServers.token("ghost"));
        ghost.send("{\"id\":2,\"subscribe\":{\"channel\":\"crash\"}}");
        ghost.reply(2);
        ApiClient observer = new ApiClient(nodes.get(1).apiUrl(), TestServers.API_KEY);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger published = new AtomicInteger();
        Thread pub = publisher("crash", stop, published, 4_000);
        clients.forEach(c -> c.pump(Duration.ofMillis(300)));
        nodes.get(0).kill();
        long killedAt = System.nanoTime();

        long registryGoneMs = -1;
        long presenceGoneMs = -1;
        while ((registryGoneMs < 0 || presenceGoneMs < 0)
                && System.nanoTime() - killedAt < Duration.ofSeconds(15).toNanos()) {
            clients.forEach(c -> c.pump(Duration.ofMillis(20)));
            long ms = (System.nanoTime() - killedAt) / 1_000_000;
            if (registryGoneMs < 0
                    && observer.call("info", "{}").body().at("/result/nodes").size() == 2) {
                registryGoneMs = ms;
            }
            if (presenceGoneMs < 0
                    && !observer.call("presence", "{\"channel\":\"crash\"}")
                            .body()
                            .toString()
                            .contains("\"ghost\"")) {
                presenceGoneMs = ms;
            }
        }
        stop.set(true);
        pub.join(20_000);
        int total = published.get();
        System.out.printf(
                "node crash: %d publications, dead node left the registry after %d ms and presence after %d ms;"
                        + " reconnects %s%n",
                total,
                registryGoneMs,
                presenceGoneMs,
                clients.stream().map(RecoveringClient::reconnects).toList());
        assertThat(registryGoneMs)
                .as("dead node evicted from the registry (ms)")
                .isBetween(0L, 5_000L);
        assertThat(presenceGoneMs).as("dead node's presence gone (ms)").isBetween(0L, 5_000L);
        for (RecoveringClient c : clients) {
            c.pumpUntil(total, Duration.ofSeconds(20));
            assertThat(c.offsets()).isEqualTo(oneTo(total));
            assertThat(c.recoveries()).doesNotContain(false);
        }
        ghost.close();
    }

    /**
     * A crashed process closes its sockets, so its subscription to its own channel goes at once: the
     * caller sees that on its next checks and fails the call within a few hundred ms (target 500).
     */
    @Test
    void invokeInFlightWhenTheOwningNodeIsKilledFailsWithNodeUnavailableWithinHalfASecond() throws Exception {
        long ms = invokeWhileTheOwnerDies(n -> n.kill());
        System.out.printf("invoke to a SIGKILLed node failed with node_unavailable after %d ms (timeout 30 s)%n", ms);
        assertThat(ms).as("noticed from its subscription, not its heartbeats").isLessThan(1500);
    }

    /**
     * A frozen process (SIGSTOP) keeps its sockets open, as a machine cut off from the network
     * would: only its missing heartbeats tell, after the node timeout (2.5 s).
     */
    @Test
    void invokeInFlightWhenTheOwningNodeFreezesFailsAfterTheHeartbeatTimeout() throws Exception {
        NodeProcess frozen = nodes.get(0);
        try {
            long ms = invokeWhileTheOwnerDies(n -> n.signal("STOP"));
            System.out.printf("invoke to a frozen (SIGSTOP) node failed with node_unavailable after %d ms%n", ms);
            assertThat(ms).as("noticed from its heartbeats").isBetween(1500L, 6000L);
        } finally {
            frozen.signal("CONT");
        }
    }

    private interface Fault {
        void apply(NodeProcess node) throws Exception;
    }

    /** Calls a client of node 0 that never answers, hits node 0 with the fault; returns ms until the call failed. */
    private long invokeWhileTheOwnerDies(Fault fault) throws Exception {
        String yaml = TestServers.CONFIG_YAML
                + String.join("\n", "engine: redis", "redis:", "  url: " + redis.url(), "  prefix: " + prefix, "");
        try (SwitchboardWorker caller = SwitchboardWorker.start(ConfigLoader.loadYaml(yaml, "worker", Map.of()));
                TestAgent agent = new TestAgent(nodes.get(0).wsUrl(), "sdk", "proj-9:prod", "doomed")) {
            InvokeTarget target = InvokeTarget.routingKey("proj-9:prod");
            await().atMost(Duration.ofSeconds(3))
                    .until(() -> caller.node().connection(target).join().isPresent());
            CompletableFuture<byte[]> call = caller.node().invoke(target, "hang", null, Duration.ofSeconds(30));
            Thread.sleep(300);
            fault.apply(nodes.get(0));
            long faultAt = System.nanoTime();
            assertThatThrownBy(call::join)
                    .cause()
                    .isInstanceOfSatisfying(
                            InvokeException.class,
                            e -> assertThat(e.reason()).isEqualTo(InvokeException.Reason.NODE_UNAVAILABLE));
            long ms = (System.nanoTime() - faultAt) / 1_000_000;
            assertThat(caller.node().pendingInvocations()).isZero();
            await("its connections left the registry")
                    .atMost(Duration.ofSeconds(6))
                    .until(() -> caller.node().connection(target).join().isEmpty());
            return ms;
        }
    }

    @Test
    void rollingRestartOfEveryNodeUnderContinuousPublishingLosesNothing() throws Exception {
        subscribeClients("rolling", 6);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger published = new AtomicInteger();
        Thread pub = publisher("rolling", stop, published, 6_000);
        for (NodeProcess n : nodes) {
            clients.forEach(c -> c.pump(Duration.ofMillis(100)));
            n.terminate();
            clients.forEach(c -> c.pump(Duration.ofMillis(100)));
            n.start();
        }
        clients.forEach(c -> c.pump(Duration.ofMillis(200)));
        stop.set(true);
        pub.join(20_000);
        int total = published.get();
        System.out.printf(
                "rolling restart: %d publications, reconnects %s%n",
                total, clients.stream().map(RecoveringClient::reconnects).toList());
        for (RecoveringClient c : clients) {
            c.pumpUntil(total, Duration.ofSeconds(20));
            assertThat(c.offsets()).isEqualTo(oneTo(total));
            assertThat(c.recoveries()).doesNotContain(false);
            assertThat(c.reconnects()).isGreaterThanOrEqualTo(1);
        }
    }

    static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.switchboard.server.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.rpc.InvokeException;
import dev.switchboard.core.rpc.InvokeTarget;
import dev.switchboard.redis.testing.RedisUnderTest;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.testing.ApiClient;
import dev.switchboard.server.testing.TestAgent;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.transport.SwitchboardServer;
import dev.switchboard.transport.SwitchboardWorker;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Invocations routed to the node holding the socket, from nodes, the HTTP API and a worker. Runs
 * on one redis-server ({@link InvokeIT}) and on a Redis Cluster ({@link InvokeOnRedisClusterIT}).
 */
abstract class InvokeSuite {

    /** The Redis the nodes share. */
    abstract RedisUnderTest redis();

    final List<SwitchboardServer> nodes = new ArrayList<>();
    final List<TestAgent> agents = new ArrayList<>();
    final String prefix = "r" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    SwitchboardWorker worker;
    final io.micrometer.core.instrument.simple.SimpleMeterRegistry workerMeters =
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

    private String clusterYaml() {
        return String.join("\n", "engine: redis", "redis:", "  url: " + redis().url(), "  prefix: " + prefix, "");
    }

    @BeforeEach
    void start() {
        for (int i = 0; i < 3; i++) {
            nodes.add(TestServers.start(clusterYaml(), b -> b));
        }
        worker = SwitchboardWorker.start(
                ConfigLoader.loadYaml(
                        TestServers.CONFIG_YAML + clusterYaml(),
                        "worker",
                        Map.of("SWITCHBOARD_TOKEN_HMAC_SECRET", TestServers.SECRET)),
                workerMeters);
    }

    @AfterEach
    void stop() {
        agents.forEach(TestAgent::close);
        worker.close();
        nodes.forEach(SwitchboardServer::close);
    }

    private TestAgent agent(int node, String user, String key, String name) {
        TestAgent a = new TestAgent(TestServers.wsUrl(nodes.get(node)), user, key, name);
        agents.add(a);
        return a;
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private void awaitRegistered(String key) {
        await().atMost(Duration.ofSeconds(3))
                .until(() -> worker.node()
                        .connection(InvokeTarget.routingKey(key))
                        .join()
                        .isPresent());
    }

    @Test
    void theSeedStoryAgentOnNodeAAnswersCallsFromNodeBNodeCHttpAndAWorker() {
        agent(0, "sdk", "proj-1:staging", "agent-A");
        awaitRegistered("proj-1:staging");
        InvokeTarget target = InvokeTarget.routingKey("proj-1:staging");

        ApiClient.Response http = new ApiClient(TestServers.apiUrl(nodes.get(1)), TestServers.API_KEY)
                .call(
                        "invoke",
                        "{\"routing_key\":\"proj-1:staging\",\"method\":\"echo\",\"data\":{\"n\":1},\"timeout\":5000}");
        assertThat(http.status()).isEqualTo(200);
        assertThat(http.body().at("/result/data/n").asInt()).isEqualTo(1);

        assertThat(text(nodes.get(2)
                        .node()
                        .invoke(target, "echo", json("{\"n\":2}"), Duration.ofSeconds(5))
                        .join()))
                .isEqualTo("{\"n\":2}");
        assertThat(text(worker.node()
                        .invoke(target, "echo", json("{\"n\":3}"), Duration.ofSeconds(5))
                        .join()))
                .isEqualTo("{\"n\":3}");
        assertThat(text(nodes.get(0)
                        .node()
                        .invoke(target, "whoami", null, Duration.ofSeconds(5))
                        .join()))
                .isEqualTo("\"agent-A\"");

        // Each path is measured: the owning node's local call, another node's remote one, the worker's.
        assertThat(workerMeters
                        .timer("switchboard_invocations", "path", "worker", "outcome", "ok")
                        .count())
                .isEqualTo(1);
        assertThat(((PrometheusMeterRegistry) nodes.get(0).meterRegistry()).scrape())
                .contains("switchboard_invocations_seconds_count{outcome=\"ok\",path=\"local\"} 1");
        assertThat(((PrometheusMeterRegistry) nodes.get(2).meterRegistry()).scrape())
                .contains("switchboard_invocations_seconds_count{outcome=\"ok\",path=\"remote\"} 1");
    }

    @Test
    void afterTheClientMovesToAnotherNodeTheNextInvokeGoesThere() {
        TestAgent first = agent(0, "sdk", "proj-2:prod", "on-A");
        awaitRegistered("proj-2:prod");
        InvokeTarget target = InvokeTarget.routingKey("proj-2:prod");
        assertThat(text(worker.node()
                        .invoke(target, "whoami", null, Duration.ofSeconds(5))
                        .join()))
                .isEqualTo("\"on-A\"");
        first.close();
        agent(2, "sdk", "proj-2:prod", "on-C");
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(text(worker.node()
                                .invoke(target, "whoami", null, Duration.ofSeconds(5))
                                .join()))
                        .isEqualTo("\"on-C\""));
    }

    @Test
    void theClientsErrorReachesTheCallerWithItsCodeAndMessage() {
        agent(0, "sdk", "proj-3:dev", "a");
        awaitRegistered("proj-3:dev");
        assertThatThrownBy(() -> nodes.get(1)
                        .node()
                        .invoke(InvokeTarget.routingKey("proj-3:dev"), "fail", null, Duration.ofSeconds(5))
                        .join())
                .cause()
                .isInstanceOfSatisfying(InvokeException.class, e -> {
                    assertThat(e.reason()).isEqualTo(InvokeException.Reason.CLIENT_ERROR);
                    assertThat(e.clientCode()).isEqualTo(4001);
                    assertThat(e.getMessage()).isEqualTo("quota exceeded");
                });
        ApiClient.Response http = new ApiClient(TestServers.apiUrl(nodes.get(2)), TestServers.API_KEY)
                .call("invoke", "{\"routing_key\":\"proj-3:dev\",\"method\":\"fail\"}");
        assertThat(http.status()).isEqualTo(502);
        assertThat(http.body().at("/error/code").asInt()).isEqualTo(4001);
    }

    @Test
    void aKeyNobodyHoldsIsNotConnectedAtOnce() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> nodes.get(0)
                        .node()
                        .invoke(InvokeTarget.routingKey("nobody:here"), "echo", null, Duration.ofSeconds(30))
                        .join())
                .cause()
                .isInstanceOfSatisfying(
                        InvokeException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvokeException.Reason.NOT_CONNECTED));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        ApiClient.Response http = new ApiClient(TestServers.apiUrl(nodes.get(0)), TestServers.API_KEY)
                .call("invoke", "{\"routing_key\":\"nobody:here\",\"method\":\"echo\"}");
        assertThat(http.status()).isEqualTo(404);
        assertThat(new ApiClient(TestServers.apiUrl(nodes.get(0)), TestServers.API_KEY)
                        .call("connection", "{\"routing_key\":\"nobody:here\"}")
                        .body()
                        .at("/result/connected")
                        .asBoolean())
                .isFalse();
    }

    @Test
    void aClientDisconnectingDuringTheCallFailsItWithClientDisconnected() throws Exception {
        TestAgent a = agent(0, "sdk", "proj-4:x", "a");
        awaitRegistered("proj-4:x");
        CompletableFuture<byte[]> call =
                nodes.get(1).node().invoke(InvokeTarget.routingKey("proj-4:x"), "hang", null, Duration.ofSeconds(30));
        Thread.sleep(200);
        long t0 = System.nanoTime();
        a.close();
        assertThatThrownBy(call::join)
                .cause()
                .isInstanceOfSatisfying(
                        InvokeException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvokeException.Reason.CLIENT_DISCONNECTED));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aThousandConcurrentInvokesAcrossNodesAllCompleteAndNothingStaysPending() {
        for (int i = 0; i < 3; i++) {
            agent(i, "sdk", "load:" + i, "agent-" + i);
            awaitRegistered("load:" + i);
        }
        Histogram local = new Histogram(3);
        Histogram remote = new Histogram(3);
        List<CompletableFuture<byte[]>> calls = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int caller = i % 3;
            int owner = (i / 3) % 3;
            long t0 = System.nanoTime();
            Histogram h = caller == owner ? local : remote;
            calls.add(nodes.get(caller)
                    .node()
                    .invoke(
                            InvokeTarget.routingKey("load:" + owner),
                            "echo",
                            json("{\"i\":" + i + "}"),
                            Duration.ofSeconds(20))
                    .whenComplete((r, e) -> {
                        synchronized (h) {
                            h.recordValue((System.nanoTime() - t0) / 1000);
                        }
                    }));
        }
        for (int i = 0; i < calls.size(); i++) {
            assertThat(text(calls.get(i).join())).isEqualTo("{\"i\":" + i + "}");
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (SwitchboardServer s : nodes) {
                assertThat(s.node().pendingInvocations()).isZero();
            }
            assertThat(worker.node().pendingInvocations()).isZero();
        });
        System.out.printf(
                "1000 concurrent invokes (burst, µs): local p50 %d p99 %d; cross-node p50 %d p99 %d%n",
                local.getValueAtPercentile(50),
                local.getValueAtPercentile(99),
                remote.getValueAtPercentile(50),
                remote.getValueAtPercentile(99));
    }

    @Test
    void sequentialRoundTripLatencyLocalAndCrossNode() {
        agent(0, "sdk", "lat:0", "a");
        awaitRegistered("lat:0");
        InvokeTarget t = InvokeTarget.routingKey("lat:0");
        Histogram local = new Histogram(3);
        Histogram remote = new Histogram(3);
        for (int i = 0; i < 600; i++) {
            boolean warm = i >= 100;
            long t0 = System.nanoTime();
            nodes.get(0)
                    .node()
                    .invoke(t, "echo", json("1"), Duration.ofSeconds(5))
                    .join();
            long t1 = System.nanoTime();
            nodes.get(1)
                    .node()
                    .invoke(t, "echo", json("1"), Duration.ofSeconds(5))
                    .join();
            long t2 = System.nanoTime();
            if (warm) {
                local.recordValue((t1 - t0) / 1000);
                remote.recordValue((t2 - t1) / 1000);
            }
        }
        System.out.printf(
                "sequential invoke round trips (µs, 500 each): local p50 %d p99 %d; cross-node p50 %d p99 %d%n",
                local.getValueAtPercentile(50),
                local.getValueAtPercentile(99),
                remote.getValueAtPercentile(50),
                remote.getValueAtPercentile(99));
        assertThat(local.getTotalCount()).isEqualTo(500);
    }

    @Test
    void connectionsAreListedByUserAndKeyFromAnyNode() {
        agent(0, "alice", "k:1", "a");
        agent(1, "alice", "k:2", "b");
        agent(2, "bob", "k:1", "c");
        ApiClient api = new ApiClient(TestServers.apiUrl(nodes.get(1)), TestServers.API_KEY);
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            assertThat(api.call("connections", "{\"user\":\"alice\"}")
                            .body()
                            .at("/result/total")
                            .asInt())
                    .isEqualTo(2);
            assertThat(api.call("connections", "{\"routing_key\":\"k:1\"}")
                            .body()
                            .at("/result/total")
                            .asInt())
                    .isEqualTo(2);
        });
        assertThat(api.call("connections", "{\"user\":\"alice\",\"limit\":1,\"offset\":1}")
                        .body()
                        .at("/result/connections")
                        .size())
                .isEqualTo(1);
    }
}

package dev.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.node.PublishParams;
import dev.switchboard.core.rpc.InvokeTarget;
import dev.switchboard.redis.testing.RedisServerExtension;
import dev.switchboard.server.testing.HttpStatus;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import dev.switchboard.transport.SwitchboardServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /health} is liveness, {@code /ready} readiness: a draining node (SIGTERM) or one whose
 * engine is down is alive but not ready, and a drain keeps serving its clients for
 * {@code shutdown.drain_delay} before telling them to reconnect.
 */
class ReadinessAndDrainIT {

    @RegisterExtension
    static RedisServerExtension redis = RedisServerExtension.create();

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private static int status(int port, String path) {
        return HttpStatus.get(port, path, Duration.ofSeconds(2));
    }

    private WsTestClient client(String url) {
        WsTestClient c = WsTestClient.open(url);
        toClose.add(c);
        c.connect(TestServers.token("u1"));
        return c;
    }

    @Test
    void aClosingNodeIsNotReadyAtOnceButServesItsClientsForTheDrainDelayThenSends3001() throws Exception {
        SwitchboardServer server = TestServers.start("shutdown:\n  drain_delay: 1500ms\n", b -> b);
        toClose.add(server);
        int port = server.port();
        WsTestClient c = client(TestServers.wsUrl(server));
        c.send("{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}");
        c.reply(2);
        assertThat(status(port, "/ready")).isEqualTo(200);
        assertThat(status(port, "/health")).isEqualTo(200);

        long began = System.nanoTime();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        await().atMost(Duration.ofMillis(500)).until(() -> status(port, "/ready") == 503);
        assertThat(status(port, "/health")).as("alive while draining").isEqualTo(200);
        // Still serving: its client gets a publication, and a late client still connects.
        server.node()
                .publish("news", "{\"n\":1}".getBytes(StandardCharsets.UTF_8), PublishParams.DEFAULT)
                .join();
        assertThat(c.push("news", "pub").path("data").path("n").asInt()).isEqualTo(1);
        WsTestClient late = client(TestServers.wsUrl(server));
        assertThat(late.isOpen()).isTrue();

        assertThat(c.awaitClose()).isEqualTo(3001);
        long tookMs = (System.nanoTime() - began) / 1_000_000;
        assertThat(tookMs).as("clients told after the drain delay").isGreaterThanOrEqualTo(1400);
        closing.get();
        assertThat(status(port, "/health")).as("closed: not listening").isEqualTo(-1);
    }

    @Test
    void aNodeWhoseRedisIsDownIsAliveButNotReadyUntilItIsBackAndThenRegistersWhatItMissed() {
        SwitchboardServer server = TestServers.start(
                "engine: redis\nredis:\n  url: " + redis.url() + "\n  prefix: rd"
                        + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36) + "\n",
                b -> b);
        toClose.add(server);
        int port = server.port();
        await().atMost(Duration.ofSeconds(5)).until(() -> status(port, "/ready") == 200);
        WsTestClient before = WsTestClient.open(TestServers.wsUrl(server));
        toClose.add(before);
        String beforeId =
                before.connect(TestServers.token("u0")).at("/connect/client").asText();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> server.node()
                        .connection(InvokeTarget.client(beforeId))
                        .join()
                        .isPresent());

        redis.kill();
        String duringId;
        try {
            await().atMost(Duration.ofSeconds(8)).until(() -> status(port, "/ready") == 503);
            assertThat(status(port, "/health")).isEqualTo(200);
            // A client still connects, but the cluster registry cannot learn of it: counted.
            WsTestClient during = WsTestClient.open(TestServers.wsUrl(server));
            toClose.add(during);
            duringId = during.connect(TestServers.token("u1"))
                    .at("/connect/client")
                    .asText();
            assertThat(during.isOpen()).isTrue();
            // And one that leaves while the registry cannot hear of it.
            before.close();
            await().atMost(Duration.ofSeconds(8)).until(() -> server.node().registryWriteFailures() >= 1);
            assertThat(server.meterRegistry()
                            .get("switchboard_registry_write_failures")
                            .functionCounter()
                            .count())
                    .isGreaterThanOrEqualTo(1);
        } finally {
            redis.start();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> status(port, "/ready") == 200);
        // The writes that failed during the outage are made once Redis answers again: the
        // connection made meanwhile is found, the one ended meanwhile is not.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> server.node()
                        .connection(InvokeTarget.client(duringId))
                        .join()
                        .isPresent());
        assertThat(server.node().connection(InvokeTarget.client(beforeId)).join())
                .isEmpty();
    }

    @Test
    void sigtermMakesTheProcessNotReadyAtOnceAndItsClientsGet3001AfterTheDrainDelay() throws Exception {
        NodeProcess.requireJar();
        NodeProcess node = new NodeProcess(
                NodeProcess.freePort(),
                redis.url(),
                "sg" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36),
                dir,
                "shutdown:\n  drain_delay: 2s\n");
        toClose.add(node);
        node.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> status(node.port, "/ready") == 200);
        WsTestClient c = client(node.wsUrl());

        long began = System.nanoTime();
        node.signalTerm();
        await().atMost(Duration.ofSeconds(1)).until(() -> status(node.port, "/ready") == 503);
        long notReadyMs = (System.nanoTime() - began) / 1_000_000;
        assertThat(c.isOpen())
                .as("still connected while the load balancer catches up")
                .isTrue();
        assertThat(c.awaitClose()).isEqualTo(3001);
        long toldMs = (System.nanoTime() - began) / 1_000_000;
        assertThat(toldMs).isBetween(1800L, 5000L);
        assertThat(node.awaitExit(Duration.ofSeconds(10)))
                .as("the process exits")
                .isTrue();
        System.out.printf(
                "[drain] SIGTERM: /ready 503 after %d ms, clients told 3001 after %d ms%n", notReadyMs, toldMs);
    }

    @Test
    void aNodeStartedWhileRedisIsDownStandsByAliveButNotReadyAndServesOnceRedisIsUp() throws Exception {
        NodeProcess.requireJar();
        NodeProcess node = new NodeProcess(
                NodeProcess.freePort(),
                redis.url(),
                "sb" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36),
                dir);
        toClose.add(node);
        redis.kill();
        try {
            node.start(); // returns once /health answers 200: the standby does
            assertThat(status(node.port, "/ready")).isEqualTo(503);
            assertThat(status(node.port, "/connection/websocket")).isEqualTo(503);
            assertThat(status(node.port, "/api/info")).isEqualTo(503);
            Thread.sleep(1500);
            assertThat(node.alive()).as("still running, not exited").isTrue();
        } finally {
            redis.start();
        }
        long back = System.nanoTime();
        await().atMost(Duration.ofSeconds(15)).until(() -> status(node.port, "/ready") == 200);
        long servingMs = (System.nanoTime() - back) / 1_000_000;
        WsTestClient c = client(node.wsUrl());
        assertThat(c.isOpen()).isTrue();
        System.out.printf("[standby] Redis back → node ready after %d ms%n", servingMs);
    }
}

package dev.switchboard.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.RawHttpConnection;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import dev.switchboard.transport.SwitchboardServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code http.max_connections_per_ip} over real sockets from two loopback addresses. */
class HttpConnectionLimitIT {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static boolean served(RawHttpConnection c) {
        try {
            return c.send(RawHttpConnection.get("/health")).read(WAIT).status() == 200;
        } catch (IOException closed) {
            return false;
        }
    }

    /** Opens connections from {@code ip} until one is served, within {@link #WAIT}. */
    private static RawHttpConnection awaitAdmitted(String ip, int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            RawHttpConnection c = RawHttpConnection.openFrom(ip, port);
            if (served(c)) {
                return c;
            }
            c.close();
            Thread.sleep(50);
        }
        throw new AssertionError("no connection from " + ip + " admitted within " + WAIT);
    }

    @Test
    void connectionOverTheLimitFromOneIpIsClosedOnAcceptWhileAnotherIpIsServed() throws Exception {
        try (SwitchboardServer server = TestServers.start("http:\n  max_connections_per_ip: 3\n", b -> b)) {
            List<RawHttpConnection> attacker = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    attacker.add(RawHttpConnection.openFrom("127.0.0.2", server.port()));
                    assertThat(served(attacker.get(i)))
                            .as("connection " + i + " within the limit")
                            .isTrue();
                }
                try (RawHttpConnection fourth = RawHttpConnection.openFrom("127.0.0.2", server.port())) {
                    assertThat(fourth.awaitClosed(WAIT))
                            .as("fourth from 127.0.0.2 closed")
                            .isTrue();
                }
                assertThat(((PrometheusMeterRegistry) server.meterRegistry()).scrape())
                        .as("the refusal is counted")
                        .contains("switchboard_http_refused_total{reason=\"per_ip\"} 1.0");
                try (RawHttpConnection innocent = RawHttpConnection.openFrom("127.0.0.1", server.port())) {
                    assertThat(served(innocent)).as("127.0.0.1 unaffected").isTrue();
                }
                attacker.remove(0).close();
                attacker.add(awaitAdmitted("127.0.0.2", server.port()));
            } finally {
                for (RawHttpConnection c : attacker) {
                    c.close();
                }
            }
        }
    }

    @Test
    void openWebSocketsCountTowardsTheLimitUntilClosed() throws Exception {
        try (SwitchboardServer server = TestServers.start("http:\n  max_connections_per_ip: 2\n", b -> b)) {
            WsTestClient first = WsTestClient.open(TestServers.wsUrl(server));
            try (WsTestClient second = WsTestClient.open(TestServers.wsUrl(server))) {
                assertThat(first.connect(TestServers.token("a")).has("connect")).isTrue();
                assertThat(second.connect(TestServers.token("b")).has("connect"))
                        .isTrue();
                try (RawHttpConnection third = RawHttpConnection.openFrom("127.0.0.1", server.port())) {
                    assertThat(third.awaitClosed(WAIT))
                            .as("third connection while two WebSockets are open")
                            .isTrue();
                }
                first.close();
                awaitAdmitted("127.0.0.1", server.port()).close();
            }
        }
    }
}

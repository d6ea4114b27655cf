package dev.switchboard.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.server.testing.RawHttpConnection;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import dev.switchboard.transport.SwitchboardServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Half-open HTTP sockets time out over real connections; upgraded WebSockets do not. */
class HttpTimeoutsIT {

    private static final Duration HEADER = Duration.ofSeconds(1);
    private static final Duration BODY = Duration.ofSeconds(1);
    private static final Duration IDLE = Duration.ofSeconds(2);
    /** Slack for a shared, busy test machine. */
    private static final Duration SLACK = Duration.ofSeconds(3);

    static SwitchboardServer server;
    static ExecutorService senders = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() {
        server = TestServers.start(
                String.join("\n", "http:", "  header_timeout: 1s", "  body_timeout: 1s", "  idle_timeout: 2s", ""),
                b -> b);
    }

    @AfterAll
    static void stop() {
        senders.shutdownNow();
        server.close();
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Test
    void headersSentAByteAtATimeGet408AndCloseAfterTheHeaderTimeout() throws Exception {
        try (RawHttpConnection slow = RawHttpConnection.open(server.port())) {
            long start = System.nanoTime();
            slow.send("GET /health HTTP/1.1\r\n");
            senders.submit(() -> {
                try {
                    for (int i = 0; i < 100; i++) { // steady progress, never the end of the headers
                        Thread.sleep(50);
                        slow.send("x");
                    }
                } catch (IOException | InterruptedException closed) {
                    // cut by the node
                }
                return null;
            });
            RawHttpConnection.Response res = slow.read(HEADER.plus(SLACK));
            assertThat(res.status()).isEqualTo(408);
            assertThat(res.header("connection")).isEqualToIgnoringCase("close");
            assertThat(millisSince(start))
                    .isBetween(HEADER.toMillis() - 100, HEADER.plus(SLACK).toMillis());
            assertThat(slow.awaitClosed(SLACK)).isTrue();
        }
    }

    @Test
    void manyUnfinishedHandshakesAreAllClosedWhileNewClientsAreServed() throws IOException {
        List<RawHttpConnection> half = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                half.add(RawHttpConnection.open(server.port())
                        .send("GET /connection/websocket HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConn"));
            }
            try (RawHttpConnection fresh = RawHttpConnection.open(server.port())) {
                assertThat(fresh.send(RawHttpConnection.get("/health"))
                                .read(SLACK)
                                .status())
                        .isEqualTo(200);
            }
            long deadline = System.nanoTime() + HEADER.plus(SLACK).toNanos();
            for (RawHttpConnection c : half) {
                Duration left = Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
                assertThat(c.awaitClosed(left)).as("half-sent handshake closed").isTrue();
            }
        } finally {
            for (RawHttpConnection c : half) {
                c.close();
            }
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosedAfterTheIdleTimeoutWithoutAResponse() throws IOException {
        try (RawHttpConnection c = RawHttpConnection.open(server.port())) {
            assertThat(c.send(RawHttpConnection.get("/health")).read(SLACK).status())
                    .isEqualTo(200);
            long start = System.nanoTime();
            assertThatThrownBy(() -> c.read(IDLE.plus(SLACK))).hasMessage("connection closed before a response");
            assertThat(millisSince(start))
                    .isBetween(IDLE.toMillis() - 200, IDLE.plus(SLACK).toMillis());
        }
    }

    @Test
    void keepAliveConnectionUsedMoreOftenThanTheIdleTimeoutStaysOpen() throws Exception {
        try (RawHttpConnection c = RawHttpConnection.open(server.port())) {
            for (int i = 0; i < 4; i++) { // 4 × 1.2 s: past idle_timeout (and header_timeout) in total
                assertThat(c.send(RawHttpConnection.get("/health")).read(SLACK).status())
                        .isEqualTo(200);
                Thread.sleep(IDLE.toMillis() * 6 / 10);
            }
            assertThat(c.send(RawHttpConnection.get("/health")).read(SLACK).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void bodyThatNeverFinishesIsClosedAfterTheBodyTimeout() throws IOException {
        try (RawHttpConnection c = RawHttpConnection.open(server.port())) {
            long start = System.nanoTime();
            c.send("POST /api/publish HTTP/1.1\r\nHost: test\r\nX-API-Key: " + TestServers.API_KEY
                    + "\r\nContent-Length: 1000\r\n\r\n{\"channel\":");
            RawHttpConnection.Response res = c.read(BODY.plus(SLACK));
            assertThat(res.status()).isEqualTo(408);
            assertThat(millisSince(start)).isGreaterThanOrEqualTo(BODY.toMillis() - 100);
            assertThat(c.awaitClosed(SLACK)).isTrue();
        }
    }

    @Test
    void webSocketOutlivesTheHttpTimeouts() throws InterruptedException {
        try (WsTestClient ws = WsTestClient.open(TestServers.wsUrl(server))) {
            assertThat(ws.connect(TestServers.token("alice")).has("connect")).isTrue();
            Thread.sleep(IDLE.plus(HEADER).toMillis() + 500);
            ws.send("{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}");
            assertThat(ws.reply(2).has("subscribe"))
                    .as("the WebSocket still answers")
                    .isTrue();
            assertThat(ws.isOpen()).isTrue();
        }
    }
}

package dev.switchboard.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.RawHttpConnection;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.transport.SwitchboardServer;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests are authenticated and sized on their headers, before their bodies, over real sockets. */
class HttpRequestGateIT {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String UNAUTHORIZED =
            "{\"error\":{\"code\":401,\"message\":\"unauthorized: missing or wrong API key\"}}";

    static SwitchboardServer server;

    @BeforeAll
    static void start() {
        server = TestServers.start("http:\n  max_body_size: 64KiB\n", b -> b);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void unauthenticatedChunkedPublishGets401AndCloseBeforeItsBodyIsSent() throws IOException {
        try (RawHttpConnection c = RawHttpConnection.open(server.port())) {
            c.send("POST /api/publish HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n");
            RawHttpConnection.Response res = c.read(WAIT);
            assertThat(res.status()).isEqualTo(401);
            assertThat(res.header("connection")).isEqualToIgnoringCase("close");
            assertThat(res.body()).isEqualTo(UNAUTHORIZED);
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void manyUnauthenticatedMegabyteBodiesAreNotBuffered() throws IOException {
        long before = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
        byte[] chunk = ("100000\r\n" + "x".repeat(0x100000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        List<RawHttpConnection> peers = new ArrayList<>();
        try {
            for (int i = 0; i < 80; i++) {
                RawHttpConnection c = RawHttpConnection.open(server.port());
                peers.add(c);
                c.send("POST /api/publish HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n");
                try {
                    c.send(chunk); // never finished with a last chunk
                } catch (IOException cut) {
                    // already refused and closed
                }
            }
            for (RawHttpConnection c : peers) {
                assertThat(c.read(WAIT).status()).isEqualTo(401);
                assertThat(c.awaitClosed(WAIT)).isTrue();
            }
        } finally {
            for (RawHttpConnection c : peers) {
                c.close();
            }
        }
        long grown = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory() - before;
        assertThat(grown)
                .as("direct memory growth for 80 MiB of refused bodies")
                .isLessThan(32L << 20);
    }

    @Test
    void expectContinueWithoutKeyGets401Not100() throws IOException {
        try (RawHttpConnection c = RawHttpConnection.open(server.port())) {
            c.send("POST /api/publish HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 40\r\n\r\n");
            assertThat(c.read(WAIT).status()).isEqualTo(401);
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void expectContinueWithKeyGets100ThenTheCallIsServed() throws IOException {
        String body = "{\"channel\":\"news\",\"data\":{\"n\":1}}";
        try (RawHttpConnection c = RawHttpConnection.open(server.port())) {
            c.send("POST /api/publish HTTP/1.1\r\nHost: test\r\nAuthorization: apikey " + TestServers.API_KEY
                    + "\r\nExpect: 100-continue\r\nContent-Length: " + body.length() + "\r\n\r\n");
            assertThat(c.read(WAIT).status()).isEqualTo(100);
            c.send(body);
            RawHttpConnection.Response res = c.read(WAIT);
            assertThat(res.status()).isEqualTo(200);
            assertThat(res.body()).contains("\"result\"");
            assertThat(c.send(RawHttpConnection.get("/health")).read(WAIT).status())
                    .as("still keep-alive")
                    .isEqualTo(200);
        }
    }

    @Test
    void declaredBodyOverMaxBodySizeGets413AndCloseBeforeItIsSent() throws IOException {
        try (RawHttpConnection c = RawHttpConnection.open(server.port())) {
            c.send("POST /api/publish HTTP/1.1\r\nHost: test\r\nX-API-Key: " + TestServers.API_KEY
                    + "\r\nContent-Length: " + (65 * 1024) + "\r\n\r\n");
            RawHttpConnection.Response res = c.read(WAIT);
            assertThat(res.status()).isEqualTo(413);
            assertThat(res.header("connection")).isEqualToIgnoringCase("close");
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void bodyOnHealthGets413() throws IOException {
        try (RawHttpConnection c = RawHttpConnection.open(server.port())) {
            c.send("GET /health HTTP/1.1\r\nHost: test\r\nContent-Length: 10000\r\n\r\n");
            assertThat(c.read(WAIT).status()).isEqualTo(413);
            assertThat(c.awaitClosed(WAIT)).isTrue();
        }
    }
}

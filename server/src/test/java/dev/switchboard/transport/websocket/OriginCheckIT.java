package dev.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.RawHttpConnection;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import dev.switchboard.transport.SwitchboardServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code client.allowed_origins} over real sockets: raw upgrades with chosen {@code Origin} and
 * {@code Host} headers, as a browser on another site would send them, against nodes configured
 * with YAML as users do.
 */
class OriginCheckIT {

    private static final Duration WAIT = Duration.ofSeconds(5);

    /** A complete RFC 6455 upgrade request; {@code origin} {@code null} sends none. */
    private static String upgrade(String host, String origin) {
        return "GET " + WebSocketUpgrade.PATH + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
    }

    /** The status the node answers a raw upgrade with; a refusal must also end the connection. */
    private static int upgradeStatus(SwitchboardServer server, String host, String origin) throws IOException {
        try (RawHttpConnection c = RawHttpConnection.open(server.port())) {
            RawHttpConnection.Response res = c.send(upgrade(host, origin)).read(WAIT);
            if (res.status() == 403) {
                assertThat(res.body()).isEqualTo("origin not allowed\n");
                assertThat(res.header("connection")).isEqualToIgnoringCase("close");
                assertThat(c.awaitClosed(WAIT))
                        .as("a refused upgrade is closed")
                        .isTrue();
            }
            return res.status();
        }
    }

    private static String local(SwitchboardServer server) {
        return "127.0.0.1:" + server.port();
    }

    private static String refusedOrigin(SwitchboardServer server) {
        return ((PrometheusMeterRegistry) server.meterRegistry())
                .scrape()
                .lines()
                .filter(l -> l.startsWith("switchboard_http_refused_total{reason=\"origin\"}"))
                .findFirst()
                .orElse("no origin counter");
    }

    @Test
    void byDefaultAForeignOriginIsRefusedWith403AndCountedWhileTheHostsOwnAndNoOriginPass() throws Exception {
        try (SwitchboardServer server = TestServers.start()) {
            assertThat(upgradeStatus(server, local(server), "https://evil.test"))
                    .isEqualTo(403);
            assertThat(upgradeStatus(server, local(server), "null")).isEqualTo(403);
            assertThat(upgradeStatus(server, "chat.example.com", "https://chat.example.com:8443"))
                    .isEqualTo(403);
            assertThat(refusedOrigin(server)).isEqualTo("switchboard_http_refused_total{reason=\"origin\"} 3.0");

            assertThat(upgradeStatus(server, local(server), "http://" + local(server)))
                    .isEqualTo(101);
            assertThat(upgradeStatus(server, "Chat.Example.com", "https://chat.example.com"))
                    .as("case and the default port")
                    .isEqualTo(101);
            assertThat(upgradeStatus(server, "chat.example.com:80", "http://chat.example.com"))
                    .isEqualTo(101);
            assertThat(upgradeStatus(server, local(server), null))
                    .as("no Origin")
                    .isEqualTo(101);
            assertThat(refusedOrigin(server)).endsWith(" 3.0");

            // A whole session from the node's own origin, on the JDK's client (which sets Host itself).
            try (WsTestClient c = WsTestClient.openWithOrigin(TestServers.wsUrl(server), "http://" + local(server))) {
                assertThat(c.connect(TestServers.token("same-origin")).has("connect"))
                        .isTrue();
            }
        }
    }

    @Test
    void patternsReplaceTheSameOriginRule() throws Exception {
        try (SwitchboardServer server =
                TestServers.start("client:\n  allowed_origins:\n    - https://*.example.com\n", b -> b)) {
            assertThat(upgradeStatus(server, local(server), "https://app.example.com"))
                    .isEqualTo(101);
            assertThat(upgradeStatus(server, local(server), "https://EU.Example.com:443"))
                    .isEqualTo(101);
            assertThat(upgradeStatus(server, local(server), "https://example.com.evil.test"))
                    .isEqualTo(403);
            assertThat(upgradeStatus(server, local(server), "http://app.example.com"))
                    .isEqualTo(403);
            assertThat(upgradeStatus(server, local(server), "http://" + local(server)))
                    .as("the node's own origin is no longer allowed by itself")
                    .isEqualTo(403);
            assertThat(upgradeStatus(server, local(server), null)).isEqualTo(101);
            assertThat(refusedOrigin(server)).endsWith(" 3.0");
        }
    }

    @Test
    void aStarAllowsEveryOrigin() throws Exception {
        try (SwitchboardServer server = TestServers.start("client:\n  allowed_origins: [\"*\"]\n", b -> b)) {
            assertThat(upgradeStatus(server, local(server), "https://evil.test"))
                    .isEqualTo(101);
            assertThat(upgradeStatus(server, local(server), "null")).isEqualTo(101);
            try (WsTestClient c = WsTestClient.openWithOrigin(TestServers.wsUrl(server), "https://elsewhere.test")) {
                assertThat(c.connect(TestServers.token("anywhere")).has("connect"))
                        .isTrue();
            }
            assertThat(refusedOrigin(server)).endsWith(" 0.0");
        }
    }
}

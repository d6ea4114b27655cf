package dev.switchboard.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import dev.switchboard.transport.SwitchboardServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code internal_port}, the public port serves only client transports and the internal one
 * the server API, metrics, health and readiness: real sockets on both.
 */
class InternalPortIT {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private SwitchboardServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static int status(int port, String method, String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(3))
                .header("Authorization", "apikey " + TestServers.API_KEY);
        b = method.equals("POST") ? b.POST(HttpRequest.BodyPublishers.ofString("{}")) : b.GET();
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void thePublicPortServesClientsOnlyAndTheInternalPortTheApiMetricsHealthAndReadiness() throws Exception {
        int internal = freePort();
        server = TestServers.start("internal_port: " + internal + "\n", b -> b);
        int pub = server.port();
        assertThat(server.internalPort()).isEqualTo(internal);

        // Public: a WebSocket client connects; nothing else is there.
        try (WsTestClient c = WsTestClient.open(TestServers.wsUrl(server))) {
            assertThat(c.connect(TestServers.token("u1")).has("connect")).isTrue();
        }
        for (String path : List.of("/api/info", "/api", "/metrics", "/health", "/ready")) {
            assertThat(status(pub, "GET", path)).as("public GET %s", path).isEqualTo(404);
        }
        // A call with a body is refused before it is read (no API on this port takes bodies).
        assertThat(status(pub, "POST", "/api/info")).isEqualTo(413);
        // Internal: all of them answer; the WebSocket endpoint is not there.
        assertThat(status(internal, "POST", "/api/info")).isEqualTo(200);
        assertThat(status(internal, "GET", "/metrics")).isEqualTo(200);
        assertThat(status(internal, "GET", "/health")).isEqualTo(200);
        assertThat(status(internal, "GET", "/ready")).isEqualTo(200);
        assertThat(status(internal, "GET", "/connection/websocket")).isEqualTo(404);
        assertThat(server.describe().get("api")).asString().contains(":" + internal + "/api");
    }

    @Test
    void withoutAnInternalPortEverythingSharesThePublicPortAsBefore() throws Exception {
        server = TestServers.start("", b -> b);
        int pub = server.port();
        assertThat(server.internalPort()).isEqualTo(pub);
        assertThat(status(pub, "POST", "/api/info")).isEqualTo(200);
        assertThat(status(pub, "GET", "/ready")).isEqualTo(200);
    }
}

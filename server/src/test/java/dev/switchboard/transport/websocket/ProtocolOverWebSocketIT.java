package dev.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.ApiClient;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import dev.switchboard.transport.SwitchboardServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client protocol over real WebSocket connections, with publications from the HTTP API. */
class ProtocolOverWebSocketIT {

    static SwitchboardServer server;
    static ApiClient api;

    @BeforeAll
    static void start() {
        server = TestServers.start("", b -> b.rpc("echo", req -> CompletableFuture.completedFuture(req.data())));
        api = new ApiClient(TestServers.apiUrl(server), TestServers.API_KEY);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static WsTestClient client(String user) {
        WsTestClient c = WsTestClient.open(TestServers.wsUrl(server));
        assertThat(c.connect(TestServers.token(user)).has("connect")).isTrue();
        return c;
    }

    @Test
    void publicationFromTheApiReachesEverySubscriberInOrder() {
        try (WsTestClient a = client("a");
                WsTestClient b = client("b")) {
            a.send("{\"id\":2,\"subscribe\":{\"channel\":\"feed1\"}}");
            b.send("{\"id\":2,\"subscribe\":{\"channel\":\"feed1\"}}");
            a.reply(2);
            b.reply(2);
            for (int i = 1; i <= 20; i++) {
                api.publish("feed1", "{\"i\":" + i + "}");
            }
            for (WsTestClient c : List.of(a, b)) {
                List<Integer> got = new ArrayList<>();
                for (int i = 1; i <= 20; i++) {
                    got.add(c.push("feed1", "pub").at("/data/i").asInt());
                }
                assertThat(got).isSorted().hasSize(20).doesNotHaveDuplicates();
            }
        }
    }

    @Test
    void reconnectingClientRecoversExactlyTheMissedPublications() {
        String epoch;
        long offset;
        try (WsTestClient a = client("a")) {
            a.send("{\"id\":2,\"subscribe\":{\"channel\":\"feed2\"}}");
            JsonNode r = a.reply(2).get("subscribe");
            epoch = r.get("epoch").asText();
            api.publish("feed2", "{\"i\":0}");
            offset = a.push("feed2", "pub").get("offset").asLong();
        }
        for (int i = 1; i <= 5; i++) {
            api.publish("feed2", "{\"i\":" + i + "}");
        }
        try (WsTestClient a = client("a")) {
            a.send("{\"id\":2,\"subscribe\":{\"channel\":\"feed2\",\"recover\":true,\"epoch\":\"" + epoch
                    + "\",\"offset\":" + offset + "}}");
            JsonNode r = a.reply(2).get("subscribe");
            assertThat(r.get("recovered").asBoolean()).isTrue();
            List<Integer> got = new ArrayList<>();
            r.get("publications").forEach(p -> got.add(p.at("/data/i").asInt()));
            assertThat(got).containsExactly(1, 2, 3, 4, 5);
        }
    }

    @Test
    void rpcPresenceAndHistoryOverTheWire() {
        try (WsTestClient a = client("a")) {
            a.send("{\"id\":2,\"rpc\":{\"method\":\"echo\",\"data\":{\"q\":\"ping\"}}}\n"
                    + "{\"id\":3,\"subscribe\":{\"channel\":\"feed3\"}}");
            assertThat(a.reply(2).at("/rpc/data/q").asText()).isEqualTo("ping");
            a.reply(3);
            a.send("{\"id\":4,\"presence\":{\"channel\":\"feed3\"}}");
            assertThat(a.reply(4).at("/presence/presence").size()).isEqualTo(1);
            api.publish("feed3", "{\"x\":1}");
            a.send("{\"id\":5,\"history\":{\"channel\":\"feed3\",\"limit\":10}}");
            assertThat(a.reply(5).at("/history/publications").size()).isEqualTo(1);
        }
    }

    @Test
    void healthAndMetricsAnswer() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var health = http.send(
                java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + server.port() + "/health"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"ok\"");
        var metrics = http.send(
                java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("switchboard_clients");
    }

    @Test
    void apiRefusesWrongKey() {
        ApiClient wrong = new ApiClient(TestServers.apiUrl(server), "nope");
        assertThat(wrong.call("publish", "{\"channel\":\"x\",\"data\":{}}").status())
                .isEqualTo(401);
        ApiClient none = new ApiClient(TestServers.apiUrl(server), null);
        assertThat(none.call("publish", "{\"channel\":\"x\",\"data\":{}}").status())
                .isEqualTo(401);
    }
}

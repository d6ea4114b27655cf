package dev.switchboard.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.ApiClient;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import dev.switchboard.transport.SwitchboardServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each kind of bad input gets its documented error or disconnect code for the offending client
 * alone, while a bystander on the same node keeps receiving publications.
 */
class BadInputIT {

    static SwitchboardServer server;
    static ApiClient api;
    WsTestClient bystander;
    int published;

    @BeforeAll
    static void start() {
        server = TestServers.start(
                String.join(
                        "\n",
                        "client:",
                        "  max_message_size: 4096",
                        "  queue_max_bytes: 131072",
                        "  command_rate_limit: 50",
                        "  command_burst: 50",
                        ""),
                b -> b);
        api = new ApiClient(TestServers.apiUrl(server), TestServers.API_KEY);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void bystanderSubscribes() {
        bystander = WsTestClient.open(TestServers.wsUrl(server));
        bystander.connect(TestServers.token("bystander"));
        bystander.send("{\"id\":2,\"subscribe\":{\"channel\":\"calm\"}}");
        bystander.reply(2);
    }

    @AfterEach
    void bystanderStillReceives() {
        api.publish("calm", "{\"n\":" + (++published) + "}");
        assertThat(bystander.push("calm", "pub").at("/data/n").asInt()).isEqualTo(published);
        assertThat(bystander.isOpen()).isTrue();
        bystander.close();
    }

    private WsTestClient connected(String user) {
        WsTestClient c = WsTestClient.open(TestServers.wsUrl(server));
        assertThat(c.connect(TestServers.token(user)).has("connect")).isTrue();
        return c;
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void clientThatNeverAnswersPingsIsDisconnectedWithNoPong() {
        // A node of its own with short pings, so the other tests' clients are not cut for being slow to pong.
        SwitchboardServer pinging = TestServers.start(
                String.join("\n", "client:", "  ping_interval: 1s", "  pong_timeout: 500ms", ""), b -> b);
        try (WsTestClient silent = WsTestClient.openSilent(TestServers.wsUrl(pinging))) {
            assertThat(silent.connect(TestServers.token("quiet"))
                            .at("/connect/ping")
                            .asInt())
                    .isEqualTo(1);
            assertThat(silent.await(n -> n.isEmpty())).as("a server ping").isNotNull();
            assertThat(silent.awaitClose()).isEqualTo(3012);
        } finally {
            pinging.close();
        }
    }

    @Test
    void malformedJsonDisconnectsWithBadRequest() {
        try (WsTestClient c = connected("u1")) {
            c.send("{\"id\":2,\"subscribe\":");
            assertThat(c.awaitClose()).isEqualTo(3501);
        }
    }

    @Test
    void unknownCommandWithIdGetsMethodNotFound() {
        try (WsTestClient c = connected("u1")) {
            c.send("{\"id\":7,\"teleport\":{\"to\":\"mars\"}}");
            assertThat(c.reply(7).at("/error/code").asInt()).isEqualTo(104);
            assertThat(c.isOpen()).isTrue();
        }
    }

    @Test
    void commandWithoutIdDisconnectsWithBadRequest() {
        try (WsTestClient c = connected("u1")) {
            c.send("{\"subscribe\":{\"channel\":\"calm\"}}");
            assertThat(c.awaitClose()).isEqualTo(3501);
        }
    }

    @Test
    void binaryFrameOnAJsonConnectionIsInappropriateProtocol() {
        try (WsTestClient c = connected("u1")) {
            c.sendBinary(new byte[] {1, 2, 3});
            assertThat(c.awaitClose()).isEqualTo(3506);
        }
    }

    @Test
    void frameOverTheMaximumClosesWithMessageTooBig() {
        try (WsTestClient c = connected("u1")) {
            c.send("{\"id\":2,\"rpc\":{\"method\":\"x\",\"data\":\"" + "a".repeat(10_000) + "\"}}");
            assertThat(c.awaitClose()).isEqualTo(1009);
        }
    }

    @Test
    void invalidTokenDisconnectsWithInvalidToken() {
        try (WsTestClient c = WsTestClient.open(TestServers.wsUrl(server))) {
            c.send("{\"id\":1,\"connect\":{\"token\":\"not.a.jwt\"}}");
            assertThat(c.awaitClose()).isEqualTo(3500);
        }
    }

    @Test
    void unsignedAlgNoneTokenIsRefused() {
        String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64("{\"sub\":\"admin\"}") + ".";
        try (WsTestClient c = WsTestClient.open(TestServers.wsUrl(server))) {
            c.send("{\"id\":1,\"connect\":{\"token\":\"" + none + "\"}}");
            assertThat(c.awaitClose()).isEqualTo(3500);
        }
    }

    @Test
    void expiredTokenGetsTokenExpiredError() {
        long past = System.currentTimeMillis() / 1000 - 60;
        String expired = TestServers.tokens().signClaims("{\"sub\":\"u1\",\"exp\":" + past + "}");
        try (WsTestClient c = WsTestClient.open(TestServers.wsUrl(server))) {
            c.send("{\"id\":1,\"connect\":{\"token\":\"" + expired + "\"}}");
            assertThat(c.reply(1).at("/error/code").asInt()).isEqualTo(109);
        }
    }

    @Test
    void forbiddenChannelGetsPermissionDenied() {
        try (WsTestClient c = connected("u1")) {
            c.send("{\"id\":2,\"subscribe\":{\"channel\":\"private:secrets\"}}");
            assertThat(c.reply(2).at("/error/code").asInt()).isEqualTo(103);
            c.send("{\"id\":3,\"subscribe\":{\"channel\":\"dm:#7,8\"}}");
            assertThat(c.reply(3).at("/error/code").asInt()).isEqualTo(103);
            c.send("{\"id\":4,\"subscribe\":{\"channel\":\"nowhere:x\"}}");
            assertThat(c.reply(4).at("/error/code").asInt()).isEqualTo(102);
        }
    }

    @Test
    void commandFloodDisconnectsWithTooManyRequests() {
        try (WsTestClient c = connected("u1")) {
            int id = 2;
            for (int frame = 0; frame < 4 && c.isOpen(); frame++) {
                StringBuilder flood = new StringBuilder();
                for (int i = 0; i < 40; i++) {
                    flood.append("{\"id\":").append(id++).append(",\"presence_stats\":{\"channel\":\"calm\"}}\n");
                }
                c.send(flood.toString());
            }
            assertThat(c.awaitClose()).isEqualTo(3013);
        }
    }

    @Test
    void clientThatStopsReadingIsDisconnectedAsSlow() {
        try (WsTestClient stuck = WsTestClient.openStuck(TestServers.wsUrl(server))) {
            stuck.connect(TestServers.token("stuck"));
            stuck.send("{\"id\":2,\"subscribe\":{\"channel\":\"firehose\"}}");
            stuck.reply(2);
            String big = "\"" + "x".repeat(16_000) + "\"";
            // Loopback socket buffers absorb megabytes before the queue limit is felt: publish
            // until the node drops the stuck client, with a bound.
            for (int i = 0; i < 5000 && !server.node().channels("firehose").isEmpty(); i++) {
                api.publish("firehose", big);
            }
            assertThat(server.node().channels("firehose"))
                    .as("stuck client still subscribed")
                    .isEmpty();
            // The stuck client cannot read its close frame; the server's own count says why it went.
            assertThat(((PrometheusMeterRegistry) server.meterRegistry()).scrape())
                    .contains("switchboard_client_disconnects_total{code=\"3008\"}");
        }
    }
}

package dev.switchboard.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.node.PublishParams;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import dev.switchboard.transport.config.ProxiesConfig;
import dev.switchboard.transport.proxy.ProxyConfig;
import dev.switchboard.transport.proxy.TestBackend;
import dev.switchboard.transport.proxy.TestBackend.Answer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The connect and refresh proxies end to end: real WebSocket clients, a real HTTP backend on 127.0.0.1. */
class ConnectProxyIT extends ProxyITSupport {

    ConnectProxyIT() throws Exception {}

    private ProxyConfig.Builder connectProxy() {
        return ProxyConfig.builder()
                .enabled(true)
                .endpoint(backend.url("/rt/connect"))
                .timeout(Duration.ofMillis(500))
                .httpHeaders(List.of("Cookie", "X-Forwarded-For"))
                .staticHeaders(Map.of("X-Proxy-Secret", "static-1"));
    }

    private void start(ProxyConfig connect, ProxyConfig refresh) {
        ProxiesConfig proxies =
                ProxiesConfig.builder().connect(connect).refresh(refresh).build();
        server = TestServers.start(
                "",
                b -> b.config(TestServers.config(TestServers.CONFIG_YAML).toBuilder()
                        .proxies(proxies)
                        .build()));
    }

    private JsonNode connectWithoutToken(WsTestClient c) {
        c.send("{\"id\":1,\"connect\":{\"name\":\"js\",\"version\":\"5.0.0\",\"data\":{\"hint\":1}}}");
        return c.reply(1);
    }

    @Test
    void theBackendLetsAClientInWithUserInfoDataExpiryAndChannelsFromItsCookie() throws Exception {
        long exp = nowSeconds() + 3600;
        backend.responder = (p, b) -> Answer.ok("{\"result\":{\"user\":\"56\",\"expire_at\":" + exp
                + ",\"info\":{\"name\":\"Ann\"},\"data\":{\"welcome\":true},\"channels\":[\"news\"]}}");
        start(connectProxy().build(), ProxyConfig.disabled());
        WsTestClient c = open(Map.of(
                "Cookie",
                "session=abc",
                "Authorization",
                "Bearer secret-not-forwarded",
                "X-Forwarded-For",
                "10.1.2.3"));
        JsonNode connect = connectWithoutToken(c).path("connect");
        assertThat(connect.path("data")).isEqualTo(ProtocolCodec.mapper().readTree("{\"welcome\":true}"));
        assertThat(connect.path("subs").has("news")).as("%s", connect).isTrue();
        assertThat(connect.path("expires").asBoolean())
                .as("no refresh proxy: the SDK refreshes")
                .isTrue();
        assertThat(connect.path("ttl").asLong()).isBetween(3590L, 3600L);

        TestBackend.Seen seen = backend.seen.get(0);
        JsonNode req = ProtocolCodec.mapper().readTree(seen.body());
        assertThat(req.path("client").asText()).isEqualTo(connect.path("client").asText());
        assertThat(req.path("transport").asText()).isEqualTo("websocket");
        assertThat(req.path("protocol").asText()).isEqualTo("json");
        assertThat(req.path("encoding").asText()).isEqualTo("json");
        assertThat(req.path("name").asText()).isEqualTo("js");
        assertThat(req.path("version").asText()).isEqualTo("5.0.0");
        assertThat(req.path("data")).isEqualTo(ProtocolCodec.mapper().readTree("{\"hint\":1}"));
        assertThat(seen.headers().getFirst("Cookie")).isEqualTo("session=abc");
        assertThat(seen.headers().getFirst("X-Forwarded-For")).isEqualTo("10.1.2.3");
        assertThat(seen.headers().getFirst("X-Proxy-Secret")).isEqualTo("static-1");
        assertThat(seen.headers().containsKey("Authorization")).isFalse();

        server.node()
                .publish("news", "{\"n\":1}".getBytes(), PublishParams.DEFAULT)
                .join();
        assertThat(c.push("news", "pub").path("data").path("n").asInt()).isEqualTo(1);
        assertThat(server.node()
                        .presence("news")
                        .join()
                        .values()
                        .iterator()
                        .next()
                        .user())
                .isEqualTo("56");
    }

    @Test
    void subsGiveEachServerSideChannelItsInfoDataAndOverride() throws Exception {
        String b64 = Base64.getEncoder().encodeToString("{\"n\":1}".getBytes(StandardCharsets.UTF_8));
        backend.responder = (p, b) -> Answer.ok("{\"result\":{\"user\":\"56\",\"subs\":{"
                + "\"room\":{\"info\":{\"role\":\"owner\"},\"data\":{\"progress\":40},"
                + "\"override\":{\"force_push_join_leave\":{\"value\":true}}},"
                + "\"news\":{\"b64data\":\"" + b64 + "\"}}}}");
        start(connectProxy().build(), ProxyConfig.disabled());
        WsTestClient c = open(Map.of());
        JsonNode subs = connectWithoutToken(c).path("connect").path("subs");
        assertThat(subs.path("room").path("data")).as("%s", subs).isEqualTo(json("{\"progress\":40}"));
        assertThat(subs.path("news").path("data")).isEqualTo(json("{\"n\":1}"));

        WsTestClient bob = open(Map.of());
        bob.connect(TestServers.token("bob"));
        bob.send("{\"id\":2,\"subscribe\":{\"channel\":\"room\"}}");
        bob.reply(2);
        // force_push_join_leave: a server-side subscriber gets joins (its own first, then bob's).
        assertThat(c.push("room", "join").path("info").path("user").asText()).isEqualTo("56");
        assertThat(c.await(n -> n.at("/push/join/info/user").asText().equals("bob")))
                .isNotNull();
        bob.send("{\"id\":3,\"presence\":{\"channel\":\"room\"}}");
        JsonNode owner = null;
        for (JsonNode e : bob.reply(3).path("presence").path("presence")) {
            owner = e.path("user").asText().equals("56") ? e : owner;
        }
        assertThat(owner).isNotNull();
        assertThat(owner.path("chan_info")).isEqualTo(json("{\"role\":\"owner\"}"));
    }

    @Test
    void metaReachesLaterProxiesThatIncludeItAndNeverTheClient() throws Exception {
        String base = backend.url("");
        backend.responder = (p, b) -> Answer.ok(
                p.endsWith("/connect")
                        ? "{\"result\":{\"user\":\"56\",\"meta\":{\"tenant\":\"acme-secret\"}}}"
                        : "{\"result\":{}}");
        startWithYaml(
                "client:",
                "  proxy:",
                "    connect: {enabled: true, endpoint: \"" + base + "/rt/connect\"}",
                "rpc:",
                "  proxy: {enabled: true, endpoint: \"" + base + "/rt/rpc\", include_connection_meta: true}");
        WsTestClient c = open(Map.of());
        JsonNode connect = connectWithoutToken(c);
        c.send("{\"id\":2,\"rpc\":{\"method\":\"m\",\"data\":{}}}");
        JsonNode rpc = c.reply(2);
        assertThat(json(seen("/rt/rpc").get(0).body()).path("meta")).isEqualTo(json("{\"tenant\":\"acme-secret\"}"));
        assertThat(connect.toString() + rpc + c.drain()).doesNotContain("acme-secret");
    }

    @Test
    void aMetaThatIsNotAnObjectOrLargerThanTheAnswerLimitIsError100() {
        start(connectProxy().maxResponseSize(4096).build(), ProxyConfig.disabled());
        for (String meta : new String[] {"\"acme\"", "[1]", "{\"pad\":\"" + "x".repeat(5000) + "\"}"}) {
            backend.responder = (p, b) -> Answer.ok("{\"result\":{\"user\":\"56\",\"meta\":" + meta + "}}");
            WsTestClient c = open(Map.of());
            assertThat(connectWithoutToken(c).path("error").path("code").asInt())
                    .as(meta.substring(0, Math.min(10, meta.length())))
                    .isEqualTo(100);
        }
    }

    @Test
    void emulatedHeadersReachTheBackendOnlyWhenListedInEmulatedHeadersNeverThroughHttpHeaders() {
        String connect = "{\"id\":1,\"connect\":{\"name\":\"js\","
                + "\"headers\":{\"authorization\":\"Bearer x\",\"x-evil\":\"1\"}}}";
        backend.responder = (p, b) -> Answer.ok("{\"result\":{\"user\":\"56\"}}");
        start(
                ProxyConfig.builder()
                        .enabled(true)
                        .endpoint(backend.url("/rt/connect"))
                        .emulatedHeaders(List.of("Authorization"))
                        .build(),
                ProxyConfig.disabled());
        WsTestClient listed = open(Map.of());
        listed.send(connect);
        assertThat(listed.reply(1).has("connect")).isTrue();
        assertThat(backend.seen.get(0).headers().getFirst("Authorization")).isEqualTo("Bearer x");
        assertThat(backend.seen.get(0).headers().containsKey("X-Evil")).isFalse();

        // Not a string, or more than 32: 107 for that connect, and the backend is not asked.
        WsTestClient bad = open(Map.of());
        bad.send("{\"id\":1,\"connect\":{\"headers\":{\"authorization\":1}}}");
        assertThat(bad.reply(1).path("error").path("code").asInt()).isEqualTo(107);
        assertThat(backend.seen).hasSize(1);

        server.close();
        server = null;
        backend.seen.clear();
        start(
                ProxyConfig.builder()
                        .enabled(true)
                        .endpoint(backend.url("/rt/connect"))
                        .httpHeaders(List.of("Authorization"))
                        .build(),
                ProxyConfig.disabled());
        WsTestClient httpOnly = open(Map.of());
        httpOnly.send(connect);
        assertThat(httpOnly.reply(1).has("connect")).isTrue();
        assertThat(backend.seen.get(0).headers().containsKey("Authorization")).isFalse();
        assertThat(backend.seen.get(0).headers().containsKey("X-Evil")).isFalse();
    }

    @Test
    void aTokenConnectNeverReachesTheBackend() {
        start(connectProxy().build(), ProxyConfig.disabled());
        WsTestClient c = open(Map.of());
        assertThat(c.connect(TestServers.token("alice")).has("connect")).isTrue();
        assertThat(backend.seen).isEmpty();
    }

    @Test
    void theBackendsErrorReachesTheClientAndItsDisconnectClosesTheSocket() {
        // Configured from YAML as a Centrifugo user would, static headers as "Name: value".
        startWithYaml(
                "client:",
                "  proxy:",
                "    connect:",
                "      enabled: true",
                "      endpoint: " + backend.url("/rt/connect"),
                "      timeout: 500ms",
                "      http_headers: [Cookie]",
                "      static_headers: [\"X-Proxy-Secret: yaml-1\"]");
        backend.responder = (p, b) -> Answer.ok("{\"error\":{\"code\":1000,\"message\":\"login first\"}}");
        WsTestClient denied = open(Map.of());
        JsonNode err = connectWithoutToken(denied).path("error");
        assertThat(err.path("code").asInt()).isEqualTo(1000);
        assertThat(err.path("message").asText()).isEqualTo("login first");
        assertThat(backend.seen.get(0).headers().getFirst("X-Proxy-Secret")).isEqualTo("yaml-1");

        backend.responder = (p, b) -> Answer.ok("{\"disconnect\":{\"code\":4501,\"reason\":\"banned\"}}");
        WsTestClient banned = open(Map.of());
        banned.send("{\"id\":1,\"connect\":{}}");
        assertThat(banned.awaitClose()).isEqualTo(4501);
        assertThat(banned.closeReason()).isEqualTo("banned");
    }

    @Test
    void aMalformedAnswerIsAnInternalErrorAndATimeoutA3004() {
        start(connectProxy().build(), ProxyConfig.disabled());
        backend.responder = (p, b) -> Answer.ok("{\"result\":{\"user\":56}}");
        WsTestClient malformed = open(Map.of());
        assertThat(connectWithoutToken(malformed).path("error").path("code").asInt())
                .isEqualTo(100);

        backend.responder = (p, b) -> new Answer(200, "{\"result\":{}}", Duration.ofSeconds(3));
        WsTestClient slow = open(Map.of());
        long t0 = System.nanoTime();
        slow.send("{\"id\":1,\"connect\":{}}");
        assertThat(slow.awaitClose()).isEqualTo(3004);
        assertThat((System.nanoTime() - t0) / 1_000_000)
                .as("closed by the 500 ms timeout")
                .isLessThan(2500);
    }

    @Test
    void aDownBackendOpensTheBreakerClientsAreToldAtOnceAndItClosesWhenTheBackendReturns() throws Exception {
        int port = backend.port();
        backend.close();
        start(
                connectProxy()
                        .breakerFailures(3)
                        .breakerOpenTime(Duration.ofSeconds(1))
                        .build(),
                ProxyConfig.disabled());
        for (int i = 0; i < 3; i++) {
            WsTestClient c = open(Map.of());
            c.send("{\"id\":1,\"connect\":{}}");
            assertThat(c.awaitClose()).isEqualTo(3004);
        }
        WsTestClient fast = open(Map.of());
        long t0 = System.nanoTime();
        fast.send("{\"id\":1,\"connect\":{}}");
        assertThat(fast.awaitClose()).isEqualTo(3004);
        assertThat((System.nanoTime() - t0) / 1_000_000)
                .as("refused by the open breaker")
                .isLessThan(400);
        assertThat(server.meterRegistry()
                        .get("switchboard_proxy_calls")
                        .tag("proxy", "connect")
                        .tag("outcome", "circuit_open")
                        .counter()
                        .count())
                .isGreaterThanOrEqualTo(1);

        try (TestBackend back = new TestBackend(port)) {
            back.responder = (p, b) -> Answer.ok("{\"result\":{\"user\":\"7\"}}");
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> {
                        try (WsTestClient c = WsTestClient.open(TestServers.wsUrl(server), Map.of())) {
                            c.send("{\"id\":1,\"connect\":{}}");
                            assertThat(c.reply(1).has("connect")).isTrue();
                        }
                    });
        }
    }

    @Test
    void aBackendThatTakesTwoSecondsDoesNotSlowOtherClientsPublications() throws Exception {
        backend.responder = (p, b) -> new Answer(200, "{\"result\":{\"user\":\"slow\"}}", Duration.ofSeconds(2));
        start(connectProxy().timeout(Duration.ofSeconds(5)).build(), ProxyConfig.disabled());
        WsTestClient fast = open(Map.of());
        fast.connect(TestServers.token("fast"));
        fast.send("{\"id\":2,\"subscribe\":{\"channel\":\"chat\"}}");
        fast.reply(2);
        List<WsTestClient> waiting = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            WsTestClient w = open(Map.of());
            w.send("{\"id\":1,\"connect\":{}}");
            waiting.add(w);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.seen.size() >= 20);
        long worst = 0;
        for (int i = 0; i < 20; i++) {
            long t0 = System.nanoTime();
            fast.send("{\"id\":" + (10 + i) + ",\"publish\":{\"channel\":\"chat\",\"data\":{\"i\":" + i + "}}}");
            fast.push("chat", "pub");
            worst = Math.max(worst, System.nanoTime() - t0);
        }
        assertThat(worst / 1_000_000)
                .as("slowest publish→push while 50 connects wait 2 s on the backend")
                .isLessThan(500);
        for (WsTestClient w : waiting) {
            assertThat(w.reply(1).has("connect")).isTrue();
        }
    }

    @Test
    void theRefreshProxyExtendsAConnectionAndEndsItWith3005WhenTheBackendSaysExpired() throws Exception {
        backend.responder = (p, b) -> p.endsWith("/connect")
                ? Answer.ok("{\"result\":{\"user\":\"9\",\"expire_at\":" + (nowSeconds() + 2) + "}}")
                : Answer.ok("{\"result\":{\"expire_at\":" + (nowSeconds() + 2) + "}}");
        start(
                connectProxy().build(),
                ProxyConfig.builder()
                        .enabled(true)
                        .endpoint(backend.url("/rt/refresh"))
                        .httpHeaders(List.of("Cookie"))
                        .build());
        WsTestClient c = open(Map.of("Cookie", "session=r"));
        // Two seconds, not one: an expiry that a slow machine sees pass before the connect
        // completes is refused with 109, and then nothing is ever refreshed.
        JsonNode reply = connectWithoutToken(c);
        assertThat(reply.has("connect")).as("%s", reply).isTrue();
        JsonNode connect = reply.path("connect");
        assertThat(connect.has("expires"))
                .as("server-side refresh: the SDK is told nothing expires")
                .isFalse();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> backend.seen.stream().anyMatch(s -> s.path().equals("/rt/refresh")));
        TestBackend.Seen refresh = backend.seen.stream()
                .filter(s -> s.path().equals("/rt/refresh"))
                .findFirst()
                .orElseThrow();
        JsonNode req = ProtocolCodec.mapper().readTree(refresh.body());
        assertThat(req.path("user").asText()).isEqualTo("9");
        assertThat(req.path("client").asText()).isEqualTo(connect.path("client").asText());
        assertThat(refresh.headers().getFirst("Cookie")).isEqualTo("session=r");
        c.send("{\"id\":2,\"ping\":{}}");
        assertThat(c.reply(2).has("error"))
                .as("still connected after the refresh")
                .isFalse();

        backend.responder = (p, b) -> Answer.ok("{\"result\":{\"expired\":true}}");
        assertThat(c.awaitClose()).isEqualTo(3005);
    }
}

package dev.switchboard.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.HistoryFilter;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import dev.switchboard.transport.SwitchboardServer;
import dev.switchboard.transport.proxy.TestBackend;
import dev.switchboard.transport.proxy.TestBackend.Answer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The subscribe, publish, sub_refresh and RPC proxies end to end: a node configured from YAML as
 * a Centrifugo user would, real WebSocket clients, a real HTTP backend on 127.0.0.1.
 */
class ChannelProxyIT extends ProxyITSupport {

    ChannelProxyIT() throws Exception {}

    /** The config: namespace {@code jobs} behind the three channel proxies, plus the RPC proxy. */
    static String yaml(String base) {
        return String.join(
                "\n",
                "address: 127.0.0.1",
                "port: 0",
                "rpc:",
                "  proxy: {enabled: true, endpoint: \"" + base + "/rt/rpc\", timeout: 500ms}",
                "channel:",
                "  allow_subscribe_for_client: true",
                "  allow_publish_for_subscriber: true",
                "  history_size: 10",
                "  history_ttl: 300s",
                "  proxy:",
                "    subscribe: {endpoint: \"" + base + "/rt/subscribe\", timeout: 500ms, http_headers: [Cookie],"
                        + " static_headers: [\"X-Proxy-Secret: s1\"]}",
                "    publish: {endpoint: \"" + base + "/rt/publish\", timeout: 500ms}",
                "    sub_refresh: {endpoint: \"" + base + "/rt/sub_refresh\", timeout: 500ms}",
                "  namespaces:",
                "    - name: jobs",
                "      history_size: 10",
                "      history_ttl: 300s",
                "      presence: true",
                "      subscribe_proxy_enabled: true",
                "      publish_proxy_enabled: true",
                "      sub_refresh_proxy_enabled: true",
                "");
    }

    private void start() {
        start(backend.url(""), b -> b);
    }

    private void start(String base, java.util.function.UnaryOperator<SwitchboardServer.Builder> customize) {
        server = customize
                .apply(SwitchboardServer.builder().config(TestServers.config(yaml(base))))
                .build()
                .start();
    }

    private WsTestClient connected(String user) {
        WsTestClient c = open(Map.of("Cookie", "session=" + user));
        assertThat(c.connect(TestServers.token(user)).has("connect")).isTrue();
        return c;
    }

    // ---- subscribe ----

    @Test
    void theBackendLetsTheOwnerInWithChannelInfoAndTheJobsStateInTheSubscribeReply() throws Exception {
        backend.responder = (p, b) -> Answer.ok(
                "{\"result\":{\"info\":{\"role\":\"owner\"},\"data\":{\"state\":\"running\",\"progress\":40}}}");
        start();
        WsTestClient c = connected("alice");
        c.send("{\"id\":2,\"subscribe\":{\"channel\":\"jobs:1\",\"data\":{\"hint\":true}}}");
        JsonNode sub = c.reply(2).path("subscribe");
        assertThat(sub.path("data")).isEqualTo(json("{\"state\":\"running\",\"progress\":40}"));
        assertThat(sub.has("expires")).isFalse();

        TestBackend.Seen seen = seen("/rt/subscribe").get(0);
        JsonNode req = json(seen.body());
        assertThat(req.path("user").asText()).isEqualTo("alice");
        assertThat(req.path("channel").asText()).isEqualTo("jobs:1");
        assertThat(req.path("transport").asText()).isEqualTo("websocket");
        assertThat(req.path("protocol").asText()).isEqualTo("json");
        assertThat(req.path("encoding").asText()).isEqualTo("json");
        assertThat(req.path("data")).isEqualTo(json("{\"hint\":true}"));
        assertThat(req.has("client")).isTrue();
        assertThat(seen.headers().getFirst("Cookie")).isEqualTo("session=alice");
        assertThat(seen.headers().getFirst("X-Proxy-Secret")).isEqualTo("s1");

        Map<String, ClientInfo> presence = server.node().presence("jobs:1").join();
        assertThat(new String(presence.values().iterator().next().chanInfo())).isEqualTo("{\"role\":\"owner\"}");
    }

    @Test
    void theBackendsErrorAndDisconnectReachTheClientAndOtherNamespacesKeepTheirRules() {
        start();
        backend.responder = (p, b) -> Answer.ok("{\"error\":{\"code\":1001,\"message\":\"not your job\"}}");
        WsTestClient bob = connected("bob");
        bob.send("{\"id\":2,\"subscribe\":{\"channel\":\"jobs:1\"}}");
        JsonNode err = bob.reply(2).path("error");
        assertThat(err.path("code").asInt()).isEqualTo(1001);
        assertThat(err.path("message").asText()).isEqualTo("not your job");

        int calls = backend.seen.size();
        bob.send("{\"id\":3,\"subscribe\":{\"channel\":\"news\"}}");
        assertThat(bob.reply(3).has("subscribe")).isTrue();
        assertThat(backend.seen).as("no proxy for the default namespace").hasSize(calls);

        backend.responder = (p, b) -> Answer.ok("{\"disconnect\":{\"code\":4501,\"reason\":\"banned\"}}");
        bob.send("{\"id\":4,\"subscribe\":{\"channel\":\"jobs:2\"}}");
        assertThat(bob.awaitClose()).isEqualTo(4501);
        assertThat(bob.closeReason()).isEqualTo("banned");
    }

    @Test
    void aDownBackendFailsSubscribePublishAndRpcWithTemporaryError100() {
        int port = backend.port();
        backend.close();
        start("http://127.0.0.1:" + port, b -> b);
        WsTestClient c = connected("alice");
        c.send("{\"id\":2,\"subscribe\":{\"channel\":\"jobs:1\"}}");
        JsonNode err = c.reply(2).path("error");
        assertThat(err.path("code").asInt()).isEqualTo(100);
        assertThat(err.path("temporary").asBoolean()).isTrue();
        c.send("{\"id\":3,\"publish\":{\"channel\":\"jobs:1\",\"data\":{}}}");
        assertThat(c.reply(3).path("error").path("code").asInt()).isEqualTo(100);
        c.send("{\"id\":4,\"rpc\":{\"method\":\"cancel_job\",\"data\":{}}}");
        assertThat(c.reply(4).path("error").path("code").asInt()).isEqualTo(100);
        c.send("{\"id\":5,\"subscribe\":{\"channel\":\"news\"}}");
        assertThat(c.reply(5).has("subscribe"))
                .as("other namespaces unaffected")
                .isTrue();
    }

    // ---- publish ----

    @Test
    void theBackendRejectsRewritesAndKeepsPublicationsOutOfHistory() throws Exception {
        backend.responder = (p, b) -> {
            if (p.equals("/rt/subscribe")) {
                return Answer.ok("{}");
            }
            JsonNode req;
            try {
                req = json(b);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return switch (req.path("data").path("kind").asText()) {
                case "bad" -> Answer.ok("{\"error\":{\"code\":1002,\"message\":\"invalid\"}}");
                case "raw" ->
                    Answer.ok("{\"result\":{\"data\":{\"kind\":\"clean\",\"by\":\""
                            + req.path("user").asText() + "\"}}}");
                default -> Answer.ok("{\"result\":{\"skip_history\":true}}");
            };
        };
        start();
        WsTestClient sub = connected("alice");
        sub.send("{\"id\":2,\"subscribe\":{\"channel\":\"jobs:1\"}}");
        assertThat(sub.reply(2).has("subscribe")).isTrue();
        WsTestClient pub = connected("bob");

        pub.send("{\"id\":2,\"publish\":{\"channel\":\"jobs:1\",\"data\":{\"kind\":\"bad\"}}}");
        assertThat(pub.reply(2).path("error").path("code").asInt())
                .as("the proxy decides, not allow_publish_for_subscriber")
                .isEqualTo(1002);

        pub.send("{\"id\":3,\"publish\":{\"channel\":\"jobs:1\",\"data\":{\"kind\":\"raw\"}}}");
        assertThat(pub.reply(3).has("publish")).isTrue();
        JsonNode p1 = sub.push("jobs:1", "pub");
        assertThat(p1.path("data")).isEqualTo(json("{\"kind\":\"clean\",\"by\":\"bob\"}"));
        assertThat(p1.path("offset").asLong()).isEqualTo(1);

        pub.send("{\"id\":4,\"publish\":{\"channel\":\"jobs:1\",\"data\":{\"kind\":\"ephemeral\"}}}");
        assertThat(pub.reply(4).has("publish")).isTrue();
        assertThat(sub.push("jobs:1", "pub").path("data").path("kind").asText()).isEqualTo("ephemeral");
        assertThat(server.node()
                        .history("jobs:1", new HistoryFilter(null, 10, false))
                        .join()
                        .publications())
                .as("skip_history: only the rewritten one is kept")
                .hasSize(1);
        JsonNode req = json(seen("/rt/publish").get(0).body());
        assertThat(req.path("channel").asText()).isEqualTo("jobs:1");
        assertThat(req.path("user").asText()).isEqualTo("bob");
    }

    // ---- sub_refresh ----

    @Test
    void theSubRefreshProxyExtendsASubscriptionThenItsExpiryClosesTheConnection3006() throws Exception {
        backend.responder = (p, b) -> p.equals("/rt/subscribe")
                ? Answer.ok("{\"result\":{\"expire_at\":" + (nowSeconds() + 2) + "}}")
                : Answer.ok("{\"result\":{\"expire_at\":" + (nowSeconds() + 2) + ",\"info\":{\"v\":2}}}");
        start();
        WsTestClient c = connected("alice");
        c.send("{\"id\":2,\"subscribe\":{\"channel\":\"jobs:1\"}}");
        // Two seconds: an expiry a slow machine sees pass before the reply is refused outright.
        JsonNode reply = c.reply(2);
        assertThat(reply.has("subscribe")).as("%s", reply).isTrue();
        JsonNode sub = reply.path("subscribe");
        assertThat(sub.has("expires"))
                .as("server-side refresh: the SDK is told nothing expires")
                .isFalse();

        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> !seen("/rt/sub_refresh").isEmpty());
        JsonNode req = json(seen("/rt/sub_refresh").get(0).body());
        assertThat(req.path("channel").asText()).isEqualTo("jobs:1");
        assertThat(req.path("user").asText()).isEqualTo("alice");
        c.send("{\"id\":3,\"presence_stats\":{\"channel\":\"jobs:1\"}}");
        c.reply(3);
        assertThat(c.isOpen()).as("extended").isTrue();
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(5))
                .until(() -> {
                    byte[] info = server.node()
                            .presence("jobs:1")
                            .join()
                            .values()
                            .iterator()
                            .next()
                            .chanInfo();
                    return info != null && new String(info).equals("{\"v\":2}");
                });

        backend.responder = (p, b) -> Answer.ok("{\"result\":{\"expired\":true}}");
        assertThat(c.awaitClose()).isEqualTo(3006);
    }

    // ---- rpc ----

    @Test
    void anRpcWithoutAJavaHandlerIsAnsweredByTheBackendAndOneWithAHandlerNeverReachesIt() throws Exception {
        backend.responder = (p, b) -> b.contains("\"fail\"")
                ? Answer.ok("{\"error\":{\"code\":1003,\"message\":\"no such job\"}}")
                : Answer.ok("{\"result\":{\"data\":{\"cancelled\":true}}}");
        start(
                backend.url(""),
                b -> b.rpc("local", req -> CompletableFuture.completedFuture("{\"here\":1}".getBytes())));
        WsTestClient c = connected("alice");

        c.send("{\"id\":2,\"rpc\":{\"method\":\"cancel_job\",\"data\":{\"job\":7}}}");
        assertThat(c.reply(2).path("rpc").path("data")).isEqualTo(json("{\"cancelled\":true}"));
        JsonNode req = json(seen("/rt/rpc").get(0).body());
        assertThat(req.path("method").asText()).isEqualTo("cancel_job");
        assertThat(req.path("user").asText()).isEqualTo("alice");
        assertThat(req.path("data")).isEqualTo(json("{\"job\":7}"));

        c.send("{\"id\":3,\"rpc\":{\"method\":\"cancel_job\",\"data\":\"fail\"}}");
        JsonNode err = c.reply(3).path("error");
        assertThat(err.path("code").asInt()).isEqualTo(1003);
        assertThat(err.path("message").asText()).isEqualTo("no such job");

        int calls = seen("/rt/rpc").size();
        c.send("{\"id\":4,\"rpc\":{\"method\":\"local\"}}");
        assertThat(c.reply(4).path("rpc").path("data")).isEqualTo(json("{\"here\":1}"));
        assertThat(seen("/rt/rpc")).hasSize(calls);
    }

    @Test
    void aNamespaceThatEnablesAProxyWithoutAnEndpointIsRefusedAtStart() {
        String yaml = String.join(
                "\n",
                "address: 127.0.0.1",
                "port: 0",
                "channel:",
                "  namespaces:",
                "    - name: jobs",
                "      publish_proxy_enabled: true",
                "");
        assertThatThrownBy(() -> SwitchboardServer.builder()
                        .config(TestServers.config(yaml))
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("channel.proxy.publish.endpoint");
    }
}

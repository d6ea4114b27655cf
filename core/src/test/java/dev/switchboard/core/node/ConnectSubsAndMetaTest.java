package dev.switchboard.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.hook.ConnectDecision;
import dev.switchboard.core.hook.ConnectHandler;
import dev.switchboard.core.hook.SubscribeDecision;
import dev.switchboard.core.hook.SubscribeOptions;
import dev.switchboard.core.hook.SubscribeOverride;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A connect hook's per-channel {@code subs} options and its connection {@code meta}, on the memory engine. */
class ConnectSubsAndMetaTest {

    private static final String META = "{\"tenant\":\"acme\",\"plan\":\"pro\"}";

    private final List<String> metaSeen = new CopyOnWriteArrayList<>();
    private Node node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private void start(ConnectHandler onConnect) {
        node = Node.builder()
                .options(NodeOptions.builder()
                        .channelRules(ClientSessionTest.rules())
                        .build())
                .tokenVerifier(new TestTokens())
                .onConnect(onConnect)
                .onSubscribe(req -> {
                    metaSeen.add("subscribe " + str(req.meta()));
                    return CompletableFuture.completedFuture(SubscribeDecision.allow());
                })
                .rpc("whoami", req -> {
                    metaSeen.add("rpc " + str(req.meta()));
                    return CompletableFuture.completedFuture(b("{}"));
                })
                .build()
                .start();
    }

    private Client client;

    private RecordingTransport connect() {
        RecordingTransport t = new RecordingTransport();
        client = node.newClient(t);
        client.handleFrame(b("{\"id\":1,\"connect\":{}}"));
        await().atMost(Duration.ofSeconds(2)).until(() -> !t.messages.isEmpty());
        return t;
    }

    @Test
    void subsGiveEachServerSideChannelItsInfoDataAndOverride() throws Exception {
        Map<String, SubscribeOptions> subs = new LinkedHashMap<>();
        // "plain" has no presence of its own: the override turns it on for this subscriber only.
        subs.put(
                "plain:1",
                new SubscribeOptions(
                        b("{\"role\":\"owner\"}"),
                        b("{\"progress\":40}"),
                        new SubscribeOverride(true, null, null, null, null)));
        subs.put("private:x", SubscribeOptions.DEFAULT);
        start(req -> CompletableFuture.completedFuture(ConnectDecision.allowAs("ann", null)
                .withChannels(List.of("plain:1", "room"))
                .withSubs(subs)));
        RecordingTransport t = connect();

        var reply = t.reply(1).get("connect");
        assertThat(reply.at("/subs/plain:1/data/progress").asInt())
                .as("%s", reply)
                .isEqualTo(40);
        assertThat(reply.at("/subs/room").isObject()).as("a plain channel too").isTrue();
        assertThat(reply.at("/subs/private:x").isObject()).isTrue();
        assertThat(reply.at("/subs/room/data").isMissingNode()).isTrue();

        // The namespace has no presence, so the node API refuses it; the entry is in the manager.
        Map<String, ClientInfo> presence =
                node.presenceManager().presence("plain:1").get();
        assertThat(presence).hasSize(1);
        ClientInfo who = presence.values().iterator().next();
        assertThat(who.user()).isEqualTo("ann");
        assertThat(str(who.chanInfo())).isEqualTo("{\"role\":\"owner\"}");
    }

    @Test
    void anOverrideTheChannelCannotTakeRefusesTheConnectWith100BeforeRegistering() {
        // force_recovery on a namespace without history.
        start(req -> CompletableFuture.completedFuture(ConnectDecision.allowAs("ann", null)
                .withSubs(Map.of(
                        "plain:1",
                        new SubscribeOptions(null, null, new SubscribeOverride(null, null, null, true, null))))));
        RecordingTransport t = connect();
        assertThat(t.reply(1).at("/error/code").asInt()).as("%s", t.json()).isEqualTo(100);
        assertThat(t.reply(1).at("/error/message").asText()).contains("override refused");
        assertThat(t.closed).isNull();
        assertThat(node.userConnectionCount("ann")).isZero();
    }

    @Test
    void metaReachesLaterHooksAndNeverTheClient() {
        start(req -> CompletableFuture.completedFuture(
                ConnectDecision.allowAs("ann", null).withMeta(b(META))));
        RecordingTransport t = connect();
        client.handleFrame(b("{\"id\":2,\"subscribe\":{\"channel\":\"room\"}}"));
        client.handleFrame(b("{\"id\":3,\"rpc\":{\"method\":\"whoami\"}}"));
        await().atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(metaSeen).containsExactly("subscribe " + META, "rpc " + META));
        await().atMost(Duration.ofSeconds(2)).until(() -> t.messages.size() >= 3);
        for (byte[] m : t.messages) {
            assertThat(str(m)).doesNotContain("acme");
        }
    }

    @Test
    void aConnectionTokensMetaClaimIsTheMetaUnlessTheHookGivesOne() {
        start(req -> CompletableFuture.completedFuture(
                req.userId().equals("bob") ? ConnectDecision.allow().withMeta(b(META)) : ConnectDecision.allow()));
        for (String user : new String[] {"ann", "bob"}) {
            RecordingTransport t = new RecordingTransport();
            client = node.newClient(t);
            client.handleFrame(b("{\"id\":1,\"connect\":{\"token\":\"user:" + user + ":meta\"}}"));
            await().atMost(Duration.ofSeconds(2)).until(() -> !t.messages.isEmpty());
            client.handleFrame(b("{\"id\":2,\"rpc\":{\"method\":\"whoami\"}}"));
            await().atMost(Duration.ofSeconds(2)).until(() -> t.messages.size() >= 2);
        }
        assertThat(metaSeen).containsExactly("rpc {\"from\":\"token\"}", "rpc " + META);
    }
}

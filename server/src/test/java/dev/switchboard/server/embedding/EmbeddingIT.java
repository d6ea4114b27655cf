package dev.switchboard.server.embedding;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.engine.ClientInfo;
import dev.switchboard.core.engine.StreamPosition;
import dev.switchboard.core.hook.ConnectDecision;
import dev.switchboard.core.hook.PublishDecision;
import dev.switchboard.core.hook.SubscribeDecision;
import dev.switchboard.core.node.PublishParams;
import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.core.protocol.ProtocolError;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import dev.switchboard.transport.SwitchboardServer;
import dev.switchboard.transport.config.ServerConfig;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedding API as an application uses it: a node started with {@link SwitchboardServer#builder()}
 * on port 0, hooks that decide from the application's own data (looked up on the application's
 * executor), RPC and send handlers, publishing from application code, and a clean shutdown. Every
 * client is a real WebSocket over a real socket.
 */
class EmbeddingIT {

    /** Namespaces the app uses: admin-only channels, server-only news, and a chat clients publish into. */
    static final String CONFIG_YAML = String.join(
            "\n",
            "address: 127.0.0.1",
            "port: 0",
            "channel:",
            "  presence: true",
            "  allow_subscribe_for_client: true",
            "  allow_presence_for_subscriber: true",
            "  namespaces:",
            "    - name: admin",
            "      presence: true",
            "      allow_subscribe_for_client: true",
            "      allow_presence_for_subscriber: true",
            "    - name: news",
            "      history_size: 10",
            "      history_ttl: 300s",
            "      allow_subscribe_for_client: true",
            "    - name: chat",
            "      presence: true",
            "      allow_subscribe_for_client: true",
            "      allow_publish_for_subscriber: true",
            "      allow_presence_for_subscriber: true",
            "");

    /** The embedding application: its "database", its executor, and what its hooks observed. */
    static final class App implements AutoCloseable {
        record Account(String user, String name, boolean admin, boolean banned) {}

        record Sent(ClientInfo client, JsonNode data) {}

        record Ended(String user, Disconnect reason) {}

        /** Sessions table: session id from the client's connect data → account. */
        final Map<String, Account> sessions = Map.of(
                "s-alice", new Account("alice", "Alice", false, false),
                "s-root", new Account("root", "Root", true, false),
                "s-mallory", new Account("mallory", "Mallory", false, true));

        final Set<String> admins = Set.of("root");
        final AtomicInteger dbThreadCounter = new AtomicInteger();
        final ExecutorService db = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "app-db-" + dbThreadCounter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        final List<String> lookupThreads = new CopyOnWriteArrayList<>();
        final List<Boolean> connectSawToken = new CopyOnWriteArrayList<>();
        final BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
        final BlockingQueue<Ended> ended = new LinkedBlockingQueue<>();

        SwitchboardServer.Builder configure(SwitchboardServer.Builder b) {
            return b.onConnect(req -> {
                        if (req.authenticated()) {
                            connectSawToken.add(true);
                            return CompletableFuture.completedFuture(ConnectDecision.allow());
                        }
                        connectSawToken.add(false);
                        String session = req.data() == null
                                ? ""
                                : json(req.data()).path("session").asText("");
                        if (session.equals("s-crash")) {
                            throw new IllegalStateException("bug in the app's connect hook");
                        }
                        return CompletableFuture.supplyAsync(
                                () -> {
                                    lookupThreads.add(Thread.currentThread().getName());
                                    Account a = sessions.get(session);
                                    if (a == null) {
                                        return ConnectDecision.deny(ProtocolError.UNAUTHORIZED);
                                    }
                                    if (a.banned()) {
                                        return ConnectDecision.disconnect(Disconnect.PERMISSION_DENIED);
                                    }
                                    return ConnectDecision.allowAs(a.user(), bytes("{\"name\":\"" + a.name() + "\"}"))
                                            .withData(bytes("{\"welcome\":\"" + a.name() + "\"}"));
                                },
                                db);
                    })
                    .onSubscribe(req -> CompletableFuture.supplyAsync(
                            () -> {
                                boolean admin = admins.contains(req.client().user());
                                if (req.channel().startsWith("admin:") && !admin) {
                                    return SubscribeDecision.deny(ProtocolError.PERMISSION_DENIED);
                                }
                                return SubscribeDecision.allowWithInfo(
                                        bytes("{\"role\":\"" + (admin ? "admin" : "member") + "\"}"));
                            },
                            db))
                    .onPublish(req -> {
                        if (req.channel().startsWith("news:")) {
                            return CompletableFuture.completedFuture(PublishDecision.deny(
                                    ProtocolError.of(4403, "news is published by the server", false)));
                        }
                        if (!req.allowedByRules()) {
                            return CompletableFuture.completedFuture(
                                    PublishDecision.deny(ProtocolError.PERMISSION_DENIED));
                        }
                        ObjectNode payload = (ObjectNode) json(req.data());
                        payload.put("from", req.client().user());
                        return CompletableFuture.completedFuture(
                                PublishDecision.allowWithData(ProtocolCodec.toBytes(payload)));
                    })
                    .rpc(
                            "profile",
                            req -> CompletableFuture.supplyAsync(
                                    () -> {
                                        lookupThreads.add(Thread.currentThread().getName());
                                        boolean admin =
                                                admins.contains(req.client().user());
                                        return bytes(
                                                "{\"user\":\"" + req.client().user() + "\",\"admin\":" + admin + "}");
                                    },
                                    db))
                    .rpc(
                            "quota",
                            req -> CompletableFuture.failedFuture(ProtocolError.of(4029, "quota exceeded", false)))
                    .rpc("broken", req -> CompletableFuture.failedFuture(new IllegalStateException("bug in the app")))
                    .rpc("throws", req -> {
                        throw new IllegalStateException("bug in the app, thrown instead of returned");
                    })
                    .onSend((client, data) -> {
                        JsonNode d = json(data);
                        if (d.path("crash").asBoolean()) {
                            throw new IllegalStateException("send handler bug");
                        }
                        sent.add(new Sent(client, d));
                    })
                    .onDisconnect((client, reason) -> ended.add(new Ended(client.user(), reason)));
        }

        @Override
        public void close() {
            db.shutdownNow();
        }
    }

    App app;
    SwitchboardServer server;

    @BeforeEach
    void start() {
        app = new App();
        server = app.configure(SwitchboardServer.builder().config(TestServers.config(CONFIG_YAML)))
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
        app.close();
    }

    // ---- connect ----

    @Test
    void connectHookAuthenticatesATokenlessClientFromConnectDataOnTheAppExecutor() {
        try (WsTestClient c = open()) {
            JsonNode r = connectWithSession(c, 1, "s-alice").get("connect");
            assertThat(r.get("client").asText()).isNotEmpty();
            assertThat(r.at("/data/welcome").asText()).isEqualTo("Alice");
            assertThat(app.connectSawToken).containsExactly(false);
            assertThat(app.lookupThreads).allMatch(t -> t.startsWith("app-db-")).isNotEmpty();

            // The user and info the hook set are who the client is: visible in presence.
            subscribe(c, 2, "chat:lobby");
            JsonNode me = presence(c, 3, "chat:lobby").get(r.get("client").asText());
            assertThat(me.get("user").asText()).isEqualTo("alice");
            assertThat(me.at("/conn_info/name").asText()).isEqualTo("Alice");
        }
    }

    @Test
    void connectHookSeesTokenUsersAsAuthenticatedAndKeepsTheirIdentity() {
        try (WsTestClient c = open()) {
            JsonNode r = c.connect(TestServers.token("bob"));
            assertThat(r.has("connect")).isTrue();
            assertThat(app.connectSawToken).containsExactly(true);
            subscribe(c, 2, "chat:lobby");
            assertThat(presence(c, 3, "chat:lobby")
                            .get(r.at("/connect/client").asText())
                            .get("user")
                            .asText())
                    .isEqualTo("bob");
        }
    }

    @Test
    void unknownSessionIsRefusedWithUnauthorizedAndMayRetryOnTheSameConnection() {
        try (WsTestClient c = open()) {
            JsonNode refused = connectWithSession(c, 1, "s-nobody");
            assertThat(refused.at("/error/code").asInt()).isEqualTo(101);
            assertThat(refused.at("/error/message").asText()).isEqualTo("unauthorized");
            assertThat(refused.has("connect")).isFalse();
            assertThat(c.isOpen()).isTrue();

            assertThat(connectWithSession(c, 2, "s-alice").has("connect")).isTrue();
        }
    }

    @Test
    void connectHookCanCloseTheConnectionWithADisconnectCode() {
        try (WsTestClient c = open()) {
            c.send("{\"id\":1,\"connect\":{\"data\":{\"session\":\"s-mallory\"}}}");
            assertThat(c.awaitClose()).isEqualTo(3507);
        }
        assertThat(app.ended).as("never connected, so no disconnect event").isEmpty();
    }

    // ---- subscribe ----

    @Test
    void subscribeHookDeniesAdminChannelsToNonAdminsFromTheAppsData() {
        try (WsTestClient alice = connected("s-alice")) {
            alice.send("{\"id\":2,\"subscribe\":{\"channel\":\"admin:ops\"}}");
            JsonNode r = alice.reply(2);
            assertThat(r.at("/error/code").asInt()).isEqualTo(103);
            assertThat(r.has("subscribe")).isFalse();
        }
        try (WsTestClient root = connected("s-root")) {
            assertThat(subscribe(root, 2, "admin:ops").has("subscribe")).isTrue();
        }
    }

    @Test
    void subscribeHookEnrichesTheSubscriberWithChannelInfoShownInPresence() {
        try (WsTestClient alice = connected("s-alice");
                WsTestClient root = connected("s-root")) {
            subscribe(alice, 2, "chat:lobby");
            subscribe(root, 2, "chat:lobby");
            JsonNode presence = presence(alice, 3, "chat:lobby");
            assertThat(presence.size()).isEqualTo(2);
            presence.forEach(p -> {
                String expected = p.get("user").asText().equals("root") ? "admin" : "member";
                assertThat(p.at("/chan_info/role").asText()).as(p.toString()).isEqualTo(expected);
            });
        }
    }

    // ---- publish ----

    @Test
    void publishHookRewritesTheClientsPayloadBeforeSubscribersSeeIt() {
        try (WsTestClient alice = connected("s-alice");
                WsTestClient root = connected("s-root")) {
            subscribe(alice, 2, "chat:lobby");
            subscribe(root, 2, "chat:lobby");
            alice.send("{\"id\":3,\"publish\":{\"channel\":\"chat:lobby\",\"data\":{\"text\":\"hi\"}}}");
            assertThat(alice.reply(3).has("error")).isFalse();

            JsonNode pub = root.push("chat:lobby", "pub");
            assertThat(pub.at("/data/text").asText()).isEqualTo("hi");
            assertThat(pub.at("/data/from").asText()).isEqualTo("alice");
            assertThat(pub.at("/info/user").asText()).isEqualTo("alice");
            assertThat(pub.at("/info/chan_info/role").asText()).isEqualTo("member");
        }
    }

    @Test
    void publishHookDenialReachesTheClientAndNothingIsPublished() {
        try (WsTestClient alice = connected("s-alice");
                WsTestClient root = connected("s-root")) {
            subscribe(alice, 2, "news:sports");
            subscribe(root, 2, "news:sports");
            alice.send("{\"id\":3,\"publish\":{\"channel\":\"news:sports\",\"data\":{\"text\":\"fake\"}}}");
            JsonNode r = alice.reply(3);
            assertThat(r.at("/error/code").asInt()).isEqualTo(4403);
            assertThat(r.at("/error/message").asText()).isEqualTo("news is published by the server");

            // The next publication the subscriber sees is the app's, at offset 1: the denied one never existed.
            server.node()
                    .publish("news:sports", bytes("{\"text\":\"real\"}"), PublishParams.DEFAULT)
                    .join();
            JsonNode pub = root.push("news:sports", "pub");
            assertThat(pub.at("/data/text").asText()).isEqualTo("real");
            assertThat(pub.get("offset").asLong()).isEqualTo(1);
        }
    }

    // ---- rpc / send ----

    @Test
    void rpcHandlerCompletesAsynchronouslyWithTheCallersIdentity() {
        try (WsTestClient root = connected("s-root")) {
            root.send("{\"id\":2,\"rpc\":{\"method\":\"profile\",\"data\":{}}}");
            JsonNode r = root.reply(2);
            assertThat(r.at("/rpc/data/user").asText()).isEqualTo("root");
            assertThat(r.at("/rpc/data/admin").asBoolean()).isTrue();
            assertThat(app.lookupThreads).allMatch(t -> t.startsWith("app-db-"));
        }
    }

    @Test
    void rpcHandlerFailingWithAProtocolErrorGivesTheClientThatCodeAndMessage() {
        try (WsTestClient alice = connected("s-alice")) {
            alice.send("{\"id\":2,\"rpc\":{\"method\":\"quota\",\"data\":{\"n\":1}}}");
            JsonNode r = alice.reply(2);
            assertThat(r.at("/error/code").asInt()).isEqualTo(4029);
            assertThat(r.at("/error/message").asText()).isEqualTo("quota exceeded");
            assertThat(r.has("rpc")).isFalse();

            alice.send("{\"id\":3,\"rpc\":{\"method\":\"broken\"}}");
            assertThat(alice.reply(3).at("/error/code").asInt())
                    .as("any other failure is internal")
                    .isEqualTo(100);

            alice.send("{\"id\":4,\"rpc\":{\"method\":\"nope\"}}");
            assertThat(alice.reply(4).at("/error/code").asInt())
                    .as("no handler: not available, as Centrifugo")
                    .isEqualTo(108);

            // The connection survives every failed call.
            alice.send("{\"id\":5,\"rpc\":{\"method\":\"profile\"}}");
            assertThat(alice.reply(5).at("/rpc/data/user").asText()).isEqualTo("alice");
        }
    }

    /**
     * A handler that throws instead of returning a failed stage is an app bug; it must fail only
     * that command (error 100), like a failed stage does, not close the connection with 3004.
     */
    @Test
    void rpcHandlerThrowingSynchronouslyFailsOnlyThatCallWithInternalError() {
        try (WsTestClient alice = connected("s-alice")) {
            alice.send("{\"id\":2,\"rpc\":{\"method\":\"throws\"}}");
            assertThat(replyOrCloseCode(alice, 2).at("/error/code").asInt()).isEqualTo(100);
            alice.send("{\"id\":3,\"rpc\":{\"method\":\"profile\"}}");
            assertThat(alice.reply(3).at("/rpc/data/user").asText()).isEqualTo("alice");
        }
    }

    @Test
    void connectHookThrowingSynchronouslyRefusesTheConnectWithInternalErrorAndKeepsTheSocket() {
        try (WsTestClient c = open()) {
            c.send("{\"id\":1,\"connect\":{\"data\":{\"session\":\"s-crash\"}}}");
            JsonNode r = replyOrCloseCode(c, 1);
            assertThat(r.at("/error/code").asInt()).isEqualTo(100);
            assertThat(connectWithSession(c, 2, "s-alice").has("connect")).isTrue();
        }
    }

    @Test
    void sendHandlerReceivesTheClientsAsynchronousMessage() throws InterruptedException {
        try (WsTestClient alice = connected("s-alice")) {
            alice.send("{\"send\":{\"data\":{\"typing\":true}}}");
            App.Sent s = app.sent.poll(5, TimeUnit.SECONDS);
            assertThat(s).isNotNull();
            assertThat(s.client().user()).isEqualTo("alice");
            assertThat(s.data().get("typing").asBoolean()).isTrue();
        }
    }

    @Test
    void aSendHandlerThatThrowsIsLoggedAndTheConnectionStays() throws InterruptedException {
        try (WsTestClient alice = connected("s-alice")) {
            alice.send("{\"send\":{\"data\":{\"crash\":true}}}");
            alice.send("{\"send\":{\"data\":{\"typing\":true}}}");
            App.Sent s = app.sent.poll(5, TimeUnit.SECONDS);
            assertThat(s).as("the next send still arrives").isNotNull();
            assertThat(s.data().get("typing").asBoolean()).isTrue();
            alice.send("{\"id\":2,\"rpc\":{\"method\":\"profile\"}}");
            assertThat(alice.reply(2).at("/rpc/data/user").asText()).isEqualTo("alice");
        }
    }

    // ---- disconnect ----

    @Test
    void disconnectListenerSeesTheCodeTheServerClosedTheClientWith() throws InterruptedException {
        try (WsTestClient alice = connected("s-alice")) {
            server.node()
                    .disconnect("alice", null, new Disconnect(4100, "kicked by the app"))
                    .join();
            assertThat(alice.awaitClose()).isEqualTo(4100);
            assertThat(alice.closeReason()).isEqualTo("kicked by the app");
            App.Ended e = app.ended.poll(5, TimeUnit.SECONDS);
            assertThat(e).isNotNull();
            assertThat(e.user()).isEqualTo("alice");
            assertThat(e.reason().code()).isEqualTo(4100);
        }
    }

    @Test
    void disconnectListenerSeesConnectionClosedWhenTheClientLeaves() throws InterruptedException {
        WsTestClient alice = connected("s-alice");
        alice.sendClose(1000, "bye");
        App.Ended e = app.ended.poll(5, TimeUnit.SECONDS);
        alice.close();
        assertThat(e).isNotNull();
        assertThat(e.user()).isEqualTo("alice");
        assertThat(e.reason()).isEqualTo(Disconnect.CONNECTION_CLOSED);
    }

    // ---- app publishing ----

    @Test
    void appCodePublishesThroughTheNodeToSubscribers() {
        try (WsTestClient alice = connected("s-alice")) {
            subscribe(alice, 2, "news:sports");
            StreamPosition pos = server.node()
                    .publish(
                            "news:sports",
                            bytes("{\"score\":\"2-1\"}"),
                            PublishParams.builder().idempotencyKey("goal-1").build())
                    .join();
            JsonNode pub = alice.push("news:sports", "pub");
            assertThat(pub.at("/data/score").asText()).isEqualTo("2-1");
            assertThat(pub.get("offset").asLong()).isEqualTo(pos.offset());
            assertThat(pub.has("info"))
                    .as("server publications carry no client info")
                    .isFalse();
        }
    }

    @Test
    void appPublishToAnUnknownNamespaceFailsWithUnknownChannel() {
        CompletableFuture<StreamPosition> f = server.node().publish("nosuch:x", bytes("{}"), PublishParams.DEFAULT);
        assertThat(f)
                .failsWithin(java.time.Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(ProtocolError.class)
                .satisfies(
                        e -> assertThat(((ProtocolError) e.getCause()).code()).isEqualTo(102));
    }

    // ---- shutdown ----

    @Test
    void closeTellsConnectedClientsToReconnectElsewhereAndReleasesThePort() throws InterruptedException {
        int port = server.port();
        assertThat(port).isPositive();
        WsTestClient alice = connected("s-alice");
        subscribe(alice, 2, "chat:lobby");

        server.close();

        assertThat(alice.awaitClose()).isEqualTo(3001);
        assertThat(alice.closeReason()).isEqualTo("shutdown");
        App.Ended e = app.ended.poll(5, TimeUnit.SECONDS);
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(Disconnect.SHUTDOWN);
        assertThat(server.node().isClosed()).isTrue();
        server.close(); // idempotent

        // The same port binds again at once, and the new node serves clients.
        ServerConfig samePort =
                TestServers.config(CONFIG_YAML).toBuilder().port(port).build();
        server = app.configure(SwitchboardServer.builder().config(samePort))
                .build()
                .start();
        assertThat(server.port()).isEqualTo(port);
        try (WsTestClient again = connected("s-alice")) {
            assertThat(subscribe(again, 2, "chat:lobby").has("subscribe")).isTrue();
        }
    }

    // ---- helpers ----

    private WsTestClient open() {
        return WsTestClient.open(TestServers.wsUrl(server));
    }

    private WsTestClient connected(String session) {
        WsTestClient c = open();
        JsonNode r = connectWithSession(c, 1, session);
        assertThat(r.has("connect")).as("connect %s: %s", session, r).isTrue();
        return c;
    }

    private static JsonNode connectWithSession(WsTestClient c, int id, String session) {
        c.send("{\"id\":" + id + ",\"connect\":{\"data\":{\"session\":\"" + session + "\"},\"name\":\"test\"}}");
        return c.reply(id);
    }

    /** The reply to a command; when the server closed the connection instead, fails naming the close code. */
    private static JsonNode replyOrCloseCode(WsTestClient c, int id) {
        try {
            return c.reply(id);
        } catch (AssertionError e) {
            if (!c.isOpen()) {
                throw new AssertionError(
                        "no reply to command " + id + ": the server closed the connection with " + c.awaitClose() + " ("
                                + c.closeReason() + ")",
                        e);
            }
            throw e;
        }
    }

    private static JsonNode subscribe(WsTestClient c, int id, String channel) {
        c.send("{\"id\":" + id + ",\"subscribe\":{\"channel\":\"" + channel + "\"}}");
        JsonNode r = c.reply(id);
        assertThat(r.has("subscribe")).as("subscribe %s: %s", channel, r).isTrue();
        return r;
    }

    private static JsonNode presence(WsTestClient c, int id, String channel) {
        c.send("{\"id\":" + id + ",\"presence\":{\"channel\":\"" + channel + "\"}}");
        JsonNode r = c.reply(id);
        assertThat(r.has("presence")).as("presence %s: %s", channel, r).isTrue();
        return r.at("/presence/presence");
    }

    private static byte[] bytes(String json) {
        return json.getBytes(UTF_8);
    }

    private static JsonNode json(byte[] data) {
        try {
            return ProtocolCodec.mapper().readTree(data);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

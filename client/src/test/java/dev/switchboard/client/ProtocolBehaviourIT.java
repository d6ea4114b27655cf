package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client against a scripted server (real sockets, hand-written replies): wire shapes and the
 * reactions to situations a real node does not produce on demand.
 */
class ProtocolBehaviourIT {

    final ScriptedServer server = new ScriptedServer();
    final List<StateEvent> states = new CopyOnWriteArrayList<>();
    SwitchboardClient client;

    SwitchboardClient client(ClientBuilder b) {
        client = b.minReconnectDelay(Duration.ofMillis(50))
                .maxReconnectDelay(Duration.ofMillis(200))
                .build();
        client.onStateChange(states::add);
        return client;
    }

    ClientBuilder builder() {
        return SwitchboardClient.builder(server.uri()).token("t0");
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    @Test
    void connectAndPendingSubscribesGoInOneFrame() throws Exception {
        client(builder().name("agent").version("1.2"));
        client.newSubscription("a").subscribe();
        client.newSubscription(
                        "b", SubscriptionOptions.builder().joinLeave(true).build())
                .subscribe();
        client.connect();
        String frame = server.frames.poll(5, TimeUnit.SECONDS);
        String[] lines = frame.split("\n");
        assertThat(lines).hasSize(3);
        JsonNode connect = ServerFixture.parse(lines[0]);
        assertThat(connect.path("id").asInt()).isPositive();
        assertThat(connect.get("connect").toString())
                .isEqualTo("{\"token\":\"t0\",\"name\":\"agent\",\"version\":\"1.2\"}");
        assertThat(List.of(
                        ServerFixture.parse(lines[1]).get("subscribe").toString(),
                        ServerFixture.parse(lines[2]).get("subscribe").toString()))
                .containsExactlyInAnyOrder("{\"channel\":\"a\"}", "{\"channel\":\"b\",\"join_leave\":true}");
    }

    @Test
    void answersServerPingsWithAnEmptyObjectOnlyWhenAskedToPong() throws Exception {
        List<JsonNode> messages = new CopyOnWriteArrayList<>();
        client(builder()).onMessage(messages::add).connect();
        server.acceptConnect("{\"client\":\"c1\",\"ping\":25,\"pong\":true}");
        await().until(() -> client.state() == ClientState.CONNECTED);
        server.send("{}");
        assertThat(server.next(n -> n.size() == 0)).as("pong").isNotNull();

        client.disconnect();
        await().until(() -> client.state() == ClientState.DISCONNECTED);
        client.connect();
        server.acceptConnect("{\"client\":\"c2\",\"ping\":25}");
        await().until(() -> client.state() == ClientState.CONNECTED);
        server.commands.clear();
        server.frames.clear();
        server.send("{}");
        server.send("{\"push\":{\"message\":{\"data\":\"after the ping\"}}}");
        await().until(() -> messages.size() == 1);
        client.rpc("after", "1");
        assertThat(server.next("rpc")).isNotNull();
        assertThat(server.frames).as("frames up to the rpc").hasSize(1).noneMatch(f -> f.equals("{}"));
    }

    @Test
    void silentServerIsDetectedAfterPingIntervalPlusMaxDelayAndReplaced() {
        client(builder().maxServerPingDelay(Duration.ofMillis(300))).connect();
        server.acceptConnect("{\"client\":\"c1\",\"ping\":1,\"pong\":true}");
        long connectedAt = System.nanoTime();
        await().until(() -> client.state() == ClientState.CONNECTED);
        assertThat(server.next("connect"))
                .as("a second connect after the silence")
                .isNotNull();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connectedAt);
        assertThat(ms).isBetween(1_200L, 3_000L);
        assertThat(states).anySatisfy(e -> {
            assertThat(e.state()).isEqualTo(ClientState.CONNECTING);
            assertThat(e.code()).isEqualTo(StateEvent.NO_PING);
        });
        assertThat(server.connections.get()).isEqualTo(2);
    }

    @Test
    void pingsKeepAQuietConnectionAlive() throws Exception {
        client(builder().maxServerPingDelay(Duration.ofMillis(300))).connect();
        server.acceptConnect("{\"client\":\"c1\",\"ping\":1,\"pong\":true}");
        for (int i = 0; i < 5; i++) {
            Thread.sleep(500);
            server.send("{}");
        }
        assertThat(server.connections.get()).isEqualTo(1);
        assertThat(client.state()).isEqualTo(ClientState.CONNECTED);
    }

    @Test
    void tokenExpiredOnConnectAsksTheSupplierAndReconnectsWithTheNewToken() {
        AtomicInteger calls = new AtomicInteger();
        client(builder().tokenSupplier(() -> CompletableFuture.completedFuture("fresh-" + calls.incrementAndGet())))
                .connect();
        JsonNode first = server.next("connect");
        assertThat(first.at("/connect/token").asText()).isEqualTo("t0");
        server.replyError(first, 109, "token expired", false);
        JsonNode second = server.acceptConnect("{\"client\":\"c1\"}");
        assertThat(second.at("/connect/token").asText()).isEqualTo("fresh-1");
        await().until(() -> client.state() == ClientState.CONNECTED);
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void permanentConnectErrorDisconnectsWithTheServersCode() {
        CompletableFuture<Void> connected = client(builder()).connect();
        server.replyError(server.next("connect"), 101, "unauthorized", false);
        assertThat(connected)
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(
                        SwitchboardException.class, e -> assertThat(e.code()).isEqualTo(101));
        assertThat(states).last().isEqualTo(new StateEvent(ClientState.DISCONNECTED, 101, "unauthorized", null));
    }

    @Test
    void insufficientStatePushResubscribesFromTheLastPosition() {
        client(builder());
        Subscription sub = client.newSubscription("feed");
        List<Long> offsets = new CopyOnWriteArrayList<>();
        List<SubscribedEvent> subscribed = new CopyOnWriteArrayList<>();
        sub.onPublication(p -> offsets.add(p.offset())).onSubscribed(subscribed::add);
        sub.subscribe();
        client.connect();
        server.acceptConnect("{\"client\":\"c1\"}");
        JsonNode s1 = server.next("subscribe");
        assertThat(s1.at("/subscribe/recover").isMissingNode()).isTrue();
        server.reply(s1, "subscribe", "{\"recoverable\":true,\"epoch\":\"e1\",\"offset\":5}");
        server.send("{\"push\":{\"channel\":\"feed\",\"pub\":{\"data\":{\"n\":6},\"offset\":6}}}");
        server.send(
                "{\"push\":{\"channel\":\"feed\",\"unsubscribe\":{\"code\":2500,\"reason\":\"insufficient state\"}}}");
        JsonNode s2 = server.next("subscribe");
        assertThat(s2.get("subscribe").toString())
                .isEqualTo("{\"channel\":\"feed\",\"recover\":true,\"offset\":6,\"epoch\":\"e1\"}");
        server.reply(
                s2,
                "subscribe",
                "{\"recoverable\":true,\"epoch\":\"e1\",\"offset\":6,\"was_recovering\":true,"
                        + "\"recovered\":true,\"publications\":[{\"data\":1,\"offset\":7},{\"data\":2,\"offset\":8}]}");
        await().until(() -> offsets.size() == 3);
        assertThat(offsets).containsExactly(6L, 7L, 8L);
        assertThat(subscribed).hasSize(2);
        assertThat(subscribed.get(1).recovered()).isTrue();
        assertThat(subscribed.get(1).recoveredPublications()).isEqualTo(2);
        assertThat(sub.position()).contains(new StreamPosition(8, "e1"));
    }

    @Test
    void unsubscribePushBelow2500EndsTheSubscription() {
        client(builder());
        Subscription sub = client.newSubscription("feed");
        List<SubscriptionStateEvent> events = new CopyOnWriteArrayList<>();
        sub.onStateChange(events::add);
        sub.subscribe();
        client.connect();
        server.acceptConnect("{\"client\":\"c1\"}");
        server.reply(server.next("subscribe"), "subscribe", "{}");
        await().until(() -> sub.state() == SubscriptionState.SUBSCRIBED);
        server.send(
                "{\"push\":{\"channel\":\"feed\",\"unsubscribe\":{\"code\":2000,\"reason\":\"server unsubscribe\"}}}");
        await().until(() -> sub.state() == SubscriptionState.UNSUBSCRIBED);
        assertThat(events)
                .last()
                .isEqualTo(
                        new SubscriptionStateEvent("feed", SubscriptionState.UNSUBSCRIBED, 2000, "server unsubscribe"));
    }

    @Test
    void permanentSubscribeErrorUnsubscribesTemporaryOneRetries() {
        client(builder()).connect();
        server.acceptConnect("{\"client\":\"c1\"}");
        await().until(() -> client.state() == ClientState.CONNECTED);
        CompletableFuture<SubscribedEvent> denied =
                client.newSubscription("secret").subscribe();
        server.replyError(server.next("subscribe"), 103, "permission denied", false);
        assertThat(denied)
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(
                        SwitchboardException.class, e -> assertThat(e.code()).isEqualTo(103));

        CompletableFuture<SubscribedEvent> retried =
                client.newSubscription("busy").subscribe();
        server.replyError(server.next("subscribe"), 100, "internal server error", true);
        server.reply(server.next("subscribe"), "subscribe", "{}");
        assertThat(retried).succeedsWithin(Duration.ofSeconds(5));
    }

    @Test
    void serverErrorsAndTimeoutsReachTheCaller() {
        client(builder().commandTimeout(Duration.ofMillis(300))).connect();
        server.acceptConnect("{\"client\":\"c1\"}");
        await().until(() -> client.state() == ClientState.CONNECTED);
        CompletableFuture<JsonNode> busy = client.rpc("busy", "{}");
        server.replyError(server.next("rpc"), 100, "internal server error", true);
        assertThat(busy)
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(SwitchboardException.class, e -> {
                    assertThat(e.code()).isEqualTo(100);
                    assertThat(e.temporary()).isTrue();
                });
        CompletableFuture<JsonNode> slow = client.rpc("slow", "{}");
        assertThat(slow)
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(
                        SwitchboardException.class, e -> assertThat(e.code()).isEqualTo(SwitchboardException.TIMEOUT));
    }

    @Test
    void callsMadeWhileConnectingAreSentOnceConnected() {
        client(builder()).connect();
        JsonNode connect = server.next("connect");
        CompletableFuture<JsonNode> early = client.rpc("early", "{\"a\":1}");
        server.reply(connect, "connect", "{\"client\":\"c1\"}");
        JsonNode rpc = server.next("rpc");
        assertThat(rpc.get("rpc").toString()).isEqualTo("{\"method\":\"early\",\"data\":{\"a\":1}}");
        server.reply(rpc, "rpc", "{\"data\":{\"ok\":true}}");
        assertThat(early).succeedsWithin(Duration.ofSeconds(5)).hasToString("{\"ok\":true}");
    }

    @Test
    void disconnectPushWithATerminalCodeStopsTheClient() {
        client(builder()).connect();
        server.acceptConnect("{\"client\":\"c1\"}");
        await().until(() -> client.state() == ClientState.CONNECTED);
        server.send("{\"push\":{\"disconnect\":{\"code\":3503,\"reason\":\"force disconnect\"}}}");
        await().until(() -> client.state() == ClientState.DISCONNECTED);
        assertThat(states).last().isEqualTo(new StateEvent(ClientState.DISCONNECTED, 3503, "force disconnect", null));
    }

    @Test
    void malformedServerMessageReconnects() {
        client(builder()).connect();
        server.acceptConnect("{\"client\":\"c1\"}");
        await().until(() -> client.state() == ClientState.CONNECTED);
        server.send("this is not json");
        assertThat(server.acceptConnect("{\"client\":\"c2\"}")).isNotNull();
        await().until(() -> "c2".equals(client.clientId()));
    }

    @Test
    void otherMessagePushesReachTheMessageListener() {
        List<JsonNode> messages = new CopyOnWriteArrayList<>();
        client(builder()).onMessage(messages::add).connect();
        server.acceptConnect("{\"client\":\"c1\"}");
        server.send("{\"push\":{\"message\":{\"data\":{\"hello\":\"world\"}}}}");
        await().until(() -> messages.size() == 1);
        assertThat(messages.get(0)).hasToString("{\"hello\":\"world\"}");
    }

    @Test
    void invocationAnswersAreSendCommandsOfTheDocumentedShape() {
        client(builder())
                .handle(
                        "add",
                        d -> CompletableFuture.completedFuture(java.util.Map.of(
                                "sum", d.get(0).asInt() + d.get(1).asInt())))
                .handle("deny", d -> {
                    throw new SwitchboardException(4403, "not yours");
                })
                .handle("crash", d -> CompletableFuture.failedFuture(new IllegalStateException("tool crashed")))
                .connect();
        server.acceptConnect("{\"client\":\"c1\"}");
        await().until(() -> client.state() == ClientState.CONNECTED);
        server.send(
                "{\"push\":{\"message\":{\"data\":{\"sb_invoke\":{\"id\":\"i-1\",\"method\":\"add\",\"data\":[2,40]}}}}}");
        assertThat(server.next("send"))
                .isEqualTo(ServerFixture.parse(
                        "{\"send\":{\"data\":{\"sb_result\":{\"id\":\"i-1\",\"data\":{\"sum\":42}}}}}"));
        server.send(
                "{\"push\":{\"message\":{\"data\":{\"sb_invoke\":{\"id\":\"i-2\",\"method\":\"deny\",\"data\":null}}}}}");
        assertThat(server.next("send"))
                .isEqualTo(
                        ServerFixture.parse(
                                "{\"send\":{\"data\":{\"sb_result\":{\"id\":\"i-2\",\"error\":{\"code\":4403,\"message\":\"not yours\"}}}}}"));
        server.send(
                "{\"push\":{\"message\":{\"data\":{\"sb_invoke\":{\"id\":\"i-3\",\"method\":\"crash\",\"data\":{}}}}}}");
        assertThat(server.next("send"))
                .isEqualTo(
                        ServerFixture.parse(
                                "{\"send\":{\"data\":{\"sb_result\":{\"id\":\"i-3\",\"error\":{\"code\":500,\"message\":\"tool crashed\"}}}}}"));
        server.send(
                "{\"push\":{\"message\":{\"data\":{\"sb_invoke\":{\"id\":\"i-4\",\"method\":\"nope\",\"data\":{}}}}}}");
        assertThat(server.next("send"))
                .isEqualTo(
                        ServerFixture.parse(
                                "{\"send\":{\"data\":{\"sb_result\":{\"id\":\"i-4\",\"error\":{\"code\":404,\"message\":\"method not found\"}}}}}"));
    }

    @Test
    void invocationAnswerIsDroppedWhenItsConnectionIsGone() {
        CompletableFuture<Void> release = new CompletableFuture<>();
        client(builder())
                .handle("wait", d -> release.thenApply(v -> "late"))
                .handle("now", d -> CompletableFuture.completedFuture("now"))
                .connect();
        server.acceptConnect("{\"client\":\"c1\"}");
        await().until(() -> client.state() == ClientState.CONNECTED);
        server.send("{\"push\":{\"message\":{\"data\":{\"sb_invoke\":{\"id\":\"w-1\",\"method\":\"wait\"}}}}}");
        server.closeClient(3011, "force reconnect");
        server.acceptConnect("{\"client\":\"c2\"}");
        await().until(() -> "c2".equals(client.clientId()));
        // The late answer is decided (sent or dropped) on the client's event loop as release completes;
        // an invocation on the new connection is answered through the same loop after it, so once its
        // answer is here, a late answer that was sent would be here too, and ahead of it.
        release.complete(null);
        server.send("{\"push\":{\"message\":{\"data\":{\"sb_invoke\":{\"id\":\"n-1\",\"method\":\"now\"}}}}}");
        assertThat(server.next("send"))
                .isEqualTo(
                        ServerFixture.parse("{\"send\":{\"data\":{\"sb_result\":{\"id\":\"n-1\",\"data\":\"now\"}}}}"));
        assertThat(server.commands).noneMatch(n -> n.has("send"));
    }
}

package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.protocol.Disconnect;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Subscriptions, recovery and the request/reply commands against a real in-process node. */
class SubscriptionIT {

    ServerFixture fixture;
    final List<SwitchboardClient> clients = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        fixture = ServerFixture.start(b -> b.rpc("echo", req -> CompletableFuture.completedFuture(req.data()))
                .rpc(
                        "whoami",
                        req -> CompletableFuture.completedFuture(
                                ("\"" + req.client().user() + "\"")
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    @AfterEach
    void stop() {
        clients.forEach(SwitchboardClient::close);
        fixture.close();
    }

    SwitchboardClient connected(ClientBuilder b) throws Exception {
        SwitchboardClient c = b.build();
        clients.add(c);
        c.connect().get(5, TimeUnit.SECONDS);
        return c;
    }

    @Test
    void serverPublicationsArriveInOrderWithOffsetsAndData() throws Exception {
        SwitchboardClient c = connected(fixture.client("alice"));
        List<Publication> got = new CopyOnWriteArrayList<>();
        SubscribedEvent ev =
                c.newSubscription("prices").onPublication(got::add).subscribe().get(5, TimeUnit.SECONDS);
        assertThat(ev.recoverable()).isTrue();
        assertThat(ev.wasRecovering()).isFalse();
        for (int i = 1; i <= 50; i++) {
            fixture.publish("prices", "{\"n\":" + i + ",\"price\":10.50}");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 50);
        assertThat(got)
                .extracting(Publication::offset)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
        assertThat(got).allSatisfy(p -> {
            assertThat(p.channel()).isEqualTo("prices");
            assertThat(p.json().get("n").asLong()).isEqualTo(p.offset());
            assertThat(p.info()).isNull();
        });
        assertThat(new String(got.get(0).data(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("{\"n\":1,\"price\":10.50}");
    }

    @Test
    void forcedReconnectRecoversExactlyTheMissedPublicationsInOrder() throws Exception {
        SwitchboardClient c = connected(fixture.client("alice")
                .minReconnectDelay(Duration.ofMillis(700))
                .maxReconnectDelay(Duration.ofMillis(800)));
        List<Long> offsets = new CopyOnWriteArrayList<>();
        List<SubscribedEvent> subscribed = new CopyOnWriteArrayList<>();
        Subscription sub = c.newSubscription("orders")
                .onPublication(p -> offsets.add(p.offset()))
                .onSubscribed(subscribed::add);
        sub.subscribe().get(5, TimeUnit.SECONDS);
        for (int i = 1; i <= 3; i++) {
            fixture.publish("orders", "{\"n\":" + i + "}");
        }
        await().until(() -> offsets.size() == 3);

        CountDownLatch gone = new CountDownLatch(1);
        c.onStateChange(e -> {
            if (e.state() == ClientState.CONNECTING) {
                gone.countDown();
            }
        });
        fixture.server
                .node()
                .disconnect("alice", null, new Disconnect(3011, "force reconnect"))
                .join();
        assertThat(gone.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 4; i <= 8; i++) {
            fixture.publish("orders", "{\"n\":" + i + "}");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> subscribed.size() == 2 && offsets.size() == 8);
        fixture.publish("orders", "{\"n\":9}");
        await().atMost(Duration.ofSeconds(5)).until(() -> offsets.size() == 9);

        assertThat(offsets)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 9).boxed().toList());
        SubscribedEvent again = subscribed.get(1);
        assertThat(again.wasRecovering()).isTrue();
        assertThat(again.recovered()).isTrue();
        assertThat(again.recoveredPublications()).isEqualTo(5);
        assertThat(again.position().offset()).as("the stream top").isEqualTo(8);
        assertThat(sub.position().orElseThrow().offset()).isEqualTo(9);
    }

    @Test
    void disconnectAndConnectAgainAlsoRecovers() throws Exception {
        SwitchboardClient c = connected(fixture.client("alice"));
        List<Long> offsets = new CopyOnWriteArrayList<>();
        Subscription sub = c.newSubscription("jobs-42").onPublication(p -> offsets.add(p.offset()));
        sub.subscribe().get(5, TimeUnit.SECONDS);
        fixture.publish("jobs-42", "{\"progress\":10}");
        await().until(() -> offsets.size() == 1);
        c.disconnect();
        await().until(() -> c.state() == ClientState.DISCONNECTED);
        assertThat(sub.state()).isEqualTo(SubscriptionState.SUBSCRIBING);
        fixture.publish("jobs-42", "{\"progress\":50}");
        fixture.publish("jobs-42", "{\"progress\":90}");
        c.connect().get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> offsets.size() == 3);
        assertThat(offsets).containsExactly(1L, 2L, 3L);
    }

    @Test
    void publishHistoryPresenceAndRpcRoundTrip() throws Exception {
        SwitchboardClient alice = connected(fixture.client("alice"));
        SwitchboardClient bob = connected(fixture.client("bob"));
        List<Publication> bobGot = new CopyOnWriteArrayList<>();
        alice.newSubscription("chat").subscribe().get(5, TimeUnit.SECONDS);
        bob.newSubscription("chat").onPublication(bobGot::add).subscribe().get(5, TimeUnit.SECONDS);

        alice.publish("chat", "{\"text\":\"hi\"}").get(5, TimeUnit.SECONDS);
        alice.publish("chat", ServerFixture.JSON.createObjectNode().put("text", "there"))
                .get(5, TimeUnit.SECONDS);
        await().until(() -> bobGot.size() == 2);
        assertThat(bobGot.get(0).json().get("text").asText()).isEqualTo("hi");
        assertThat(bobGot.get(0).info().user()).isEqualTo("alice");
        assertThat(bobGot.get(0).info().client()).isEqualTo(alice.clientId());

        HistoryResult all = alice.history("chat", -1, null, false).get(5, TimeUnit.SECONDS);
        assertThat(all.publications())
                .extracting(p -> p.json().get("text").asText())
                .containsExactly("hi", "there");
        assertThat(all.position().offset()).isEqualTo(2);
        assertThat(all.position().epoch()).isNotEmpty();
        HistoryResult newest = alice.history("chat", 1, null, true).get(5, TimeUnit.SECONDS);
        assertThat(newest.publications()).extracting(Publication::offset).containsExactly(2L);
        HistoryResult since = alice.history(
                        "chat", 10, new StreamPosition(1, all.position().epoch()), false)
                .get(5, TimeUnit.SECONDS);
        assertThat(since.publications()).extracting(Publication::offset).containsExactly(2L);
        HistoryResult positionOnly = alice.history("chat", 0, null, false).get(5, TimeUnit.SECONDS);
        assertThat(positionOnly.publications()).isEmpty();
        assertThat(positionOnly.position().offset()).isEqualTo(2);

        Map<String, ClientInfo> presence = alice.presence("chat").get(5, TimeUnit.SECONDS);
        assertThat(presence).containsOnlyKeys(alice.clientId(), bob.clientId());
        assertThat(presence.get(bob.clientId()).user()).isEqualTo("bob");
        assertThat(alice.presenceStats("chat").get(5, TimeUnit.SECONDS)).isEqualTo(new PresenceStats(2, 2));

        JsonNode echoed = alice.rpc("echo", "{\"x\":[1,2,{\"y\":null}]}").get(5, TimeUnit.SECONDS);
        assertThat(echoed).hasToString("{\"x\":[1,2,{\"y\":null}]}");
        assertThat(bob.rpc("whoami", (JsonNode) null).get(5, TimeUnit.SECONDS).asText())
                .isEqualTo("bob");
        assertThat(alice.rpc("nope", "{}"))
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(
                        SwitchboardException.class, e -> assertThat(e.code()).isEqualTo(108));
        assertThat(alice.history("unknown:chan", 1, null, false))
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(
                        SwitchboardException.class, e -> assertThat(e.code()).isEqualTo(102));
    }

    @Test
    void joinAndLeaveReachASubscriberThatAskedForThemIncludingItsOwnJoin() throws Exception {
        SwitchboardClient alice = connected(fixture.client("alice"));
        SwitchboardClient bob = connected(fixture.client("bob"));
        List<String> events = new CopyOnWriteArrayList<>();
        alice.newSubscription(
                        "room", SubscriptionOptions.builder().joinLeave(true).build())
                .onJoin(i -> events.add("join " + i.user()))
                .onLeave(i -> events.add("leave " + i.user()))
                .subscribe()
                .get(5, TimeUnit.SECONDS);
        Subscription bobs = bob.newSubscription("room");
        bobs.subscribe().get(5, TimeUnit.SECONDS);
        bobs.unsubscribe();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(events).containsExactly("join alice", "join bob", "leave bob"));
    }

    @Test
    void serverSideUnsubscribeEndsTheSubscriptionAndRefusedSubscribeReportsTheCode() throws Exception {
        SwitchboardClient c = connected(fixture.client("alice"));
        Subscription sub = c.newSubscription("news");
        List<SubscriptionStateEvent> events = new CopyOnWriteArrayList<>();
        sub.onStateChange(events::add).subscribe().get(5, TimeUnit.SECONDS);
        fixture.server.node().unsubscribe("alice", "news", null).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> sub.state() == SubscriptionState.UNSUBSCRIBED);
        assertThat(events).last().satisfies(e -> assertThat(e.code()).isEqualTo(2000));

        assertThat(c.newSubscription("private:vault").subscribe())
                .failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(
                        SwitchboardException.class, e -> assertThat(e.code()).isEqualTo(103));
        assertThat(c.getSubscription("private:vault").orElseThrow().state()).isEqualTo(SubscriptionState.UNSUBSCRIBED);
        assertThat(c.state()).isEqualTo(ClientState.CONNECTED);
    }

    @Test
    void unsubscribeAndSubscribeAgainStartsFresh() throws Exception {
        SwitchboardClient c = connected(fixture.client("alice"));
        List<Long> offsets = new CopyOnWriteArrayList<>();
        Subscription sub = c.newSubscription("ticks").onPublication(p -> offsets.add(p.offset()));
        sub.subscribe().get(5, TimeUnit.SECONDS);
        fixture.publish("ticks", "1");
        await().until(() -> offsets.size() == 1);
        sub.unsubscribe();
        await().until(() -> fixture.server.node().channels("ticks").isEmpty());
        fixture.publish("ticks", "2");
        SubscribedEvent ev = sub.subscribe().get(5, TimeUnit.SECONDS);
        assertThat(ev.wasRecovering()).isFalse();
        assertThat(ev.position().offset()).isEqualTo(2);
        fixture.publish("ticks", "3");
        await().until(() -> offsets.size() == 2);
        assertThat(offsets).containsExactly(1L, 3L);
    }
}

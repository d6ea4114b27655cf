package dev.switchboard.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.core.channel.ChannelRules;
import dev.switchboard.core.engine.Engine;
import dev.switchboard.core.engine.HistoryFilter;
import dev.switchboard.core.engine.contract.ManualClock;
import dev.switchboard.core.engine.memory.MemoryConnectionRegistry;
import dev.switchboard.core.engine.memory.MemoryNodeRegistry;
import dev.switchboard.core.engine.memory.MemoryPresenceManager;
import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.core.protocol.ProtocolError;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientSessionTest {

    static final ChannelOptions HISTORY = ChannelOptions.builder()
            .historySize(100)
            .historyTtl(Duration.ofMinutes(5))
            .forceRecovery(true)
            .presence(true)
            .joinLeave(true)
            .allowSubscribeForClient(true)
            .allowPublishForSubscriber(true)
            .allowPresenceForSubscriber(true)
            .allowHistoryForSubscriber(true)
            .build();

    static ChannelRules rules() {
        return ChannelRules.builder()
                .defaultOptions(HISTORY)
                .namespace("small", HISTORY.toBuilder().historySize(3).build())
                .namespace("private", ChannelOptions.builder().build())
                .namespace(
                        "plain",
                        ChannelOptions.builder().allowSubscribeForClient(true).build())
                .build();
    }

    private final ManualClock clock = new ManualClock();
    private Node node = newNode(NodeOptions.builder().channelRules(rules()).build());

    private static Node newNode(NodeOptions options) {
        return Node.builder()
                .options(options)
                .tokenVerifier(new TestTokens())
                .rpc("echo", req -> CompletableFuture.completedFuture(req.data()))
                .rpc("fail", req -> CompletableFuture.failedFuture(ProtocolError.of(4001, "nope", false)))
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private RecordingTransport connect(String user) {
        RecordingTransport t = new RecordingTransport();
        Client c = node.newClient(t);
        transports.put(t, c);
        c.handleFrame(b("{\"id\":1,\"connect\":{\"token\":\"user:" + user + "\"}}"));
        assertThat(t.reply(1).has("connect")).as("connect reply %s", t.json()).isTrue();
        return t;
    }

    private final java.util.Map<RecordingTransport, Client> transports = new java.util.HashMap<>();

    private void send(RecordingTransport t, String frame) {
        transports.get(t).handleFrame(b(frame));
    }

    private void publish(String ch, int n) {
        for (int i = 0; i < n; i++) {
            node.publish(ch, b("{\"n\":" + i + "}")).join();
        }
    }

    @Test
    void aReplyLargerThanHalfTheQueueIsLimitExceededNotASlowDisconnect() {
        node.close();
        node = newNode(NodeOptions.builder()
                .channelRules(rules())
                .clientQueueMaxBytes(16 * 1024)
                .maxPublicationSize(4 * 1024)
                .build());
        RecordingTransport t = connect("alice");
        send(t, "{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}");
        for (int i = 0; i < 4; i++) {
            node.publish("news", b("\"" + "x".repeat(3000) + "\"")).join();
        }
        send(t, "{\"id\":3,\"history\":{\"channel\":\"news\",\"limit\":2}}");
        assertThat(t.reply(3).at("/history/publications").size()).isEqualTo(2);
        send(t, "{\"id\":4,\"history\":{\"channel\":\"news\",\"limit\":-1}}");
        assertThat(t.reply(4).at("/error/code").asInt()).isEqualTo(106);
        assertThat(t.closed).as("the client stays connected").isNull();
    }

    @Test
    void connectReplyCarriesClientIdPingAndPong() {
        RecordingTransport t = connect("alice");
        JsonNode r = t.reply(1).get("connect");
        assertThat(r.get("client").asText()).isNotEmpty();
        assertThat(r.get("ping").asInt()).isEqualTo(25);
        assertThat(r.get("pong").asBoolean()).isTrue();
    }

    @Test
    void subscriberReceivesPublicationsInOrderWithOffsets() {
        RecordingTransport t = connect("alice");
        send(t, "{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}");
        assertThat(t.reply(2).at("/subscribe/recoverable").asBoolean()).isTrue();
        publish("news", 3);
        assertThat(t.pushes("news", "pub"))
                .extracting(p -> p.get("offset").asLong())
                .containsExactly(1L, 2L, 3L);
    }

    @Test
    void resubscribeRecoversExactlyWhatWasMissed() {
        RecordingTransport t = connect("alice");
        send(t, "{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}");
        publish("news", 2);
        String epoch = t.reply(2).at("/subscribe/epoch").asText();
        send(t, "{\"id\":3,\"unsubscribe\":{\"channel\":\"news\"}}");
        publish("news", 5);
        send(
                t,
                "{\"id\":4,\"subscribe\":{\"channel\":\"news\",\"recover\":true,\"epoch\":\"" + epoch
                        + "\",\"offset\":2}}");
        JsonNode r = t.reply(4).get("subscribe");
        assertThat(r.get("recovered").asBoolean()).isTrue();
        assertThat(r.get("was_recovering").asBoolean()).isTrue();
        assertThat(r.get("publications"))
                .extracting(p -> p.get("offset").asLong())
                .containsExactly(3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void gapLargerThanHistoryIsNotRecoveredAndReturnsNothing() {
        RecordingTransport t = connect("alice");
        String epoch = seenOneThenMissedTen(t);
        send(
                t,
                "{\"id\":4,\"subscribe\":{\"channel\":\"small:x\",\"recover\":true,\"epoch\":\"" + epoch
                        + "\",\"offset\":1}}");
        JsonNode r = t.reply(4).get("subscribe");
        assertThat(r.get("recovered").asBoolean()).isFalse();
        assertThat(r.has("publications")).isFalse();
        assertThat(r.get("offset").asLong()).isEqualTo(11);
    }

    @Test
    void failedRecoveryIsUnrecoverablePositionWhenTheFlagAsksToRejectIt() {
        RecordingTransport t = connect("alice");
        String epoch = seenOneThenMissedTen(t);
        String from1 = "\"recover\":true,\"epoch\":\"" + epoch + "\",\"offset\":1";

        // Bit 1 alone (channel compaction, what centrifuge-js always sends) changes nothing.
        send(t, "{\"id\":4,\"subscribe\":{\"channel\":\"small:x\",\"flag\":1," + from1 + "}}");
        assertThat(t.reply(4).at("/subscribe/recovered").asBoolean()).isFalse();
        send(t, "{\"id\":5,\"unsubscribe\":{\"channel\":\"small:x\"}}");

        // Bit 2 (centrifuge-js getState): refused with 112 and not subscribed.
        send(t, "{\"id\":6,\"subscribe\":{\"channel\":\"small:x\",\"flag\":3," + from1 + "}}");
        assertThat(t.reply(6).get("error").toString())
                .isEqualTo("{\"code\":112,\"message\":\"unrecoverable position\"}");
        assertThat(t.reply(6).has("subscribe")).isFalse();
        publish("small:x", 1); // offset 12: must not reach the refused subscriber
        assertThat(t.pushes("small:x", "pub")).noneMatch(p -> p.path("offset").asLong() == 12);

        // The app reloads its state and resubscribes from the top it read: recovered.
        send(
                t,
                "{\"id\":7,\"subscribe\":{\"channel\":\"small:x\",\"flag\":3,\"recover\":true,\"epoch\":\"" + epoch
                        + "\",\"offset\":12}}");
        assertThat(t.reply(7).at("/subscribe/recovered").asBoolean()).isTrue();
        assertThat(t.closed).isNull();
    }

    /**
     * Subscribes to {@code small:x} (history 3) with ids 2 and 3, sees offset 1, unsubscribes and
     * misses 10 more: a recovery from offset 1 cannot succeed. Returns the stream's epoch.
     */
    private String seenOneThenMissedTen(RecordingTransport t) {
        send(t, "{\"id\":2,\"subscribe\":{\"channel\":\"small:x\"}}");
        publish("small:x", 1);
        String epoch = t.reply(2).at("/subscribe/epoch").asText();
        send(t, "{\"id\":3,\"unsubscribe\":{\"channel\":\"small:x\"}}");
        publish("small:x", 10);
        return epoch;
    }

    @Test
    void publicationsDuringARecoveringSubscribeAreMergedWithoutDuplicateOrHole() {
        // An engine whose subscribe completes later: publications arrive while the client's
        // subscribe is in flight and must be merged with what history returns.
        DelayedSubscribeBroker broker = new DelayedSubscribeBroker();
        node.close();
        node = Node.builder()
                .options(NodeOptions.builder().channelRules(rules()).build())
                .engine(Engine.of(
                        broker, new MemoryPresenceManager(), new MemoryNodeRegistry(), new MemoryConnectionRegistry()))
                .tokenVerifier(new TestTokens())
                .build()
                .start();
        publish("news", 2);
        String epoch = node.history("news", HistoryFilter.POSITION_ONLY)
                .join()
                .position()
                .epoch();
        RecordingTransport t = connect("alice");
        send(
                t,
                "{\"id\":2,\"subscribe\":{\"channel\":\"news\",\"recover\":true,\"epoch\":\"" + epoch
                        + "\",\"offset\":1}}");
        publish("news", 3); // offsets 3..5 arrive live while subscribing
        assertThat(t.json()).noneMatch(n -> n.path("id").asLong() == 2);
        broker.completeSubscribe();
        publish("news", 2); // 6..7 after the reply
        List<Long> seen = new java.util.ArrayList<>();
        t.reply(2)
                .at("/subscribe/publications")
                .forEach(p -> seen.add(p.get("offset").asLong()));
        t.pushes("news", "pub").forEach(p -> seen.add(p.get("offset").asLong()));
        assertThat(t.reply(2).at("/subscribe/recovered").asBoolean()).isTrue();
        assertThat(seen).containsExactly(2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void subscribeAndConnectInOneFrameAreProcessedInOrder() {
        RecordingTransport t = new RecordingTransport();
        Client c = node.newClient(t);
        c.handleFrame(
                b("{\"id\":1,\"connect\":{\"token\":\"user:bob\"}}\n{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}"));
        assertThat(t.reply(1).has("connect")).isTrue();
        assertThat(t.reply(2).has("subscribe")).isTrue();
    }

    @Test
    void commandsBatchedWithAnAsynchronousConnectWaitForItInOrder() {
        CompletableFuture<dev.switchboard.core.hook.ConnectDecision> decision = new CompletableFuture<>();
        node.close();
        node = Node.builder()
                .options(NodeOptions.builder().channelRules(rules()).build())
                .tokenVerifier(new TestTokens())
                .onConnect(req -> decision)
                .build()
                .start();
        RecordingTransport t = new RecordingTransport();
        Client c = node.newClient(t);
        c.handleFrame(
                b("{\"id\":1,\"connect\":{\"token\":\"user:bob\"}}\n{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}"));
        c.handleFrame(b("{\"id\":3,\"presence_stats\":{\"channel\":\"news\"}}"));
        assertThat(t.messages).isEmpty();
        decision.complete(dev.switchboard.core.hook.ConnectDecision.allow());
        assertThat(t.json()).extracting(n -> n.path("id").asLong()).containsExactly(1L, 2L, 3L);
        assertThat(t.reply(2).has("subscribe")).isTrue();
    }

    @Test
    void aRefusedAsynchronousConnectMayBeRetriedOnTheSameConnection() {
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        node.close();
        node = Node.builder()
                .options(NodeOptions.builder().channelRules(rules()).build())
                .tokenVerifier(new TestTokens())
                .onConnect(req -> CompletableFuture.supplyAsync(() -> attempts.incrementAndGet() == 1
                        ? dev.switchboard.core.hook.ConnectDecision.deny(ProtocolError.UNAUTHORIZED)
                        : dev.switchboard.core.hook.ConnectDecision.allowAs("bob", null)))
                .build()
                .start();
        RecordingTransport t = new RecordingTransport();
        Client c = node.newClient(t);
        c.handleFrame(b("{\"id\":1,\"connect\":{}}"));
        c.handleFrame(b("{\"id\":2,\"connect\":{}}"));
        await().atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(t.messages).hasSize(2));
        assertThat(t.reply(1).at("/error/code").asInt()).isEqualTo(101);
        assertThat(t.reply(2).at("/connect/client").asText()).isEqualTo(c.id());
        assertThat(t.closed).isNull();
    }

    @Test
    void unknownNamespaceIsError102AndTokenChannelsNeedAToken() {
        RecordingTransport t = connect("alice");
        send(t, "{\"id\":2,\"subscribe\":{\"channel\":\"nope:x\"}}");
        assertThat(t.reply(2).at("/error/code").asInt()).isEqualTo(102);
        send(t, "{\"id\":3,\"subscribe\":{\"channel\":\"private:x\"}}");
        assertThat(t.reply(3).at("/error/code").asInt()).isEqualTo(103);
        send(t, "{\"id\":4,\"subscribe\":{\"channel\":\"private:x\",\"token\":\"sub:alice:private:x\"}}");
        assertThat(t.reply(4).has("subscribe")).isTrue();
    }

    @Test
    void subscriptionTokenForAnotherUserOrChannelDisconnectsWithInvalidToken() {
        RecordingTransport t = connect("alice");
        send(t, "{\"id\":2,\"subscribe\":{\"channel\":\"private:x\",\"token\":\"sub:mallory:private:x\"}}");
        assertThat(t.closed).isEqualTo(Disconnect.INVALID_TOKEN);
        RecordingTransport other = connect("alice");
        send(other, "{\"id\":2,\"subscribe\":{\"channel\":\"private:x\",\"token\":\"sub:alice:private:y\"}}");
        assertThat(other.closed).isEqualTo(Disconnect.INVALID_TOKEN);
    }

    @Test
    void alreadySubscribedIsError105() {
        RecordingTransport t = connect("alice");
        send(t, "{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}");
        send(t, "{\"id\":3,\"subscribe\":{\"channel\":\"news\"}}");
        assertThat(t.reply(3).at("/error/code").asInt()).isEqualTo(105);
    }

    @Test
    void publishNeedsASubscriptionWhenOnlySubscribersMayPublish() {
        RecordingTransport t = connect("alice");
        send(t, "{\"id\":2,\"publish\":{\"channel\":\"news\",\"data\":{\"a\":1}}}");
        assertThat(t.reply(2).at("/error/code").asInt()).isEqualTo(103);
        send(t, "{\"id\":3,\"subscribe\":{\"channel\":\"news\"}}");
        send(t, "{\"id\":4,\"publish\":{\"channel\":\"news\",\"data\":{\"a\":1}}}");
        assertThat(t.reply(4).has("publish")).isTrue();
        assertThat(t.pushes("news", "pub")).hasSize(1);
        assertThat(t.pushes("news", "pub").get(0).at("/info/user").asText()).isEqualTo("alice");
    }

    @Test
    void presenceHistoryAndJoinLeave() {
        RecordingTransport a = connect("alice");
        send(a, "{\"id\":2,\"subscribe\":{\"channel\":\"room\",\"join_leave\":true}}");
        RecordingTransport b = connect("bob");
        send(b, "{\"id\":2,\"subscribe\":{\"channel\":\"room\"}}");
        assertThat(a.pushes("room", "join"))
                .extracting(j -> j.at("/info/user").asText())
                .contains("bob");
        send(a, "{\"id\":3,\"presence\":{\"channel\":\"room\"}}");
        assertThat(a.reply(3).at("/presence/presence").size()).isEqualTo(2);
        send(a, "{\"id\":4,\"presence_stats\":{\"channel\":\"room\"}}");
        assertThat(a.reply(4).at("/presence_stats/num_users").asInt()).isEqualTo(2);
        publish("room", 4);
        send(a, "{\"id\":5,\"history\":{\"channel\":\"room\",\"limit\":2,\"reverse\":true}}");
        assertThat(a.reply(5).at("/history/publications"))
                .extracting(p -> p.get("offset").asLong())
                .containsExactly(4L, 3L);
        send(b, "{\"id\":3,\"unsubscribe\":{\"channel\":\"room\"}}");
        assertThat(a.pushes("room", "leave"))
                .extracting(j -> j.at("/info/user").asText())
                .contains("bob");
    }

    @Test
    void historyOnAChannelWithoutHistoryIsNotAvailable() {
        RecordingTransport t = connect("alice");
        send(t, "{\"id\":2,\"subscribe\":{\"channel\":\"plain:x\"}}");
        send(t, "{\"id\":3,\"history\":{\"channel\":\"plain:x\"}}");
        assertThat(t.reply(3).at("/error/code").asInt()).isEqualTo(108);
    }

    @Test
    void subscribeAndPublishOfAnotherTypeThanStreamAreRefusedNotTakenAsStream() {
        RecordingTransport t = connect("alice");
        // centrifuge-js sends type 1 (map), 2/3 (map presence), 4 (shared poll): errors as Centrifugo
        // gives for a channel not configured for that type, and no subscription is made.
        send(t, "{\"id\":2,\"subscribe\":{\"channel\":\"news\",\"type\":1,\"phase\":2}}");
        send(t, "{\"id\":3,\"subscribe\":{\"channel\":\"news\",\"type\":3}}");
        send(t, "{\"id\":4,\"subscribe\":{\"channel\":\"news\",\"type\":4}}");
        send(t, "{\"id\":5,\"subscribe\":{\"channel\":\"news\",\"type\":\"map\"}}");
        assertThat(t.reply(2).at("/error/code").asInt()).isEqualTo(107);
        assertThat(t.reply(3).at("/error/code").asInt()).isEqualTo(107);
        assertThat(t.reply(4).at("/error/code").asInt()).isEqualTo(108);
        assertThat(t.reply(5).at("/error/code").asInt()).isEqualTo(107);
        publish("news", 1);
        assertThat(t.pushes("news", "pub")).isEmpty();

        // A map publish would lose its key as a stream publication: refused, nothing published.
        send(t, "{\"id\":6,\"subscribe\":{\"channel\":\"news\",\"type\":0}}");
        assertThat(t.reply(6).has("subscribe")).isTrue();
        send(t, "{\"id\":7,\"publish\":{\"channel\":\"news\",\"type\":1,\"key\":\"k\",\"data\":{\"v\":1}}}");
        send(t, "{\"id\":8,\"publish\":{\"channel\":\"news\",\"type\":7,\"data\":{\"v\":2}}}");
        assertThat(t.reply(7).at("/error/code").asInt()).isEqualTo(108);
        assertThat(t.reply(8).at("/error/code").asInt()).isEqualTo(107);
        send(t, "{\"id\":9,\"publish\":{\"channel\":\"news\",\"data\":{\"v\":3}}}");
        assertThat(t.pushes("news", "pub"))
                .extracting(p -> p.path("data").toString())
                .containsExactly("{\"v\":3}");
        assertThat(t.closed).isNull();
    }

    @Test
    void rpcCallsTheRegisteredHandler() {
        RecordingTransport t = connect("alice");
        send(t, "{\"id\":2,\"rpc\":{\"method\":\"echo\",\"data\":{\"x\":[1,2]}}}");
        assertThat(t.reply(2).at("/rpc/data/x/1").asInt()).isEqualTo(2);
        send(t, "{\"id\":3,\"rpc\":{\"method\":\"missing\"}}");
        // Centrifugo answers an rpc without a handler with 108 not available, not 104.
        assertThat(t.reply(3).at("/error").toString()).isEqualTo("{\"code\":108,\"message\":\"not available\"}");
        send(t, "{\"id\":4,\"rpc\":{\"method\":\"fail\"}}");
        assertThat(t.reply(4).at("/error/code").asInt()).isEqualTo(4001);
        assertThat(t.reply(4).at("/error/message").asText()).isEqualTo("nope");
    }

    @Test
    void badInputClosesOnlyThatClientWithItsCode() {
        RecordingTransport good = connect("alice");
        send(good, "{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}");

        RecordingTransport malformed = connect("m");
        send(malformed, "{not json");
        assertThat(malformed.closed).isEqualTo(Disconnect.BAD_REQUEST);

        RecordingTransport noId = connect("n");
        send(noId, "{\"subscribe\":{\"channel\":\"news\"}}");
        assertThat(noId.closed).isEqualTo(Disconnect.BAD_REQUEST);

        RecordingTransport unknown = connect("u");
        send(unknown, "{\"id\":5,\"teleport\":{}}");
        assertThat(unknown.reply(5).at("/error/code").asInt()).isEqualTo(104);
        assertThat(unknown.closed).isNull();

        RecordingTransport beforeConnect = new RecordingTransport();
        Client c = node.newClient(beforeConnect);
        c.handleFrame(b("{\"id\":1,\"subscribe\":{\"channel\":\"news\"}}"));
        assertThat(beforeConnect.closed).isEqualTo(Disconnect.BAD_REQUEST);

        publish("news", 1);
        assertThat(good.pushes("news", "pub")).hasSize(1);
        assertThat(good.closed).isNull();
    }

    @Test
    void invalidTokenDisconnectsAndExpiredTokenIsError109() {
        RecordingTransport invalid = new RecordingTransport();
        node.newClient(invalid).handleFrame(b("{\"id\":1,\"connect\":{\"token\":\"garbage\"}}"));
        assertThat(invalid.closed).isEqualTo(Disconnect.INVALID_TOKEN);

        RecordingTransport expired = new RecordingTransport();
        node.newClient(expired).handleFrame(b("{\"id\":1,\"connect\":{\"token\":\"user:a:exp=1000\"}}"));
        assertThat(expired.reply(1).at("/error/code").asInt()).isEqualTo(109);
        assertThat(expired.closed).isNull();
    }

    @Test
    void noTokenWithoutAnonymousAccessIsUnauthorized() {
        RecordingTransport t = new RecordingTransport();
        node.newClient(t).handleFrame(b("{\"id\":1,\"connect\":{}}"));
        assertThat(t.reply(1).at("/error/code").asInt()).isEqualTo(101);
        assertThat(t.closed).isEqualTo(Disconnect.PERMISSION_DENIED);
    }

    @Test
    void commandFloodDisconnectsWithTooManyRequests() {
        node.close();
        node = newNode(NodeOptions.builder()
                .channelRules(rules())
                .commandRateLimit(10)
                .commandBurst(20)
                .build());
        RecordingTransport t = connect("alice");
        StringBuilder flood = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            flood.append("{\"id\":").append(i + 2).append(",\"presence_stats\":{\"channel\":\"news\"}}\n");
        }
        send(t, flood.toString());
        assertThat(t.closed).isEqualTo(Disconnect.TOO_MANY_REQUESTS);
    }

    /** Replaces the node with one on the hand-moved clock. */
    private void useManualClock(NodeOptions.Builder options) {
        node.close();
        node = Node.builder()
                .options(options.channelRules(rules()).build())
                .tokenVerifier(new TestTokens(clock))
                .clock(clock)
                .build()
                .start();
    }

    /** Moves the clock and runs the node's tick on its own timer thread, so it never races the periodic one. */
    private void advance(Duration d) throws Exception {
        clock.advance(d);
        node.scheduler().submit(node::tick).get();
    }

    private static long pings(RecordingTransport t) {
        return t.messages.stream()
                .filter(m -> new String(m, StandardCharsets.UTF_8).equals("{}"))
                .count();
    }

    @Test
    void clientThatNeverPongsIsDisconnectedWithNoPongJustAfterThePongTimeout() throws Exception {
        useManualClock(
                NodeOptions.builder().pingInterval(Duration.ofSeconds(25)).pongTimeout(Duration.ofSeconds(10)));
        RecordingTransport silent = connect("alice");
        RecordingTransport answering = connect("bob");

        advance(Duration.ofSeconds(25).minusMillis(1));
        assertThat(pings(silent)).as("no ping before the interval").isZero();
        advance(Duration.ofMillis(1));
        assertThat(pings(silent)).isEqualTo(1);
        assertThat(pings(answering)).isEqualTo(1);
        send(answering, "{}");

        advance(Duration.ofSeconds(10));
        assertThat(silent.closed)
                .as("the pong deadline itself is still in time")
                .isNull();
        advance(Duration.ofMillis(1));
        assertThat(silent.closed).isEqualTo(Disconnect.NO_PONG);
        assertThat(answering.closed).isNull();
    }

    @Test
    void aClientThatAnswersEveryPingIsPingedEachIntervalAndStays() throws Exception {
        useManualClock(
                NodeOptions.builder().pingInterval(Duration.ofSeconds(25)).pongTimeout(Duration.ofSeconds(10)));
        RecordingTransport t = connect("alice");
        for (int i = 1; i <= 4; i++) {
            advance(Duration.ofSeconds(25));
            assertThat(pings(t)).isEqualTo(i);
            send(t, "{}");
        }
        assertThat(t.closed).isNull();
    }

    @Test
    void aConnectionThatNeverSendsConnectIsClosedStaleJustAfterTheConnectTimeout() throws Exception {
        useManualClock(NodeOptions.builder().connectTimeout(Duration.ofSeconds(10)));
        RecordingTransport idle = new RecordingTransport();
        node.newClient(idle);

        advance(Duration.ofSeconds(10));
        assertThat(idle.closed).isNull();
        advance(Duration.ofMillis(1));
        assertThat(idle.closed).isEqualTo(Disconnect.STALE);
    }

    @Test
    void aConnectionIsClosedExpiredOnceItsTokenExpiryPlusTheGraceHasPassed() throws Exception {
        useManualClock(NodeOptions.builder()
                .clientExpiredCloseDelay(Duration.ofSeconds(5))
                .pingInterval(Duration.ofHours(1)));
        long exp = clock.millis() / 1000 + 60;
        RecordingTransport t = new RecordingTransport();
        Client c = node.newClient(t);
        transports.put(t, c);
        send(t, "{\"id\":1,\"connect\":{\"token\":\"user:alice:exp=" + exp + "\"}}");
        assertThat(t.reply(1).at("/connect/expires").asBoolean())
                .as("connect reply %s", t.json())
                .isTrue();

        advance(Duration.ofSeconds(65));
        assertThat(t.closed).as("expiry plus grace is still in time").isNull();
        advance(Duration.ofMillis(1));
        assertThat(t.closed).isEqualTo(Disconnect.EXPIRED);
    }

    @Test
    void serverSideChannelsAreSubscribedOnConnect() {
        node.close();
        node = newNode(NodeOptions.builder()
                .channelRules(rules())
                .serverSideChannels(List.of("alerts"))
                .build());
        RecordingTransport t = connect("alice");
        assertThat(t.reply(1).at("/connect/subs").has("alerts")).isTrue();
        publish("alerts", 1);
        assertThat(t.pushes("alerts", "pub")).hasSize(1);
    }

    @Test
    void apiDisconnectAndUnsubscribeReachTheUsersConnections() {
        RecordingTransport t = connect("alice");
        send(t, "{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}");
        node.unsubscribe("alice", "news", null).join();
        assertThat(t.pushes("news", "unsubscribe"))
                .extracting(u -> u.get("code").asInt())
                .containsExactly(2000);
        node.disconnect("alice", null, new Disconnect(4500, "bye")).join();
        assertThat(t.closed).isEqualTo(new Disconnect(4500, "bye"));
        assertThat(node.info().numClients()).isZero();
    }
}

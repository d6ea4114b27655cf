package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.auth.ConnectToken;
import dev.switchboard.core.auth.SubscriptionToken;
import dev.switchboard.core.auth.TokenException;
import dev.switchboard.core.auth.TokenVerifier;
import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.core.channel.ChannelRules;
import dev.switchboard.core.channel.RecoveryMode;
import dev.switchboard.core.node.Client;
import dev.switchboard.core.node.Node;
import dev.switchboard.core.node.NodeOptions;
import dev.switchboard.core.node.Transport;
import dev.switchboard.core.protocol.Disconnect;
import dev.switchboard.redis.testing.RedisServerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cache recovery mode ({@code force_recovery_mode: cache}) on a node with the memory engine and on
 * one with the Redis engine (a real redis-server): a subscriber gets the channel's latest
 * publication as its state.
 */
class CacheRecoveryIT {

    @RegisterExtension
    static RedisServerExtension redis = RedisServerExtension.create();

    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final ChannelOptions CACHE = ChannelOptions.builder()
            .historySize(10)
            .historyTtl(Duration.ofMinutes(5))
            .forceRecovery(true)
            .recoveryMode(RecoveryMode.CACHE)
            .allowSubscribeForClient(true)
            .build();

    private Node node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private void start(String engine) {
        ChannelRules rules = ChannelRules.builder()
                .namespace("cache", CACHE)
                .namespace("auto", CACHE.toBuilder().autoCacheRecover(true).build())
                .build();
        var b = Node.builder()
                .options(NodeOptions.builder().channelRules(rules).build())
                .tokenVerifier(new UserTokens());
        if (engine.equals("redis")) {
            b.engine(RedisEngine.connect(
                    RedisEngineOptions.builder(redis.url())
                            .prefix("cache" + PREFIXES.incrementAndGet())
                            .build(),
                    "n1"));
        }
        node = b.build().start();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void aClientThatSubscribesAfterThreePublicationsGetsTheThirdAsItsState(String engine) {
        Conn c = startWithThreeThenConnect(engine, "cache:now");
        JsonNode r = c.reply(2).get("subscribe");
        assertThat(r.get("recovered").asBoolean()).isTrue();
        assertThat(r.get("was_recovering").asBoolean()).isTrue();
        assertThat(r.get("offset").asLong()).isEqualTo(3);
        assertThat(r.get("publications")).hasSize(1);
        assertThat(r.at("/publications/0/offset").asLong()).isEqualTo(3);
        assertThat(r.at("/publications/0/data/n").asInt()).isEqualTo(2);

        // Live publications follow the state in order.
        publish("cache:now", 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> c.pushes().size() == 1);
        assertThat(c.pushes().get(0).at("/push/pub/offset").asLong()).isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void aClientHoldingTheTopGetsNothingAndOneBehindGetsOnlyTheLatest(String engine) {
        Conn c = startWithThreeThenConnect(engine, "cache:s");
        String epoch = c.reply(2).at("/subscribe/epoch").asText();
        c.send("{\"id\":3,\"unsubscribe\":{\"channel\":\"cache:s\"}}");
        c.reply(3);

        c.send("{\"id\":4,\"subscribe\":{\"channel\":\"cache:s\",\"recover\":true,\"epoch\":\"" + epoch
                + "\",\"offset\":3}}");
        JsonNode same = c.reply(4).get("subscribe");
        assertThat(same.get("recovered").asBoolean()).isTrue();
        assertThat(same.has("publications")).as("already holds the state").isFalse();
        c.send("{\"id\":5,\"unsubscribe\":{\"channel\":\"cache:s\"}}");
        c.reply(5);

        publish("cache:s", 4);
        c.send("{\"id\":6,\"subscribe\":{\"channel\":\"cache:s\",\"recover\":true,\"epoch\":\"" + epoch
                + "\",\"offset\":3}}");
        JsonNode behind = c.reply(6).get("subscribe");
        assertThat(behind.get("recovered").asBoolean()).isTrue();
        assertThat(behind.get("publications"))
                .as("cache mode skips the intermediate publications")
                .extracting(p -> p.get("offset").asLong())
                .containsExactly(7L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void emptyHistoryIsNotRecoveredAndWithoutRecoverNothingIsSent(String engine) {
        start(engine);
        Conn c = connect("carol");
        c.send("{\"id\":2,\"subscribe\":{\"channel\":\"cache:empty\",\"recover\":true}}");
        JsonNode empty = c.reply(2).get("subscribe");
        assertThat(empty.get("was_recovering").asBoolean()).isTrue();
        assertThat(empty.get("recovered").asBoolean()).isFalse();
        assertThat(empty.has("publications")).isFalse();

        publish("cache:plain", 3);
        c.send("{\"id\":3,\"subscribe\":{\"channel\":\"cache:plain\"}}");
        JsonNode plain = c.reply(3).get("subscribe");
        assertThat(plain.has("was_recovering"))
                .as("no recovery asked, none made")
                .isFalse();
        assertThat(plain.has("publications")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void autoCacheRecoverGivesTheStateWithoutAskingAlsoToServerSideSubscriptions(String engine) {
        start(engine);
        publish("auto:a", 3);
        publish("auto:b", 2);
        // The token's channels claim subscribes auto:b server side; the client never asks to recover.
        Conn c = connect("dave,auto:b");
        JsonNode serverSide = c.reply(1).at("/connect/subs/auto:b");
        assertThat(serverSide.get("recovered").asBoolean()).isTrue();
        assertThat(serverSide.at("/publications/0/offset").asLong()).isEqualTo(2);

        c.send("{\"id\":2,\"subscribe\":{\"channel\":\"auto:a\"}}");
        JsonNode r = c.reply(2).get("subscribe");
        assertThat(r.get("was_recovering").asBoolean()).isTrue();
        assertThat(r.get("recovered").asBoolean()).isTrue();
        assertThat(r.get("publications"))
                .extracting(p -> p.get("offset").asLong())
                .containsExactly(3L);
    }

    /** Starts a node, publishes 3 times to {@code channel}, then subscribes a client (command 2) with {@code recover}. */
    private Conn startWithThreeThenConnect(String engine, String channel) {
        start(engine);
        publish(channel, 3);
        Conn c = connect("alice");
        c.send("{\"id\":2,\"subscribe\":{\"channel\":\"" + channel + "\",\"recover\":true}}");
        return c;
    }

    private void publish(String channel, int n) {
        for (int i = 0; i < n; i++) {
            node.publish(channel, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8))
                    .join();
        }
    }

    private Conn connect(String token) {
        Conn c = new Conn();
        c.client = node.newClient(c);
        c.send("{\"id\":1,\"connect\":{\"token\":\"" + token + "\"}}");
        assertThat(c.reply(1).has("connect")).as("connect reply %s", c.messages).isTrue();
        return c;
    }

    /** A transport that keeps every message the node wrote. */
    private static final class Conn implements Transport {
        final List<JsonNode> messages = new CopyOnWriteArrayList<>();
        Client client;

        void send(String frame) {
            client.handleFrame(frame.getBytes(StandardCharsets.UTF_8));
        }

        JsonNode reply(long id) {
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> messages.stream().anyMatch(m -> m.path("id").asLong() == id));
            return messages.stream()
                    .filter(m -> m.path("id").asLong() == id)
                    .findFirst()
                    .orElseThrow();
        }

        List<JsonNode> pushes() {
            List<JsonNode> out = new ArrayList<>();
            messages.stream().filter(m -> m.has("push")).forEach(out::add);
            return out;
        }

        @Override
        public String name() {
            return "test";
        }

        @Override
        public void write(byte[] message) {
            try {
                messages.add(JSON.readTree(message));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close(Disconnect disconnect) {}
    }

    /** Tokens are {@code user} or {@code user,channel,...} (the channels claim). */
    private static final class UserTokens implements TokenVerifier {
        @Override
        public ConnectToken verifyConnectToken(String token) {
            String[] p = token.split(",");
            return new ConnectToken(p[0], 0, null, List.of(p).subList(1, p.length), null);
        }

        @Override
        public SubscriptionToken verifySubscriptionToken(String token) throws TokenException {
            throw new TokenException(TokenException.Reason.INVALID, "no subscription tokens here");
        }
    }
}

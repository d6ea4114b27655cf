package dev.switchboard.core.node;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.core.channel.ChannelRules;
import dev.switchboard.core.protocol.FossilDelta;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fossil deltas for subscribers that ask for them, on the memory engine. */
class DeltaDeliveryTest {

    private static final ChannelOptions DOC = ChannelOptions.builder()
            .historySize(100)
            .historyTtl(Duration.ofMinutes(5))
            .forceRecovery(true)
            .allowSubscribeForClient(true)
            .allowedDeltaTypes(List.of(ChannelOptions.DELTA_FOSSIL))
            .build();

    private final Node node = Node.builder()
            .options(NodeOptions.builder()
                    .channelRules(ChannelRules.builder()
                            .defaultOptions(
                                    DOC.toBuilder().allowedDeltaTypes(List.of()).build())
                            .namespace("doc", DOC)
                            .build())
                    .build())
            .tokenVerifier(new TestTokens())
            .build()
            .start();

    @AfterEach
    void stop() {
        node.close();
    }

    /** A 4 KiB JSON document whose version and one field change each time. */
    static String document(int version) {
        StringBuilder sb = new StringBuilder("{\"version\":").append(version).append(",\"rows\":[");
        for (int i = 0; i < 60; i++) {
            sb.append(i == 0 ? "" : ",")
                    .append("{\"id\":")
                    .append(i)
                    .append(",\"name\":\"row number ")
                    .append(i)
                    .append("\",\"value\":")
                    .append(i == version % 60 ? version * 7 : i)
                    .append('}');
        }
        return sb.append("]}").toString();
    }

    private RecordingTransport subscribe(String user, String subscribe) {
        RecordingTransport t = new RecordingTransport();
        Client c = node.newClient(t);
        c.handleFrame(
                ("{\"id\":1,\"connect\":{\"token\":\"user:" + user + "\"}}\n{\"id\":2,\"subscribe\":" + subscribe + "}")
                        .getBytes(UTF_8));
        await().atMost(Duration.ofSeconds(2))
                .until(() -> t.json().stream().anyMatch(n -> n.path("id").asInt() == 2));
        return t;
    }

    private void publish(String channel, int from, int to) {
        for (int v = from; v <= to; v++) {
            node.publish(channel, document(v).getBytes(UTF_8)).join();
        }
    }

    /** Applies a delta subscription's payloads in order, as an SDK does. */
    private static List<String> decode(List<JsonNode> pubs) {
        List<String> out = new ArrayList<>();
        byte[] base = null;
        for (JsonNode p : pubs) {
            assertThat(p.get("data").isTextual())
                    .as("a delta subscription's data is a string: %s", p)
                    .isTrue();
            byte[] payload = p.get("data").asText().getBytes(UTF_8);
            base = p.path("delta").asBoolean() ? FossilDelta.apply(base, payload) : payload;
            out.add(new String(base, UTF_8));
        }
        return out;
    }

    @Test
    void aDeltaSubscriberGetsTheFirstPublicationWholeThenDeltasThatRebuildEveryDocument() {
        RecordingTransport t = subscribe("ann", "{\"channel\":\"doc:1\",\"delta\":\"fossil\"}");
        assertThat(t.reply(2).at("/subscribe/delta").asBoolean()).isTrue();
        publish("doc:1", 1, 20);
        await().atMost(Duration.ofSeconds(2))
                .until(() -> t.pushes("doc:1", "pub").size() == 20);
        List<JsonNode> pubs = t.pushes("doc:1", "pub");
        assertThat(pubs.get(0).has("delta")).isFalse();
        assertThat(pubs.subList(1, 20)).allMatch(p -> p.path("delta").asBoolean());
        List<String> expected = new ArrayList<>();
        for (int v = 1; v <= 20; v++) {
            expected.add(document(v));
        }
        assertThat(decode(pubs)).isEqualTo(expected);
        int wire = pubs.stream().mapToInt(p -> p.get("data").asText().length()).sum();
        int whole = expected.stream().mapToInt(String::length).sum();
        assertThat(wire).as("bytes on the wire vs whole").isLessThan(whole / 5);
    }

    @Test
    void aSubscriberWithoutDeltasOnTheSameChannelGetsPlainJson() {
        RecordingTransport delta = subscribe("ann", "{\"channel\":\"doc:2\",\"delta\":\"fossil\"}");
        RecordingTransport plain = subscribe("bob", "{\"channel\":\"doc:2\"}");
        assertThat(plain.reply(2).at("/subscribe").has("delta")).isFalse();
        publish("doc:2", 1, 3);
        await().atMost(Duration.ofSeconds(2))
                .until(() -> plain.pushes("doc:2", "pub").size() == 3);
        await().atMost(Duration.ofSeconds(2))
                .until(() -> delta.pushes("doc:2", "pub").size() == 3);
        assertThat(plain.pushes("doc:2", "pub")).allMatch(p -> p.get("data").isObject() && !p.has("delta"));
        assertThat(plain.pushes("doc:2", "pub").get(2).at("/data/version").asInt())
                .isEqualTo(3);
    }

    @Test
    void recoveredPublicationsComeAsADeltaChainAndLiveDeltasFollowOnIt() {
        publish("doc:3", 1, 2);
        RecordingTransport first = subscribe("ann", "{\"channel\":\"doc:3\",\"delta\":\"fossil\"}");
        String epoch = first.reply(2).at("/subscribe/epoch").asText();
        publish("doc:3", 3, 6);
        RecordingTransport t = subscribe(
                "ann",
                "{\"channel\":\"doc:3\",\"delta\":\"fossil\",\"recover\":true,\"epoch\":\"" + epoch
                        + "\",\"offset\":2}");
        JsonNode result = t.reply(2).get("subscribe");
        assertThat(result.get("recovered").asBoolean()).isTrue();
        List<JsonNode> pubs = new ArrayList<>();
        result.get("publications").forEach(pubs::add);
        assertThat(pubs).hasSize(4);
        publish("doc:3", 7, 8);
        await().atMost(Duration.ofSeconds(2))
                .until(() -> t.pushes("doc:3", "pub").size() == 2);
        pubs.addAll(t.pushes("doc:3", "pub"));
        assertThat(pubs.get(1).path("delta").asBoolean()).isTrue();
        assertThat(pubs.get(4).path("delta").asBoolean())
                .as("the first live one is a delta of the last recovered")
                .isTrue();
        List<String> expected = new ArrayList<>();
        for (int v = 3; v <= 8; v++) {
            expected.add(document(v));
        }
        assertThat(decode(pubs)).isEqualTo(expected);
    }

    @Test
    void anUnknownDeltaTypeIsABadRequestAndAChannelWithoutDeltasIgnoresTheAsk() {
        RecordingTransport unknown = subscribe("ann", "{\"channel\":\"doc:4\",\"delta\":\"xdelta\"}");
        assertThat(unknown.reply(2).at("/error/code").asInt()).isEqualTo(107);
        RecordingTransport notAllowed = subscribe("bob", "{\"channel\":\"plain\",\"delta\":\"fossil\"}");
        assertThat(notAllowed.reply(2).at("/subscribe").has("delta")).isFalse();
        publish("plain", 1, 2);
        await().atMost(Duration.ofSeconds(2))
                .until(() -> notAllowed.pushes("plain", "pub").size() == 2);
        assertThat(notAllowed.pushes("plain", "pub"))
                .allMatch(p -> p.get("data").isObject());
    }
}

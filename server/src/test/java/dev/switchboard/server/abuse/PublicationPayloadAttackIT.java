package dev.switchboard.server.abuse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.server.testing.ApiClient;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rows 5 and 6: what the node stores it must be able to deliver, so size and UTF-8 are checked at
 * the door. A publish whose {@code data} is not valid UTF-8, or is larger than
 * {@code channel.max_publication_size} (64 KiB by default), is refused with HTTP 400 and error
 * 107; subscribers see nothing of it and stay connected; the next publication takes the next offset.
 */
class PublicationPayloadAttackIT {

    @RegisterExtension
    static final HostileNodeExtension NODE = new HostileNodeExtension();

    private static byte[] publishBody(String channel, byte[] badString) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("{\"channel\":\"" + channel + "\",\"data\":{\"text\":\"x").getBytes(StandardCharsets.UTF_8));
        b.writeBytes(badString);
        b.writeBytes("y\"}}".getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }

    private static WsTestClient subscriber(HostileNode node, String channel) {
        WsTestClient c = WsTestClient.open(node.wsUrl());
        c.connect(TestServers.token("victim"));
        c.send("{\"id\":2,\"subscribe\":{\"channel\":\"" + channel + "\"}}");
        c.reply(2);
        return c;
    }

    private static int errorCode(RawHttp.Response r) {
        try {
            JsonNode n = ProtocolCodec.mapper().readTree(r.body());
            return n.at("/error/code").asInt(-1);
        } catch (Exception e) {
            return -1;
        }
    }

    /** The next publication the subscriber gets must be the valid one, with the offset after {@code offset}. */
    private static void nextPublicationIs(SoftAssertions s, WsTestClient victim, String channel, int n, long offset) {
        if (!victim.isOpen()) {
            s.fail("the subscriber of " + channel + " was disconnected (" + victim.closeReason() + ")");
            return;
        }
        try {
            JsonNode pub = victim.push(channel, "pub");
            s.assertThat(pub.at("/data/n").asInt(-1))
                    .as("the next publication on %s is the valid one: %s", channel, pub)
                    .isEqualTo(n);
            s.assertThat(pub.path("offset").asLong())
                    .as("its offset follows the last valid one")
                    .isEqualTo(offset + 1);
        } catch (AssertionError e) {
            s.fail("no valid publication reached the subscriber of " + channel + " after the refused one: "
                    + e.getMessage() + "; open=" + victim.isOpen() + " " + victim.closeReason());
        }
    }

    /**
     * Publishes a valid publication, then each refused body (must answer 400 with error 107), then
     * another valid one, which must be the next publication the subscriber sees, at the next offset.
     */
    private void refusedAtTheDoor(String row, String channel, Map<String, byte[]> refused) {
        HostileNode node = NODE.node();
        ApiClient api = new ApiClient(node.apiUrl(), TestServers.API_KEY);
        try (AttackWatch watch = AttackWatch.start(node, row);
                WsTestClient victim = subscriber(node, channel)) {
            long offset = api.publish(channel, "{\"n\":1}").path("offset").asLong();
            SoftAssertions s = new SoftAssertions();
            s.assertThat(victim.push(channel, "pub").at("/data/n").asInt()).isEqualTo(1);
            refused.forEach((label, body) -> {
                RawHttp.Response r = RawHttp.api(node, "publish", body, Duration.ofSeconds(10), 1 << 20);
                AttackWatch.report("ATTACK " + row + " " + label + " -> " + r);
                s.assertThat(r.status()).as("publish with %s: %s", label, r).isEqualTo(400);
                s.assertThat(errorCode(r))
                        .as("error code of a publish with %s: %s", label, r)
                        .isEqualTo(107);
            });
            api.publish(channel, "{\"n\":2}");
            nextPublicationIs(s, victim, channel, 2, offset);
            watch.assertUnaffected(s);
            s.assertAll();
        }
    }

    @Test
    void publicationsThatAreNotValidUtf8AreRefusedAtTheDoor() {
        byte[] overlong = {(byte) 0xc0, (byte) 0xaf};
        byte[] cesuSurrogate = {(byte) 0xed, (byte) 0xa0, (byte) 0x80};
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("overlong " + hex(overlong) + " in data", publishBody("utf8", overlong));
        bodies.put("CESU-8 surrogate " + hex(cesuSurrogate) + " in data", publishBody("utf8", cesuSurrogate));
        refusedAtTheDoor("row5-invalid-utf8", "utf8", bodies);
    }

    @Test
    void publicationOverTheSizeLimitIsRefusedAndSubscribersStayConnected() {
        String huge = "{\"channel\":\"bulky\",\"data\":\"" + "x".repeat(1_500_000) + "\"}";
        refusedAtTheDoor(
                "row6-oversized-publication", "bulky", Map.of("1.5 MB of data", huge.getBytes(StandardCharsets.UTF_8)));
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("\\x%02x", x));
        }
        return sb.toString();
    }
}

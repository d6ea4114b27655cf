package dev.switchboard.server.abuse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.server.testing.ApiClient;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
            s.assertThat(pub.at("/data/n").asInt(-1)).as("the next publication on %s is the valid one: %s", channel, pub)
                .isEqualTo(n);
            s.assertThat(pub.path("offset").asLong()).as("its offset follows the last valid one").isEqualTo(offset + 1);
        } catch (AssertionError e) {
            s.fail("no valid publication reached the subscriber of " + channel + " after the refused one: " + e.getMessage()
                + "; open=" + victim.isOpen() + " " + victim.closeReason());
        }
    }

    @Test
    void publicationsThatAreNotValidUtf8AreRefusedAtTheDoor() {
        HostileNode node = NODE.node();
        ApiClient api = new ApiClient(node.apiUrl(), TestServers.API_KEY);
        try (AttackWatch watch = AttackWatch.start(node, "row5-invalid-utf8");
             WsTestClient victim = subscriber(node, "utf8")) {
            long offset = api.publish("utf8", "{\"n\":1}").path("offset").asLong();
            JsonNode first = victim.push("utf8", "pub");
            SoftAssertions s = new SoftAssertions();
            s.assertThat(first.at("/data/n").asInt()).isEqualTo(1);
            byte[][] bad = {
                {(byte) 0xc0, (byte) 0xaf},             // overlong '/'
                {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // CESU-8 surrogate half
            };
            for (byte[] b : bad) {
                RawHttp.Response r = RawHttp.api(node, "publish", publishBody("utf8", b), Duration.ofSeconds(5), 1 << 20);
                AttackWatch.report("ATTACK row5-invalid-utf8 bytes=" + hex(b) + " -> " + r);
                s.assertThat(r.status()).as("publish with %s in data: %s", hex(b), r).isEqualTo(400);
                s.assertThat(errorCode(r)).as("error code for %s in data: %s", hex(b), r).isEqualTo(107);
            }
            api.publish("utf8", "{\"n\":2}");
            nextPublicationIs(s, victim, "utf8", 2, offset);
            watch.assertUnaffected(s);
            s.assertAll();
        }
    }

    @Test
    void publicationOverTheSizeLimitIsRefusedAndSubscribersStayConnected() {
        HostileNode node = NODE.node();
        ApiClient api = new ApiClient(node.apiUrl(), TestServers.API_KEY);
        try (AttackWatch watch = AttackWatch.start(node, "row6-oversized-publication");
             WsTestClient victim = subscriber(node, "bulky")) {
            long offset = api.publish("bulky", "{\"n\":1}").path("offset").asLong();
            victim.push("bulky", "pub");
            String huge = "{\"channel\":\"bulky\",\"data\":\"" + "x".repeat(1_500_000) + "\"}";
            RawHttp.Response r = RawHttp.api(node, "publish", huge, Duration.ofSeconds(10));
            AttackWatch.report("ATTACK row6-oversized-publication -> " + r);
            SoftAssertions s = new SoftAssertions();
            s.assertThat(r.status()).as("publish of 1.5 MB: %s", r).isEqualTo(400);
            s.assertThat(errorCode(r)).as("error code of a 1.5 MB publish: %s", r).isEqualTo(107);
            api.publish("bulky", "{\"n\":2}");
            nextPublicationIs(s, victim, "bulky", 2, offset);
            watch.assertUnaffected(s);
            s.assertAll();
        }
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("\\x%02x", x));
        }
        return sb.toString();
    }
}

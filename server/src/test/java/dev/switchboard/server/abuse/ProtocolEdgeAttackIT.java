package dev.switchboard.server.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.ApiClient;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rows 9–11 (a fragmented message over the size limit closes with 1009; a token whose
 * {@code exp} is 1e300 never connects; a non-integer, out-of-range id or a duplicated method key
 * closes with 3501) and the protections that already held: tokens with {@code alg: none} or an
 * algorithm the node is not configured for, channel rules, and a slow subscriber cut with 3008.
 */
class ProtocolEdgeAttackIT {

    @RegisterExtension
    static final HostileNodeExtension NODE = new HostileNodeExtension(
            String.join("\n", "client:", "  max_message_size: 65536", ""), HostileNodeExtension.HTTP_TIMEOUTS);

    static final Duration WAIT = Duration.ofSeconds(5);

    private static String b64(String s) {
        return b64(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** A JWT with exactly these header and claims bytes, signed HMAC-SHA256 with the node's secret. */
    static String hmacJwt(String header, String claims) throws Exception {
        String input = b64(header) + "." + b64(claims);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(TestServers.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static WsTestClient connected(HostileNode node, String user) {
        WsTestClient c = WsTestClient.open(node.wsUrl());
        assertThat(c.connect(TestServers.token(user)).has("connect"))
                .as("connect of " + user)
                .isTrue();
        return c;
    }

    /**
     * Sends {@code frame} on a connected client and reports how the node took it: "closed &lt;code&gt;",
     * "answered &lt;reply&gt;" (any reply with an id) or "ignored" (neither within the wait).
     */
    private static String outcome(WsTestClient c, String frame) {
        c.send(frame);
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            if (!c.isOpen()) {
                return "closed " + c.awaitClose();
            }
            JsonNode n = c.poll(Duration.ofMillis(100));
            if (n != null && n.has("id")) {
                HostileNode.sleep(200);
                return c.isOpen() ? "answered " + n : "closed " + c.awaitClose() + " after answering " + n;
            }
        }
        return c.isOpen() ? "ignored" : "closed " + c.awaitClose();
    }

    private void commandClosesWithBadRequest(String row, String frame) {
        HostileNode node = NODE.node();
        try (AttackWatch watch = AttackWatch.start(node, row);
                WsTestClient c = connected(node, "attacker")) {
            String outcome = outcome(c, frame);
            AttackWatch.report("ATTACK " + row + " frame=" + frame + " -> " + outcome);
            SoftAssertions s = new SoftAssertions();
            s.assertThat(outcome).as("how the node took %s", frame).isEqualTo("closed 3501");
            watch.assertUnaffected(s);
            s.assertAll();
        }
    }

    @Test
    void fragmentedMessageOverTheLimitClosesWithMessageTooBig() throws Exception {
        HostileNode node = NODE.node();
        try (AttackWatch watch = AttackWatch.start(node, "row9-fragmented-oversize");
                RawWebSocket c = RawWebSocket.open(node.port())) {
            c.sendText("{\"id\":1,\"connect\":{\"token\":\"" + TestServers.token("frag") + "\"}}");
            byte[] part = new byte[32 * 1024];
            Arrays.fill(part, (byte) 'x');
            byte[] head = "{\"id\":2,\"rpc\":{\"method\":\"m\",\"data\":\"".getBytes(StandardCharsets.UTF_8);
            System.arraycopy(head, 0, part, 0, head.length);
            c.send(RawWebSocket.TEXT, false, part);
            c.send(RawWebSocket.CONTINUATION, false, part);
            byte[] last = Arrays.copyOf(part, 31 * 1024);
            Arrays.fill(last, (byte) 'x');
            last[last.length - 3] = '"';
            last[last.length - 2] = '}';
            last[last.length - 1] = '}';
            try {
                c.send(RawWebSocket.CONTINUATION, true, last);
            } catch (java.io.IOException closedAlready) {
                // the node may close as soon as the limit is passed
            }
            int code = c.awaitClose(WAIT);
            AttackWatch.report(
                    "ATTACK row9-fragmented-oversize bytes=" + (2 * part.length + last.length) + " close_code=" + code);
            SoftAssertions s = new SoftAssertions();
            s.assertThat(code)
                    .as("close code for a 95 KB fragmented message (limit 64 KiB; 1006: no close frame, "
                            + "-1: still open)")
                    .isEqualTo(1009);
            watch.assertUnaffected(s);
            s.assertAll();
        }
    }

    @Test
    void tokenExpiringInTheYear1e300NeverConnects() throws Exception {
        HostileNode node = NODE.node();
        String token = hmacJwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"sub\":\"u1\",\"exp\":1e300}");
        try (AttackWatch watch = AttackWatch.start(node, "row10-exp-1e300");
                WsTestClient c = WsTestClient.open(node.wsUrl())) {
            String outcome = outcome(c, "{\"id\":1,\"connect\":{\"token\":\"" + token + "\"}}");
            AttackWatch.report("ATTACK row10-exp-1e300 -> " + outcome);
            SoftAssertions s = new SoftAssertions();
            s.assertThat(outcome)
                    .as("a token with exp 1e300 is refused as invalid: close 3500 or an error reply")
                    .matches("closed 3500|answered .*\"error\".*")
                    .doesNotContain("\"connect\"");
            watch.assertUnaffected(s);
            s.assertAll();
        }
    }

    @Test
    void fractionalCommandIdClosesWithBadRequest() {
        commandClosesWithBadRequest("row11-fractional-id", "{\"id\":1.5,\"presence_stats\":{\"channel\":\"calm\"}}");
    }

    @Test
    void duplicatedMethodKeyClosesWithBadRequest() {
        commandClosesWithBadRequest(
                "row11-duplicate-method-key",
                "{\"id\":2,\"publish\":{\"channel\":\"calm\",\"data\":"
                        + "{\"n\":1}},\"publish\":{\"channel\":\"calm\",\"data\":{\"n\":2}}}");
    }

    @Test
    void commandIdOutOfUint32RangeClosesWithBadRequest() {
        commandClosesWithBadRequest(
                "row11-id-over-uint32", "{\"id\":4294967296,\"presence_stats\":{\"channel\":\"calm\"}}");
    }

    // ---- what held before the hardening: keep it green ----

    @ParameterizedTest
    @ValueSource(strings = {"none", "RS256", "ES256"})
    void tokenWithAnAlgorithmTheNodeDoesNotUseIsRefused(String alg) throws Exception {
        String header = "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}";
        String claims = "{\"sub\":\"admin\",\"exp\":" + (System.currentTimeMillis() / 1000 + 3600) + "}";
        // alg none: no signature; otherwise an HMAC with the shared secret under another algorithm's name
        String token = alg.equals("none") ? b64(header) + "." + b64(claims) + "." : hmacJwt(header, claims);
        try (WsTestClient c = WsTestClient.open(NODE.node().wsUrl())) {
            assertThat(outcome(c, "{\"id\":1,\"connect\":{\"token\":\"" + token + "\"}}"))
                    .as("connect with alg %s", alg)
                    .isEqualTo("closed 3500");
        }
    }

    @Test
    void channelRulesHold() {
        try (WsTestClient c = connected(NODE.node(), "7")) {
            String[][] cases = {
                {"a".repeat(256), "107"},
                {"private:secrets", "103"},
                {"dm:#8,9", "103"},
                {"nowhere:x", "102"},
            };
            int id = 10;
            for (String[] k : cases) {
                c.send("{\"id\":" + id + ",\"subscribe\":{\"channel\":\"" + k[0] + "\"}}");
                assertThat(c.reply(id++).at("/error/code").asText())
                        .as("subscribe to %s", k[0])
                        .isEqualTo(k[1]);
            }
            assertThat(c.isOpen()).isTrue();
        }
    }

    @Test
    void subscriberThatStopsReadingIsCutAsSlow() {
        HostileNode node = NODE.node();
        ApiClient api = new ApiClient(node.apiUrl(), TestServers.API_KEY);
        String series = "switchboard_client_disconnects_total{code=\"3008\"}";
        long before = node.counter(series);
        try (WsTestClient stuck = WsTestClient.openStuck(node.wsUrl())) {
            stuck.connect(TestServers.token("stuck"));
            stuck.send("{\"id\":2,\"subscribe\":{\"channel\":\"firehose\"}}");
            stuck.reply(2);
            String big = "\"" + "x".repeat(16_000) + "\"";
            long after = before;
            for (int i = 1; i <= 3000 && after <= before; i++) {
                api.publish("firehose", big);
                if (i % 25 == 0) {
                    after = node.counter(series);
                }
            }
            assertThat(after).as("3008 disconnects counted in /metrics").isGreaterThan(before);
        }
    }
}

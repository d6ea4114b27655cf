package dev.switchboard.server.abuse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.protocol.ProtocolCodec;
import dev.switchboard.server.testing.TestServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A seeded fuzzer against one node: a few thousand mutated client-protocol frames on WebSocket
 * connections (reconnecting when the node closes one) and random bodies to random {@code /api/}
 * methods, for at most {@link #BUDGET}. Every API call must answer 2xx/4xx with a JSON body within
 * 2 s; every command must be answered or its connection closed with a documented code (1000–1011
 * as sent in a Close frame, 3000–3999) within 2 s; afterwards the innocent subscriber still
 * receives, {@code /health} is 200 and the node log has no ERROR, OutOfMemoryError or stack trace.
 * The seed is printed; rerun one with {@code -Dfuzz.seed=<seed>}.
 */
class ProtocolFuzzIT {

    @RegisterExtension
    static final HostileNodeExtension NODE = new HostileNodeExtension();

    static final Duration BUDGET = Duration.ofSeconds(Long.getLong("fuzz.seconds", 20));
    static final int MAX_CASES = Integer.getInteger("fuzz.cases", 4000);
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);
    static final long SEED = seed();

    private static long seed() {
        String p = System.getProperty("fuzz.seed");
        return p == null || p.isBlank() ? new SecureRandom().nextLong() : Long.parseLong(p.trim());
    }

    /** A JSON connection: reply ids are read from each line of a text frame. */
    private static final class Conn extends FuzzConnection {
        Conn(HostileNode node) throws IOException {
            super(RawWebSocket.open(node.port()));
        }

        @Override
        void onData(RawWebSocket.Frame f) {
            if (f.opcode() != RawWebSocket.TEXT) {
                return;
            }
            for (String line : f.text().split("\n")) {
                try {
                    JsonNode n = ProtocolCodec.mapper().readTree(line);
                    if (n.path("id").canConvertToLong()) {
                        replies.add(n.path("id").asLong());
                    }
                } catch (IOException ignored) {
                    // not ours to judge here
                }
            }
        }
    }

    static boolean documentedCloseCode(int code) {
        return (code >= 1000 && code <= 1011 && code != 1004 && code != 1005 && code != 1006)
                || (code >= 3000 && code <= 3999);
    }

    private static String show(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        return s.length() > 240 ? s.substring(0, 240) + "…(" + b.length + " bytes)" : s;
    }

    @Test
    void randomFramesAndApiBodiesGetDocumentedAnswers() throws Exception {
        AttackWatch.report("FUZZ seed=" + SEED + " (rerun with -Dfuzz.seed=" + SEED + ")");
        HostileNode node = NODE.node();
        FuzzCases cases = new FuzzCases(SEED);
        List<String> violations = new ArrayList<>();
        int wsCases = 0;
        int apiCases = 0;
        int connections = 0;
        int[] closes = new int[5000];
        long end = System.nanoTime() + BUDGET.toNanos();
        Conn conn = null;
        try (AttackWatch watch = AttackWatch.start(node, "fuzz")) {
            while (System.nanoTime() < end && wsCases + apiCases < MAX_CASES && violations.size() < 20) {
                if (cases.random().nextBoolean()) {
                    apiCases++;
                    String[] method = cases.apiMethod();
                    byte[] body = cases.apiBody(method);
                    RawHttp.Response r = RawHttp.api(node, method[0], body, ANSWER_WITHIN, 1 << 20);
                    boolean json;
                    try {
                        json = r.body().length > 0 && ProtocolCodec.mapper().readTree(r.body()) != null;
                    } catch (IOException e) {
                        json = false;
                    }
                    if (r.status() < 200 || r.status() >= 500 || !json) {
                        violations.add("API " + method[0] + " " + show(body) + " -> " + r);
                    }
                    continue;
                }
                wsCases++;
                if (conn == null || !conn.open()) {
                    if (conn != null) {
                        conn.close();
                    }
                    conn = new Conn(node);
                    connections++;
                    if (cases.random().nextInt(10) != 0) {
                        conn.ws.sendText("{\"id\":1,\"connect\":{\"token\":\"" + TestServers.token("fuzzer") + "\"}}");
                        conn.awaitReplyOrClose(1, ANSWER_WITHIN);
                    }
                }
                byte[] frame = cases.frame();
                long sync = cases.nextSyncId();
                try {
                    conn.ws.send(
                            cases.random().nextInt(30) == 0 ? RawWebSocket.BINARY : RawWebSocket.TEXT, true, frame);
                    conn.ws.sendText("{\"id\":" + sync + ",\"presence_stats\":{\"channel\":\"fuzz\"}}");
                } catch (IOException closedMeanwhile) {
                    // the close code tells
                }
                if (!conn.awaitReplyOrClose(sync, ANSWER_WITHIN)) {
                    violations.add("WS neither answered nor closed within " + ANSWER_WITHIN + " after " + show(frame));
                    conn.close();
                    conn = null;
                    continue;
                }
                if (!conn.open()) {
                    conn.reader.join(1000);
                    int code = conn.closeCode;
                    closes[Math.max(0, Math.min(closes.length - 1, code - 1000))]++;
                    if (!documentedCloseCode(code)) {
                        violations.add("WS close "
                                + (code == RawWebSocket.NO_CLOSE_FRAME ? "without a Close frame" : "code " + code)
                                + " after " + show(frame));
                    }
                }
            }
            if (conn != null) {
                conn.close();
            }
            AttackWatch.report("FUZZ seed=" + SEED + " ws_cases=" + wsCases + " api_cases=" + apiCases + " connections="
                    + connections + " close_codes=" + FuzzConnection.closeCodes(closes) + " violations="
                    + violations.size());
            SoftAssertions s = new SoftAssertions();
            s.assertThat(violations)
                    .as("fuzz violations (seed " + SEED + ", rerun with -Dfuzz.seed=" + SEED + ")")
                    .isEmpty();
            watch.assertUnaffected(s);
            List<String> bad = FuzzConnection.badLogLines(node);
            s.assertThat(bad)
                    .as("node log lines with ERROR, OutOfMemoryError or a stack trace (seed " + SEED + ", log "
                            + node.logPath().toAbsolutePath() + ")")
                    .isEmpty();
            // A floor, not a speed test: the budget is time, and machines differ.
            s.assertThat(wsCases + apiCases).as("cases run (seed " + SEED + ")").isGreaterThan(200);
            s.assertAll();
        }
    }
}

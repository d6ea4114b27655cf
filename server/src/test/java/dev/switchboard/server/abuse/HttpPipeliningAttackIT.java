package dev.switchboard.server.abuse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Row 2: tens of thousands of pipelined unauthenticated {@code GET /metrics} on one socket (and
 * on three), never reading a response. The node must keep at most one response in flight per
 * connection, stop reading while it is pending, close a connection with more than 16 queued
 * requests and cut a response not written within {@code http.idle_timeout} (3 s here).
 */
class HttpPipeliningAttackIT {

    @RegisterExtension
    static final HostileNodeExtension NODE = new HostileNodeExtension();
    /** {@code http.idle_timeout} (3 s) plus slack for a loaded machine. */
    static final Duration CUT_WITHIN = Duration.ofSeconds(8);

    private static final int REQUESTS_PER_WRITE = 500;
    private static final int WRITES = 60;

    private void pipelineFlood(String row, int sockets) throws Exception {
        HostileNode node = NODE.node();
        byte[] chunk = "GET /metrics HTTP/1.1\r\nHost: switchboard\r\n\r\n"
                .repeat(REQUESTS_PER_WRITE)
                .getBytes(StandardCharsets.US_ASCII);
        byte[] one = "GET /metrics HTTP/1.1\r\nHost: switchboard\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        List<Long> cutAfter = new ArrayList<>();
        long written = 0;
        try (AttackWatch watch = AttackWatch.start(node, row)) {
            List<Flood> floods = new ArrayList<>();
            try {
                for (int i = 0; i < sockets; i++) {
                    // 30,000 requests as fast as they go, then one more every 200 ms: data reaching a
                    // socket the node closed is answered with a reset, so the close shows.
                    floods.add(new Flood(
                            row + "-" + i,
                            RawHttp.connect(node, null),
                            n -> {
                                if (n >= WRITES) {
                                    HostileNode.sleep(200);
                                    return one;
                                }
                                return chunk;
                            },
                            0));
                }
                long deadline = System.nanoTime() + CUT_WITHIN.toNanos();
                for (Flood f : floods) {
                    cutAfter.add(f.awaitClosed(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
                    written += f.bytesWritten();
                }
            } finally {
                floods.forEach(Flood::close);
            }
            SoftAssertions s = new SoftAssertions();
            watch.assertUnaffected(s);
            AttackWatch.report("ATTACK " + row + " attacker_cut_after_ms=" + cutAfter + " attacker_bytes_written="
                    + written + " http_limits_configured=" + node.hasHttpLimits());
            s.assertThat(cutAfter)
                    .as("ms until the node closed each pipelining socket (-1: still open after " + CUT_WITHIN + ") ["
                            + watch.summary() + "]")
                    .allMatch(ms -> ms >= 0);
            s.assertAll();
        }
    }

    @Test
    void pipelinedMetricsFloodOnOneSocketIsCutOff() throws Exception {
        pipelineFlood("row2-pipelining-1-socket", 1);
    }

    @Test
    void pipelinedMetricsFloodOnThreeSocketsIsCutOff() throws Exception {
        pipelineFlood("row2-pipelining-3-sockets", 3);
    }
}

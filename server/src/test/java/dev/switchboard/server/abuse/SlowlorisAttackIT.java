package dev.switchboard.server.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Row 4: slowloris from 127.0.0.2 (request headers a byte at a time, and idle keep-alive
 * connections) while the innocent side uses 127.0.0.1. Half-sent requests must be closed after
 * {@code http.header_timeout} (2 s), idle connections after {@code http.idle_timeout} (3 s), and
 * connections over {@code http.max_connections_per_ip} (50) at accept; new clients still connect.
 */
class SlowlorisAttackIT {

    @RegisterExtension
    static final HostileNodeExtension NODE =
            new HostileNodeExtension("", HostileNodeExtension.HTTP_TIMEOUTS + "  max_connections_per_ip: 50\n");
    /** The longest timeout involved (3 s) plus slack for a loaded machine. */
    static final Duration CLOSED_WITHIN = Duration.ofSeconds(8);

    static final int SLOW_SOCKETS = 300;
    static final int IDLE_SOCKETS = 100;

    private static InetAddress attackerAddress() throws IOException {
        return InetAddress.getByName("127.0.0.2");
    }

    /**
     * Keeps writing one byte every 250 ms to each open socket and returns, per socket, the ms
     * until the node closed it (-1 if still open at the deadline).
     */
    private static long[] dripUntilClosed(List<Socket> sockets, boolean drip) {
        long start = System.nanoTime();
        long end = start + CLOSED_WITHIN.toNanos();
        long[] closedAfter = new long[sockets.size()];
        Arrays.fill(closedAfter, -1);
        int open = sockets.size();
        while (open > 0 && System.nanoTime() < end) {
            Set<String> established = Flood.established();
            long now = (System.nanoTime() - start) / 1_000_000;
            for (int i = 0; i < sockets.size(); i++) {
                if (closedAfter[i] >= 0) {
                    continue;
                }
                Socket s = sockets.get(i);
                boolean closed = established != null && !established.contains(Flood.key(s));
                if (!closed && drip) {
                    try {
                        s.getOutputStream().write('a');
                    } catch (IOException e) {
                        closed = true;
                    }
                }
                if (closed) {
                    closedAfter[i] = now;
                    open--;
                }
            }
            HostileNode.sleep(250);
        }
        return closedAfter;
    }

    /**
     * Opens {@code count} connections from 127.0.0.2, each sending {@code request} (and reading its
     * response when asked); returns how many were answered 200. Connections the node refuses at
     * accept stay in the list (they count as closed at once).
     */
    private static int openFromTheAttackerAddress(
            HostileNode node, List<Socket> sockets, int count, String request, boolean readResponse)
            throws IOException {
        byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
        int answered = 0;
        for (int i = 0; i < count; i++) {
            Socket s = RawHttp.connect(node, attackerAddress());
            sockets.add(s);
            try {
                s.getOutputStream().write(bytes);
                if (readResponse && RawHttp.readStatus(s, Duration.ofSeconds(2)) == 200) {
                    answered++;
                }
            } catch (IOException refusedAtAccept) {
                // over the per-IP limit
            }
        }
        return answered;
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static void newClientsStillConnect(HostileNode node, SoftAssertions s) {
        try (WsTestClient late = WsTestClient.open(node.wsUrl())) {
            s.assertThat(late.connect(TestServers.token("late")).has("connect"))
                    .as("a new client from 127.0.0.1 connects during the attack")
                    .isTrue();
        } catch (RuntimeException | AssertionError e) {
            s.fail("a new client from 127.0.0.1 could not connect during the attack: " + e);
        }
    }

    private static String describe(long[] closedAfter) {
        long stillOpen = Arrays.stream(closedAfter).filter(ms -> ms < 0).count();
        long max = Arrays.stream(closedAfter).max().orElse(-1);
        return "sockets=" + closedAfter.length + " still_open=" + stillOpen + " last_closed_after_ms=" + max;
    }

    @Test
    void requestHeadersDrippedAByteAtATimeAreCutAtTheHeaderTimeout() throws Exception {
        HostileNode node = NODE.node();
        List<Socket> sockets = new ArrayList<>();
        try (AttackWatch watch = AttackWatch.start(node, "row4-slowloris-headers")) {
            openFromTheAttackerAddress(
                    node, sockets, SLOW_SOCKETS, "GET /health HTTP/1.1\r\nHost: switchboard\r\nX-Slow: ", false);
            SoftAssertions s = new SoftAssertions();
            newClientsStillConnect(node, s);
            long[] closedAfter = dripUntilClosed(sockets, true);
            watch.assertUnaffected(s);
            AttackWatch.report("ATTACK row4-slowloris-headers " + describe(closedAfter) + " http_limits_configured="
                    + node.hasHttpLimits());
            s.assertThat(closedAfter)
                    .as("ms until each half-sent request was closed (-1: still open after " + CLOSED_WITHIN + "): "
                            + describe(closedAfter) + " [" + watch.summary() + "]")
                    .doesNotContain(-1L);
            s.assertAll();
        } finally {
            closeAll(sockets);
        }
    }

    @Test
    void idleKeepAliveConnectionsAreClosedAtTheIdleTimeoutAndCappedPerAddress() throws Exception {
        HostileNode node = NODE.node();
        List<Socket> sockets = new ArrayList<>();
        int answered = 0;
        try (AttackWatch watch = AttackWatch.start(node, "row4-slowloris-idle")) {
            answered = openFromTheAttackerAddress(
                    node, sockets, IDLE_SOCKETS, "GET /health HTTP/1.1\r\nHost: switchboard\r\n\r\n", true);
            SoftAssertions s = new SoftAssertions();
            newClientsStillConnect(node, s);
            long[] closedAfter = dripUntilClosed(sockets, false);
            watch.assertUnaffected(s);
            AttackWatch.report("ATTACK row4-slowloris-idle answered=" + answered + " " + describe(closedAfter)
                    + " http_limits_configured=" + node.hasHttpLimits());
            s.assertThat(closedAfter)
                    .as("ms until each idle keep-alive connection was closed (-1: still open after " + CLOSED_WITHIN
                            + "): " + describe(closedAfter) + " [" + watch.summary() + "]")
                    .doesNotContain(-1L);
            s.assertThat(answered)
                    .as("requests answered on connections from one address (max_connections_per_ip: 50)")
                    .isLessThanOrEqualTo(50);
            s.assertAll();
        } finally {
            closeAll(sockets);
        }
    }

    @Test
    void loopbackAliasIsUsable() throws Exception {
        try (Socket s = RawHttp.connect(NODE.node(), attackerAddress())) {
            assertThat(s.getLocalAddress().getHostAddress()).isEqualTo("127.0.0.2");
        }
    }
}

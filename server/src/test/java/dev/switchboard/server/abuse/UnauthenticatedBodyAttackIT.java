package dev.switchboard.server.abuse;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Row 8: 80 chunked bodies of about 4 MiB to {@code /api/publish} with no API key, never
 * finished. The key is checked at the headers: each connection gets 401 (or is closed) at once
 * and nothing of the body is buffered, so the node's RSS barely moves.
 */
class UnauthenticatedBodyAttackIT {

    @RegisterExtension
    static final HostileNodeExtension NODE = new HostileNodeExtension();

    static final int SOCKETS = 80;
    static final int CHUNKS = 63;
    /** "promptly": the headers are all the node needs; slack for 80 sockets on a loaded machine. */
    static final Duration ANSWERED_WITHIN = Duration.ofSeconds(4);
    /** RSS the attack may add (today it buffers the bodies: hundreds of MiB). */
    static final long RSS_GROWTH_BOUND = 48L << 20;

    @Test
    void unauthenticatedChunkedBodiesAreRefusedAtTheHeaders() throws Exception {
        HostileNode node = NODE.node();
        byte[] headers = ("POST /api/publish HTTP/1.1\r\nHost: switchboard\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] data = new byte[65536];
        Arrays.fill(data, (byte) ' ');
        byte[] chunk = concat(
                ("10000\r\n").getBytes(StandardCharsets.US_ASCII), data, "\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] trickle = "1\r\n \r\n".getBytes(StandardCharsets.US_ASCII);
        ExecutorService readers = Executors.newCachedThreadPool();
        List<Flood> floods = new ArrayList<>();
        List<Future<Long>> answers = new ArrayList<>();
        long[] answeredAfter = new long[SOCKETS];
        int[] status = new int[SOCKETS];
        try (AttackWatch watch = AttackWatch.start(node, "row8-unauthenticated-chunked-bodies")) {
            for (int i = 0; i < SOCKETS; i++) {
                Socket socket = RawHttp.connect(node, null);
                long started = System.nanoTime();
                int index = i;
                answers.add(readers.submit(() -> {
                    try {
                        status[index] = RawHttp.readStatus(socket, ANSWERED_WITHIN);
                    } catch (IOException e) {
                        status[index] = e instanceof java.net.SocketTimeoutException ? 0 : -1;
                    }
                    return (System.nanoTime() - started) / 1_000_000;
                }));
                floods.add(new Flood(
                        "chunked-" + i,
                        socket,
                        n -> {
                            if (n == 0) {
                                return headers;
                            }
                            if (n <= CHUNKS) {
                                return chunk;
                            }
                            HostileNode.sleep(200);
                            return trickle;
                        },
                        0));
            }
            for (int i = 0; i < SOCKETS; i++) {
                answeredAfter[i] = answers.get(i).get(ANSWERED_WITHIN.toMillis() + 5000, TimeUnit.MILLISECONDS);
            }
            long written = floods.stream().mapToLong(Flood::bytesWritten).sum();
            floods.forEach(Flood::close);
            SoftAssertions s = new SoftAssertions();
            watch.assertUnaffected(s);
            long refused =
                    Arrays.stream(status).filter(st -> st == 401 || st == -1).count();
            AttackWatch.report(
                    "ATTACK row8-unauthenticated-chunked-bodies sockets=" + SOCKETS + " bytes_written=" + written
                            + " answered_401_or_closed=" + refused + " statuses=" + Arrays.toString(status)
                            + " rss_growth=" + AttackWatch.mib(watch.rssGrowth()));
            s.assertThat(Arrays.stream(status).boxed().toList())
                    .as("status each unauthenticated chunked upload saw within " + ANSWERED_WITHIN
                            + " (401, or -1: closed; 0: nothing yet) [" + watch.summary() + "]")
                    .allMatch(st -> st == 401 || st == -1);
            s.assertThat(Arrays.stream(answeredAfter).max().orElse(0))
                    .as("ms until the last upload was answered or closed")
                    .isLessThanOrEqualTo(ANSWERED_WITHIN.toMillis());
            s.assertThat(watch.rssGrowth())
                    .as("node RSS growth, bytes [" + watch.summary() + "]")
                    .isLessThanOrEqualTo(RSS_GROWTH_BOUND);
            s.assertAll();
        } finally {
            floods.forEach(Flood::close);
            readers.shutdownNow();
        }
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}

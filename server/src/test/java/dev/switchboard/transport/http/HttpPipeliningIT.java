package dev.switchboard.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.testing.RawHttpConnection;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.transport.SwitchboardServer;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pipelined requests over real sockets: answered in order, and a peer that pipelines without
 * reading is cut off while other connections are served as usual and memory stays bounded.
 */
class HttpPipeliningIT {

    private static final Duration IDLE = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** "Fast" on a shared 2-core test machine; unprotected, /health did not answer at all. */
    private static final long FAST_MS = 2000;

    static SwitchboardServer server;
    static ExecutorService attackers = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() {
        server = TestServers.start("http:\n  idle_timeout: " + IDLE.toSeconds() + "s\n", b -> b);
    }

    @AfterAll
    static void stop() {
        attackers.shutdownNow();
        server.close();
    }

    /** Bytes Netty holds in direct memory (its own counter, or the pooled allocator's when it keeps none). */
    private static long directMemory() {
        long used = PlatformDependent.usedDirectMemory();
        return used >= 0 ? used : PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
    }

    /** Asks {@code /health} on its own connection and returns how long the answer took. */
    private static long healthMillis() throws IOException {
        long start = System.nanoTime();
        try (RawHttpConnection c = RawHttpConnection.open(server.port())) {
            assertThat(c.send(RawHttpConnection.get("/health")).read(WAIT).status())
                    .isEqualTo(200);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Test
    void pipelinedRequestsAreAnsweredInRequestOrder() throws IOException {
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            burst.append(RawHttpConnection.apiPost("info", "{}")); // answered asynchronously by the API
            burst.append(RawHttpConnection.get("/missing-" + i)); // answered at once
        }
        try (RawHttpConnection c = RawHttpConnection.open(server.port())) {
            c.send(burst.toString());
            for (int i = 0; i < 5; i++) {
                RawHttpConnection.Response api = c.read(WAIT);
                assertThat(api.status()).isEqualTo(200);
                assertThat(api.body()).contains("\"result\"");
                RawHttpConnection.Response missing = c.read(WAIT);
                assertThat(missing.status()).isEqualTo(404);
            }
        }
    }

    @Test
    void floodOfPipelinedMetricsWithoutReadingIsClosedWhileHealthStaysFast() throws Exception {
        byte[] batch = RawHttpConnection.get("/metrics").repeat(200).getBytes(StandardCharsets.ISO_8859_1);
        long directBefore = directMemory();
        List<RawHttpConnection> floods = new ArrayList<>();
        List<Future<Integer>> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RawHttpConnection flood = RawHttpConnection.openWithReceiveBuffer(server.port(), 4096);
            floods.add(flood);
            sent.add(attackers.submit(() -> {
                int requests = 0;
                try {
                    while (requests < 20_000) { // never reads
                        flood.send(batch);
                        requests += 200;
                    }
                } catch (IOException cut) {
                    // the node closed the connection
                }
                return requests;
            }));
        }
        for (int i = 0; i < 10; i++) {
            assertThat(healthMillis()).as("/health during the flood").isLessThan(FAST_MS);
        }
        for (int i = 0; i < floods.size(); i++) {
            sent.get(i).get(20, TimeUnit.SECONDS);
            // Reading only now: whatever was answered before the close, then the end of the connection.
            assertThat(floods.get(i).awaitClosed(WAIT))
                    .as("flooding connection " + i + " closed")
                    .isTrue();
            floods.get(i).close();
        }
        assertThat(directMemory() - directBefore).as("direct memory growth").isLessThan(32L << 20);
        assertThat(healthMillis()).isLessThan(FAST_MS);
    }

    @Test
    void peerRequestingWithoutReadingIsStalledThenClosedWithinTheIdleTimeout() throws Exception {
        try (RawHttpConnection slow = RawHttpConnection.openWithReceiveBuffer(server.port(), 4096)) {
            byte[] request = RawHttpConnection.get("/metrics").getBytes(StandardCharsets.ISO_8859_1);
            // One request at a time, never more than the pipelining limit queued: only not reading is wrong.
            Future<Long> cutAfter = attackers.submit(() -> {
                long start = System.nanoTime();
                try {
                    while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30)) {
                        slow.send(request);
                        Thread.sleep(15); // slower than the node answers: nothing queues, responses pile up unread
                    }
                } catch (IOException cut) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                }
                return Long.MAX_VALUE;
            });
            for (int i = 0; i < 5; i++) {
                assertThat(healthMillis())
                        .as("/health next to the stalled peer")
                        .isLessThan(FAST_MS);
            }
            // Filling the socket buffers (some MB of responses) takes seconds; then the response stalls and
            // idle_timeout cuts the connection.
            assertThat(cutAfter.get(40, TimeUnit.SECONDS))
                    .as("ms until the node cut the stalled peer")
                    .isLessThan(IDLE.toMillis() + 25_000);
        }
    }
}

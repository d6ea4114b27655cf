package dev.switchboard.server.abuse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.testing.TestServers;
import dev.switchboard.server.testing.WsTestClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.SoftAssertions;

/**
 * What an attack must not disturb, watched while it runs: an innocent WebSocket subscriber on the
 * same node receives a publication posted through the API every 50 ms within its normal latency
 * and loses none, {@code GET /health} answers 200 within {@link #HEALTH_BOUND}, and the node's
 * RSS, heap and direct memory are sampled (before, peak, after) for the report line
 * {@code ATTACK <row> rss_before=… rss_peak=… heap_peak=…}.
 */
final class AttackWatch implements AutoCloseable {

    /**
     * p99 delivery latency the innocent subscriber must keep during an attack. Generous for a
     * loaded 2-core CI box (its normal p99 is 10-30 ms; 500 ms was exceeded under a load average
     * of 9); a wedged event loop shows as seconds, and as lost publications and /health failures.
     */
    static final Duration LATENCY_P99_BOUND = Duration.ofMillis(Long.getLong("abuse.latency.p99.ms", 1000));
    /** How long {@code /health} may take during and after an attack. */
    static final Duration HEALTH_BOUND = Duration.ofMillis(Long.getLong("abuse.health.ms", 1500));
    /** Direct memory an attack may make the node hold on top of what it held before (of 64 MiB). */
    static final long DIRECT_GROWTH_BOUND = 40L << 20;

    private static final Duration PUBLISH_EVERY = Duration.ofMillis(50);
    private static final AtomicInteger CHANNELS = new AtomicInteger();

    private final HostileNode node;
    private final String row;
    private final String channel;
    private final WsTestClient innocent;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final int logMark;

    private final Map<Integer, Long> sentAt = new ConcurrentHashMap<>();
    private final Map<Integer, Long> receivedAt = new ConcurrentHashMap<>();
    private final List<String> publishFailures = new CopyOnWriteArrayList<>();
    private final List<String> healthFailures = new CopyOnWriteArrayList<>();
    private final AtomicLong healthMaxMs = new AtomicLong();
    private final AtomicInteger healthProbes = new AtomicInteger();
    private final AtomicInteger published = new AtomicInteger();
    private final AtomicLong rssPeak = new AtomicLong(-1);
    private final AtomicLong heapPeak = new AtomicLong(-1);
    private final AtomicLong directPeak = new AtomicLong(-1);
    private final long rssBefore;
    private final long heapBefore;
    private final long directBefore;
    private long rssAfter = -1;
    private long heapAfter = -1;
    private long directAfter = -1;
    private long baselineMaxMs;
    private volatile boolean attacking;
    private volatile boolean receiving = true;
    private final List<Thread> threads = new ArrayList<>();
    private boolean stopped;

    private AttackWatch(HostileNode node, String row) {
        this.node = node;
        this.row = row;
        this.channel = "innocent" + CHANNELS.incrementAndGet();
        this.logMark = node.log().length();
        innocent = WsTestClient.open(node.wsUrl());
        innocent.connect(TestServers.token("innocent"));
        innocent.send("{\"id\":2,\"subscribe\":{\"channel\":\"" + channel + "\"}}");
        innocent.reply(2);
        String m = node.metrics();
        rssBefore = node.rssBytes();
        heapBefore = HostileNode.heapBytes(m);
        directBefore = HostileNode.directBytes(m);
        thread("innocent-receiver", this::receive);
    }

    /** Subscribes the innocent client, measures its baseline latency, then starts watching. */
    static AttackWatch start(HostileNode node, String row) {
        AttackWatch w = new AttackWatch(node, row);
        for (int i = 0; i < 10; i++) {
            w.publishOne();
            HostileNode.sleep(PUBLISH_EVERY.toMillis());
        }
        w.awaitDelivered(Duration.ofSeconds(5));
        w.baselineMaxMs = w.maxLatencyMs();
        w.attacking = true;
        w.thread("innocent-publisher", () -> {
            while (w.attacking) {
                long next = System.nanoTime() + PUBLISH_EVERY.toNanos();
                w.publishOne();
                HostileNode.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
            }
        });
        w.thread("health-prober", () -> {
            while (w.attacking) {
                w.probeHealth();
                HostileNode.sleep(250);
            }
        });
        w.thread("memory-sampler", () -> {
            int tick = 0;
            while (w.attacking) {
                max(w.rssPeak, node.rssBytes());
                if (tick++ % 2 == 0) {
                    String m = node.metrics();
                    max(w.heapPeak, HostileNode.heapBytes(m));
                    max(w.directPeak, HostileNode.directBytes(m));
                }
                HostileNode.sleep(250);
            }
        });
        return w;
    }

    private void thread(String name, Runnable r) {
        Thread t = new Thread(r, row + "-" + name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private static void max(AtomicLong peak, long v) {
        peak.accumulateAndGet(v, Math::max);
    }

    private void publishOne() {
        int n = published.incrementAndGet();
        long t0 = System.nanoTime();
        sentAt.put(n, t0);
        String body = "{\"channel\":\"" + channel + "\",\"data\":{\"n\":" + n + "}}";
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(node.apiUrl() + "/publish"))
                            .timeout(Duration.ofSeconds(2))
                            .header("X-API-Key", TestServers.API_KEY)
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || !r.body().contains("\"result\"")) {
                sentAt.remove(n);
                publishFailures.add("#" + n + " -> " + r.statusCode() + " " + r.body());
            }
        } catch (IOException e) {
            sentAt.remove(n);
            publishFailures.add("#" + n + " -> " + e + " after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void probeHealth() {
        long t0 = System.nanoTime();
        int status = node.healthStatus(HEALTH_BOUND);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        healthProbes.incrementAndGet();
        max(healthMaxMs, ms);
        if (status != 200) {
            healthFailures.add((status < 0 ? "no answer within " + HEALTH_BOUND.toMillis() + " ms" : "status " + status)
                    + " at probe " + healthProbes.get());
        }
    }

    private void receive() {
        while (receiving) {
            JsonNode n = innocent.poll(Duration.ofMillis(100));
            if (n == null) {
                continue;
            }
            long now = System.nanoTime();
            JsonNode pub = n.path("push").path("pub");
            if (pub.isObject() && n.path("push").path("channel").asText().equals(channel)) {
                int seq = pub.path("data").path("n").asInt();
                receivedAt.putIfAbsent(seq, now);
            }
        }
    }

    private void awaitDelivered(Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < end && !receivedAt.keySet().containsAll(sentAt.keySet())) {
            HostileNode.sleep(20);
        }
    }

    private long maxLatencyMs() {
        return latenciesMs().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private List<Long> latenciesMs() {
        List<Long> l = new ArrayList<>();
        sentAt.forEach((n, t) -> {
            Long r = receivedAt.get(n);
            if (r != null) {
                l.add((r - t) / 1_000_000);
            }
        });
        Collections.sort(l);
        return l;
    }

    private long p99Ms() {
        List<Long> l = latenciesMs();
        return l.isEmpty() ? 0 : l.get(Math.min(l.size() - 1, (int) Math.ceil(l.size() * 0.99) - 1));
    }

    /** Whether the attack is still being watched (attack loops may run while this holds). */
    boolean attacking() {
        return attacking;
    }

    /**
     * Ends the attack window: stops publishing, waits for the last publications, takes the
     * "after" sample once the node answers again (at most 3 s) and prints the report line.
     */
    void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        attacking = false;
        awaitDelivered(Duration.ofSeconds(3));
        receiving = false;
        for (Thread t : threads) {
            try {
                t.join(2500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < end && node.alive() && node.healthStatus(Duration.ofSeconds(1)) != 200) {
            HostileNode.sleep(100);
        }
        probeHealth();
        String m = node.metrics();
        rssAfter = node.rssBytes();
        heapAfter = HostileNode.heapBytes(m);
        directAfter = HostileNode.directBytes(m);
        max(rssPeak, rssAfter);
        max(heapPeak, heapAfter);
        max(directPeak, directAfter);
        report(summary());
    }

    /** RSS growth from before the attack to its peak, in bytes. */
    long rssGrowth() {
        return rssPeak.get() - rssBefore;
    }

    long rssPeak() {
        return rssPeak.get();
    }

    String summary() {
        return "ATTACK " + row
                + " rss_before=" + mib(rssBefore) + " rss_peak=" + mib(rssPeak.get()) + " rss_after=" + mib(rssAfter)
                + " heap_before=" + mib(heapBefore) + " heap_peak=" + mib(heapPeak.get()) + " heap_after="
                + mib(heapAfter)
                + " direct_before=" + mib(directBefore) + " direct_peak=" + mib(directPeak.get())
                + " direct_after=" + mib(directAfter)
                + " node_alive=" + node.alive()
                + " innocent_published=" + sentAt.size() + " innocent_lost=" + lost().size()
                + " publish_failures=" + publishFailures.size()
                + " latency_baseline_max_ms=" + baselineMaxMs + " latency_p99_ms=" + p99Ms()
                + " latency_max_ms=" + maxLatencyMs()
                + " health_probes=" + healthProbes.get() + " health_failures=" + healthFailures.size()
                + " health_max_ms=" + healthMaxMs.get();
    }

    static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.1fMiB", bytes / 1048576.0);
    }

    /** Prints a line and appends it to {@code target/abuse/attack-report.txt}. */
    static void report(String line) {
        System.out.println(line);
        try {
            Path f = Path.of("target", "abuse", "attack-report.txt");
            Files.createDirectories(f.getParent());
            Files.writeString(
                    f, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the line went to stdout
        }
    }

    private List<Integer> lost() {
        List<Integer> lost = new ArrayList<>();
        for (Integer n : sentAt.keySet()) {
            if (!receivedAt.containsKey(n)) {
                lost.add(n);
            }
        }
        Collections.sort(lost);
        return lost;
    }

    /** Stops watching (if not yet) and checks what the attack must not have disturbed. */
    void assertUnaffected(SoftAssertions s) {
        stop();
        String where = " [" + summary() + "]";
        s.assertThat(node.alive()).as("node process alive" + where).isTrue();
        s.assertThat(healthFailures)
                .as("/health must answer 200 within " + HEALTH_BOUND.toMillis() + " ms during and after the attack"
                        + where)
                .isEmpty();
        s.assertThat(publishFailures)
                .as("API publishes of the innocent publisher" + where)
                .isEmpty();
        s.assertThat(lost())
                .as("publications the innocent subscriber never received" + where)
                .isEmpty();
        s.assertThat(p99Ms())
                .as("innocent delivery latency p99 (ms)" + where)
                .isLessThanOrEqualTo(Math.max(LATENCY_P99_BOUND.toMillis(), 5 * baselineMaxMs));
        s.assertThat(innocent.isOpen())
                .as("innocent WebSocket still open" + where)
                .isTrue();
        String log = node.log();
        String since = log.length() >= logMark ? log.substring(logMark) : log;
        s.assertThat(since)
                .as("node log during the attack" + where)
                .doesNotContain("OutOfMemoryError")
                .doesNotContain("OutOfDirectMemoryError");
        s.assertThat(directPeak.get() - directBefore)
                .as("direct memory growth during the attack, bytes (the node"
                        + " runs with -XX:MaxDirectMemorySize=64m)" + where)
                .isLessThanOrEqualTo(DIRECT_GROWTH_BOUND);
    }

    @Override
    public void close() {
        stop();
        innocent.close();
    }
}

package dev.switchboard.redis;

import static org.awaitility.Awaitility.await;

import dev.switchboard.core.engine.Publication;
import dev.switchboard.core.engine.PublishOptions;
import dev.switchboard.core.engine.StreamPosition;
import dev.switchboard.redis.testing.BrokerEventsAdapter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publications at a steady rate into channels of a Redis Cluster, with subscribing "nodes" (one
 * {@link RedisBroker} each, on connections of their own) that record what they were delivered
 * and whether they were told a channel's state was lost. {@link #report} then counts, per channel
 * and subscriber, what was acknowledged to the publisher and never delivered without such a
 * notice: the silent hole the engine must never leave.
 */
final class ClusterTraffic implements AutoCloseable {

    /** Stream kept per channel: far more than a test publishes. */
    static final PublishOptions HISTORY =
            new PublishOptions(100_000, Duration.ofMinutes(5), Duration.ofHours(1), null, null, null, null);

    private final List<String> channels;
    private final List<RedisConnections> connections = new ArrayList<>();
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final RedisBroker publisher;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, Set<Integer>> acked = new ConcurrentHashMap<>();
    private final List<CompletableFuture<?>> inFlight = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final AtomicLong failed = new AtomicLong();
    private final Map<String, Long> lastAckNanos = new ConcurrentHashMap<>();

    ClusterTraffic(String url, String prefix, List<String> channels, int nodes) {
        this.channels = channels;
        for (String ch : channels) {
            acked.put(ch, ConcurrentHashMap.newKeySet());
        }
        for (int i = 0; i < nodes; i++) {
            RedisConnections c = connect(url, prefix);
            Subscriber s = new Subscriber("node-" + i, new RedisBroker(c, "node-" + i));
            s.broker.start(s);
            for (String ch : channels) {
                s.broker.subscribe(ch).join();
            }
            subscribers.add(s);
        }
        publisher = new RedisBroker(connect(url, prefix), "publisher");
    }

    private RedisConnections connect(String url, String prefix) {
        RedisConnections c = new RedisConnections(RedisEngineOptions.builder(url)
                .prefix(prefix)
                .probeInterval(Duration.ofMillis(500))
                .probeTimeout(Duration.ofMillis(1000))
                .build());
        connections.add(c);
        return c;
    }

    /** Publishes round-robin into the channels, {@code perSecond} in all, without waiting for answers. */
    void start(int perSecond) {
        long periodMicros = 1_000_000L / perSecond;
        timer.scheduleAtFixedRate(this::publishOne, 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    private void publishOne() {
        int id = nextId.getAndIncrement();
        String ch = channels.get(id % channels.size());
        byte[] data = ("{\"i\":" + id + "}").getBytes(StandardCharsets.UTF_8);
        CompletableFuture<StreamPosition> f = publisher.publish(ch, data, HISTORY);
        inFlight.add(f.whenComplete((pos, e) -> {
            if (e == null) {
                acked.get(ch).add(id);
                lastAckNanos.put(ch, System.nanoTime());
            } else {
                failed.incrementAndGet();
            }
        }));
    }

    /** Stops publishing and waits for every answer. */
    void stop() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        CompletableFuture.allOf(inFlight.toArray(new CompletableFuture[0]))
                .exceptionally(e -> null)
                .join();
    }

    long acknowledged() {
        return acked.values().stream().mapToLong(Set::size).sum();
    }

    long failedPublishes() {
        return failed.get();
    }

    /** Nanotime of the last acknowledged publication into a channel. */
    Long lastAck(String channel) {
        return lastAckNanos.get(channel);
    }

    /** Delivered publications so far (all subscribers, all channels). */
    long delivered() {
        return subscribers.stream().mapToLong(Subscriber::deliveredCount).sum();
    }

    /** Waits until every subscriber has every acknowledged publication of every channel it was not told about. */
    Report settle(Duration atMost) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> report().lost() == 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the report says what is missing
        }
        return report();
    }

    Report report() {
        long lost = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        long flagged = 0;
        List<String> holes = new ArrayList<>();
        for (Subscriber s : subscribers) {
            for (String ch : channels) {
                List<long[]> got = s.got(ch);
                Set<Integer> ids = new HashSet<>();
                long lastOffset = 0;
                String lastEpochMark = null;
                for (long[] g : got) {
                    if (!ids.add((int) g[0])) {
                        duplicates++;
                    }
                    String mark = s.epochAt(ch, g);
                    if (mark.equals(lastEpochMark) && g[1] <= lastOffset) {
                        outOfOrder++;
                    }
                    lastEpochMark = mark;
                    lastOffset = g[1];
                }
                if (s.flagged.containsKey(ch)) {
                    flagged++;
                    continue;
                }
                for (int id : acked.get(ch)) {
                    if (!ids.contains(id)) {
                        lost++;
                        if (holes.size() < 10) {
                            holes.add(s.name + "/" + ch + "#" + id);
                        }
                    }
                }
            }
        }
        return new Report(acknowledged(), failed.get(), lost, duplicates, outOfOrder, flagged, holes);
    }

    /**
     * What a run left: publications acknowledged and failed, then per subscriber and channel the
     * acknowledged ones never delivered without notice ({@code lost}), delivered twice, delivered out
     * of offset order within an epoch, and the (subscriber, channel) pairs told their state was lost.
     */
    record Report(
            long acknowledged,
            long failedPublishes,
            long lost,
            long duplicates,
            long outOfOrder,
            long flaggedPairs,
            List<String> firstHoles) {}

    @Override
    public void close() {
        timer.shutdownNow();
        for (Subscriber s : subscribers) {
            s.broker.close();
        }
        publisher.close();
        for (RedisConnections c : connections) {
            c.close();
        }
    }

    /** One node's broker and what it was delivered: per channel, (id, offset) pairs in order. */
    private static final class Subscriber extends BrokerEventsAdapter {
        final String name;
        final RedisBroker broker;
        final Map<String, List<long[]>> got = new ConcurrentHashMap<>();
        final Map<String, Integer> flagged = new ConcurrentHashMap<>();

        Subscriber(String name, RedisBroker broker) {
            this.name = name;
            this.broker = broker;
        }

        @Override
        public void handlePublication(String channel, Publication p, StreamPosition position) {
            String s = new String(p.data(), StandardCharsets.UTF_8);
            int id = Integer.parseInt(s.substring(s.indexOf(':') + 1, s.indexOf('}')));
            List<long[]> list = got.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>());
            list.add(new long[] {id, p.offset(), flagged.getOrDefault(channel, 0)});
        }

        @Override
        public void handleInsufficientState(String channel) {
            flagged.merge(channel, 1, Integer::sum);
        }

        List<long[]> got(String channel) {
            return got.getOrDefault(channel, List.of());
        }

        /** Deliveries after a lost-state notice start a new epoch for the ordering check. */
        String epochAt(String channel, long[] g) {
            return Long.toString(g[2]);
        }

        long deliveredCount() {
            return got.values().stream().mapToLong(List::size).sum();
        }
    }
}

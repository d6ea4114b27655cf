package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.channel.ChannelOptions;
import dev.switchboard.core.channel.ChannelRules;
import dev.switchboard.core.engine.HistoryFilter;
import dev.switchboard.core.engine.HistoryResult;
import dev.switchboard.core.engine.Publication;
import dev.switchboard.core.engine.StreamPosition;
import dev.switchboard.core.node.Node;
import dev.switchboard.core.node.NodeOptions;
import dev.switchboard.core.node.PublishParams;
import dev.switchboard.core.node.RetryingPublisher;
import dev.switchboard.redis.testing.ClusterNode;
import dev.switchboard.redis.testing.RedisClusterExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The worker's {@link RetryingPublisher} across a Redis Cluster failover: what Redis certainly did
 * not run is retried inside the engine, what may have run is retried with the same idempotency
 * key, so no publication is ever in the stream twice.
 */
class RetryingPublisherOnRedisClusterIT {

    @RegisterExtension
    static RedisClusterExtension cluster = RedisClusterExtension.create();

    @Test
    void publicationsRetriedAcrossAFailoverAreInTheStreamOnceEach() throws Exception {
        ChannelRules rules = ChannelRules.builder()
                .namespace(
                        "jobs",
                        ChannelOptions.builder()
                                .historySize(100_000)
                                .historyTtl(Duration.ofMinutes(5))
                                .build())
                .build();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        Node node = Node.builder()
                .options(NodeOptions.builder().channelRules(rules).build())
                .engine(RedisEngine.connect(
                        RedisEngineOptions.builder(cluster.url()).prefix("rp").build(), "worker"))
                .build()
                .start();
        try {
            RetryingPublisher publisher = RetryingPublisher.builder(node, scheduler)
                    // Retries for ~20 s, the breaker kept shut: this test is about what retries do.
                    .maxAttempts(40)
                    .maxBackoff(Duration.ofMillis(500))
                    .failureThreshold(Integer.MAX_VALUE)
                    .build();
            String channel = "jobs:progress";
            int slot = RedisClusterExtension.slotOf(channel);
            ClusterNode primary = cluster.primaryOfSlot(slot);
            List<CompletableFuture<StreamPosition>> results = new ArrayList<>();
            CompletableFuture<ClusterNode> failover = null;
            long killedAt = 0;
            for (int i = 0; i < 1500; i++) {
                byte[] data = ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                results.add(publisher.publish(channel, data, PublishParams.DEFAULT));
                if (i == 300) {
                    killedAt = System.nanoTime();
                    cluster.kill(primary);
                    failover = CompletableFuture.supplyAsync(
                            () -> cluster.awaitFailover(slot, primary, Duration.ofSeconds(20)));
                }
                Thread.sleep(2);
            }
            failover.join();
            AtomicInteger failed = new AtomicInteger();
            Set<Integer> acked = new HashSet<>();
            for (int i = 0; i < results.size(); i++) {
                try {
                    results.get(i).join();
                    acked.add(i);
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                }
            }
            // Read back in pages: a node caps one history read.
            List<Integer> inStream = new ArrayList<>();
            StreamPosition since = null;
            HistoryResult h;
            do {
                h = node.history(channel, new HistoryFilter(since, 200, false)).join();
                for (Publication p : h.publications()) {
                    String s = new String(p.data(), StandardCharsets.UTF_8);
                    inStream.add(Integer.parseInt(s.substring(s.indexOf(':') + 1, s.indexOf('}'))));
                    since = new StreamPosition(p.offset(), h.position().epoch());
                }
            } while (!h.publications().isEmpty());
            Set<Integer> distinct = new HashSet<>(inStream);
            long missing = acked.stream().filter(i -> !distinct.contains(i)).count();
            System.out.printf(
                    "RetryingPublisher across a failover (all settled %d ms after the kill): %d acknowledged, %d failed after retries,"
                            + " %d in the stream, %d duplicates, %d acknowledged but lost by the failover%n",
                    (System.nanoTime() - killedAt) / 1_000_000,
                    acked.size(),
                    failed.get(),
                    inStream.size(),
                    inStream.size() - distinct.size(),
                    missing);
            assertThat(inStream.size() - distinct.size()).as("duplicates").isZero();
            assertThat(failed.get())
                    .as("publications that failed after every retry")
                    .isZero();
            if (missing > 0) {
                // Only a failover that dropped acknowledged writes can do this; it starts a new epoch.
                assertThat(h.position().epoch())
                        .isNotEqualTo(results.get(0).join().epoch());
            }
        } finally {
            node.close();
            scheduler.shutdownNow();
        }
    }
}

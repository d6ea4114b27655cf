package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.redis.testing.ClusterNode;
import dev.switchboard.redis.testing.RedisClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The engine's guarantees across a Redis Cluster's topology changes, with publications flowing at
 * about 500/s into channels on every shard and three subscribing nodes: after a primary is killed,
 * after a busy channel's slot moves, after every pub/sub connection drops, each subscriber has
 * every acknowledged publication of each channel, or was told that channel's state was lost
 * (clients then resubscribe with {@code recovered: false}); never a silent hole.
 */
class RedisClusterFaultsIT {

    @RegisterExtension
    static RedisClusterExtension cluster = RedisClusterExtension.create();

    private static final int RATE = 500;

    /** Two channels on each primary's slots. */
    private static List<String> channelsOnEveryShard(String prefix) {
        List<String> out = new ArrayList<>();
        int i = 0;
        for (ClusterNode p : cluster.primaries()) {
            int low = cluster.lowestSlotOf(p);
            out.add(RedisClusterExtension.channelInSlot(prefix + i++ + "-", low + 1));
            out.add(RedisClusterExtension.channelInSlot(prefix + i++ + "-", low + 100));
        }
        return out;
    }

    private static void print(String what, ClusterTraffic.Report r, String extra) {
        System.out.printf(
                "%s: %d publications acknowledged, %d failed, %d lost, %d duplicates, %d out of order, "
                        + "%d (node, channel) pairs told recovered:false%s%n",
                what,
                r.acknowledged(),
                r.failedPublishes(),
                r.lost(),
                r.duplicates(),
                r.outOfOrder(),
                r.flaggedPairs(),
                extra);
    }

    @Test
    void aKilledPrimaryIsFailedOverAndEverySubscriberHasEveryPublicationOrWasTold() throws Exception {
        List<String> channels = channelsOnEveryShard("failover");
        int slot = RedisClusterExtension.slotOf(channels.get(0));
        ClusterNode victim = cluster.primaryOfSlot(slot);
        try (ClusterTraffic traffic = new ClusterTraffic(cluster.url(), "fo", channels, 3)) {
            traffic.start(RATE);
            Thread.sleep(1500);
            long killedAt = System.nanoTime();
            cluster.kill(victim);
            cluster.awaitFailover(slot, victim, Duration.ofSeconds(20));
            long failedOverMs = (System.nanoTime() - killedAt) / 1_000_000;
            // Traffic goes on until the failed shard has taken publications again for a while.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            Long back = null;
            while (System.nanoTime() < deadline) {
                Long last = traffic.lastAck(channels.get(0));
                if (last != null && last > killedAt) {
                    back = last;
                    break;
                }
                Thread.sleep(20);
            }
            assertThat(back).as("the failed shard accepts publications again").isNotNull();
            long publishBackMs = (back - killedAt) / 1_000_000;
            Thread.sleep(1500);
            traffic.stop();
            ClusterTraffic.Report r = traffic.settle(Duration.ofSeconds(15));
            print(
                    "primary SIGKILLed",
                    r,
                    String.format(
                            "; failover seen by the cluster after %d ms, the shard took publications again after %d ms",
                            failedOverMs, publishBackMs));
            assertThat(r.firstHoles()).as("silent holes").isEmpty();
            assertThat(r.lost()).isZero();
            assertThat(r.duplicates()).isZero();
            assertThat(r.outOfOrder()).isZero();
            assertThat(r.acknowledged()).isGreaterThan(RATE * 3L);
        }
    }

    /**
     * Replication is asynchronous: a primary acknowledges writes its replica may never get. Made
     * certain here: the replica is stopped (SIGSTOP) and its link cut, publications are acknowledged
     * by the primary alone, the primary is killed and the replica, resumed, is promoted without
     * them. Subscribers that were delivered those publications must be told (a new epoch:
     * {@code recovered: false} for clients), never left believing the reused offsets.
     */
    @Test
    void aFailoverThatLostAcknowledgedPublicationsTellsEverySubscriberOfTheirChannels() throws Exception {
        List<String> channels = channelsOnEveryShard("lossy");
        int slot = RedisClusterExtension.slotOf(channels.get(0));
        ClusterNode victim = cluster.primaryOfSlot(slot);
        ClusterNode replica = replicaOf(victim);
        try (ClusterTraffic traffic = new ClusterTraffic(cluster.url(), "lw", channels, 3)) {
            traffic.start(RATE);
            Thread.sleep(1000);
            signal("STOP", replica);
            try {
                cluster.command(victim, "CLIENT", "KILL", "TYPE", "replica");
                Thread.sleep(300); // publications acknowledged by the primary alone
                cluster.kill(victim);
            } finally {
                signal("CONT", replica);
            }
            cluster.awaitFailover(slot, victim, Duration.ofSeconds(20));
            Thread.sleep(2000);
            traffic.stop();
            ClusterTraffic.Report r = traffic.settle(Duration.ofSeconds(15));
            print("primary SIGKILLed after acknowledging writes its replica never got", r, "");
            assertThat(r.firstHoles()).as("silent holes").isEmpty();
            assertThat(r.lost()).isZero();
            assertThat(r.duplicates()).isZero();
            assertThat(r.flaggedPairs())
                    .as("each of the three nodes subscribed to the lossy shard's two channels was told")
                    .isGreaterThanOrEqualTo(3);
        }
    }

    private static ClusterNode replicaOf(ClusterNode primary) {
        for (ClusterNode n : cluster.nodes()) {
            if (n.isRunning() && !n.id().equals(primary.id())) {
                Object role = cluster.command(n, "ROLE");
                if (role instanceof List<?> l
                        && "slave".equals(String.valueOf(l.get(0)))
                        && Long.parseLong(String.valueOf(l.get(2))) == primary.port()) {
                    return n;
                }
            }
        }
        throw new IllegalStateException("no replica of " + primary);
    }

    private static void signal(String signal, ClusterNode node) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(node.pid()))
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor()).as("kill -%s %s", signal, node).isZero();
    }

    @Test
    void aBusyChannelsSlotMovedMidStreamLosesNothingAndDuplicatesNothing() throws Exception {
        ClusterNode from = cluster.primaries().get(0);
        int slot = cluster.lowestSlotOf(from);
        ClusterNode to = cluster.primaries().get(1);
        String busy = RedisClusterExtension.channelInSlot("busy-", slot);
        List<String> channels = List.of(busy);
        try (ClusterTraffic traffic = new ClusterTraffic(cluster.url(), "rs", channels, 3)) {
            traffic.start(RATE);
            Thread.sleep(1000);
            CompletableFuture<Duration> move = CompletableFuture.supplyAsync(() -> cluster.reshardSlot(slot, to));
            Duration took = move.join();
            Thread.sleep(1500);
            traffic.stop();
            ClusterTraffic.Report r = traffic.settle(Duration.ofSeconds(15));
            print("slot of a busy channel moved", r, String.format("; the move took %d ms", took.toMillis()));
            assertThat(cluster.primaryOfSlot(slot).id()).isEqualTo(to.id());
            assertThat(r.firstHoles()).as("silent holes").isEmpty();
            assertThat(r.lost()).isZero();
            assertThat(r.duplicates()).isZero();
            assertThat(r.outOfOrder()).isZero();
            assertThat(r.flaggedPairs())
                    .as("a move loses nothing, so nobody is told recovered:false")
                    .isZero();
        }
    }

    @Test
    void everyPubSubConnectionDroppedMidStreamLosesNothing() throws Exception {
        List<String> channels = channelsOnEveryShard("kill");
        try (ClusterTraffic traffic = new ClusterTraffic(cluster.url(), "kp", channels, 3)) {
            traffic.start(RATE);
            Thread.sleep(1000);
            assertThat(cluster.clientKillPubSub()).isGreaterThanOrEqualTo(3);
            Thread.sleep(1500);
            traffic.stop();
            ClusterTraffic.Report r = traffic.settle(Duration.ofSeconds(15));
            print("every pub/sub connection killed", r, "");
            assertThat(r.firstHoles()).as("silent holes").isEmpty();
            assertThat(r.lost()).isZero();
            assertThat(r.duplicates()).isZero();
            assertThat(r.flaggedPairs()).isZero();
            assertThat(r.failedPublishes()).isZero();
        }
    }
}

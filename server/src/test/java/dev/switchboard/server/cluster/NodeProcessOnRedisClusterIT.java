package dev.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.redis.testing.ClusterNode;
import dev.switchboard.redis.testing.RedisClusterExtension;
import dev.switchboard.server.testing.RecoveringClient;
import dev.switchboard.server.testing.TestServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two node processes over a real Redis Cluster, while publications flow: the Redis primary
 * serving the channel and one node process are SIGKILLed at once. The dead node's clients
 * reconnect to the others and recover; every client ends with every publication in order, or was
 * told its state was lost ({@code recovered: false}, when the failover lost acknowledged writes).
 */
class NodeProcessOnRedisClusterIT {

    @RegisterExtension
    static RedisClusterExtension redis = RedisClusterExtension.create();

    @TempDir
    Path dir;

    NodeProcesses procs;
    final List<RecoveringClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        // Two are enough for the dead one's clients to go elsewhere; each process costs seconds to start.
        procs = NodeProcesses.start(2, redis.url(), dir);
    }

    @AfterEach
    void stop() {
        clients.forEach(RecoveringClient::close);
        if (procs != null) {
            procs.close();
        }
    }

    @Test
    void aNodeProcessAndTheChannelsRedisPrimaryKilledTogetherClientsRecoverElsewhere() throws Exception {
        String channel = "crash";
        for (int i = 0; i < 6; i++) {
            clients.add(new RecoveringClient(procs::nextUrl, TestServers.token("u" + i), channel));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger published = new AtomicInteger();
        Thread pub = NodeProcessIT.publisher(procs::anyLiveApi, channel, stop, published, 4_000);
        clients.forEach(c -> c.pump(Duration.ofMillis(300)));

        int slot = RedisClusterExtension.slotOf(channel);
        ClusterNode primary = redis.primaryOfSlot(slot);
        long killedAt = System.nanoTime();
        redis.kill(primary);
        procs.nodes.get(0).kill();
        CompletableFuture<ClusterNode> failover =
                CompletableFuture.supplyAsync(() -> redis.awaitFailover(slot, primary, Duration.ofSeconds(20)));
        while (!failover.isDone()) {
            clients.forEach(c -> c.pump(Duration.ofMillis(20)));
        }
        failover.join();
        long failedOverMs = (System.nanoTime() - killedAt) / 1_000_000;
        int atFailover = published.get();
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < until) {
            clients.forEach(c -> c.pump(Duration.ofMillis(20)));
        }
        stop.set(true);
        pub.join(20_000);
        int total = published.get();

        int complete = 0;
        int told = 0;
        for (RecoveringClient c : clients) {
            c.pumpUntil(total, Duration.ofSeconds(20));
            boolean wasTold = c.insufficientState() > 0 || c.recoveries().contains(false);
            if (wasTold) {
                told++;
            } else {
                assertThat(c.offsets()).isEqualTo(NodeProcessIT.oneTo(total));
                complete++;
            }
        }
        System.out.printf(
                "node process and Redis primary killed: %d publications (%d by the failover, %d ms after the kills);"
                        + " %d clients have every one in order, %d were told recovered:false; reconnects %s%n",
                total,
                atFailover,
                failedOverMs,
                complete,
                told,
                clients.stream().map(RecoveringClient::reconnects).toList());
        assertThat(total).isGreaterThan(atFailover);
        assertThat(clients.stream().mapToInt(RecoveringClient::reconnects).sum())
                .as("the dead node's clients reconnected elsewhere")
                .isGreaterThanOrEqualTo(2);
    }
}

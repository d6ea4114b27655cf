package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.redis.testing.ClusterNode;
import dev.switchboard.redis.testing.RedisClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Redis Cluster whose nodes require a password: the one in the {@code redis+cluster://} URL
 * reaches every node the engine talks to, the shards' own pub/sub connections included, and a
 * wrong one is refused at start without being echoed.
 */
class RedisClusterAuthIT {

    private static final String PASSWORD = "cluster-s3cret";

    @RegisterExtension
    static RedisClusterExtension cluster = RedisClusterExtension.withPassword(PASSWORD);

    @Test
    void publicationsOnEveryShardReachSubscribersThroughAuthenticatedShardConnections() {
        List<String> channels = new ArrayList<>();
        int i = 0;
        for (ClusterNode p : cluster.primaries()) {
            channels.add(RedisClusterExtension.channelInSlot("auth" + i++ + "-", cluster.lowestSlotOf(p) + 7));
        }
        try (ClusterTraffic traffic = new ClusterTraffic(cluster.url(), "au", channels, 2)) {
            traffic.start(200);
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            traffic.stop();
            ClusterTraffic.Report r = traffic.settle(Duration.ofSeconds(10));
            assertThat(r.acknowledged()).isGreaterThan(100);
            assertThat(r.failedPublishes()).isZero();
            assertThat(r.lost()).isZero();
            assertThat(r.duplicates()).isZero();
        }
    }

    @Test
    void aWrongPasswordIsRefusedAtStartWithoutBeingEchoed() {
        String wrong = cluster.url().replace(PASSWORD, "not-the-password");
        assertThatThrownBy(() -> new RedisConnections(
                                RedisEngineOptions.builder(wrong).prefix("au").build())
                        .close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot connect to Redis")
                .hasMessageNotContaining("not-the-password");
    }
}

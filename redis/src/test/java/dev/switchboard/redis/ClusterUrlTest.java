package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How cluster URLs become seed nodes, and what a shard's own pub/sub connection inherits from them. */
class ClusterUrlTest {

    @Test
    void everyHostOfAClusterUrlIsASeedWithItsPasswordAndTimeout() {
        RedisEngineOptions o = RedisEngineOptions.builder("redis+cluster://:s3cret@10.0.0.1:7001,10.0.0.2:7002")
                .commandTimeout(Duration.ofMillis(1500))
                .build();
        assertThat(o.cluster()).isTrue();
        List<RedisURI> seeds = RedisConnections.clusterSeeds(o);
        assertThat(seeds).extracting(RedisURI::getHost).containsExactly("10.0.0.1", "10.0.0.2");
        assertThat(seeds).extracting(RedisURI::getPort).containsExactly(7001, 7002);
        assertThat(seeds).allSatisfy(u -> {
            assertThat(u.isSsl()).isFalse();
            assertThat(u.getTimeout()).isEqualTo(Duration.ofMillis(1500));
            assertThat(new String(u.getCredentialsProvider()
                            .resolveCredentials()
                            .block()
                            .getPassword()))
                    .isEqualTo("s3cret");
        });
        assertThat(o.redactedUrl()).doesNotContain("s3cret");
    }

    @Test
    void aShardConnectionGetsTheSeedsPasswordAndTlsButItsOwnAddress() {
        RedisEngineOptions o = RedisEngineOptions.builder("rediss+cluster://:s3cret@10.0.0.1:7001")
                .build();
        RedisURI seed = RedisConnections.clusterSeeds(o).get(0);
        assertThat(seed.isSsl()).isTrue();
        RedisURI shard = RedisConnections.nodeUri(seed, RedisURI.create("redis://10.0.0.9:7009"));
        assertThat(shard.getHost()).isEqualTo("10.0.0.9");
        assertThat(shard.getPort()).isEqualTo(7009);
        assertThat(shard.isSsl()).isTrue();
        assertThat(new String(shard.getCredentialsProvider()
                        .resolveCredentials()
                        .block()
                        .getPassword()))
                .isEqualTo("s3cret");
    }

    @Test
    void aClusterUrlCannotBeOneOfSeveralShards() {
        assertThatThrownBy(() ->
                        RedisEngineOptions.builder(List.of("redis://10.0.0.1:6379", "redis+cluster://10.0.0.2:7001")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shards by itself");
        assertThat(RedisEngineOptions.builder(List.of("redis://a:1", "redis://b:2"))
                        .build()
                        .urls())
                .hasSize(2);
    }

    @Test
    void jumpHashingSpreadsChannelsEvenlyAndMovesFewWhenAShardIsAdded() {
        int[] counts = new int[3];
        int moved = 0;
        int n = 30_000;
        for (int i = 0; i < n; i++) {
            String ch = "chat:room-" + i;
            int three = ChannelShards.of(ch, 3);
            counts[three]++;
            int four = ChannelShards.of(ch, 4);
            if (four != three) {
                assertThat(four).as("a channel moves only to the new shard").isEqualTo(3);
                moved++;
            }
        }
        for (int c : counts) {
            assertThat(c).isBetween(n / 3 - n / 30, n / 3 + n / 30);
        }
        assertThat(moved).isBetween(n / 4 - n / 20, n / 4 + n / 20);
        assertThat(ChannelShards.of("anything", 1)).isZero();
    }
}

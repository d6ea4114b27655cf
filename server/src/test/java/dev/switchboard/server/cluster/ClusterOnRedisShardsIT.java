package dev.switchboard.server.cluster;

import dev.switchboard.redis.testing.RedisServerExtension;
import dev.switchboard.redis.testing.RedisUnderTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link MultiNodeSuite} unchanged over two independent redis-servers ({@code redis.urls}):
 * channels spread by consistent hashing, registries and node messages on the first.
 */
class ClusterOnRedisShardsIT extends MultiNodeSuite {

    @RegisterExtension
    static RedisServerExtension first = RedisServerExtension.create();

    @RegisterExtension
    static RedisServerExtension second = RedisServerExtension.create();

    /** Both servers as one: their URLs space-separated, which the suite's nodes read as {@code redis.urls}. */
    @Override
    RedisUnderTest redis() {
        return new RedisUnderTest() {
            @Override
            public String url() {
                return first.url() + " " + second.url();
            }

            @Override
            public void flushAll() {
                first.flushAll();
                second.flushAll();
            }

            @Override
            public long clientKillPubSub() {
                return first.clientKillPubSub() + second.clientKillPubSub();
            }
        };
    }
}

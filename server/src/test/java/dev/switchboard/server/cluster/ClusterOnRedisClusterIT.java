package dev.switchboard.server.cluster;

import dev.switchboard.redis.testing.RedisClusterExtension;
import dev.switchboard.redis.testing.RedisUnderTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link MultiNodeSuite} unchanged on a real Redis Cluster of six processes: sharded pub/sub, the registry on one slot. */
class ClusterOnRedisClusterIT extends MultiNodeSuite {

    @RegisterExtension
    static RedisClusterExtension redis = RedisClusterExtension.create();

    @Override
    RedisUnderTest redis() {
        return redis;
    }
}

package dev.switchboard.server.cluster;

import dev.switchboard.redis.testing.RedisServerExtension;
import dev.switchboard.redis.testing.RedisUnderTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link MultiNodeSuite} on one real redis-server. */
class ClusterIT extends MultiNodeSuite {

    @RegisterExtension
    static RedisServerExtension redis = RedisServerExtension.create();

    @Override
    RedisUnderTest redis() {
        return redis;
    }
}

package dev.switchboard.server.rpc;

import dev.switchboard.redis.testing.RedisClusterExtension;
import dev.switchboard.redis.testing.RedisUnderTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link InvokeSuite} unchanged on a real Redis Cluster of six processes: each node's channel is sharded by its id. */
class InvokeOnRedisClusterIT extends InvokeSuite {

    @RegisterExtension
    static RedisClusterExtension redis = RedisClusterExtension.create();

    @Override
    RedisUnderTest redis() {
        return redis;
    }
}

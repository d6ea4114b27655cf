package dev.switchboard.server.rpc;

import dev.switchboard.redis.testing.RedisServerExtension;
import dev.switchboard.redis.testing.RedisUnderTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link InvokeSuite} on one real redis-server. */
class InvokeIT extends InvokeSuite {

    @RegisterExtension
    static RedisServerExtension redis = RedisServerExtension.create();

    @Override
    RedisUnderTest redis() {
        return redis;
    }
}

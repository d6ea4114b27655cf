package dev.switchboard.redis;

import dev.switchboard.core.engine.PresenceManager;
import dev.switchboard.core.engine.contract.PresenceManagerContract;
import dev.switchboard.redis.testing.RedisServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The presence contract on a real redis-server, each test under its own key prefix. */
class RedisPresenceManagerContractIT extends PresenceManagerContract {

    @RegisterExtension
    static RedisServerExtension redis = RedisServerExtension.create();

    @Override
    protected PresenceManager newPresenceManager() {
        return new RedisPresenceManager(closeAfterTest(ContractRedis.connect(redis, "presence")));
    }
}

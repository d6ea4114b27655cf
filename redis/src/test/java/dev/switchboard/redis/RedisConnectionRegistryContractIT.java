package dev.switchboard.redis;

import dev.switchboard.core.engine.ConnectionRegistry;
import dev.switchboard.core.engine.contract.ConnectionRegistryContract;
import dev.switchboard.redis.testing.RedisServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The connection registry contract on a real redis-server, each test under its own key prefix. */
class RedisConnectionRegistryContractIT extends ConnectionRegistryContract {

    @RegisterExtension
    static RedisServerExtension redis = RedisServerExtension.create();

    @Override
    protected ConnectionRegistry newConnectionRegistry() {
        return new RedisConnectionRegistry(closeAfterTest(ContractRedis.connect(redis, "conns")));
    }
}

package dev.switchboard.redis;

import dev.switchboard.core.engine.NodeRegistry;
import dev.switchboard.core.engine.contract.NodeRegistryContract;
import dev.switchboard.redis.testing.RedisServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The node registry contract on a real redis-server, each test under its own key prefix. */
class RedisNodeRegistryContractIT extends NodeRegistryContract {

    @RegisterExtension
    static RedisServerExtension redis = RedisServerExtension.create();

    @Override
    protected NodeRegistry newNodeRegistry() {
        return new RedisNodeRegistry(closeAfterTest(ContractRedis.connect(redis, "nodes")));
    }
}

package dev.switchboard.redis;

import dev.switchboard.core.engine.Broker;
import dev.switchboard.core.engine.contract.BrokerContract;
import dev.switchboard.redis.testing.RedisServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The broker contract on a real redis-server, each test under its own key prefix. */
class RedisBrokerContractIT extends BrokerContract {

    @RegisterExtension
    static RedisServerExtension redis = RedisServerExtension.create();

    @Override
    protected Broker newBroker() {
        return new RedisBroker(closeAfterTest(ContractRedis.connect(redis, "broker")), nodeId());
    }

    @Override
    protected String nodeId() {
        return "redis-node";
    }
}

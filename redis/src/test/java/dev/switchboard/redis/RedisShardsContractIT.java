package dev.switchboard.redis;

import dev.switchboard.core.engine.Broker;
import dev.switchboard.core.engine.PresenceManager;
import dev.switchboard.core.engine.contract.BrokerContract;
import dev.switchboard.core.engine.contract.PresenceManagerContract;
import dev.switchboard.redis.testing.RedisServerExtension;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker and presence contracts unchanged over two independent redis-servers
 * ({@code redis.urls}): every channel lives on the shard its name hashes to.
 */
class RedisShardsContractIT {

    @RegisterExtension
    static RedisServerExtension first = RedisServerExtension.create();

    @RegisterExtension
    static RedisServerExtension second = RedisServerExtension.create();

    private static final AtomicInteger PREFIXES = new AtomicInteger();

    static RedisEngine engine(String role, String nodeId) {
        return RedisEngine.connect(
                RedisEngineOptions.builder(List.of(first.url(), second.url()))
                        .prefix("shards-" + role + PREFIXES.incrementAndGet())
                        .build(),
                nodeId);
    }

    @Nested
    class OverTwoServers_Broker extends BrokerContract {
        @Override
        protected Broker newBroker() {
            return closeAfterTest(engine("broker", nodeId())).broker();
        }

        @Override
        protected String nodeId() {
            return "redis-node";
        }
    }

    @Nested
    class OverTwoServers_Presence extends PresenceManagerContract {
        @Override
        protected PresenceManager newPresenceManager() {
            return closeAfterTest(engine("presence", "n")).presenceManager();
        }
    }
}

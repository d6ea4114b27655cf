package dev.switchboard.redis;

import dev.switchboard.core.engine.Broker;
import dev.switchboard.core.engine.ConnectionRegistry;
import dev.switchboard.core.engine.NodeRegistry;
import dev.switchboard.core.engine.PresenceManager;
import dev.switchboard.core.engine.contract.BrokerContract;
import dev.switchboard.core.engine.contract.ConnectionRegistryContract;
import dev.switchboard.core.engine.contract.NodeRegistryContract;
import dev.switchboard.core.engine.contract.PresenceManagerContract;
import dev.switchboard.redis.testing.RedisClusterExtension;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every engine contract that runs on one redis-server ({@code Redis*ContractIT}) runs unchanged on
 * a real six-process Redis Cluster: keys, scripts and sharded pub/sub placed by slot.
 */
class RedisClusterContractIT {

    @RegisterExtension
    static RedisClusterExtension cluster = RedisClusterExtension.create();

    @Nested
    class OnACluster_Broker extends BrokerContract {
        @Override
        protected Broker newBroker() {
            return new RedisBroker(closeAfterTest(ContractRedis.connect(cluster, "broker")), nodeId());
        }

        @Override
        protected String nodeId() {
            return "redis-node";
        }
    }

    @Nested
    class OnACluster_Presence extends PresenceManagerContract {
        @Override
        protected PresenceManager newPresenceManager() {
            return new RedisPresenceManager(closeAfterTest(ContractRedis.connect(cluster, "presence")));
        }
    }

    @Nested
    class OnACluster_NodeRegistry extends NodeRegistryContract {
        @Override
        protected NodeRegistry newNodeRegistry() {
            return new RedisNodeRegistry(closeAfterTest(ContractRedis.connect(cluster, "nodes")));
        }
    }

    @Nested
    class OnACluster_ConnectionRegistry extends ConnectionRegistryContract {
        @Override
        protected ConnectionRegistry newConnectionRegistry() {
            return new RedisConnectionRegistry(closeAfterTest(ContractRedis.connect(cluster, "conns")));
        }
    }
}

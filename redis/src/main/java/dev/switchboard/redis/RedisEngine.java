package dev.switchboard.redis;

import dev.switchboard.core.engine.Broker;
import dev.switchboard.core.engine.NodeRegistry;
import dev.switchboard.core.engine.PresenceManager;

/**
 * The Redis engine for one node: the broker, presence and node registry sharing one set of
 * connections, which close last.
 *
 * <pre>{@code
 * RedisEngine engine = RedisEngine.connect(RedisEngineOptions.builder("redis://127.0.0.1:6379").build(), nodeId);
 * Node node = Node.builder().broker(engine.broker()).presenceManager(engine.presenceManager())
 *     .nodeRegistry(engine.nodeRegistry()).connectionRegistry(engine.connectionRegistry()).build().start();
 * ...
 * node.close();
 * engine.close();
 * }</pre>
 */
public final class RedisEngine implements AutoCloseable {

    private final RedisConnections connections;
    private final RedisBroker broker;
    private final RedisPresenceManager presence;
    private final RedisNodeRegistry registry;
    private final RedisConnectionRegistry connectionRegistry;

    private RedisEngine(RedisConnections connections, String nodeId) {
        this.connections = connections;
        // The registry routes through lookups the broker's pub/sub keeps fresh.
        RoutingKeyCache routingKeys = new RoutingKeyCache();
        this.broker = new RedisBroker(connections, nodeId, routingKeys);
        this.presence = new RedisPresenceManager(connections);
        this.registry = new RedisNodeRegistry(connections);
        this.connectionRegistry = new RedisConnectionRegistry(connections, routingKeys);
    }

    /**
     * Connects to Redis.
     *
     * @param nodeId the node's id: its own pub/sub channel is named after it
     * @throws IllegalStateException when Redis cannot be reached
     */
    public static RedisEngine connect(RedisEngineOptions options, String nodeId) {
        return new RedisEngine(new RedisConnections(options), nodeId);
    }

    public RedisBroker broker() {
        return broker;
    }

    public PresenceManager presenceManager() {
        return presence;
    }

    public NodeRegistry nodeRegistry() {
        return registry;
    }

    public RedisConnectionRegistry connectionRegistry() {
        return connectionRegistry;
    }

    /** The broker as the SPI type. */
    public Broker asBroker() {
        return broker;
    }

    /** Closes the connections; close the node first. */
    @Override
    public void close() {
        connections.close();
    }
}

package dev.switchboard.redis;

import dev.switchboard.core.engine.Engine;
import dev.switchboard.core.engine.EventQueue;
import dev.switchboard.core.engine.NodeRegistry;
import dev.switchboard.core.engine.PresenceManager;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Redis engine for one node: the broker, presence and the node and connection registries
 * sharing one set of connections, which close last. Expiry is Redis's own, so it runs no timer.
 *
 * <pre>{@code
 * RedisEngine engine = RedisEngine.connect(RedisEngineOptions.builder("redis://127.0.0.1:6379").build(), nodeId);
 * Node node = Node.builder().options(options).engine(engine).build().start();
 * ...
 * node.close(); // closes the engine too
 * }</pre>
 */
public final class RedisEngine implements Engine {

    private final RedisConnections connections;
    private final RedisBroker broker;
    private final RedisPresenceManager presence;
    private final RedisNodeRegistry registry;
    private final RedisConnectionRegistry connectionRegistry;
    private final RedisEventQueue events;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisEngine(RedisConnections connections, String nodeId) {
        this.connections = connections;
        // The registry routes through lookups the broker's pub/sub keeps fresh.
        RoutingKeyCache routingKeys = new RoutingKeyCache();
        this.broker = new RedisBroker(connections, nodeId, routingKeys);
        this.presence = new RedisPresenceManager(connections);
        this.registry = new RedisNodeRegistry(connections);
        this.connectionRegistry = new RedisConnectionRegistry(connections, routingKeys);
        this.events = new RedisEventQueue(connections);
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

    /** The options it was connected with. */
    public RedisEngineOptions options() {
        return connections.options();
    }

    @Override
    public RedisBroker broker() {
        return broker;
    }

    @Override
    public PresenceManager presenceManager() {
        return presence;
    }

    @Override
    public NodeRegistry nodeRegistry() {
        return registry;
    }

    @Override
    public RedisConnectionRegistry connectionRegistry() {
        return connectionRegistry;
    }

    /** Lifecycle events in a Redis stream, shared by every node. */
    @Override
    public Optional<EventQueue> eventQueue() {
        return Optional.of(events);
    }

    /** Closes the parts, then the connections they share. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Engine.super.close();
        } finally {
            connections.close();
        }
    }
}

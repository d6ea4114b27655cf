package dev.switchboard.core.engine;

import java.util.Optional;

/**
 * Everything a node keeps outside itself: the {@link Broker} that moves publications between
 * nodes, the {@link PresenceManager}, the {@link NodeRegistry} of live nodes and the
 * {@link ConnectionRegistry} of where each connection is. The parts of one engine agree with
 * each other (a Redis broker with Redis registries, never a Redis broker with the registries of a
 * single node), so a node takes the engine whole.
 *
 * <p>The node that is given an engine starts it and closes it; the engine's own background work
 * (such as the memory engine's expiry sweep) runs between the two.
 *
 * <pre>{@code
 * Engine engine = new MemoryEngine();            // or RedisEngine.connect(options, nodeId)
 * Node node = Node.builder().engine(engine).build().start();
 * ...
 * node.close();                                  // closes the engine too
 * }</pre>
 */
public interface Engine extends AutoCloseable {

    Broker broker();

    PresenceManager presenceManager();

    NodeRegistry nodeRegistry();

    ConnectionRegistry connectionRegistry();

    /**
     * The queue of lifecycle events for the application's backend (webhooks), when the engine
     * has one; its {@link ConnectionRegistry} then supports the {@code add}/{@code remove} that
     * queue events. Empty by default.
     */
    default Optional<EventQueue> eventQueue() {
        return Optional.empty();
    }

    /**
     * An engine made of the given parts, for engines of your own and for test doubles. It runs
     * no background work of its own: each part is expected to expire its entries by itself.
     *
     * <pre>{@code
     * Engine engine = Engine.of(myBroker, myPresence, myNodeRegistry, myConnectionRegistry);
     * }</pre>
     *
     * @throws NullPointerException naming the missing part
     */
    static Engine of(
            Broker broker,
            PresenceManager presenceManager,
            NodeRegistry nodeRegistry,
            ConnectionRegistry connectionRegistry) {
        return new ComposedEngine(broker, presenceManager, nodeRegistry, connectionRegistry);
    }

    /**
     * Starts the engine: its broker delivers events to the handler from now on. Called once,
     * by the node, before anything else.
     */
    default void start(BrokerEventHandler handler) {
        broker().start(handler);
    }

    /** Whether the engine is reachable right now, for health checks. */
    default boolean healthy() {
        return broker().healthy();
    }

    /**
     * Stops the engine and releases its resources; called by the node on close, after it left
     * the node registry. Registries close before the broker, so nothing they do is still in
     * flight on a closed broker connection.
     */
    @Override
    default void close() {
        nodeRegistry().close();
        connectionRegistry().close();
        eventQueue().ifPresent(EventQueue::close);
        presenceManager().close();
        broker().close();
    }
}

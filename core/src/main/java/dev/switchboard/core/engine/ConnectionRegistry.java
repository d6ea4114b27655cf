package dev.switchboard.core.engine;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Which connections exist in the cluster and on which node: by client id, by user, by routing
 * key. Every node gives the same answer. Entries of a node that died are dropped once the node
 * registry evicts it.
 *
 * <pre>{@code
 * Optional<ConnectionEntry> where = registry.byClient(clientId).join();
 * List<ConnectionEntry> agents = registry.byRoutingKey("proj-1:staging").join();
 * }</pre>
 */
public interface ConnectionRegistry extends AutoCloseable {

    /** Records a connection. */
    CompletableFuture<Void> add(ConnectionEntry entry);

    /** Forgets a connection. */
    CompletableFuture<Void> remove(ConnectionEntry entry);

    /**
     * Records a connection and queues its {@code connected} event in the engine's
     * {@link EventQueue}, in one step: the event is queued if and only if the entry was recorded.
     * The entry is marked so that its {@code disconnected} event is queued when it is removed, or
     * when the node registry evicts its node. Engines without an event queue do not support it.
     */
    default CompletableFuture<Void> add(ConnectionEntry entry, LifecycleEvent connected) {
        return CompletableFuture.failedFuture(
                new UnsupportedOperationException(getClass().getSimpleName() + " queues no lifecycle events"));
    }

    /**
     * Forgets a connection and queues its {@code disconnected} event, in one step, if it was
     * still recorded: a connection already evicted with its node got its event then, not twice.
     */
    default CompletableFuture<Void> remove(ConnectionEntry entry, LifecycleEvent disconnected) {
        return CompletableFuture.failedFuture(
                new UnsupportedOperationException(getClass().getSimpleName() + " queues no lifecycle events"));
    }

    CompletableFuture<Optional<ConnectionEntry>> byClient(String clientId);

    /** A user's connections, oldest first. */
    CompletableFuture<List<ConnectionEntry>> byUser(String user);

    /** Connections with a routing key, oldest first. */
    CompletableFuture<List<ConnectionEntry>> byRoutingKey(String routingKey);

    /**
     * Connections with a routing key, oldest first, for routing a call rather than for listing:
     * an engine may answer from a short-lived cache that registry changes invalidate, so a
     * change made on another node may show up a moment later. By default the same as
     * {@link #byRoutingKey}.
     */
    default CompletableFuture<List<ConnectionEntry>> routesByRoutingKey(String routingKey) {
        return byRoutingKey(routingKey);
    }

    /** All connections, for listing; oldest first. */
    CompletableFuture<List<ConnectionEntry>> all();

    @Override
    void close();
}

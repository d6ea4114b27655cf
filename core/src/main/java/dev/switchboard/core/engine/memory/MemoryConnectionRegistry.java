package dev.switchboard.core.engine.memory;

import dev.switchboard.core.engine.ConnectionEntry;
import dev.switchboard.core.engine.ConnectionRegistry;
import dev.switchboard.core.engine.LifecycleEvent;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The connection registry of a single node, in memory. With an event queue it queues the
 * {@code connected} and {@code disconnected} events of the connections it records.
 */
public final class MemoryConnectionRegistry implements ConnectionRegistry {

    private final Map<String, ConnectionEntry> entries = new ConcurrentHashMap<>();
    private final MemoryEventQueue events;

    /** A registry without lifecycle events. */
    public MemoryConnectionRegistry() {
        this(null);
    }

    /** A registry that queues lifecycle events in {@code events}. */
    public MemoryConnectionRegistry(MemoryEventQueue events) {
        this.events = events;
    }

    @Override
    public CompletableFuture<Void> add(ConnectionEntry entry) {
        entries.put(entry.clientId(), entry);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> remove(ConnectionEntry entry) {
        entries.remove(entry.clientId(), entry);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> add(ConnectionEntry entry, LifecycleEvent connected) {
        if (events == null) {
            return ConnectionRegistry.super.add(entry, connected);
        }
        // The queue's lock makes the two one step for anyone looking at both.
        synchronized (events) {
            // A client registered again (a retried write) is not reported twice.
            if (entries.put(entry.clientId(), entry) == null) {
                events.offer(connected.toJson());
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> remove(ConnectionEntry entry, LifecycleEvent disconnected) {
        if (events == null) {
            return ConnectionRegistry.super.remove(entry, disconnected);
        }
        synchronized (events) {
            if (entries.remove(entry.clientId(), entry)) {
                events.offer(disconnected.toJson());
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Optional<ConnectionEntry>> byClient(String clientId) {
        return CompletableFuture.completedFuture(Optional.ofNullable(entries.get(clientId)));
    }

    private CompletableFuture<List<ConnectionEntry>> filter(Predicate<ConnectionEntry> p) {
        return CompletableFuture.completedFuture(entries.values().stream()
                .filter(p)
                .sorted(Comparator.comparingLong(ConnectionEntry::connectedAt))
                .toList());
    }

    @Override
    public CompletableFuture<List<ConnectionEntry>> byUser(String user) {
        return filter(e -> e.user().equals(user));
    }

    @Override
    public CompletableFuture<List<ConnectionEntry>> byRoutingKey(String routingKey) {
        return filter(e -> Objects.equals(e.routingKey(), routingKey));
    }

    @Override
    public CompletableFuture<List<ConnectionEntry>> all() {
        return filter(e -> true);
    }

    @Override
    public void close() {
        entries.clear();
    }
}

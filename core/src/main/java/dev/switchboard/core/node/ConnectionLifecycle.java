package dev.switchboard.core.node;

import dev.switchboard.core.engine.ConnectionEntry;
import dev.switchboard.core.engine.ConnectionRegistry;
import dev.switchboard.core.engine.EventQueue;
import dev.switchboard.core.engine.LifecycleEvent;
import dev.switchboard.core.protocol.Disconnect;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's writes of its connections to the registry, with their lifecycle events when the node
 * queues them; and the writes still in flight, which a closing node waits for before it closes
 * the engine (else the last disconnects would be neither unregistered nor reported).
 */
final class ConnectionLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLifecycle.class);

    private final ConnectionRegistry registry;
    private final EventQueue queue;
    private final LifecycleEvents scope;
    private final Clock clock;
    private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicLong failed = new AtomicLong();

    /** @param queue the engine's event queue, or {@code null} when {@code scope} is NONE */
    ConnectionLifecycle(ConnectionRegistry registry, EventQueue queue, LifecycleEvents scope, Clock clock) {
        if (scope != LifecycleEvents.NONE && queue == null) {
            throw new IllegalStateException(
                    "lifecycle events need an engine with an event queue (Engine.eventQueue()); this one has none");
        }
        this.registry = registry;
        this.queue = queue;
        this.scope = scope;
        this.clock = clock;
    }

    void connected(ConnectionEntry entry, String transport) {
        track(
                scope == LifecycleEvents.NONE
                        ? registry.add(entry)
                        : registry.add(entry, LifecycleEvent.connected(entry, transport, clock.millis())),
                "register connection " + entry.clientId());
    }

    void disconnected(ConnectionEntry entry, Disconnect d) {
        track(
                scope == LifecycleEvents.NONE
                        ? registry.remove(entry)
                        : registry.remove(
                                entry, LifecycleEvent.disconnected(entry, d.code(), d.reason(), clock.millis())),
                "unregister connection " + entry.clientId());
    }

    void subscription(ConnectionEntry entry, String channel, boolean subscribed) {
        if (scope == LifecycleEvents.CONNECTIONS_AND_SUBSCRIPTIONS) {
            track(
                    queue.add(LifecycleEvent.subscription(entry, subscribed, channel, clock.millis())),
                    "queue " + (subscribed ? "subscribed" : "unsubscribed") + " event of " + entry.clientId());
        }
    }

    private void track(CompletableFuture<Void> f, String what) {
        inFlight.add(f);
        f.whenComplete((v, e) -> {
            inFlight.remove(f);
            if (e != null) {
                failed.incrementAndGet();
                log.warn("could not {}: {}", what, e.toString());
            }
        });
    }

    /** Writes that failed (the engine was unreachable): their events were not queued. */
    long failedWrites() {
        return failed.get();
    }

    /** Waits up to {@code millis} for the writes in flight; true when none is left. */
    boolean awaitInFlight(long millis) {
        CompletableFuture<?>[] pending = inFlight.toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(pending).get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            // Failures were logged one by one.
            return true;
        }
    }
}

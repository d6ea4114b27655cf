package dev.switchboard.core.node;

import dev.switchboard.core.engine.ConnectionEntry;
import dev.switchboard.core.engine.ConnectionRegistry;
import dev.switchboard.core.engine.EventQueue;
import dev.switchboard.core.engine.LifecycleEvent;
import dev.switchboard.core.protocol.Disconnect;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's writes of its connections to the registry, with their lifecycle events when the node
 * queues them; and the writes still in flight, which a closing node waits for before it closes
 * the engine (else the last disconnects would be neither unregistered nor reported).
 *
 * <p>A write that fails (the engine unreachable) is kept, one per connection, and made again by
 * {@link #retryFailed} once the engine answers, so a connection made or ended during a Redis
 * outage still reaches the cluster registry, and its event the webhooks. The registry reports a
 * client added twice only once, so a retried write whose first attempt did land is harmless.
 */
final class ConnectionLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLifecycle.class);

    private final ConnectionRegistry registry;
    private final EventQueue queue;
    private final LifecycleEvents scope;
    private final Clock clock;
    private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicLong failed = new AtomicLong();
    /** Failed writes are made again at most this often, so an engine that answers heartbeats but refuses writes is not hammered. */
    static final long RETRY_INTERVAL_MILLIS = 2000;

    private volatile long lastRetryAt;
    /** The last failed registry write of each connection, to be made again. */
    private final Map<String, Write> retries = new ConcurrentHashMap<>();

    /** One registry write of a connection, repeatable. */
    private record Write(String clientId, boolean add, Supplier<CompletableFuture<Void>> op, String what) {}

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
        LifecycleEvent event = LifecycleEvent.connected(entry, transport, clock.millis());
        write(new Write(
                entry.clientId(),
                true,
                () -> scope == LifecycleEvents.NONE ? registry.add(entry) : registry.add(entry, event),
                "register connection " + entry.clientId()));
    }

    void disconnected(ConnectionEntry entry, Disconnect d) {
        // A failed add is replaced by the remove: whatever the add left must go.
        LifecycleEvent event = LifecycleEvent.disconnected(entry, d.code(), d.reason(), clock.millis());
        write(new Write(
                entry.clientId(),
                false,
                () -> scope == LifecycleEvents.NONE ? registry.remove(entry) : registry.remove(entry, event),
                "unregister connection " + entry.clientId()));
    }

    private void write(Write w) {
        retries.remove(w.clientId());
        CompletableFuture<Void> f = w.op().get();
        track(f, w.what());
        f.whenComplete((v, e) -> {
            if (e != null) {
                retries.putIfAbsent(w.clientId(), w);
            }
        });
    }

    /**
     * Makes the failed writes again (called when the engine answers again). An add is made only
     * for a connection still open here ({@code open}), so an add never outlives its remove.
     */
    void retryFailed(Predicate<String> open) {
        long now = clock.millis();
        if (retries.isEmpty() || now - lastRetryAt < RETRY_INTERVAL_MILLIS) {
            return;
        }
        lastRetryAt = now;
        for (Write w : List.copyOf(retries.values())) {
            if (!retries.remove(w.clientId(), w)) {
                continue;
            }
            if (w.add() && !open.test(w.clientId())) {
                continue;
            }
            log.info("retrying: {}", w.what());
            write(w);
        }
    }

    /** Registry writes waiting to be made again. */
    int pendingRetries() {
        return retries.size();
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

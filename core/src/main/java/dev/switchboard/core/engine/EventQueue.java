package dev.switchboard.core.engine;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The queue of {@link LifecycleEvent}s waiting to reach the application's backend, shared by the
 * cluster's nodes. Delivery is at least once: an event leaves the queue only when a consumer
 * {@linkplain #ack acknowledges} it, and one a consumer claimed and then stopped working on (its
 * node died) is claimed again by another after a while.
 *
 * <p>The {@code connected} and {@code disconnected} events are queued by the
 * {@link ConnectionRegistry} in the same step as the registry change, so each connection the
 * registry recorded gets exactly one of each, its node's crash included; {@link #add} queues the
 * others.
 *
 * <pre>{@code
 * EventQueue queue = engine.eventQueue().orElseThrow();
 * List<QueuedEvent> batch = queue.claim("node-1", 100).join();
 * // ... POST them; on success:
 * queue.ack(batch).join();
 * }</pre>
 */
public interface EventQueue extends AutoCloseable {

    /** Queues an event. */
    CompletableFuture<Void> add(LifecycleEvent event);

    /**
     * Up to {@code max} events for {@code consumer} to deliver, oldest first: events another
     * consumer claimed and left unacknowledged for too long, else new ones. Empty when there is
     * nothing to do.
     */
    CompletableFuture<List<QueuedEvent>> claim(String consumer, int max);

    /**
     * Tells the queue that {@code consumer} is still trying to deliver these (its backend is
     * failing), so that no other consumer claims them meanwhile.
     */
    CompletableFuture<Void> keep(String consumer, List<QueuedEvent> events);

    /** Removes delivered events. */
    CompletableFuture<Void> ack(List<QueuedEvent> events);

    /** How many events wait, claimed or not, and how old the oldest is. */
    CompletableFuture<Backlog> backlog();

    @Override
    default void close() {}

    /**
     * One queued event.
     *
     * @param queueId the queue's own id of the entry (not the event's {@code id})
     * @param json the event as {@link LifecycleEvent#toJson()} wrote it
     */
    record QueuedEvent(String queueId, byte[] json) {}

    /**
     * The queue's size.
     *
     * @param size events not yet acknowledged
     * @param oldestAgeMillis how long the oldest of them has waited, 0 when none
     */
    record Backlog(long size, long oldestAgeMillis) {
        public static final Backlog EMPTY = new Backlog(0, 0);
    }
}

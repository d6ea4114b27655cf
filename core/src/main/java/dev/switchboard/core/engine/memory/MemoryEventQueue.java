package dev.switchboard.core.engine.memory;

import dev.switchboard.core.engine.EventQueue;
import dev.switchboard.core.engine.LifecycleEvent;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The event queue of a single node, in memory: bounded, and lost with the process. When it is
 * full the oldest waiting event is dropped (and counted, {@link #dropped()}) so a backend that
 * stays down costs a bounded amount of heap. One consumer: what it claimed stays claimed until
 * acknowledged.
 *
 * <pre>{@code
 * MemoryEventQueue queue = new MemoryEventQueue(10_000, Clock.systemUTC());
 * }</pre>
 */
public final class MemoryEventQueue implements EventQueue {

    /** Default {@code maxBacklog}: events waiting (claimed or not) before the oldest are dropped. */
    public static final int DEFAULT_MAX_BACKLOG = 100_000;

    private record Waiting(QueuedEvent event, long queuedAt) {}

    private final int maxBacklog;
    private final Clock clock;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private final Map<String, Waiting> claimed = new LinkedHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private long nextId;

    public MemoryEventQueue(int maxBacklog, Clock clock) {
        if (maxBacklog < 1) {
            throw new IllegalArgumentException("maxBacklog must be at least 1, got " + maxBacklog);
        }
        this.maxBacklog = maxBacklog;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<Void> add(LifecycleEvent event) {
        offer(event.toJson());
        return CompletableFuture.completedFuture(null);
    }

    synchronized void offer(byte[] json) {
        while (waiting.size() + claimed.size() >= maxBacklog && !waiting.isEmpty()) {
            waiting.pollFirst();
            dropped.incrementAndGet();
        }
        if (waiting.size() + claimed.size() >= maxBacklog) {
            // Everything is claimed and unacknowledged: the new event is the one that goes.
            dropped.incrementAndGet();
            return;
        }
        waiting.addLast(new Waiting(new QueuedEvent(Long.toString(++nextId), json), clock.millis()));
    }

    @Override
    public synchronized CompletableFuture<List<QueuedEvent>> claim(String consumer, int max) {
        List<QueuedEvent> out = new ArrayList<>(Math.min(max, waiting.size()));
        while (out.size() < max && !waiting.isEmpty()) {
            Waiting w = waiting.pollFirst();
            claimed.put(w.event().queueId(), w);
            out.add(w.event());
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public CompletableFuture<Void> keep(String consumer, List<QueuedEvent> events) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Void> ack(List<QueuedEvent> events) {
        for (QueuedEvent e : events) {
            claimed.remove(e.queueId());
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Backlog> backlog() {
        long oldest = Long.MAX_VALUE;
        if (!claimed.isEmpty()) {
            oldest = claimed.values().iterator().next().queuedAt();
        }
        if (!waiting.isEmpty()) {
            oldest = Math.min(oldest, waiting.peekFirst().queuedAt());
        }
        long size = waiting.size() + claimed.size();
        return CompletableFuture.completedFuture(
                size == 0 ? Backlog.EMPTY : new Backlog(size, Math.max(0, clock.millis() - oldest)));
    }

    /** Events dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }
}
